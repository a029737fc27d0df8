import { TerminalNode, type CharStream, type ParserRuleContext, type ParseTree } from 'antlr4ng';
import type { DiagnosticBag, Note } from '../diag/diagnostics.js';
import type { DiagCode } from '../diag/catalogue.js';
import { formatSpan, type Span } from '../diag/span.js';
import { didYouMean } from '../diag/suggest.js';
import { DTYPES, isDType, isFloat, isInteger, type DType } from '../ir/dtype.js';
import type { Graph, NamedValue } from '../ir/graph.js';
import { IrContext, type AttrValue, type Node } from '../ir/node.js';
import { checkAttrValue, describeArity, OPS, type AttrSpec, type OpDef } from '../ir/ops.js';
import { BINARY, COMPARE, UNARY } from '../ir/scalar.js';
import { numel } from '../ir/shape.js';
import { formatType, tensorType, typeEquals, type TensorType } from '../ir/types.js';
import {
  AddExprContext,
  AndExprContext,
  type ArgContext,
  type AssertStmtContext,
  type BlockContext,
  CallContext,
  CallExprContext,
  ConstDeclContext,
  EqExprContext,
  type ExprContext,
  type InputContext,
  type LayerDeclContext,
  ListLitContext,
  MulExprContext,
  NamedResultsContext,
  NameRefContext,
  NumberLitContext,
  OrExprContext,
  ParenExprContext,
  PrimaryExprContext,
  RelExprContext,
  SingleResultContext,
  type StmtContext,
  type KernelStmtContext,
  StringLitContext,
  type TensorTypeContext,
  UnaryExprContext,
} from './generated/BertIRParser.js';
import { parseExpr, spanOf, spanOfToken } from './parse.js';
import { entryOf, sourceText, type Program } from './program.js';
import { bool, describeValue, Env, isPoisoned, num, POISON, tensor, type Value } from './values.js';

export interface ElaborateOptions {
  /** The config to use; may be omitted when the file defines at most one. */
  readonly config?: string;
  /** `--set NAME=VALUE` overrides of config constants. */
  readonly sets?: ReadonlyMap<string, number>;
}

export interface Elaborated {
  readonly graph: Graph;
  readonly config: string | undefined;
  /** The config's constants after overrides, and the global constants. */
  readonly constants: ReadonlyMap<string, number | boolean>;
  /** The ops of each `kernel NAME { ... }` block of a printed plan, by name, in source order. */
  readonly kernels?: ReadonlyMap<string, readonly Node[]>;
}

/**
 * The most elements one tensor may have, and so the largest dimension: backends index tensors with
 * 32-bit integers. A dimension like 1e12 is rejected here instead of reaching an allocation.
 */
export const MAX_ELEMENTS = 2 ** 31 - 1;
/** Loops are unrolled; a trip count above this is taken for a mistake (a wrong bound), not a model. */
export const MAX_LOOP_TRIPS = 1024;
/**
 * Statements and loop iterations one elaboration may execute once layers are inlined and loops
 * unrolled: BERT-large takes about 1,100, so this only stops runaway inputs, in about a second.
 */
export const MAX_STEPS = 50_000;
/**
 * Levels of parse tree (expressions inside expressions, blocks inside blocks) the elaborator
 * accepts: it recurses once per level, and a sum of a few thousand terms would exhaust the stack.
 */
export const MAX_NESTING = 256;
/** Layer calls inside layer calls; BERT needs 4. */
export const MAX_CALL_DEPTH = 100;
/** Call-stack notes shown under one diagnostic; deeper stacks end in a count. */
const MAX_NOTES = 10;

const BUILTINS: ReadonlyMap<string, Value> = new Map([
  ['true', bool(true)],
  ['false', bool(false)],
  ['inf', num(Infinity)],
  ['nan', num(NaN)],
  ['pi', num(Math.PI)],
]);

const INFIX: Readonly<Record<string, string>> = {
  '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge', '==': 'eq', '!=': 'ne',
};

/** Usage errors (bad --config or --set) that the CLI reports with exit code 2. */
export const USAGE_CODES: ReadonlySet<DiagCode> = new Set(['E0004', 'E0024']);

/** Signals that the current statement cannot go on; the error has been reported. */
class Abort extends Error {}

/** Signals that elaboration as a whole cannot go on (a limit was hit); the error has been reported. */
class Fatal extends Error {}

/** One layer instance being elaborated. */
interface Frame {
  readonly layer: string;
  readonly scope: string;
  /** The instance's outermost scope: its dimensions, inputs and parameters. */
  readonly env: Env;
  returned?: { values: Value[]; span: Span };
  /** A statement failed: the instance's unused parameters may only look unused, so they are not reported. */
  failed: boolean;
}

function joinScope(a: string, b: string): string {
  return a && b ? `${a}.${b}` : a || b;
}

/** Every call in a parse subtree, in source order. */
function callsIn(t: ParseTree, out: CallContext[] = []): CallContext[] {
  if (t instanceof CallContext) out.push(t);
  for (let i = 0; i < t.getChildCount(); i++) callsIn(t.getChild(i)!, out);
  return out;
}

/** The deepest node of a parse tree and its depth, found without recursion: the tree may be deeper than the stack. */
function deepest(root: ParseTree): { node: ParseTree; depth: number } {
  let best = { node: root, depth: 0 };
  const todo: [ParseTree, number][] = [[root, 0]];
  while (todo.length) {
    const [node, depth] = todo.pop()!;
    if (depth > best.depth) best = { node, depth };
    for (let i = 0; i < node.getChildCount(); i++) todo.push([node.getChild(i)!, depth + 1]);
  }
  return best;
}

/** The names a statement assigns (`x = ...`), loops included: a failed statement leaves them poisoned. */
function assignedNames(s: StmtContext, out: Set<string> = new Set()): Set<string> {
  const let_ = s.letStmt();
  if (let_) out.add(let_.ID().getText());
  for (const inner of s.forStmt()?.block().stmt() ?? []) assignedNames(inner, out);
  return out;
}

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
  const result = new Elaborator(p, diags).run(opts);
  if (diags.errorsReported > before) return undefined;
  if (!result) throw new Error('internal: elaboration failed without reporting an error');
  return result;
}

