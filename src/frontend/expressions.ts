import type { Span } from '../diag/span.js';
import { didYouMean } from '../diag/suggest.js';
import { DTYPES, isFloat, type DType } from '../ir/dtype.js';
import { withDefaults } from '../ir/builder.js';
import type { AttrValue, Node } from '../ir/node.js';
import { formatShape } from '../ir/shape.js';
import { checkAttrValue, describeArity, OPS, type AttrSpec, type OpDef } from '../ir/ops.js';
import { BINARY, COMPARE, UNARY } from '../ir/scalar.js';
import {
  AddExprContext,
  AndExprContext,
  type ArgContext,
  type CallContext,
  type CallExprContext,
  type EqExprContext,
  type ExprContext,
  ListLitContext,
  type MulExprContext,
  NameRefContext,
  NumberLitContext,
  OrExprContext,
  ParenExprContext,
  PrimaryExprContext,
  type RelExprContext,
  StringLitContext,
  UnaryExprContext,
} from './generated/BertIRParser.js';
import { BUILTINS, checkSize, explain } from './constants.js';
import { callLayer, interpolate } from './instantiate.js';
import { spanOfToken } from './parse.js';
import { sourceText, unquote } from './program.js';
import { joinScope, type Elaboration } from './state.js';
import { bool, describeValue, type Env, isPoisoned, num, POISON, tensor, type Value } from './values.js';

/**
 * Expressions: evaluation of names, literals, operators and calls, ops applied to their operands
 * (attributes checked, constants folded or made scalar nodes), all built through the graph builder.
 */

const INFIX: Readonly<Record<string, string>> = {
  '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge', '==': 'eq', '!=': 'ne',
};

export function evalExpr(el: Elaboration, e: ExprContext, env: Env, hint: string): Value {
  if (e instanceof PrimaryExprContext) return evalPrimary(el, e, env, hint);
  const span = el.span(e);
  if (e instanceof UnaryExprContext) {
    const v = evalExpr(el, e.expr(), env, '');
    if (e._op!.text === '!') {
      if (isPoisoned(v)) return POISON;
      if (v.kind !== 'bool') el.fail('E0016', { detail: `'!' needs a boolean constant, not ${describeValue(v)}` }, span);
      return bool(!v.value);
    }
    return applyOp(el, OPS.get('neg')!, [v], new Map(), span, hint);
  }
  if (e instanceof AndExprContext || e instanceof OrExprContext) {
    const [a, b] = e.expr().map((x) => evalExpr(el, x, env, '')) as [Value, Value];
    if (isPoisoned(a) || isPoisoned(b)) return POISON;
    const op = e instanceof AndExprContext ? '&&' : '||';
    if (a.kind !== 'bool' || b.kind !== 'bool') el.fail('E0016', { detail: `'${op}' needs boolean constants, got ${describeValue(a)} and ${describeValue(b)}` }, span);
    return bool(op === '&&' ? a.value && b.value : a.value || b.value);
  }
  const bin = e as MulExprContext | AddExprContext | RelExprContext | EqExprContext;
  const [a, b] = bin.expr().map((x) => evalExpr(el, x, env, '')) as [Value, Value];
  const op = bin._op!.text!;
  if (op === '%') return modulo(el, a, b, e, env);
  if (op === '/' && a.kind === 'num' && b.kind === 'num' && b.value === 0) el.fail('E0018', { detail: `division by zero in '${sourceText(el.p, e)}'${explain(el, e, env)}` }, span);
  return applyOp(el, OPS.get(INFIX[op]!)!, [a, b], new Map(), span, hint);
}

function modulo(el: Elaboration, a: Value, b: Value, e: ExprContext, env: Env): Value {
  if (isPoisoned(a) || isPoisoned(b)) return POISON;
  if (a.kind !== 'num' || b.kind !== 'num' || !Number.isInteger(a.value) || !Number.isInteger(b.value)) {
    el.fail('E0018', { detail: `'%' needs integer constants, got ${describeValue(a)} and ${describeValue(b)}` }, el.span(e));
  }
  if (b.value === 0) el.fail('E0018', { detail: `modulo by zero in '${sourceText(el.p, e)}'${explain(el, e, env)}` }, el.span(e));
  return num(a.value % b.value);
}

