import type { DiagnosticBag, Note } from '../diag/diagnostics.js';
import type { DiagCode } from '../diag/catalogue.js';
import { formatSpan, type Span } from '../diag/span.js';
import { didYouMean } from '../diag/suggest.js';
import { DTYPES, isDType, isFloat, type DType } from '../ir/dtype.js';
import type { Graph, NamedValue } from '../ir/graph.js';
import { IrContext, type AttrValue, type Node } from '../ir/node.js';
import { checkAttrValue, describeArity, OPS, type AttrSpec, type OpDef } from '../ir/ops.js';
import { BINARY, COMPARE, UNARY } from '../ir/scalar.js';
import { formatType, tensorType, typeEquals, type TensorType } from '../ir/types.js';
import {
  AddExprContext,
  AndExprContext,
  type ArgContext,
  type AssertStmtContext,
  type BlockContext,
  CallExprContext,
  type CallContext,
  ConstDeclContext,
  EqExprContext,
  type ExprContext,
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
  StringLitContext,
  type TensorTypeContext,
  UnaryExprContext,
} from './generated/BertIRParser.js';
import { parseExpr, spanOf, spanOfToken } from './parse.js';
import { entryOf, sourceText, type Program } from './program.js';
import { bool, describeValue, Env, num, POISON, tensor, type Value } from './values.js';

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
}

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

/** One layer instance being elaborated. */
interface Frame {
  readonly layer: string;
  readonly scope: string;
  readonly env: Env;
  returned?: { values: Value[]; span: Span };
}

function joinScope(a: string, b: string): string {
  return a && b ? `${a}.${b}` : a || b;
}

/**
 * Turns a program into a flattened graph for one config: evaluates constants, instantiates every
 * layer call (with its own parameter scope), unrolls `for` loops and infers every shape and dtype.
 */
export function elaborate(p: Program, opts: ElaborateOptions, diags: DiagnosticBag): Elaborated | undefined {
  const before = diags.errorCount;
  const e = new Elaborator(p, diags);
  const result = e.run(opts);
  return diags.errorCount > before ? undefined : result;
}

class Elaborator {
  private readonly ctx = new IrContext();
  private readonly constants = new Map<string, number | boolean>();
  private readonly constSpans = new Map<string, Span>();
  private readonly params = new Map<string, Node>();
  private readonly taps: NamedValue[] = [];
  private readonly stack: { layer: string; scope: string; note: Note }[] = [];
  private readonly dropoutIds = new Set<number>();
  private nextDropoutId = 0;

  constructor(private readonly p: Program, private readonly diags: DiagnosticBag) {}

  private span(ctx: { start: unknown; stop: unknown } & Parameters<typeof spanOf>[0]): Span {
    return spanOf(ctx, this.p.file);
  }

  private error(code: DiagCode, args: Record<string, string | number>, span?: Span): void {
    this.diags.emit(code, args, span, this.stack.map((s) => s.note).reverse());
  }

  private fail(code: DiagCode, args: Record<string, string | number>, span?: Span): never {
    this.error(code, args, span);
    throw new Abort();
  }

  run(opts: ElaborateOptions): Elaborated | undefined {
    const config = this.selectConfig(opts);
    if (config === null) return undefined;
    for (const g of this.p.globals) {
      try {
        if (g instanceof ConstDeclContext) this.defineConstant(g.ID().getText(), this.evalConst(g.expr(), new Env()), this.span(g));
        else this.checkAssert(g, new Env());
      } catch (err) {
        if (!(err instanceof Abort)) throw err;
      }
    }
    const entry = entryOf(this.p);
    if (!entry) {
      this.error('E0019', { detail: `${this.p.file} declares no 'model': one layer must be declared with 'model' to be the entry point` });
      return undefined;
    }
    const models = [...this.p.layers.values()].filter((l) => l._kind!.text === 'model');
    if (models.length > 1) {
      this.error('E0019', { detail: `only one 'model' may be declared; '${models[1]!._name!.text}' is the second` }, this.span(models[1]!));
    }
    const graph = this.elaborateModel(entry);
    return graph && { graph, config, constants: this.constants };
  }