class Elaborator {
  private readonly ctx = new IrContext();
  private readonly constants = new Map<string, number | boolean>();
  private readonly constSpans = new Map<string, Span>();
  /** Global constants defined by an expression, to explain a failed check in terms of it. */
  private readonly constExprs = new Map<string, ExprContext>();
  /** Constants whose definition failed (already reported): reading one gives poison, not "unknown name". */
  private readonly poisonedConstants = new Set<string>();
  /** Config constants given with --set. */
  private readonly userSets = new Set<string>();
  /** Layers that call themselves (already reported by checkRecursion). */
  private readonly recursive = new Set<string>();
  /** Names of the model's inputs and outputs, which taps may not reuse. */
  private readonly modelNames = new Map<string, string>();
  private readonly params = new Map<string, Node>();
  private readonly taps: NamedValue[] = [];
  private readonly kernels = new Map<string, Node[]>();
  private currentKernel: { name: string; ops: Node[] } | undefined;
  private readonly stack: { layer: string; scope: string; note: Note }[] = [];
  /** Parsed `{expr}` holes of interpolated strings, by offset in the source. */
  private readonly holes = new Map<number, ExprContext | undefined>();
  private readonly dropoutIds = new Set<number>();
  private nextDropoutId = 0;
  private steps = 0;

  constructor(private readonly p: Program, private readonly diags: DiagnosticBag) {}

  private span(ctx: { start: unknown; stop: unknown } & Parameters<typeof spanOf>[0]): Span {
    return spanOf(ctx, this.p.file);
  }

  /** Reports at `span`, with a note for each layer call that led there, innermost first. */
  private error(code: DiagCode, args: Record<string, string | number>, span?: Span): void {
    const notes = this.stack.map((s) => s.note).reverse();
    if (notes.length > MAX_NOTES) notes.splice(MAX_NOTES, Infinity, { message: `and ${notes.length - MAX_NOTES} more layer calls` });
    this.diags.emit(code, args, span, notes);
  }

  private fail(code: DiagCode, args: Record<string, string | number>, span?: Span): never {
    this.error(code, args, span);
    throw new Abort();
  }

  run(opts: ElaborateOptions): Elaborated | undefined {
    if (!this.checkNesting(this.p.tree)) return undefined;
    const config = this.selectConfig(opts);
    if (config === null) return undefined;
    for (const g of this.p.globals) {
      try {
        if (g instanceof ConstDeclContext) this.defineGlobal(g);
        else this.checkAssert(g, new Env());
      } catch (err) {
        if (!(err instanceof Abort)) throw err;
      }
    }
    this.checkDeclarations();
    this.checkRecursion();
    const entry = entryOf(this.p);
    if (!entry) {
      this.error('E0019', { detail: `${this.p.file} declares no 'model': one layer must be declared with 'model' to be the entry point` });
      return undefined;
    }
    const models = [...this.p.layers.values()].filter((l) => l._kind!.text === 'model');
    if (models.length > 1) {
      this.error('E0019', { detail: `only one 'model' may be declared; '${models[1]!._name!.text}' is the second` }, spanOfToken(models[1]!._name!, this.p.file));
    }
    try {
      const graph = this.elaborateModel(entry);
      return graph && { graph, config, constants: this.constants, kernels: this.kernels.size ? this.kernels : undefined };
    } catch (err) {
      if (err instanceof Fatal) return undefined;
      throw err;
    }
  }

  /** Returns the chosen config name, undefined when the file has none, or null on error. */
  private selectConfig(opts: ElaborateOptions): string | undefined | null {
    const names = [...this.p.configs.keys()];
    let name = opts.config;
    if (name === undefined) {
      if (names.length > 1) {
        this.error('E0004', { detail: `${this.p.file} defines several configs (${names.join(', ')}): choose one with --config` });
        return null;
      }
      name = names[0];
    }
    const sets = opts.sets ?? new Map<string, number>();
    if (name === undefined) {
      for (const k of sets.keys()) this.error('E0024', { name: k, detail: `${this.p.file} defines no config, so there is nothing to set` });
      return sets.size ? null : undefined;
    }
    const cfg = this.p.configs.get(name);
    if (!cfg) {
      const known = names.length ? `this file defines: ${names.join(', ')}` : 'this file defines no config';
      this.error('E0004', { detail: `unknown config '${name}' (${known})` });
      return null;
    }
    const entries = cfg.configEntry();
    const known = entries.map((e) => e.ID().getText());
    let ok = true;
    for (const k of sets.keys()) {
      if (!known.includes(k)) {
        const hint = didYouMean(k, known) || ` (it has: ${known.join(', ')})`;
        this.error('E0024', { name: k, detail: `config '${name}' has no constant '${k}'${hint}` });
        ok = false;
      }
    }
    if (!ok) return null;
    for (const entry of entries) {
      const key = entry.ID().getText();
      const set = sets.get(key);
      if (set !== undefined) this.userSets.add(key);
      try {
        this.defineConstant(key, this.span(entry), () => (set !== undefined ? num(set) : this.evalConst(entry.expr(), new Env())));
      } catch (err) {
        if (!(err instanceof Abort)) throw err;
      }
    }
    return name;
  }

  private defineGlobal(g: ConstDeclContext): void {
    const name = g.ID().getText();
    this.defineConstant(name, this.span(g), () => this.evalConst(g.expr(), new Env()));
    this.constExprs.set(name, g.expr());
  }

  /** Defines a config or global constant; if computing it fails, reading it later gives poison. */
  private defineConstant(name: string, span: Span, compute: () => Value): void {
    if (this.constants.has(name) || this.poisonedConstants.has(name) || BUILTINS.has(name)) {
      const prev = this.constSpans.get(name);
      this.fail('E0015', { name, where: prev ? ` at ${formatSpan(prev)}` : ' (built in)' }, span);
    }
    this.constSpans.set(name, span);
    this.poisonedConstants.add(name);
    const v = compute();
    if (v.kind !== 'num' && v.kind !== 'bool') this.fail('E0016', { detail: `constant '${name}' must be a number or a boolean, not ${describeValue(v)}` }, span);
    this.poisonedConstants.delete(name);
    this.constants.set(name, v.value);
  }

  private evalConst(e: ExprContext, env: Env): Value {
    const v = this.evalExpr(e, env, '');
    if (v.kind === 'tensor') this.fail('E0016', { detail: `'${sourceText(this.p, e)}' must be a constant, but it is a tensor` }, this.span(e));
    if (isPoisoned(v)) throw new Abort();
    return v;
  }