function evalPrimary(el: Elaboration, pe: PrimaryExprContext, env: Env, hint: string): Value {
  const p = pe.primary();
  if (p instanceof NumberLitContext) return num(Number(p.getText()));
  if (p instanceof StringLitContext) return { kind: 'str', value: unquote(p.getText()) };
  if (p instanceof ParenExprContext) return evalExpr(el, p.expr(), env, hint);
  if (p instanceof ListLitContext) return { kind: 'list', items: p.expr().map((x) => evalExpr(el, x, env, '')) };
  if (p instanceof NameRefContext) return lookupName(el, p.getText(), env, el.span(p));
  return evalCall(el, (p as CallExprContext).call(), env, hint);
}

function lookupName(el: Elaboration, name: string, env: Env, span: Span): Value {
  const b = env.lookup(name);
  if (b) {
    b.used = true;
    return b.value;
  }
  const c = el.constants.get(name);
  if (c !== undefined) return typeof c === 'boolean' ? bool(c) : num(c);
  if (el.poisonedConstants.has(name)) return POISON;
  const builtin = BUILTINS.get(name);
  if (builtin) return builtin;
  el.error('E0002', { name, hint: didYouMean(name, [...env.names(), ...el.constants.keys(), ...BUILTINS.keys()]) }, span);
  return POISON;
}

function evalCall(el: Elaboration, call: CallContext, env: Env, hint: string): Value {
  const callee = call._callee!.text!;
  const span = el.span(call);
  const layer = el.p.layers.get(callee);
  const def = OPS.get(callee);
  if (!layer && (!def || def.group === 'source' && callee !== 'iota')) {
    const candidates = [...el.p.layers.keys(), ...[...OPS.values()].filter((d) => d.group !== 'source' || d.name === 'iota').map((d) => d.name)];
    el.fail('E0003', { name: callee, hint: didYouMean(callee, candidates) }, spanOfToken(call._callee!, el.p.file));
  }
  const args: Value[] = [];
  const kwargs = new Map<string, { value: Value; span: Span }>();
  for (const a of call.arg()) {
    const key = a.ID()?.getText();
    if (key === undefined) {
      if (kwargs.size) el.fail('E0001', { detail: 'positional arguments must come before keyword arguments' }, el.span(a));
      args.push(evalExpr(el, a.expr(), env, ''));
      continue;
    }
    if (kwargs.has(key)) el.fail('E0015', { name: key, where: ' in this call' }, el.span(a));
    kwargs.set(key, { value: evalAttrArg(el, a, def?.attrs[key], env), span: el.span(a) });
  }
  if (layer) {
    const scope = call._scope ? joinScope(el.currentScope(), interpolate(el, call.STRING(), env)) : el.currentScope();
    return callLayer(el, layer, call, args, kwargs, scope);
  }
  if (call._scope) el.fail('E0016', { detail: `'@ "scope"' names the parameters of a layer call; '${callee}' is an op` }, span);
  return applyOp(el, def!, args, kwargs, span, hint);
}

/**
 * A keyword argument: a dtype may be written bare (`to=f16`); a bare name that is neither bound
 * nor a dtype is taken as a misspelt dtype, which the attribute check then reports as such.
 */
function evalAttrArg(el: Elaboration, a: ArgContext, spec: AttrSpec | undefined, env: Env): Value {
  const e = a.expr();
  const bareName = e instanceof PrimaryExprContext && e.primary() instanceof NameRefContext;
  const text = e.getText();
  if (spec?.kind === 'dtype' && bareName && !env.lookup(text) && !el.constants.has(text)) return { kind: 'str', value: text };
  return evalExpr(el, e, env, '');
}

function applyOp(el: Elaboration, def: OpDef, args: Value[], kwargs: Map<string, { value: Value; span: Span }>, span: Span, hint: string): Value {
  if (args.some(isPoisoned) || [...kwargs.values()].some((k) => isPoisoned(k.value))) return POISON;
  const [lo, hi] = def.arity;
  if (args.length < lo || args.length > hi) el.fail('E0008', { op: def.name, expected: describeArity(def), found: args.length }, span);
  const folded = fold(def, args);
  if (folded) return folded;
  const attrs = attrsFor(el, def, kwargs, span);
  const dtype = operandDtype(el, def, args, span);
  const srcs = args.map((a, i) => operandNode(el, def, a, i, dtype, span));
  if (def.name === 'dropout') attrs['id'] = dropoutId(el, attrs['id'] as number, `p=${attrs['p']} on ${formatShape(srcs[0]!.type.shape)}`, kwargs.get('id')?.span ?? span);
  const r = el.builder.tryOp(def.name, srcs, attrs, el.meta(span, hint));
  if ('error' in r) {
    const at = r.error.attr ? kwargs.get(r.error.attr)?.span ?? span : span;
    if (r.error.code === 'E0014') el.fail('E0014', { name: r.error.attr ?? '', op: def.name, detail: r.error.detail }, at);
    el.fail(r.error.code, { detail: r.error.detail }, at);
  }
  const node = r.node;
  checkSize(el, node.type, def.name, span);
  if (el.currentKernel && !el.currentKernel.ops.includes(node)) el.currentKernel.ops.push(node);
  return tensor(node);
}

