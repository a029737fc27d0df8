import type { ParserRuleContext, TerminalNode, Token } from 'antlr4ng';
import type { DiagnosticBag } from '../diag/diagnostics.js';
import { formatSpan } from '../diag/span.js';
import {
  type ConfigDeclContext,
  type ConstDeclContext,
  type LayerDeclContext,
  type LossDeclContext,
  type AssertStmtContext,
  NameRefContext,
  PrimaryExprContext,
  type ProgramContext,
} from './generated/BertIRParser.js';
import { parseProgram, spanOfToken } from './parse.js';

/** A parsed source file with its top-level items indexed by name. */
export interface Program {
  readonly file: string;
  readonly text: string;
  readonly tree: ProgramContext;
  readonly configs: ReadonlyMap<string, ConfigDeclContext>;
  readonly layers: ReadonlyMap<string, LayerDeclContext>;
  /** `loss NAME(..) { .. }` blocks: training objectives over the model's outputs (docs/language.md). */
  readonly losses: ReadonlyMap<string, LossDeclContext>;
  /** Top-level `const` and `assert` items in source order: they are evaluated in that order. */
  readonly globals: readonly (ConstDeclContext | AssertStmtContext)[];
}

/** Parses and indexes a file; undefined when it has syntax errors (reported to `diags`). */
export function loadProgram(text: string, file: string, diags: DiagnosticBag): Program | undefined {
  const tree = parseProgram(text, file, diags);
  if (!tree) return undefined;
  const configs = new Map<string, ConfigDeclContext>();
  const layers = new Map<string, LayerDeclContext>();
  const losses = new Map<string, LossDeclContext>();
  const globals: (ConstDeclContext | AssertStmtContext)[] = [];
  for (const item of tree.item()) {
    const cfg = item.configDecl();
    const layer = item.layerDecl();
    const c = item.constDecl() ?? item.assertStmt();
    if (cfg) define(configs, cfg._name!.text!, cfg, file, diags);
    if (layer) define(layers, layer._name!.text!, layer, file, diags);
    const loss = item.lossDecl();
    if (loss) define(losses, loss._name!.text!, loss, file, diags);
    if (c) globals.push(c);
  }
  return { file, text, tree, configs, layers, losses, globals };
}

/** The first definition of a name wins; a later one is reported at its name. */
function define<T extends ConfigDeclContext | LayerDeclContext | LossDeclContext>(map: Map<string, T>, name: string, ctx: T, file: string, diags: DiagnosticBag): void {
  const prev = map.get(name);
  if (prev) {
    diags.emit('E0015', { name, where: ` at ${formatSpan(spanOfToken(prev._name!, file))}` }, spanOfToken(ctx._name!, file));
    return;
  }
  map.set(name, ctx);
}

/** The entry layer: the one declared with `model`. */
export function entryOf(p: Program): LayerDeclContext | undefined {
  return [...p.layers.values()].find((l) => l._kind!.text === 'model');
}

/** The text of a STRING token, its quotes removed and its escapes resolved. */
export function unquote(s: string): string {
  return s.slice(1, -1).replace(/\\(.)/g, '$1');
}

/** The tensor a model input or result names: its `= "name"`, or its identifier. */
export function externalName(ctx: { readonly _external?: Token | null; ID(): TerminalNode }): string {
  return ctx._external ? unquote(ctx._external.text!) : ctx.ID().getText();
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
        out.push({ input: externalName(inp), axis, name: e.primary().getText() });
      }
    });
  }
  return out;
}

/**
 * The source text of a parse-tree node, as written. Read from the token stream, whose offsets count
 * code points, not the UTF-16 units that slicing `p.text` would (an emoji in a comment shifts them).
 */
export function sourceText(_p: Program, ctx: ParserRuleContext): string {
  return ctx.start!.inputStream!.getTextFromRange(ctx.start!.start, ctx.stop!.stop);
}