  private checkAssert(a: AssertStmtContext, env: Env): void {
    const v = this.evalConst(a.expr(), env);
    if (v.kind !== 'bool') this.fail('E0016', { detail: `an assertion must be a comparison, but '${sourceText(this.p, a.expr())}' is ${describeValue(v)}` }, this.span(a.expr()));
    if (v.value) return;
    const msg = a.STRING() ? `${unquote(a.STRING()!.getText())}: ` : '';
    this.fail('E0017', { detail: `${msg}${sourceText(this.p, a.expr())}${this.explain(a.expr(), env)}` }, this.span(a.expr()));
  }

  /**
   * ` (with D = H / NH, H = 100, NH = 12)`: what the names in an expression stand for, to explain
   * a failed check. Global constants defined by an expression are shown with it, then its names.
   */
  private explain(e: ExprContext, env: Env): string {
    const parts: string[] = [];
    const seen = new Set<string>();
    const walk = (t: ParseTree) => {
      if (t instanceof NameRefContext) describe(t.getText());
      for (let i = 0; i < t.getChildCount(); i++) walk(t.getChild(i)!);
    };
    const describe = (n: string) => {
      if (seen.has(n)) return;
      seen.add(n);
      const b = env.lookup(n)?.value;
      if (b) {
        if (b.kind === 'num' || b.kind === 'bool') parts.push(`${n} = ${b.value}`);
        return;
      }
      const def = this.constExprs.get(n);
      if (def && !(def instanceof PrimaryExprContext && def.primary() instanceof NumberLitContext)) {
        parts.push(`${n} = ${sourceText(this.p, def)}`);
        walk(def);
        return;
      }
      const v = this.constants.get(n);
      if (v !== undefined) parts.push(`${n} = ${v}`);
    };
    walk(e);
    // `dimension 'B' is 0 (with B = 0)` would say nothing new.
    const bareName = e instanceof PrimaryExprContext && e.primary() instanceof NameRefContext;
    if (bareName && parts.length === 1 && !this.constExprs.has(e.getText())) return '';
    return parts.length ? ` (with ${parts.join(', ')})` : '';
  }

  // ---- checks of the declarations, before any layer is instantiated ----

  /** False, reported, when a tree nests too deeply for the elaborator, which recurses along it. */
  private checkNesting(root: ParseTree): boolean {
    const { node, depth } = deepest(root);
    if (depth <= MAX_NESTING) return true;
    const span = node instanceof TerminalNode ? spanOfToken(node.symbol, this.p.file) : this.span(node as ParserRuleContext);
    this.error('E0027', { detail: `this nests more than ${MAX_NESTING} levels deep (expressions inside expressions): split it into several statements` }, span);
    return false;
  }

  /** Names declared twice in one signature: among dimension variables and inputs, and among named results. */
  private checkDeclarations(): void {
    for (const layer of this.p.layers.values()) {
      this.reportDuplicates([...(layer.dimParams()?.ID() ?? []), ...layer.input().map((i) => i.ID())]);
      const results = layer.results();
      if (results instanceof NamedResultsContext) this.reportDuplicates(results.namedResult().map((r) => r.ID()));
    }
  }

  private reportDuplicates(names: readonly TerminalNode[]): void {
    const seen = new Map<string, Span>();
    for (const tok of names) {
      const span = spanOfToken(tok.symbol, this.p.file);
      const prev = seen.get(tok.getText());
      if (prev) this.error('E0015', { name: tok.getText(), where: ` at ${formatSpan(prev)}` }, span);
      else seen.set(tok.getText(), span);
    }
  }

  /**
   * Reports every cycle of layer calls once, at the call that closes it, before elaboration: found
   * while instantiating, a cycle would be reported once per way into it, and only if it is reached.
   */
  private checkRecursion(): void {
    const callees = new Map<string, CallContext[]>();
    for (const [name, decl] of this.p.layers) {
      callees.set(name, callsIn(decl.block()).filter((c) => this.p.layers.get(c._callee!.text!)?._kind!.text === 'layer'));
    }
    const done = new Set<string>();
    const path: string[] = [];
    const visit = (name: string) => {
      path.push(name);
      for (const call of callees.get(name)!) {
        const callee = call._callee!.text!;
        const at = path.indexOf(callee);
        if (at >= 0) {
          const cycle = [...path.slice(at), callee];
          cycle.forEach((l) => this.recursive.add(l));
          this.diags.emit('E0010', { name: callee, cycle: cycle.join(' -> ') }, this.span(call));
        } else if (!done.has(callee)) {
          visit(callee);
        }
      }
      path.pop();
      done.add(name);
    };
    for (const name of this.p.layers.keys()) if (!done.has(name)) visit(name);
  }

  // ---- the model and layer instances ----

  private elaborateModel(entry: LayerDeclContext): Graph | undefined {
    const env = new Env();
    const frame: Frame = { layer: entry._name!.text!, scope: '', env, failed: false };
    const inputs: Node[] = [];
    if (entry.dimParams()) this.error('E0016', { detail: 'the model cannot have dimension parameters: give its dimensions in a config' }, this.span(entry.dimParams()!));
    for (const inp of entry.input()) {
      const name = inp.ID().getText();
      this.modelNames.set(name, 'an input of the model');
      if (env.has(name)) continue; // reported by checkDeclarations
      try {
        const type = this.evalType(inp.tensorType(), env);
        const range = this.inputRange(inp, type, env);
        const node = this.ctx.node('input', type, [], { name, range: range ?? [] }, { span: this.span(inp), scope: '', hint: name });
        inputs.push(node);
        env.define(name, tensor(node), this.span(inp));
      } catch (err) {
        if (!(err instanceof Abort)) throw err;
        env.define(name, POISON, this.span(inp));
      }
    }
    const results = entry.results();
    const names = results instanceof NamedResultsContext ? results.namedResult().map((r) => r.ID().getText()) : ['output'];
    for (const n of names) this.modelNames.set(n, 'an output of the model');
    this.execBlock(entry.block(), frame, env, false);
    try {
      const values = this.checkResults(entry, frame);
      if (!values) return undefined;
      const outputs = values.map((v, i) => ({ name: names[i]!, node: (v as { node: Node }).node }));
      return { ctx: this.ctx, name: frame.layer, body: [...this.ctx.created], inputs, outputs, taps: this.taps };
    } catch (err) {
      if (err instanceof Abort) return undefined;
      throw err;
    }
  }

  /** The result types a layer declares, evaluated in its environment. */
  private resultTypes(layer: LayerDeclContext, env: Env): { name: string; type: TensorType; span: Span }[] {
    const r = layer.results();
    if (r instanceof SingleResultContext) return [{ name: 'result', type: this.evalType(r.tensorType(), env), span: this.span(r) }];
    return (r as NamedResultsContext).namedResult().map((n) => ({ name: n.ID().getText(), type: this.evalType(n.tensorType(), env), span: this.span(n) }));
  }