/** Ops on constants are evaluated now: `1 / sqrt(D)` is a number, `true == false` a boolean. */
function fold(def: OpDef, args: Value[]): Value | undefined {
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

/** The keyword arguments checked against the op's attributes, with the catalogue's defaults for the others. */
function attrsFor(el: Elaboration, def: OpDef, kwargs: Map<string, { value: Value; span: Span }>, span: Span): Record<string, AttrValue> {
  const attrs: Record<string, AttrValue> = {};
  for (const [k, { value, span: at }] of kwargs) {
    const spec = def.attrs[k];
    if (!spec) {
      const known = Object.keys(def.attrs);
      el.fail('E0005', { op: def.name, name: k, hint: known.length ? didYouMean(k, known) : ' (it takes none)' }, at);
    }
    const v = toAttr(value);
    if (v === undefined || checkAttrValue(spec, v) !== undefined) {
      const got = v === undefined ? `not ${describeValue(value)}` : `got ${formatAttr(v)}`;
      el.fail('E0014', { name: k, op: def.name, detail: `must be ${describeAttrKind(spec)}, ${got}` }, at);
    }
    attrs[k] = v;
  }
  for (const [k, spec] of Object.entries(def.attrs)) {
    if (!(k in attrs) && spec.default === undefined) el.fail('E0014', { name: k, op: def.name, detail: 'is required' }, span);
  }
  return withDefaults(def, attrs);
}

/** The dtype constants take in this op: that of the first tensor operand they combine with. */
function operandDtype(el: Elaboration, def: OpDef, args: Value[], span: Span): DType | undefined {
  const valueArgs = def.name === 'where' ? args.slice(1) : args;
  const t = valueArgs.find((a) => a.kind === 'tensor') ?? args.find((a) => a.kind === 'tensor');
  if (!t && args.length) {
    el.fail('E0016', { detail: `'${def.name}' needs at least one tensor operand, but its operands are ${args.map(describeValue).join(' and ')}` }, span);
  }
  return t && (t as { node: Node }).node.type.dtype;
}

function operandNode(el: Elaboration, def: OpDef, a: Value, i: number, dtype: DType | undefined, span: Span): Node {
  if (a.kind === 'tensor') return a.node;
  if (a.kind === 'num' || a.kind === 'bool') {
    const d = def.name === 'where' && i === 0 ? 'bool' : dtype!;
    return constNode(el, a.kind === 'bool' ? Number(a.value) : a.value, d, span, '');
  }
  return el.fail('E0016', { detail: `operand ${i + 1} of '${def.name}' must be a tensor or a number, not ${describeValue(a)}` }, span);
}

export function constNode(el: Elaboration, value: number, dtype: DType, span: Span, hint: string): Node {
  if (!isFloat(dtype) && !Number.isInteger(value) && Number.isFinite(value)) {
    el.fail('E0007', { detail: `the constant ${value} is not an integer, so it cannot be ${dtype}` }, span);
  }
  if (dtype === 'bool' && value !== 0 && value !== 1) el.fail('E0007', { detail: `the constant ${value} cannot be bool` }, span);
  return el.builder.constant(value, dtype, el.meta(span, hint));
}

/**
 * A dropout's mask stream. An explicit id may be given twice for the same mask (the same p over the
 * same shape, as a training step's backward reapplies the forward's); anything else would draw
 * one stream for two different masks.
 */
function dropoutId(el: Elaboration, explicit: number, mask: string, span: Span): number {
  let id = explicit;
  if (id < 0) {
    while (el.dropoutIds.has(el.nextDropoutId)) el.nextDropoutId++;
    id = el.nextDropoutId++;
  } else if (el.dropoutIds.has(id) && el.dropoutIds.get(id) !== mask) {
    el.fail('E0015', { name: `dropout id ${id}`, where: ` for another mask (${el.dropoutIds.get(id)}; this one is ${mask})` }, span);
  }
  el.dropoutIds.set(id, mask);
  return id;
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