  /** Returns the chosen config name, undefined when the file has none, or null on error. */
  private selectConfig(opts: ElaborateOptions): string | undefined | null {
    const names = [...this.p.configs.keys()];
    let name = opts.config;
    if (name === undefined) {
      if (names.length > 1) {
        this.error('E0004', { name: '', known: names.join(', ') });
        return null;
      }
      name = names[0];
    }
    const sets = opts.sets ?? new Map<string, number>();
    if (name === undefined) {
      for (const k of sets.keys()) this.error('E0024', { name: k, config: '(none)', known: 'nothing' });
      return sets.size ? null : undefined;
    }
    const cfg = this.p.configs.get(name);
    if (!cfg) {
      this.error('E0004', { name, known: names.join(', ') || 'no configs' });
      return null;
    }
    const entries = cfg.configEntry();
    const known = entries.map((e) => e.ID().getText());
    let ok = true;
    for (const k of sets.keys()) {
      if (!known.includes(k)) {
        this.error('E0024', { name: k, config: name, known: known.join(', ') });
        ok = false;
      }
    }
    if (!ok) return null;
    for (const entry of entries) {
      const key = entry.ID().getText();
      try {
        const set = sets.get(key);
        this.defineConstant(key, set !== undefined ? num(set) : this.evalConst(entry.expr(), new Env()), this.span(entry));
      } catch (err) {
        if (!(err instanceof Abort)) throw err;
      }
    }
    return name;
  }

  private defineConstant(name: string, v: Value, span: Span): void {
    if (this.constants.has(name) || BUILTINS.has(name)) {
      const prev = this.constSpans.get(name);
      this.fail('E0015', { name, where: prev ? ` at ${formatSpan(prev)}` : ' (built in)' }, span);
    }
    if (v.kind !== 'num' && v.kind !== 'bool') this.fail('E0016', { detail: `constant '${name}' must be a number or a boolean, not ${describeValue(v)}` }, span);
    this.constants.set(name, v.value);
    this.constSpans.set(name, span);
  }

  private evalConst(e: ExprContext, env: Env): Value {
    const v = this.evalExpr(e, env, '');
    if (v.kind === 'tensor') this.fail('E0016', { detail: `'${sourceText(this.p, e)}' must be a constant, but it is a tensor` }, this.span(e));
    if (v.kind === 'poison') throw new Abort();
    return v;
  }

  private checkAssert(a: AssertStmtContext, env: Env): void {
    const v = this.evalConst(a.expr(), env);
    if (v.kind !== 'bool') this.fail('E0016', { detail: `an assertion must be a comparison, but '${sourceText(this.p, a.expr())}' is ${describeValue(v)}` }, this.span(a.expr()));
    if (v.value) return;
    const msg = a.STRING() ? `${unquote(a.STRING()!.getText())}: ` : '';
    this.fail('E0017', { detail: `${msg}${sourceText(this.p, a.expr())}${this.valuesOf(a.expr(), env)}` }, this.span(a.expr()));
  }

  /** ` (with H = 100, NH = 12)`: the constants an expression reads, to explain a failed check. */
  private valuesOf(e: ExprContext, env: Env): string {
    const names = new Set<string>();
    const walk = (t: { children?: unknown[] | null }) => {
      if (t instanceof NameRefContext) names.add(t.getText());
      for (const c of (t.children ?? []) as { children?: unknown[] | null }[]) walk(c);
    };
    walk(e as unknown as { children: unknown[] });
    const parts = [...names].flatMap((n) => {
      const b = env.lookup(n)?.value;
      const v = b && (b.kind === 'num' || b.kind === 'bool') ? b.value : this.constants.get(n);
      return v === undefined ? [] : [`${n} = ${v}`];
    });
    return parts.length ? ` (with ${parts.join(', ')})` : '';
  }