  /** The values a layer instance returns, checked against its declaration; undefined if they are poisoned. */
  private checkResults(layer: LayerDeclContext, frame: Frame): Value[] | undefined {
    const name = frame.layer;
    if (!frame.returned) this.fail('E0021', { detail: `layer '${name}' ends without 'return'` }, spanOfToken(layer.block().stop!, this.p.file));
    const { values, span } = frame.returned;
    const expected = this.resultTypes(layer, frame.env);
    if (values.length !== expected.length) {
      this.fail('E0021', { detail: `layer '${name}' declares ${expected.length} result${expected.length === 1 ? '' : 's'} but returns ${values.length}` }, span);
    }
    if (values.some(isPoisoned)) return undefined;
    values.forEach((v, i) => {
      const want = expected[i]!;
      if (v.kind !== 'tensor') this.fail('E0021', { detail: `result '${want.name}' of '${name}' must be a tensor, not ${describeValue(v)}` }, span);
      if (!typeEquals(v.node.type, want.type)) {
        this.fail(v.node.type.dtype !== want.type.dtype ? 'E0007' : 'E0006', {
          detail: `layer '${name}' returns ${formatType(v.node.type)} for result '${want.name}', declared ${formatType(want.type)}`,
        }, span);
      }
    });
    if (!frame.failed) for (const u of frame.env.unusedParams()) this.diags.emit('E0013', { name: u.name }, u.span);
    return values;
  }

  private callLayer(layer: LayerDeclContext, call: CallContext, args: Value[], kwargs: Map<string, { value: Value; span: Span }>, scope: string): Value {
    const name = layer._name!.text!;
    const callSpan = this.span(call);
    if (this.stack.some((s) => s.layer === name)) {
      if (this.recursive.has(name)) throw new Abort(); // reported once by checkRecursion
      const cycle = [...this.stack.slice(this.stack.findIndex((s) => s.layer === name)).map((s) => s.layer), name].join(' -> ');
      this.fail('E0010', { name, cycle }, callSpan);
    }
    if (layer._kind!.text === 'model') this.fail('E0016', { detail: `'${name}' is the model and cannot be called` }, callSpan);
    const results = layer.results();
    if (results instanceof NamedResultsContext && results.namedResult().length !== 1) {
      this.fail('E0021', { detail: `layer '${name}' returns ${results.namedResult().length} values; only single-result layers can be called` }, callSpan);
    }
    if (this.stack.length >= MAX_CALL_DEPTH) {
      this.fail('E0027', { detail: `layer calls nest more than ${MAX_CALL_DEPTH} deep here; bertc allows at most ${MAX_CALL_DEPTH}` }, callSpan);
    }
    const inputs = layer.input();
    if (args.length !== inputs.length) {
      this.fail('E0008', { op: name, expected: `${inputs.length} operand${inputs.length === 1 ? '' : 's'}`, found: args.length }, callSpan);
    }
    const env = new Env();
    const dims = new Set((layer.dimParams()?.ID() ?? []).map((t) => t.getText()));
    for (const [k, { value, span }] of kwargs) {
      if (!dims.has(k)) {
        const hint = dims.size ? ` (its dimension variables are ${[...dims].join(', ')})` : ' (it has no dimension variables)';
        this.fail('E0005', { op: name, name: k, hint }, span);
      }
      if (!isPoisoned(value) && (value.kind !== 'num' || !Number.isInteger(value.value) || value.value <= 0 || value.value > MAX_ELEMENTS)) {
        this.fail('E0009', { detail: `dimension '${k}' of layer '${name}' must be a positive integer up to ${MAX_ELEMENTS}, got ${describeValue(value)}` }, span);
      }
      env.define(k, value, span);
    }
    // Arguments fix dimension variables; a poisoned argument leaves the ones it would fix poisoned,
    // so that the body is still checked for mistakes of its own without errors about the argument.
    inputs.forEach((inp, i) => {
      const arg = args[i]!;
      if (arg.kind === 'tensor') this.unify(inp.tensorType(), arg.node.type, dims, env, `argument '${inp.ID().getText()}' of layer '${name}'`, callSpan);
      else if (!isPoisoned(arg)) this.fail('E0016', { detail: `argument '${inp.ID().getText()}' of layer '${name}' must be a tensor, not ${describeValue(arg)}` }, callSpan);
    });
    inputs.forEach((inp, i) => {
      if (!isPoisoned(args[i]!)) return;
      for (const e of inp.tensorType().expr()) if (dims.has(e.getText()) && !env.has(e.getText())) env.define(e.getText(), POISON, undefined);
    });
    inputs.forEach((inp, i) => env.define(inp.ID().getText(), args[i]!, this.span(inp)));
    for (const d of dims) {
      if (!env.has(d)) this.fail('E0009', { detail: `dimension '${d}' of layer '${name}' is neither given (${d}=...) nor fixed by an argument's shape` }, callSpan);
    }
    const frame: Frame = { layer: name, scope, env, failed: false };
    this.stack.push({ layer: name, scope, note: { message: `in layer '${name}'${scope ? ` (${scope})` : ''} called here`, span: callSpan } });
    try {
      this.execBlock(layer.block(), frame, env, false);
      return this.checkResults(layer, frame)?.[0] ?? POISON;
    } finally {
      this.stack.pop();
    }
  }

  /** Matches a declared input type against an argument's, binding dimension variables on the way. */
  private unify(decl: TensorTypeContext, actual: TensorType, dims: Set<string>, env: Env, what: string, span: Span): void {
    const dtype = this.evalDType(decl);
    const exprs = decl.expr();
    // `f32[B, S, H], which is f32[2, 16, 128] here`: the declaration as written and with what its names stand for.
    const mismatch = (code: 'E0006' | 'E0007') => {
      const written = `${dtype}[${exprs.map((e) => sourceText(this.p, e)).join(', ')}]`;
      const known = `${dtype}[${exprs.map((e) => {
        const b = env.lookup(e.getText())?.value;
        const v = b ? (b.kind === 'num' ? b.value : undefined) : this.constants.get(e.getText());
        return v ?? sourceText(this.p, e);
      }).join(', ')}]`;
      const here = known === written ? '' : `, which is ${known} here`;
      this.fail(code, { detail: `${what} is ${formatType(actual)}, but the layer expects ${written}${here}` }, span);
    };
    if (dtype !== actual.dtype) mismatch('E0007');
    if (exprs.length !== actual.shape.length) mismatch('E0006');
    exprs.forEach((e, i) => {
      const text = e.getText();
      if (dims.has(text) && !env.has(text)) env.define(text, num(actual.shape[i]!), this.span(e));
      if (this.evalDim(e, env) !== actual.shape[i]) mismatch('E0006');
    });
  }

