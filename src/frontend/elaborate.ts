import { DiagnosticBag } from '../diag/diagnostics.js';
import type { DiagCode } from '../diag/catalogue.js';
import type { Graph } from '../ir/graph.js';
import type { Node } from '../ir/node.js';
import { ConstDeclContext } from './generated/BertIRParser.js';
import { checkAssert, defineGlobal, selectConfig } from './constants.js';
import { checkDeclarations, checkNesting, checkRecursion } from './declarations.js';
import { elaborateLoss, elaborateModel, type LossValue } from './instantiate.js';
import { spanOfToken } from './parse.js';
import { entryOf, type Program } from './program.js';
import { Abort, Elaboration, Fatal } from './state.js';
import { Env } from './values.js';

export interface ElaborateOptions {
  /** The config to use; may be omitted when the file defines at most one. */
  readonly config?: string;
  /** `--set NAME=VALUE` overrides of config constants. */
  readonly sets?: ReadonlyMap<string, number>;
  /**
   * The `loss` block to elaborate over the model (its nodes join the model's context; `bertc grad`).
   * Without it every loss of the file is still checked, in a scratch elaboration, so that the
   * model's graph and its node numbering do not depend on the losses the file defines.
   */
  readonly loss?: string;
}

export interface Elaborated {
  readonly graph: Graph;
  readonly config: string | undefined;
  /** The config's constants after overrides, and the global constants. */
  readonly constants: ReadonlyMap<string, number | boolean>;
  /** The ops of each `kernel NAME { ... }` block of a printed plan, by name, in source order. */
  readonly kernels?: ReadonlyMap<string, readonly Node[]>;
  /** The `loss` block asked for by ElaborateOptions.loss, by name. */
  readonly losses?: ReadonlyMap<string, LossValue>;
}

/** Usage errors (bad --config or --set) that the CLI reports with exit code 2. */
export const USAGE_CODES: ReadonlySet<DiagCode> = new Set(['E0004', 'E0024']);

/**
 * Turns a program into a flattened graph for one config: evaluates constants, instantiates every
 * layer call (with its own parameter scope), unrolls `for` loops and infers every shape and dtype.
 *
 * Errors do not stop it at the first: a failed statement poisons the names it assigns, a poisoned
 * value silently poisons whatever is computed from it, and elaboration goes on with the next
 * statement, so that one run reports every independent mistake and each of them once.
 */
export function elaborate(p: Program, opts: ElaborateOptions, diags: DiagnosticBag): Elaborated | undefined {
  const before = diags.errorsReported;
  const result = run(new Elaboration(p, diags), opts);
  if (diags.errorsReported > before) return undefined;
  if (!result) throw new Error('internal: elaboration failed without reporting an error');
  return result;
}

/**
 * The phases, in the order their diagnostics come: nesting (everything after recurses along the
 * tree), the config and constants, the declarations, then the model's instance.
 */
function run(el: Elaboration, opts: ElaborateOptions): Elaborated | undefined {
  const p = el.p;
  if (!checkNesting(el, p.tree)) return undefined;
  const config = selectConfig(el, opts);
  if (config === null) return undefined;
  for (const g of p.globals) {
    try {
      if (g instanceof ConstDeclContext) defineGlobal(el, g);
      else checkAssert(el, g, new Env());
    } catch (err) {
      if (!(err instanceof Abort)) throw err;
    }
  }
  checkDeclarations(el);
  checkRecursion(el);
  const entry = entryOf(p);
  if (!entry) {
    el.error('E0019', { detail: `${p.file} declares no 'model': one layer must be declared with 'model' to be the entry point` });
    return undefined;
  }
  const models = [...p.layers.values()].filter((l) => l._kind!.text === 'model');
  if (models.length > 1) {
    el.error('E0019', { detail: `only one 'model' may be declared; '${models[1]!._name!.text}' is the second` }, spanOfToken(models[1]!._name!, p.file));
  }
  try {
    const graph = elaborateModel(el, entry);
    if (!graph) return undefined;
    const result: Elaborated = { graph, config, constants: el.constants, kernels: el.kernels.size ? el.kernels : undefined };
    if (opts.loss !== undefined) {
      const decl = p.losses.get(opts.loss);
      if (!decl) {
        const known = p.losses.size ? `this file defines: ${[...p.losses.keys()].join(', ')}` : 'this file defines no loss';
        el.error('E0019', { detail: `unknown loss '${opts.loss}' (${known}); a loss is a 'loss NAME(..) { .. }' block of the source` });
        return undefined;
      }
      const l = elaborateLoss(el, decl, graph);
      return l && { ...result, losses: new Map([[l.name, l]]) };
    }
    if (p.losses.size && !el.diags.hasErrors) checkLosses(p, opts, el.diags);
    return result;
  } catch (err) {
    if (err instanceof Fatal) return undefined;
    throw err;
  }
}

/**
 * Every loss of the file, elaborated over a second instance of the model in its own context; only
 * the diagnostics the losses add are kept (the model's were reported by the first instance).
 */
function checkLosses(p: Program, opts: ElaborateOptions, diags: DiagnosticBag): void {
  const scratch = new DiagnosticBag();
  const el = new Elaboration(p, scratch);
  if (!checkNesting(el, p.tree) || selectConfig(el, opts) === null) return;
  try {
    for (const g of p.globals) {
      try {
        if (g instanceof ConstDeclContext) defineGlobal(el, g);
        else checkAssert(el, g, new Env());
      } catch (err) {
        if (!(err instanceof Abort)) throw err;
      }
    }
    const graph = elaborateModel(el, entryOf(p)!);
    if (!graph) return;
    const before = new Set(scratch.sorted());
    for (const decl of p.losses.values()) elaborateLoss(el, decl, graph);
    for (const d of scratch.sorted()) if (!before.has(d)) diags.add(d);
  } catch (err) {
    if (!(err instanceof Fatal)) throw err;
  }
}