  // ---- the model and layer instances ----

  private elaborateModel(entry: LayerDeclContext): Graph | undefined {
    const env = new Env();
    const frame: Frame = { layer: entry._name!.text!, scope: '', env };
    const inputs: Node[] = [];
    try {
      if (entry.dimParams()) this.fail('E0016', { detail: "the model cannot have dimension parameters: give its dimensions in a config" }, this.span(entry.dimParams()!));
      for (const inp of entry.input()) {
        const name = inp.ID().getText();
        const type = this.evalType(inp.tensorType(), env);
        const node = this.ctx.node('input', type, [], { name }, { span: this.span(inp), scope: '', hint: name });
        inputs.push(node);
        env.define(name, tensor(node), this.span(inp));
      }
      this.execBlock(entry.block(), frame);
      const values = this.checkResults(entry, frame);
      const results = entry.results();
      const names = results instanceof NamedResultsContext ? results.namedResult().map((r) => r.ID().getText()) : ['output'];
      const outputs = values.map((v, i) => ({ name: names[i]!, node: (v as { node: Node }).node }));
      return { ctx: this.ctx, name: frame.layer, body: this.ctx.created, inputs, outputs, taps: this.taps };
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

  private checkResults(layer: LayerDeclContext, frame: Frame): Value[] {
    const name = frame.layer;
    if (!frame.returned) this.fail('E0021', { detail: `layer '${name}' ends without 'return'` }, this.span(layer.block()));
    const { values, span } = frame.returned;
    const expected = this.resultTypes(layer, frame.env);
    if (values.length !== expected.length) {
      this.fail('E0021', { detail: `layer '${name}' declares ${expected.length} result${expected.length === 1 ? '' : 's'} but returns ${values.length}` }, span);
    }
    values.forEach((v, i) => {
      const want = expected[i]!;
      if (v.kind === 'poison') throw new Abort();
      if (v.kind !== 'tensor') this.fail('E0021', { detail: `result '${want.name}' of '${name}' must be a tensor, not ${describeValue(v)}` }, span);
      if (!typeEquals(v.node.type, want.type)) {
        this.fail(v.node.type.dtype !== want.type.dtype ? 'E0007' : 'E0006', {
          detail: `layer '${name}' returns ${formatType(v.node.type)} for result '${want.name}', declared ${formatType(want.type)}`,
        }, span);
      }
    });
    for (const u of frame.env.unusedParams()) this.diags.emit('E0013', { name: u.name }, u.span);
    return values;
  }

  private callLayer(layer: LayerDeclContext, call: CallContext, args: Value[], kwargs: Map<string, { value: Value; span: Span }>, scope: string): Value {
    const name = layer._name!.text!;
    const callSpan = this.span(call);
    if (this.stack.some((s) => s.layer === name)) {
      const cycle = [...this.stack.slice(this.stack.findIndex((s) => s.layer === name)).map((s) => s.layer), name].join(' -> ');
      this.fail('E0010', { name, cycle }, callSpan);
    }
    if (layer._kind!.text === 'model') this.fail('E0016', { detail: `'${name}' is the model and cannot be called` }, callSpan);
    const inputs = layer.input();
    if (args.length !== inputs.length) {
      this.fail('E0008', { op: name, expected: `${inputs.length} operand${inputs.length === 1 ? '' : 's'}`, found: args.length }, callSpan);
    }
    const env = new Env();
    const dims = new Set((layer.dimParams()?.ID() ?? []).map((t) => t.getText()));
    for (const [k, { value, span }] of kwargs) {
      if (!dims.has(k)) this.fail('E0005', { op: name, name: k, hint: didYouMean(k, dims) }, span);
      if (value.kind !== 'num' || !Number.isInteger(value.value) || value.value <= 0) {
        this.fail('E0009', { detail: `dimension '${k}' of layer '${name}' must be a positive integer, got ${describeValue(value)}` }, span);
      }
      env.define(k, value, span);
    }
    inputs.forEach((inp, i) => {
      const arg = args[i]!;
      if (arg.kind === 'poison') throw new Abort();
      const argName = inp.ID().getText();
      if (arg.kind !== 'tensor') this.fail('E0016', { detail: `argument '${argName}' of layer '${name}' must be a tensor, not ${describeValue(arg)}` }, callSpan);
      this.unify(inp.tensorType(), arg.node.type, dims, env, `argument '${argName}' of layer '${name}'`, callSpan);
      env.define(argName, arg, this.span(inp));
    });
    for (const d of dims) {
      if (!env.has(d)) this.fail('E0009', { detail: `dimension '${d}' of layer '${name}' is neither given (${d}=...) nor fixed by an argument's shape` }, callSpan);
    }
    const frame: Frame = { layer: name, scope, env };
    this.stack.push({ layer: name, scope, note: { message: `in layer '${name}'${scope ? ` (${scope})` : ''} called here`, span: callSpan } });
    try {
      this.execBlock(layer.block(), frame);
      const values = this.checkResults(layer, frame);
      if (values.length !== 1) this.fail('E0021', { detail: `layer '${name}' returns ${values.length} values; only single-result layers can be called` }, callSpan);
      return values[0]!;
    } finally {
      this.stack.pop();
    }
  }

  /** Matches a declared input type against an argument's, binding dimension variables on the way. */
  private unify(decl: TensorTypeContext, actual: TensorType, dims: Set<string>, env: Env, what: string, span: Span): void {
    const dtype = this.evalDType(decl);
    const exprs = decl.expr();
    const mismatch = (code: 'E0006' | 'E0007') => {
      const shape = exprs.map((e) => {
        const b = env.lookup(e.getText());
        return b && b.value.kind === 'num' ? String(b.value.value) : sourceText(this.p, e);
      });
      this.fail(code, { detail: `${what} is ${formatType(actual)}, but the layer expects ${dtype}[${shape.join(', ')}]` }, span);
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

  private execBlock(block: BlockContext, frame: Frame): void {
    for (const s of block.stmt()) {
      if (frame.returned) break;
      try {
        this.execStmt(s, frame);
      } catch (err) {
        if (!(err instanceof Abort) || this.stack.length > 0) throw err;
        // At the model's top level, go on with the next statement: later errors are still found.
      }
    }
  }

  private execStmt(s: StmtContext, frame: Frame): void {
    const env = frame.env;
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
      if (annotated && v.kind !== 'poison') v = this.checkAnnotation(name, annotated, v, env, this.span(let_));
      env.assign(name, v, this.span(let_));
      return;
    }
    const loop = s.forStmt();
    if (loop) {
      const [lo, hi] = loop.expr().map((e) => this.evalInt(e, env, 'a loop bound'));
      for (let i = lo!; i < hi!; i++) {
        const inner = env.child();
        inner.define(loop.ID().getText(), num(i), this.span(loop));
        this.execBlock(loop.block(), { ...frame, env: inner, returned: undefined });
      }
      return;
    }
    const tap = s.tapStmt();
    if (tap) {
      const name = this.interpolate(tap.STRING(), env);
      const v = this.evalExpr(tap.expr(), env, '');
      if (v.kind === 'poison') return;
      if (v.kind !== 'tensor') this.fail('E0016', { detail: `tap '${name}' must name a tensor, not ${describeValue(v)}` }, this.span(tap));
      if (this.taps.some((t) => t.name === name)) this.fail('E0015', { name, where: ' as a tap' }, this.span(tap));
      this.taps.push({ name, node: v.node });
      return;
    }
    const assert = s.assertStmt();
    if (assert) {
      this.checkAssert(assert, env);
      return;
    }
    const ret = s.returnStmt()!;
    frame.returned = { values: ret.expr().map((e) => this.evalExpr(e, env, '')), span: this.span(ret) };
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
    if (v.kind === 'num' && declared.shape.length === 0) return tensor(this.constNode(v.value, declared.dtype, span, env, name));
    if (v.kind !== 'tensor') this.fail('E0016', { detail: `'${name}' is declared ${formatType(declared)} but its value is ${describeValue(v)}` }, span);
    if (!typeEquals(declared, v.node.type)) this.fail('E0020', { name, declared: formatType(declared), found: formatType(v.node.type) }, span);
    return v;
  }

  private interpolate(tok: { getText(): string; symbol: Parameters<typeof spanOfToken>[0] } | null, env: Env): string {
    if (!tok) return '';
    const span = spanOfToken(tok.symbol, this.p.file);
    return unquote(tok.getText()).replace(/\{([^}]*)\}/g, (_, inner: string) => {
      const e = parseExpr(inner, this.p.file, this.diags, span);
      if (!e) throw new Abort();
      const v = this.evalExpr(e, env, '');
      if (v.kind !== 'num' || !Number.isInteger(v.value)) this.fail('E0016', { detail: `'{${inner}}' in a name must be an integer constant, not ${describeValue(v)}` }, span);
      return String(v.value);
    });
  }

  // ---- types and constants ----

  private evalDType(t: TensorTypeContext): DType {
    const d = t._dtype!.text!;
    if (!isDType(d)) this.fail('E0002', { name: d, hint: `: not a dtype${didYouMean(d, DTYPES)}` }, spanOfToken(t._dtype!, this.p.file));
    return d;
  }

  private evalType(t: TensorTypeContext, env: Env): TensorType {
    const dtype = this.evalDType(t);
    return tensorType(dtype, t.expr().map((e) => this.evalDim(e, env)));
  }

  private evalDim(e: ExprContext, env: Env): number {
    const v = this.evalConst(e, env);
    if (v.kind !== 'num' || !Number.isInteger(v.value) || v.value <= 0) {
      this.fail('E0009', { detail: `dimension '${sourceText(this.p, e)}' must be a positive integer, but it is ${v.kind === 'num' ? v.value : describeValue(v)}${this.valuesOf(e, env)}` }, this.span(e));
    }
    return v.value;
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
        if (v.kind === 'poison') return v;
        if (v.kind !== 'bool') this.fail('E0016', { detail: `'!' needs a boolean constant, not ${describeValue(v)}` }, span);
        return bool(!v.value);
      }
      return this.applyOp(OPS.get('neg')!, [v], new Map(), span, env, hint);
    }
    if (e instanceof AndExprContext || e instanceof OrExprContext) {
      const [a, b] = e.expr().map((x) => this.evalExpr(x, env, ''));
      if (a!.kind === 'poison' || b!.kind === 'poison') return POISON;
      if (a!.kind !== 'bool' || b!.kind !== 'bool') this.fail('E0016', { detail: `'&&' and '||' need boolean constants` }, span);
      return bool(e instanceof AndExprContext ? a.value && b.value : a.value || b.value);
    }
    const bin = e as MulExprContext | AddExprContext | RelExprContext | EqExprContext;
    const [a, b] = bin.expr().map((x) => this.evalExpr(x, env, ''));
    const op = bin._op!.text!;
    if (op === '%') return this.modulo(a!, b!, span);
    if (op === '/' && a!.kind === 'num' && b!.kind === 'num' && b.value === 0) this.fail('E0018', { detail: `division by zero in '${sourceText(this.p, e)}'${this.valuesOf(e, env)}` }, span);
    return this.applyOp(OPS.get(INFIX[op]!)!, [a!, b!], new Map(), span, env, hint);
  }