  // ---- statements ----

  /** Counts one unit of elaboration work; stops everything when the model is unreasonably large. */
  private step(span: Span): void {
    if (++this.steps <= MAX_STEPS) return;
    this.error('E0027', {
      detail: `the model is too large to elaborate: it runs more than ${MAX_STEPS} statements once layers are inlined and loops unrolled`,
    }, span);
    throw new Fatal();
  }

  private execBlock(block: BlockContext, frame: Frame, env: Env, inLoop: boolean): void {
    for (const s of block.stmt()) {
      if (frame.returned) break;
      this.step(this.span(s));
      try {
        this.execStmt(s, frame, env, inLoop);
      } catch (err) {
        if (!(err instanceof Abort)) throw err;
        // The error is reported; go on with the next statement so that later mistakes are found too.
        frame.failed = true;
        this.poisonTargets(s, frame, env);
      }
    }
  }

  /** After a statement failed: what it would have defined is poison, so later uses stay quiet. */
  private poisonTargets(s: StmtContext, frame: Frame, env: Env): void {
    for (const name of assignedNames(s)) env.assign(name, POISON, this.span(s));
    const param = s.paramDecl();
    if (param && !env.has(param.ID().getText())) env.define(param.ID().getText(), POISON, this.span(param));
    const ret = s.returnStmt();
    if (ret) frame.returned = { values: ret.expr().map(() => POISON), span: this.span(ret) };
  }

  private execStmt(s: StmtContext, frame: Frame, env: Env, inLoop: boolean): void {
    const param = s.paramDecl();
    if (param) {
      const local = param.ID().getText();
      if (env.has(local)) this.fail('E0015', { name: local, where: ' in this layer' }, this.span(param));
      const suffix = param.STRING() ? unquote(param.STRING()!.getText()) : local;
      const hfName = joinScope(frame.scope, suffix);
      const type = this.evalType(param.tensorType(), env);
      env.define(local, tensor(this.paramNode(hfName, type, this.span(param), frame.scope)), this.span(param), true);
      return;
    }
    const let_ = s.letStmt();
    if (let_) {
      const name = let_.ID().getText();
      let v = this.evalExpr(let_.expr(), env, name);
      const annotated = let_.tensorType();
      if (annotated && !isPoisoned(v)) v = this.checkAnnotation(name, annotated, v, env, this.span(let_));
      env.assign(name, v, this.span(let_));
      return;
    }
    const loop = s.forStmt();
    if (loop) {
      const [lo, hi] = loop.expr().map((e) => this.evalInt(e, env, 'a loop bound')) as [number, number];
      if (hi - lo > MAX_LOOP_TRIPS) {
        const range = `${sourceText(this.p, loop.expr(0)!)} .. ${sourceText(this.p, loop.expr(1)!)}`;
        this.fail('E0027', {
          detail: `loop 'for ${loop.ID().getText()} in ${range}' would run ${hi - lo} times; bertc unrolls loops and allows at most ${MAX_LOOP_TRIPS} iterations${this.explain(loop.expr(1)!, env)}`,
        }, this.span(loop.expr(1)!));
      }
      for (let i = lo; i < hi; i++) {
        this.step(this.span(loop));
        const inner = env.child();
        inner.define(loop.ID().getText(), num(i), this.span(loop));
        this.execBlock(loop.block(), frame, inner, true);
      }
      return;
    }
    const tap = s.tapStmt();
    if (tap) {
      const name = this.interpolate(tap.STRING(), env);
      const v = this.evalExpr(tap.expr(), env, '');
      if (isPoisoned(v)) return;
      if (v.kind !== 'tensor') this.fail('E0016', { detail: `tap '${name}' must name a tensor, not ${describeValue(v)}` }, this.span(tap));
      const clash = this.modelNames.get(name);
      if (clash) this.fail('E0015', { name, where: ` as ${clash}` }, this.span(tap));
      if (this.taps.some((t) => t.name === name)) this.fail('E0015', { name, where: ' as a tap' }, this.span(tap));
      this.taps.push({ name, node: v.node });
      return;
    }
    const assert = s.assertStmt();
    if (assert) {
      this.checkAssert(assert, env);
      return;
    }
    const kernel = s.kernelStmt();
    if (kernel) {
      this.execKernel(kernel, frame, env, inLoop);
      return;
    }
    const ret = s.returnStmt()!;
    if (inLoop) {
      this.fail('E0021', { detail: "'return' inside a 'for' loop would end the layer in the loop's first iteration: return after the loop" }, this.span(ret));
    }
    frame.returned = { values: ret.expr().map((e) => this.evalExpr(e, env, '')), span: this.span(ret) };
  }

  /** A kernel block: its statements define names in the enclosing scope; its ops are recorded. */
  private execKernel(k: KernelStmtContext, frame: Frame, env: Env, inLoop: boolean): void {
    const name = k.ID().getText();
    if (this.kernels.has(name)) this.fail('E0015', { name, where: ' as a kernel' }, this.span(k));
    if (this.currentKernel) this.fail('E0016', { detail: `kernel '${name}' is inside kernel '${this.currentKernel.name}'; kernels do not nest` }, this.span(k));
    const ops: Node[] = [];
    this.kernels.set(name, ops);
    this.currentKernel = { name, ops };
    try {
      this.execBlock(k.block(), frame, env, inLoop);
    } finally {
      this.currentKernel = undefined;
    }
  }

  private paramNode(name: string, type: TensorType, span: Span, scope: string): Node {
    const prev = this.params.get(name);
    if (prev) {
      if (!typeEquals(prev.type, type)) this.fail('E0026', { name, first: formatType(prev.type), second: formatType(type) }, span);
      return prev;
    }
    const n = this.ctx.node('param', type, [], { name }, { span, scope, hint: '' });
    this.params.set(name, n);
    return n;
  }

