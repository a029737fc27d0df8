import type { DiagnosticBag } from '../diag/diagnostics.js';
import { formatSpan } from '../diag/span.js';
import {
  type ConfigDeclContext,
  type ConstDeclContext,
  type LayerDeclContext,
  type AssertStmtContext,
  NameRefContext,
  PrimaryExprContext,
  type ProgramContext,
} from './generated/BertIRParser.js';
import { parseProgram, spanOf } from './parse.js';

/** A parsed source file with its top-level items indexed by name. */
export interface Program {
  readonly file: string;
  readonly text: string;
  readonly tree: ProgramContext;
  readonly configs: ReadonlyMap<string, ConfigDeclContext>;
  readonly layers: ReadonlyMap<string, LayerDeclContext>;
  /** Top-level `const` and `assert` items in source order: they are evaluated in that order. */
  readonly globals: readonly (ConstDeclContext | AssertStmtContext)[];
}

/** Parses and indexes a file; undefined when it has syntax errors (reported to `diags`). */
export function loadProgram(text: string, file: string, diags: DiagnosticBag): Program | undefined {
  const before = diags.errorCount;
  const tree = parseProgram(text, file, diags);
  if (diags.errorCount > before) return undefined;
  const configs = new Map<string, ConfigDeclContext>();
  const layers = new Map<string, LayerDeclContext>();
  const globals: (ConstDeclContext | AssertStmtContext)[] = [];
  for (const item of tree.item()) {
    const cfg = item.configDecl();
    const layer = item.layerDecl();
    const c = item.constDecl() ?? item.assertStmt();
    if (cfg) define(configs, cfg._name!.text!, cfg, file, diags);
    if (layer) define(layers, layer._name!.text!, layer, file, diags);
    if (c) globals.push(c);
  }
  return { file, text, tree, configs, layers, globals };
}

function define<T extends ConfigDeclContext | LayerDeclContext>(map: Map<string, T>, name: string, ctx: T, file: string, diags: DiagnosticBag): void {
  const prev = map.get(name);
  if (prev) {
    diags.emit('E0015', { name, where: ` at ${formatSpan(spanOf(prev, file))}` }, spanOf(ctx, file));
    return;
  }
  map.set(name, ctx);
}

/** The entry layer: the one declared with `model`. */
export function entryOf(p: Program): LayerDeclContext | undefined {
  return [...p.layers.values()].find((l) => l._kind!.text === 'model');
}

/**
 * Config constants that a model input's shape names directly (`input_ids: i32[B, S]` names B and S),
 * with the input and axis that determine them: `run` takes their values from the input tensors.
 */
export function inputDimNames(p: Program): { input: string; axis: number; name: string }[] {
  const entry = entryOf(p);
  if (!entry) return [];
  const out: { input: string; axis: number; name: string }[] = [];
  for (const inp of entry.input()) {
    inp.tensorType().expr().forEach((e, axis) => {
      if (e instanceof PrimaryExprContext && e.primary() instanceof NameRefContext) {
        out.push({ input: inp.ID().getText(), axis, name: e.primary().getText() });
      }
    });
  }
  return out;
}

export function sourceText(p: Program, ctx: { start: { start: number } | null; stop: { stop: number } | null }): string {
  return p.text.slice(ctx.start!.start, ctx.stop!.stop + 1);
}