  private modulo(a: Value, b: Value, span: Span): Value {
    if (a.kind === 'poison' || b.kind === 'poison') return POISON;
    if (a.kind !== 'num' || b.kind !== 'num' || !Number.isInteger(a.value) || !Number.isInteger(b.value)) {
      this.fail('E0018', { detail: `'%' needs integer constants, got ${describeValue(a)} and ${describeValue(b)}` }, span);
    }
    if (b.value === 0) this.fail('E0018', { detail: 'modulo by zero' }, span);
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
    return this.applyOp(def!, args, kwargs, span, env, hint);
  }

  /** The parameter scope of the layer instance being elaborated. */
  private currentScope(): string {
    return this.stack[this.stack.length - 1]?.scope ?? '';
  }

  /** A keyword argument: a dtype may be written bare (`to=f16`), everything else is an expression. */
  private evalAttrArg(a: ArgContext, spec: AttrSpec | undefined, env: Env): Value {
    const text = a.expr().getText();
    if (spec?.kind === 'dtype' && isDType(text) && !env.lookup(text)) return { kind: 'str', value: text };
    return this.evalExpr(a.expr(), env, '');
  }

  private applyOp(def: OpDef, args: Value[], kwargs: Map<string, { value: Value; span: Span }>, span: Span, env: Env, hint: string): Value {
    if (args.some((a) => a.kind === 'poison') || [...kwargs.values()].some((k) => k.value.kind === 'poison')) return POISON;
    const [lo, hi] = def.arity;
    if (args.length < lo || args.length > hi) this.fail('E0008', { op: def.name, expected: describeArity(def), found: args.length }, span);
    const folded = this.fold(def, args);
    if (folded) return folded;
    const attrs = this.attrsFor(def, kwargs, span);
    const dtype = this.operandDtype(def, args, span);
    const srcs = args.map((a, i) => this.operandNode(def, a, i, dtype, span, env));
    if (def.name === 'dropout') attrs['id'] = this.dropoutId(attrs['id'] as number, kwargs.get('id')?.span ?? span);
    const r = def.infer(srcs.map((s) => s.type), attrs, def.name);
    if ('error' in r) {
      const at = r.error.attr ? kwargs.get(r.error.attr)?.span ?? span : span;
      if (r.error.code === 'E0014') this.fail('E0014', { name: r.error.attr ?? '', op: def.name, detail: r.error.detail }, at);
      this.fail(r.error.code, { detail: r.error.detail }, at);
    }
    return tensor(this.ctx.node(def.name, r.type, srcs, attrs, { span, scope: this.currentScope(), hint }));
  }