  private checkAnnotation(name: string, t: TensorTypeContext, v: Value, env: Env, span: Span): Value {
    const declared = this.evalType(t, env);
    if ((v.kind === 'num' || v.kind === 'bool') && declared.shape.length === 0) return tensor(this.constNode(Number(v.value), declared.dtype, span, name));
    if (v.kind !== 'tensor') this.fail('E0016', { detail: `'${name}' is declared ${formatType(declared)} but its value is ${describeValue(v)}` }, span);
    if (!typeEquals(declared, v.node.type)) this.fail('E0020', { name, declared: formatType(declared), found: formatType(v.node.type) }, span);
    return v;
  }

  /**
   * The text of a string literal with its `{expr}` holes replaced by their integer values
   * (`"encoder.layer.{l}"`). Errors in a hole point into the string.
   */
  private interpolate(tok: TerminalNode | null, env: Env): string {
    if (!tok) return '';
    const raw = tok.getText();
    // By code point, as the lexer counts columns and offsets: character i (0 is the opening quote) is
    // at column `column + i + 1`, 1-based, and at offset `start + i` in the source.
    const chars = Array.from(raw);
    const { line, column, start } = tok.symbol;
    const at = (from: number, to: number): Span => ({ file: this.p.file, line, col: column + from + 1, endLine: line, endCol: column + to + 1 });
    let out = '';
    for (let i = 1; i < chars.length - 1; i++) {
      const c = chars[i]!;
      if (c === '\\') {
        out += chars[++i];
      } else if (c === '}') {
        this.fail('E0001', { detail: `'}' in ${raw} has no matching '{'` }, at(i, i + 1));
      } else if (c !== '{') {
        out += c;
      } else {
        const close = chars.indexOf('}', i + 1);
        if (close < 0) this.fail('E0001', { detail: `'{' in ${raw} has no matching '}'` }, at(i, i + 1));
        const hole = chars.slice(i + 1, close).join('');
        const e = this.parseHole(tok.symbol.inputStream!, start + i + 1, start + close);
        if (!e) throw new Abort();
        const v = this.evalExpr(e, env, '');
        if (isPoisoned(v)) throw new Abort();
        if (v.kind !== 'num' || !Number.isInteger(v.value)) {
          this.fail('E0016', { detail: `'{${hole}}' in a name must be an integer constant, not ${describeValue(v)}` }, at(i, close + 1));
        }
        out += String(v.value);
        i = close;
      }
    }
    return out;
  }

  /** A hole of an interpolated string, parsed once however often it is evaluated; undefined if it does not parse (reported). */
  private parseHole(source: CharStream, from: number, to: number): ExprContext | undefined {
    if (!this.holes.has(from)) {
      const e = parseExpr(source, from, to, this.p.file, this.diags);
      this.holes.set(from, e && this.checkNesting(e) ? e : undefined);
    }
    return this.holes.get(from);
  }

  // ---- types and constants ----

  private evalDType(t: TensorTypeContext): DType {
    const d = t._dtype!.text!;
    if (!isDType(d)) this.fail('E0002', { name: d, hint: `: not a dtype${didYouMean(d, DTYPES)}` }, spanOfToken(t._dtype!, this.p.file));
    return d;
  }

  private evalType(t: TensorTypeContext, env: Env): TensorType {
    const dtype = this.evalDType(t);
    const type = tensorType(dtype, t.expr().map((e) => this.evalDim(e, env)));
    this.checkSize(type, '', this.span(t));
    return type;
  }

  private evalDim(e: ExprContext, env: Env): number {
    const v = this.evalConst(e, env);
    const text = sourceText(this.p, e);
    const what = `dimension '${text}'`;
    const bad = v.kind !== 'num' || !Number.isInteger(v.value) || v.value <= 0;
    // A bad --set is one mistake, however many types use the constant: said once, about the option.
    if (bad && this.userSets.has(text) && !env.has(text)) {
      this.fail('E0024', { name: text, detail: `${text} = ${v.kind === 'num' ? v.value : describeValue(v)} is used as a dimension, which must be a positive integer` });
    }
    if (bad) {
      this.fail('E0009', { detail: `${what} must be a positive integer, but it is ${v.kind === 'num' ? v.value : describeValue(v)}${this.explain(e, env)}` }, this.span(e));
    }
    if (v.value > MAX_ELEMENTS) {
      this.fail('E0009', { detail: `${what} is ${v.value}${this.explain(e, env)}; bertc supports dimensions up to ${MAX_ELEMENTS} (2^31 - 1)` }, this.span(e));
    }
    return v.value;
  }

  /**
   * Rejects tensors too large to index with 32-bit integers, before anything is allocated for them;
   * `producer` names the op that makes one.
   */
  private checkSize(t: TensorType, producer: string, span: Span): void {
    const n = numel(t.shape);
    if (n > MAX_ELEMENTS) {
      const what = producer ? `'${producer}' gives ${formatType(t)}, which has` : `${formatType(t)} has`;
      this.fail('E0009', { detail: `${what} ${n} elements; bertc supports at most ${MAX_ELEMENTS} (2^31 - 1) elements per tensor` }, span);
    }
  }

  /** The declared `in lo .. hi` of an integer input, checked on the host before any target runs. */
  private inputRange(inp: InputContext, type: TensorType, env: Env): number[] | undefined {
    if (!inp._lo || !inp._hi) return undefined;
    const span = this.span(inp._lo);
    if (!isInteger(type.dtype)) this.fail('E0007', { detail: `a value range needs an integer input, but '${inp.ID().getText()}' is ${formatType(type)}` }, span);
    const lo = this.evalInt(inp._lo, env, 'a range bound');
    const hi = this.evalInt(inp._hi, env, 'a range bound');
    if (hi <= lo) this.fail('E0018', { detail: `the range ${lo} .. ${hi} of '${inp.ID().getText()}' is empty: it holds the values lo, lo + 1, ..., hi - 1` }, span);
    return [lo, hi];
  }

  private evalInt(e: ExprContext, env: Env, what: string): number {
    const v = this.evalConst(e, env);
    if (v.kind !== 'num' || !Number.isInteger(v.value)) this.fail('E0016', { detail: `${what} must be an integer, but '${sourceText(this.p, e)}' is ${describeValue(v)}` }, this.span(e));
    return v.value;
  }

  // ---- expressions ----

  private evalExpr(e: ExprContext, env: Env, hint: string): Value {
    if (e instanceof PrimaryExprContext) return this.evalPrimary(e, env, hint);
    const span = this.span(e);
    if (e instanceof UnaryExprContext) {
      const v = this.evalExpr(e.expr(), env, '');
      if (e._op!.text === '!') {
        if (isPoisoned(v)) return POISON;
        if (v.kind !== 'bool') this.fail('E0016', { detail: `'!' needs a boolean constant, not ${describeValue(v)}` }, span);
        return bool(!v.value);
      }
      return this.applyOp(OPS.get('neg')!, [v], new Map(), span, hint);
    }
    if (e instanceof AndExprContext || e instanceof OrExprContext) {
      const [a, b] = e.expr().map((x) => this.evalExpr(x, env, '')) as [Value, Value];
      if (isPoisoned(a) || isPoisoned(b)) return POISON;
      const op = e instanceof AndExprContext ? '&&' : '||';
      if (a.kind !== 'bool' || b.kind !== 'bool') this.fail('E0016', { detail: `'${op}' needs boolean constants, got ${describeValue(a)} and ${describeValue(b)}` }, span);
      return bool(op === '&&' ? a.value && b.value : a.value || b.value);
    }
    const bin = e as MulExprContext | AddExprContext | RelExprContext | EqExprContext;
    const [a, b] = bin.expr().map((x) => this.evalExpr(x, env, '')) as [Value, Value];
    const op = bin._op!.text!;
    if (op === '%') return this.modulo(a, b, e, env);
    if (op === '/' && a.kind === 'num' && b.kind === 'num' && b.value === 0) this.fail('E0018', { detail: `division by zero in '${sourceText(this.p, e)}'${this.explain(e, env)}` }, span);
    return this.applyOp(OPS.get(INFIX[op]!)!, [a, b], new Map(), span, hint);
  }

  private modulo(a: Value, b: Value, e: ExprContext, env: Env): Value {
    if (isPoisoned(a) || isPoisoned(b)) return POISON;
    if (a.kind !== 'num' || b.kind !== 'num' || !Number.isInteger(a.value) || !Number.isInteger(b.value)) {
      this.fail('E0018', { detail: `'%' needs integer constants, got ${describeValue(a)} and ${describeValue(b)}` }, this.span(e));
    }
    if (b.value === 0) this.fail('E0018', { detail: `modulo by zero in '${sourceText(this.p, e)}'${this.explain(e, env)}` }, this.span(e));
    return num(a.value % b.value);
  }

  private evalPrimary(pe: PrimaryExprContext, env: Env, hint: string): Value {
    const p = pe.primary();
    if (p instanceof NumberLitContext) return num(Number(p.getText()));
    if (p instanceof StringLitContext) return { kind: 'str', value: unquote(p.getText()) };
    if (p instanceof ParenExprContext) return this.evalExpr(p.expr(), env, hint);
    if (p instanceof ListLitContext) return { kind: 'list', items: p.expr().map((x) => this.evalExpr(x, env, '')) };
    if (p instanceof NameRefContext) return this.lookupName(p.getText(), env, this.span(p));
    return this.evalCall((p as CallExprContext).call(), env, hint);
  }

  private lookupName(name: string, env: Env, span: Span): Value {
    const b = env.lookup(name);
    if (b) {
      b.used = true;
      return b.value;
    }
    const c = this.constants.get(name);
    if (c !== undefined) return typeof c === 'boolean' ? bool(c) : num(c);
    if (this.poisonedConstants.has(name)) return POISON;
    const builtin = BUILTINS.get(name);
    if (builtin) return builtin;
    this.error('E0002', { name, hint: didYouMean(name, [...env.names(), ...this.constants.keys(), ...BUILTINS.keys()]) }, span);
    return POISON;
  }

  private evalCall(call: CallContext, env: Env, hint: string): Value {
    const callee = call._callee!.text!;
    const span = this.span(call);
    const layer = this.p.layers.get(callee);
    const def = OPS.get(callee);
    if (!layer && (!def || def.group === 'source' && callee !== 'iota')) {
      const candidates = [...this.p.layers.keys(), ...[...OPS.values()].filter((d) => d.group !== 'source' || d.name === 'iota').map((d) => d.name)];
      this.fail('E0003', { name: callee, hint: didYouMean(callee, candidates) }, spanOfToken(call._callee!, this.p.file));
    }
    const args: Value[] = [];
    const kwargs = new Map<string, { value: Value; span: Span }>();
    for (const a of call.arg()) {
      const key = a.ID()?.getText();
      if (key === undefined) {
        if (kwargs.size) this.fail('E0001', { detail: 'positional arguments must come before keyword arguments' }, this.span(a));
        args.push(this.evalExpr(a.expr(), env, ''));
        continue;
      }
      if (kwargs.has(key)) this.fail('E0015', { name: key, where: ' in this call' }, this.span(a));
      kwargs.set(key, { value: this.evalAttrArg(a, def?.attrs[key], env), span: this.span(a) });
    }
    if (layer) {
      const scope = call._scope ? joinScope(this.currentScope(), this.interpolate(call.STRING(), env)) : this.currentScope();
      return this.callLayer(layer, call, args, kwargs, scope);
    }
    if (call._scope) this.fail('E0016', { detail: `'@ "scope"' names the parameters of a layer call; '${callee}' is an op` }, span);
    return this.applyOp(def!, args, kwargs, span, hint);
  }

  /** The parameter scope of the layer instance being elaborated. */
  private currentScope(): string {
    return this.stack[this.stack.length - 1]?.scope ?? '';
  }

  /**
   * A keyword argument: a dtype may be written bare (`to=f16`); a bare name that is neither bound
   * nor a dtype is taken as a misspelt dtype, which the attribute check then reports as such.
   */
  private evalAttrArg(a: ArgContext, spec: AttrSpec | undefined, env: Env): Value {
    const e = a.expr();
    const bareName = e instanceof PrimaryExprContext && e.primary() instanceof NameRefContext;
    const text = e.getText();
    if (spec?.kind === 'dtype' && bareName && !env.lookup(text) && !this.constants.has(text)) return { kind: 'str', value: text };
    return this.evalExpr(e, env, '');
  }