  /** Elementwise ops on constants are evaluated now: `1 / sqrt(D)` is a number. */
  private fold(def: OpDef, args: Value[]): Value | undefined {
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
      if (!spec) this.fail('E0005', { op: def.name, name: k, hint: didYouMean(k, Object.keys(def.attrs)) }, at);
      const v = toAttr(value);
      const problem = v === undefined ? `must be a constant, not ${describeValue(value)}` : checkAttrValue(spec, v);
      if (problem) this.fail('E0014', { name: k, op: def.name, detail: problem }, at);
      attrs[k] = v!;
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
    if (!t && args.length) this.fail('E0016', { detail: `'${def.name}' needs at least one tensor operand; its operands here are all constants` }, span);
    return t && (t as { node: Node }).node.type.dtype;
  }

  private operandNode(def: OpDef, a: Value, i: number, dtype: DType | undefined, span: Span, env: Env): Node {
    if (a.kind === 'tensor') return a.node;
    if (a.kind === 'num' || a.kind === 'bool') {
      const d = def.name === 'where' && i === 0 ? 'bool' : dtype!;
      return this.constNode(a.kind === 'bool' ? Number(a.value) : a.value, d, span, env, '');
    }
    return this.fail('E0016', { detail: `operand ${i + 1} of '${def.name}' must be a tensor or a number, not ${describeValue(a)}` }, span);
  }

  private constNode(value: number, dtype: DType, span: Span, _env: Env, hint: string): Node {
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

export function unquote(s: string): string {
  return s.slice(1, -1).replace(/\\(.)/g, '$1');
}