  private applyOp(def: OpDef, args: Value[], kwargs: Map<string, { value: Value; span: Span }>, span: Span, hint: string): Value {
    if (args.some(isPoisoned) || [...kwargs.values()].some((k) => isPoisoned(k.value))) return POISON;
    const [lo, hi] = def.arity;
    if (args.length < lo || args.length > hi) this.fail('E0008', { op: def.name, expected: describeArity(def), found: args.length }, span);
    const folded = this.fold(def, args);
    if (folded) return folded;
    const attrs = this.attrsFor(def, kwargs, span);
    const dtype = this.operandDtype(def, args, span);
    const srcs = args.map((a, i) => this.operandNode(def, a, i, dtype, span));
    if (def.name === 'dropout') attrs['id'] = this.dropoutId(attrs['id'] as number, kwargs.get('id')?.span ?? span);
    const r = def.infer(srcs.map((s) => s.type), attrs, def.name);
    if ('error' in r) {
      const at = r.error.attr ? kwargs.get(r.error.attr)?.span ?? span : span;
      if (r.error.code === 'E0014') this.fail('E0014', { name: r.error.attr ?? '', op: def.name, detail: r.error.detail }, at);
      this.fail(r.error.code, { detail: r.error.detail }, at);
    }
    this.checkSize(r.type, def.name, span);
    const node = this.ctx.node(def.name, r.type, srcs, attrs, { span, scope: this.currentScope(), hint });
    if (this.currentKernel && !this.currentKernel.ops.includes(node)) this.currentKernel.ops.push(node);
    return tensor(node);
  }

  /** Ops on constants are evaluated now: `1 / sqrt(D)` is a number, `true == false` a boolean. */
  private fold(def: OpDef, args: Value[]): Value | undefined {
    if (args.length === 2 && (def.name === 'eq' || def.name === 'ne') && args.every((a) => a.kind === 'bool')) {
      const [a, b] = args as { value: boolean }[];
      return bool((a!.value === b!.value) === (def.name === 'eq'));
    }
    if (!args.length || !args.every((a) => a.kind === 'num')) return undefined;
    const xs = args.map((a) => (a as { value: number }).value);
    if (def.group === 'unary' && UNARY[def.name]) return num(UNARY[def.name]!(xs[0]!));
    if (def.group === 'binary') return num(BINARY[def.name]!(xs[0]!, xs[1]!));
    if (def.group === 'compare') return bool(COMPARE[def.name]!(xs[0]!, xs[1]!));
    return undefined;
  }

  private attrsFor(def: OpDef, kwargs: Map<string, { value: Value; span: Span }>, span: Span): Record<string, AttrValue> {
    const attrs: Record<string, AttrValue> = {};
    for (const [k, { value, span: at }] of kwargs) {
      const spec = def.attrs[k];
      if (!spec) {
        const known = Object.keys(def.attrs);
        this.fail('E0005', { op: def.name, name: k, hint: known.length ? didYouMean(k, known) : ' (it takes none)' }, at);
      }
      const v = toAttr(value);
      if (v === undefined || checkAttrValue(spec, v) !== undefined) {
        const got = v === undefined ? `not ${describeValue(value)}` : `got ${formatAttr(v)}`;
        this.fail('E0014', { name: k, op: def.name, detail: `must be ${describeAttrKind(spec)}, ${got}` }, at);
      }
      attrs[k] = v;
    }
    for (const [k, spec] of Object.entries(def.attrs)) {
      if (k in attrs) continue;
      if (spec.default === undefined) this.fail('E0014', { name: k, op: def.name, detail: 'is required' }, span);
      attrs[k] = spec.default;
    }
    return attrs;
  }

  /** The dtype constants take in this op: that of the first tensor operand they combine with. */
  private operandDtype(def: OpDef, args: Value[], span: Span): DType | undefined {
    const valueArgs = def.name === 'where' ? args.slice(1) : args;
    const t = valueArgs.find((a) => a.kind === 'tensor') ?? args.find((a) => a.kind === 'tensor');
    if (!t && args.length) {
      this.fail('E0016', { detail: `'${def.name}' needs at least one tensor operand, but its operands are ${args.map(describeValue).join(' and ')}` }, span);
    }
    return t && (t as { node: Node }).node.type.dtype;
  }

  private operandNode(def: OpDef, a: Value, i: number, dtype: DType | undefined, span: Span): Node {
    if (a.kind === 'tensor') return a.node;
    if (a.kind === 'num' || a.kind === 'bool') {
      const d = def.name === 'where' && i === 0 ? 'bool' : dtype!;
      return this.constNode(a.kind === 'bool' ? Number(a.value) : a.value, d, span, '');
    }
    return this.fail('E0016', { detail: `operand ${i + 1} of '${def.name}' must be a tensor or a number, not ${describeValue(a)}` }, span);
  }

  private constNode(value: number, dtype: DType, span: Span, hint: string): Node {
    if (!isFloat(dtype) && !Number.isInteger(value) && Number.isFinite(value)) {
      this.fail('E0007', { detail: `the constant ${value} is not an integer, so it cannot be ${dtype}` }, span);
    }
    if (dtype === 'bool' && value !== 0 && value !== 1) this.fail('E0007', { detail: `the constant ${value} cannot be bool` }, span);
    return this.ctx.node('const', tensorType(dtype, []), [], { value }, { span, scope: this.currentScope(), hint });
  }

  private dropoutId(explicit: number, span: Span): number {
    let id = explicit;
    if (id < 0) {
      while (this.dropoutIds.has(this.nextDropoutId)) this.nextDropoutId++;
      id = this.nextDropoutId++;
    } else if (this.dropoutIds.has(id)) {
      this.fail('E0015', { name: `dropout id ${id}`, where: '' }, span);
    }
    this.dropoutIds.add(id);
    return id;
  }
}

function toAttr(v: Value): AttrValue | undefined {
  switch (v.kind) {
    case 'num':
    case 'bool':
    case 'str':
      return v.value;
    case 'list': {
      const xs = v.items.map((i) => (i.kind === 'num' ? i.value : undefined));
      return xs.every((x) => x !== undefined) ? (xs as number[]) : undefined;
    }
    default:
      return undefined;
  }
}

/** What an attribute of this kind must be, as the end of "attribute 'axis' of 'softmax' must be ...". */
function describeAttrKind(spec: AttrSpec): string {
  switch (spec.kind) {
    case 'int':
      return 'an integer';
    case 'float':
      return 'a finite number';
    case 'number':
      return 'a number';
    case 'bool':
      return 'true or false';
    case 'ints':
      return 'a list of integers';
    case 'dtype':
      return `a dtype (${DTYPES.join(', ')})`;
    case 'enum':
      return `one of ${spec.values!.map((s) => JSON.stringify(s)).join(', ')}`;
    case 'string':
      return 'a string';
  }
}

/** An attribute value as it is written in the source: `[2, 4, 8.5]`, `Infinity`, `"tanh"`. */
function formatAttr(v: AttrValue): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.join(', ')}]`;
  return String(v);
}

export function unquote(s: string): string {
  return s.slice(1, -1).replace(/\\(.)/g, '$1');
}
