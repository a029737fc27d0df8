import { isDType, isFloat, isInteger, type DType } from './dtype.js';
import type { Attrs, AttrValue, Node } from './node.js';
import {
  alongAxisBatch, batchOnAxis0, dropoutFlops, elementwiseBatch, flopsPerElement, gatherBatch, gatherRows, geluFlops, geluUnit, keepBatch,
  lastAxis, layernormFlops, matmulBatch, matmulFlops, noBatch, noFlops, reduceAxes, reduceBatch, reduceFlops, reshapeBatch,
  rowBatch, scatterAddFlops, scatterBatch, scatterRows, softmaxAxes, softmaxFlops, specialPerElement, transposeBatch,
  type BatchRule, type FlopsRule, type GradRule, type IndexedRowsRule, type ReducedAxesRule, type SpecialRule, type SpecialUnit,
} from './opRules.js';
import { broadcastShapes, formatShape, normalizeAxis, numel } from './shape.js';
import * as G from './gradients.js';
import { expandView, reshapeView, sliceBounds, sliceView, transposeView, type ViewRule } from './view.js';
import { formatType, tensorType, type TensorType } from './types.js';

export { sliceBounds } from './view.js';

/**
 * The op catalogue: each op is declared once here with every fact about it that does not depend
 * on a backend: its group, arity, attributes and type rule; its FLOPs (and, where special, its
 * traffic), the special-function unit it uses, the axes it reduces, how the batch axis passes
 * through it, how it maps a strided view, and a slot for its gradient rule. The front end, the
 * verifier, the printer, fusion, kernel plans, the cost model and the backends all read it; the
 * rules themselves are named functions in `opRules.ts` and `view.ts`.
 *
 * Two per-op facts live elsewhere because of the dependency rules (docs/architecture.md):
 * - the interpreter's kernel is `KERNELS` in `src/interp/kernels.ts`, one table keyed by op name and
 *   typed `Record<CatalogueOp, Kernel>`, so an op added here without a kernel there does not type-check
 *   (the IR must not import the interpreter);
 * - how the C-like renderer spells an op (and WGSL's variant) lives with the renderer in
 *   `targets/common/`, since the IR knows no backend.
 */

export type OpGroup =
  | 'source' // input, param, const, iota: no tensor operands
  | 'unary' // elementwise, one operand
  | 'binary' // elementwise, two broadcast operands
  | 'compare' // elementwise, two operands, bool result
  | 'select' // where
  | 'cast'
  | 'random' // dropout: elementwise with a counter-based generator
  | 'reduce' // reduce_sum / reduce_max / reduce_mean over axes
  | 'norm' // softmax, layernorm: row reductions with elementwise work around them
  | 'matmul'
  | 'movement' // reshape, transpose, expand, slice, concat: index remapping only
  | 'gather'
  | 'scatter'; // scatter_add: rows of updates added into the result rows that indices name

export type AttrKind = 'int' | 'float' | 'number' | 'bool' | 'ints' | 'dtype' | 'enum' | 'string';

export interface AttrSpec {
  readonly kind: AttrKind;
  /** Absent means required. */
  readonly default?: AttrValue;
  readonly values?: readonly string[];
}

export type InferResult =
  | { readonly type: TensorType }
  | { readonly error: { readonly code: 'E0006' | 'E0007' | 'E0009' | 'E0014'; readonly detail: string; readonly attr?: string } };

/** Where a source op's value comes from: a model input, a weight (both in memory before the run), or computed inline where used (a constant, iota). */
export type SourceKind = 'input' | 'weight' | 'inline';

/** Traffic that is not "every operand read whole". */
export interface OpBytes {
  /** Operands read only where the result picks (a gather's table rows): their traffic is the result's size. */
  readonly partialOperands: readonly number[];
}

export interface OpDef<N extends string = string> {
  readonly name: N;
  readonly group: OpGroup;
  readonly summary: string;
  /** Tensor operands: [min, max]; max Infinity for variadic ops. */
  readonly arity: readonly [number, number];
  readonly attrs: Readonly<Record<string, AttrSpec>>;
  /** Types of source ops are declared by whoever builds them, not inferred. */
  readonly infer: (srcs: readonly TensorType[], attrs: Attrs, name: string) => InferResult;
  /** Floating-point work by unit, for the cost model and kernel statistics. */
  readonly flops: FlopsRule;
  /** Where traffic differs from reading every operand whole and writing the result. */
  readonly bytes?: OpBytes;
  /** The special-function unit its special FLOPs run on. */
  readonly special?: SpecialRule;
  /** Row ops (reductions, softmax, layernorm): the axes reduced. */
  readonly reducedAxes?: ReducedAxesRule;
  /** How the batch axis maps from operands to the result (batch slicing). */
  readonly batch: BatchRule;
  /** Source ops: where the value comes from. */
  readonly source?: SourceKind;
  /** Movement ops readable as a strided view of their operand: what kind, and how it maps the operand's layout. */
  readonly view?: ViewRule;
  /** Binary ops whose operands may be swapped. */
  readonly commutative?: boolean;
  /** Ops with an integer operand that addresses rows (gather, scatter_add): which operand, and how many rows. */
  readonly indexedRows?: IndexedRowsRule;
  /** Reverse-mode rule (`gradients.ts`, see GradRule). */
  readonly grad?: GradRule;
}

const ok = (type: TensorType): InferResult => ({ type });
const err = (code: 'E0006' | 'E0007' | 'E0009' | 'E0014', detail: string, attr?: string): InferResult => ({ error: { code, detail, attr } });

const declared = (): InferResult => err('E0014', 'source ops have declared types');

function requireFloat(name: string, t: TensorType): InferResult | undefined {
  return isFloat(t.dtype) ? undefined : err('E0007', `'${name}' needs a floating-point operand, got ${formatType(t)}`);
}

/**
 * The accumulation dtype an op that sums many terms carries (`acc`, default f32): the precision a
 * target accumulates in at least, whatever the operands are stored in. The reference interpreter
 * accumulates exactly (float64); a narrower accumulator than the operands' storage is refused,
 * and so is an integer one, since targets sum integer tensors in f32 (exact below 2^24).
 */
export const ACC_ATTR: AttrSpec = { kind: 'dtype', default: 'f32' };

function checkAcc(name: string, t: TensorType, a: Attrs): InferResult | undefined {
  const acc = a['acc'] as DType;
  if (!isFloat(acc)) return err('E0014', `is ${acc}: '${name}' accumulates in a floating-point type`, 'acc');
  if (acc !== 'f32' && isFloat(t.dtype) && acc !== t.dtype) return err('E0014', `is ${acc}, narrower than the ${t.dtype} operands of '${name}'`, 'acc');
  return undefined;
}

function sameDtype(name: string, ts: readonly TensorType[]): InferResult | undefined {
  const bad = ts.find((t) => t.dtype !== ts[0]!.dtype);
  return bad ? err('E0007', `'${name}' operands have different dtypes: ${ts.map(formatType).join(' and ')}`) : undefined;
}

function broadcastAll(name: string, ts: readonly TensorType[]): number[] | InferResult {
  let shape: number[] = [...ts[0]!.shape];
  for (const t of ts.slice(1)) {
    const b = broadcastShapes(shape, t.shape);
    if (!b) return err('E0006', `'${name}' cannot broadcast ${ts.map(formatType).join(' with ')}`);
    shape = b;
  }
  return shape;
}

function inferUnaryFloat(srcs: readonly TensorType[], _a: Attrs, name: string): InferResult {
  return requireFloat(name, srcs[0]!) ?? ok(srcs[0]!);
}

function inferUnaryNumeric(srcs: readonly TensorType[], _a: Attrs, name: string): InferResult {
  return srcs[0]!.dtype === 'bool' ? err('E0007', `'${name}' needs a numeric operand, got ${formatType(srcs[0]!)}`) : ok(srcs[0]!);
}

function inferBroadcast(srcs: readonly TensorType[], name: string): InferResult {
  const e = sameDtype(name, srcs);
  if (e) return e;
  const shape = broadcastAll(name, srcs);
  return Array.isArray(shape) ? ok(tensorType(srcs[0]!.dtype, shape)) : shape;
}

/** Arithmetic: numeric operands of one dtype (bool must be cast first). */
function inferBinary(srcs: readonly TensorType[], _a: Attrs, name: string): InferResult {
  if (srcs[0]!.dtype === 'bool') return err('E0007', `'${name}' needs numeric operands, got ${srcs.map(formatType).join(' and ')}; cast bool tensors first`);
  return inferBroadcast(srcs, name);
}

function inferCompare(srcs: readonly TensorType[], _a: Attrs, name: string): InferResult {
  const r = inferBroadcast(srcs, name);
  return 'type' in r ? ok(tensorType('bool', r.type.shape)) : r;
}

function inferWhere(srcs: readonly TensorType[], _a: Attrs, name: string): InferResult {
  const [c, x, y] = srcs as [TensorType, TensorType, TensorType];
  if (c.dtype !== 'bool') return err('E0007', `'${name}' needs a bool condition, got ${formatType(c)}`);
  const e = sameDtype(name, [x, y]);
  if (e) return e;
  const shape = broadcastAll(name, srcs);
  return Array.isArray(shape) ? ok(tensorType(x.dtype, shape)) : shape;
}

function inferCast(srcs: readonly TensorType[], a: Attrs): InferResult {
  return ok(tensorType(a['to'] as DType, srcs[0]!.shape));
}

function inferDropout(srcs: readonly TensorType[], a: Attrs, name: string): InferResult {
  const p = a['p'] as number;
  if (!(p >= 0 && p < 1)) return err('E0014', `must be in [0, 1), got ${p}`, 'p');
  return inferUnaryFloat(srcs, a, name);
}

function axesOf(a: Attrs, rank: number): number[] | InferResult {
  const axes = a['axes'] as readonly number[];
  const out: number[] = [];
  for (const ax of axes) {
    const n = normalizeAxis(ax, rank);
    if (n === undefined) return err('E0014', `names axis ${ax}, which is out of range for rank ${rank}`, 'axes');
    if (out.includes(n)) return err('E0014', `names axis ${ax} twice`, 'axes');
    out.push(n);
  }
  return out.length ? out.sort((x, y) => x - y) : err('E0014', 'must name at least one axis', 'axes');
}

function inferReduce(srcs: readonly TensorType[], a: Attrs, name: string): InferResult {
  const t = srcs[0]!;
  if (t.dtype === 'bool') return err('E0007', `'${name}' needs a numeric operand, got ${formatType(t)}`);
  if (name === 'reduce_mean' && !isFloat(t.dtype)) return requireFloat(name, t)!;
  const accError = 'acc' in a ? checkAcc(name, t, a) : undefined;
  if (accError) return accError;
  const axes = axesOf(a, t.shape.length);
  if (!Array.isArray(axes)) return axes;
  const keep = a['keepdims'] as boolean;
  const shape = keep ? t.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : t.shape.filter((_, i) => !axes.includes(i));
  return ok(tensorType(t.dtype, shape));
}

function inferSoftmax(srcs: readonly TensorType[], a: Attrs, name: string): InferResult {
  const t = srcs[0]!;
  if (normalizeAxis(a['axis'] as number, t.shape.length) === undefined) {
    return err('E0014', `is ${a['axis']}, out of range for ${formatType(t)}`, 'axis');
  }
  return requireFloat(name, t) ?? checkAcc(name, t, a) ?? ok(t);
}

function inferLayernorm(srcs: readonly TensorType[], a: Attrs, name: string): InferResult {
  const [x, g, b] = srcs as [TensorType, TensorType, TensorType];
  const e = requireFloat(name, x) ?? sameDtype(name, [x, g, b]) ?? checkAcc(name, x, a);
  if (e) return e;
  if (!((a['eps'] as number) > 0)) return err('E0014', `must be positive, got ${a['eps']}`, 'eps');
  const last = x.shape[x.shape.length - 1];
  for (const p of [g, b]) {
    if (p.shape.length !== 1 || p.shape[0] !== last) {
      return err('E0006', `'${name}' normalises the last axis of ${formatType(x)}, so its scale and shift must be [${last}], got ${formatType(p)}`);
    }
  }
  return ok(x);
}

function inferMatmul(srcs: readonly TensorType[], a: Attrs, name: string): InferResult {
  const [x, y] = srcs as [TensorType, TensorType];
  const e = sameDtype(name, [x, y]);
  if (e) return e;
  if (x.dtype === 'bool') return err('E0007', `'${name}' needs numeric operands, got ${formatType(x)}`);
  const accError = checkAcc(name, x, a);
  if (accError) return accError;
  if (x.shape.length < 2 || y.shape.length < 2) {
    return err('E0006', `'${name}' needs operands of rank 2 or more, got ${formatType(x)} and ${formatType(y)}`);
  }
  const mk = (t: TensorType, tr: boolean): [number, number] => {
    const r = t.shape.length;
    return tr ? [t.shape[r - 1]!, t.shape[r - 2]!] : [t.shape[r - 2]!, t.shape[r - 1]!];
  };
  const [m, k1] = mk(x, a['transpose_a'] as boolean);
  const [k2, n] = mk(y, a['transpose_b'] as boolean);
  if (k1 !== k2) {
    return err('E0006', `'${name}' inner dimensions differ: ${formatType(x)} x ${formatType(y)}${a['transpose_b'] ? ' (b transposed)' : ''} has K = ${k1} against ${k2}`);
  }
  const batch = broadcastShapes(x.shape.slice(0, -2), y.shape.slice(0, -2));
  if (!batch) return err('E0006', `'${name}' cannot broadcast the batch dimensions of ${formatType(x)} and ${formatType(y)}`);
  return ok(tensorType(x.dtype, [...batch, m, n]));
}

function inferReshape(srcs: readonly TensorType[], a: Attrs, name: string): InferResult {
  const t = srcs[0]!;
  const want = a['shape'] as readonly number[];
  const total = numel(t.shape);
  const free = want.filter((d) => d === -1).length;
  if (free > 1) return err('E0014', 'may contain -1 only once', 'shape');
  const bad = want.find((d) => d !== -1 && !(Number.isInteger(d) && d > 0));
  if (bad !== undefined) return err('E0009', `'${name}' target dimension must be a positive integer, got ${bad}`);
  const known = numel(want.filter((d) => d !== -1));
  if (free === 1) {
    if (total % known !== 0) return err('E0009', `'${name}' cannot infer -1 in ${formatShape(want)}: ${total} elements of ${formatType(t)} are not divisible by ${known}`);
    return ok(tensorType(t.dtype, want.map((d) => (d === -1 ? total / known : d))));
  }
  if (known !== total) {
    return err('E0006', `'${name}' cannot reshape ${formatType(t)} (${total} elements) to ${formatShape(want)} (${known} elements)`);
  }
  return ok(tensorType(t.dtype, want));
}

function inferTranspose(srcs: readonly TensorType[], a: Attrs): InferResult {
  const t = srcs[0]!;
  const perm = a['perm'] as readonly number[];
  const r = t.shape.length;
  const sorted = [...perm].sort((x, y) => x - y);
  if (perm.length !== r || sorted.some((p, i) => p !== i)) {
    return err('E0014', `must be a permutation of 0..${r - 1} for ${formatType(t)}, got ${formatShape(perm)}`, 'perm');
  }
  return ok(tensorType(t.dtype, perm.map((p) => t.shape[p]!)));
}

function inferExpand(srcs: readonly TensorType[], a: Attrs, name: string): InferResult {
  const t = srcs[0]!;
  const want = a['shape'] as readonly number[];
  const b = broadcastShapes(t.shape, want);
  if (!b || b.length !== want.length || b.some((d, i) => d !== want[i])) {
    return err('E0006', `'${name}' cannot broadcast ${formatType(t)} to ${formatShape(want)}`);
  }
  return ok(tensorType(t.dtype, want));
}

function inferSlice(srcs: readonly TensorType[], a: Attrs): InferResult {
  const t = srcs[0]!;
  const axis = normalizeAxis(a['axis'] as number, t.shape.length);
  if (axis === undefined) return err('E0014', `is ${a['axis']}, out of range for ${formatType(t)}`, 'axis');
  const [s, e] = sliceBounds(t.shape[axis]!, a['start'] as number, a['end'] as number);
  if (e <= s) return err('E0006', `slice [${a['start']}, ${a['end']}) of axis ${axis} of ${formatType(t)} is empty`);
  return ok(tensorType(t.dtype, t.shape.map((d, i) => (i === axis ? e - s : d))));
}

function inferConcat(srcs: readonly TensorType[], a: Attrs, name: string): InferResult {
  const first = srcs[0]!;
  const axis = normalizeAxis(a['axis'] as number, first.shape.length);
  if (axis === undefined) return err('E0014', `is ${a['axis']}, out of range for ${formatType(first)}`, 'axis');
  const e = sameDtype(name, srcs);
  if (e) return e;
  let total = 0;
  for (const t of srcs) {
    if (t.shape.length !== first.shape.length || t.shape.some((d, i) => i !== axis && d !== first.shape[i])) {
      return err('E0006', `'${name}' along axis ${axis} needs equal other dimensions: ${srcs.map(formatType).join(', ')}`);
    }
    total += t.shape[axis]!;
  }
  return ok(tensorType(first.dtype, first.shape.map((d, i) => (i === axis ? total : d))));
}

function inferGather(srcs: readonly TensorType[], a: Attrs, name: string): InferResult {
  const [table, idx] = srcs as [TensorType, TensorType];
  if (!isInteger(idx.dtype)) return err('E0007', `'${name}' needs integer indices, got ${formatType(idx)}`);
  const axis = normalizeAxis(a['axis'] as number, table.shape.length);
  if (axis === undefined) return err('E0014', `is ${a['axis']}, out of range for ${formatType(table)}`, 'axis');
  return ok(tensorType(table.dtype, [...table.shape.slice(0, axis), ...idx.shape, ...table.shape.slice(axis + 1)]));
}

/**
 * scatter_add(updates, indices, rows=R, axis=A): the adjoint of gather(table, indices, axis=A) for a
 * table of R rows along A, so updates have gather's result shape (the indices' dimensions in place
 * of axis A) and the result has the table's.
 */
function inferScatterAdd(srcs: readonly TensorType[], a: Attrs, name: string): InferResult {
  const [updates, idx] = srcs as [TensorType, TensorType];
  const e = requireFloat(name, updates);
  if (e) return e;
  if (!isInteger(idx.dtype)) return err('E0007', `'${name}' needs integer indices, got ${formatType(idx)}`);
  const rows = a['rows'] as number;
  if (!(rows > 0)) return err('E0014', `must be a positive integer, got ${rows}`, 'rows');
  const r = idx.shape.length;
  const rank = updates.shape.length - r + 1;
  const axis = rank >= 1 ? normalizeAxis(a['axis'] as number, rank) : undefined;
  if (axis === undefined) return err('E0014', `is ${a['axis']}, out of range for a result of rank ${rank} from updates ${formatType(updates)} and indices ${formatType(idx)}`, 'axis');
  const at = updates.shape.slice(axis, axis + r);
  if (at.some((d, i) => d !== idx.shape[i])) {
    return err('E0006', `'${name}' along axis ${axis} needs updates with the indices' shape ${formatShape(idx.shape)} at axes ${axis}..${axis + r - 1}, got ${formatType(updates)}`);
  }
  return ok(tensorType(updates.dtype, [...updates.shape.slice(0, axis), rows, ...updates.shape.slice(axis + r)]));
}

function inferIota(_s: readonly TensorType[], a: Attrs): InferResult {
  const shape = a['shape'] as readonly number[];
  if (normalizeAxis(a['axis'] as number, shape.length) === undefined) return err('E0014', `is out of range for ${formatShape(shape)}`, 'axis');
  if (shape.some((d) => !(Number.isInteger(d) && d > 0))) return err('E0009', `'iota' dimensions must be positive integers, got ${formatShape(shape)}`);
  return ok(tensorType(a['dtype'] as DType, shape));
}

/** The facts every op states besides its name, group and summary. */
type Facts = Omit<OpDef, 'name' | 'group' | 'summary'>;
type ExtraFacts = Partial<Omit<Facts, 'arity' | 'infer'>>;

const op = <const N extends string>(name: N, group: OpGroup, summary: string, facts: Facts): OpDef<N> => ({ name, group, summary, ...facts });

const elementwise = { batch: elementwiseBatch, flops: flopsPerElement, attrs: {} } as const;
const unaryFloat = <const N extends string>(name: N, summary: string, extra: ExtraFacts = {}) =>
  op(name, 'unary', summary, { ...elementwise, arity: [1, 1], infer: inferUnaryFloat, ...extra });
const unaryNum = <const N extends string>(name: N, summary: string, extra: ExtraFacts = {}) =>
  op(name, 'unary', summary, { ...elementwise, arity: [1, 1], infer: inferUnaryNumeric, ...extra });
const binary = <const N extends string>(name: N, summary: string, extra: ExtraFacts = {}) =>
  op(name, 'binary', summary, { ...elementwise, arity: [2, 2], infer: inferBinary, ...extra });
const compare = <const N extends string>(name: N, summary: string, extra: ExtraFacts = {}) =>
  op(name, 'compare', summary, { ...elementwise, arity: [2, 2], infer: inferCompare, ...extra });
const reduce = <const N extends string>(name: N, summary: string, accumulates: boolean, grad: GradRule) =>
  op(name, 'reduce', summary, {
    arity: [1, 1], attrs: { axes: { kind: 'ints' }, keepdims: { kind: 'bool', default: false }, ...(accumulates ? { acc: ACC_ATTR } : {}) }, infer: inferReduce,
    flops: reduceFlops, reducedAxes: reduceAxes, batch: reduceBatch, grad,
  });
const movement = <const N extends string>(name: N, summary: string, facts: Omit<Facts, 'flops'>) => op(name, 'movement', summary, { flops: noFlops, ...facts });
const special = (unit: SpecialUnit, grad: GradRule): ExtraFacts => ({ flops: specialPerElement, special: unit, grad });

const DEFS = [
  op('input', 'source', 'a model input (declared in the model signature)', {
    arity: [0, 0], attrs: { name: { kind: 'string' }, range: { kind: 'ints', default: [] } }, infer: declared, flops: noFlops, batch: batchOnAxis0, source: 'input', grad: G.noGradient,
  }),
  op('param', 'source', 'a weight, bound by its Hugging Face state-dict name', {
    arity: [0, 0], attrs: { name: { kind: 'string' } }, infer: declared, flops: noFlops, batch: noBatch, source: 'weight', grad: G.noGradient,
  }),
  op('const', 'source', 'a scalar constant', { arity: [0, 0], attrs: { value: { kind: 'number' } }, infer: declared, flops: noFlops, batch: noBatch, source: 'inline', grad: G.noGradient }),
  op('iota', 'source', 'iota(shape=[..], axis=k, dtype=i32): index along axis k', {
    arity: [0, 0], attrs: { shape: { kind: 'ints' }, axis: { kind: 'int', default: 0 }, dtype: { kind: 'dtype', default: 'i32' } }, infer: inferIota,
    flops: noFlops, batch: noBatch, source: 'inline', grad: G.noGradient,
  }),
  unaryNum('neg', 'negation', { grad: G.negGrad }),
  unaryNum('abs', 'absolute value', { grad: G.absGrad }),
  unaryFloat('exp', 'e^x', special('exp', G.expGrad)),
  unaryFloat('log', 'natural logarithm', special('erf', G.logGrad)),
  unaryFloat('tanh', 'hyperbolic tangent', special('tanh', G.tanhGrad)),
  unaryFloat('erf', 'error function', special('erf', G.erfGrad)),
  unaryFloat('sqrt', 'square root', special('rsqrt', G.sqrtGrad)),
  unaryFloat('rsqrt', '1 / sqrt(x)', special('rsqrt', G.rsqrtGrad)),
  unaryFloat('recip', '1 / x', { grad: G.recipGrad }),
  unaryNum('relu', 'max(x, 0)', { grad: G.reluGrad }),
  unaryFloat('gelu', 'GELU: x * Phi(x), exact (erf) or approximate="tanh"', {
    attrs: { approximate: { kind: 'enum', values: ['none', 'tanh'], default: 'none' } }, flops: geluFlops, special: geluUnit, grad: G.geluGrad,
  }),
  binary('add', 'a + b, broadcast', { commutative: true, grad: G.addGrad }),
  binary('sub', 'a - b, broadcast', { grad: G.subGrad }),
  binary('mul', 'a * b, broadcast', { commutative: true, grad: G.mulGrad }),
  binary('div', 'a / b, broadcast', { grad: G.divGrad }),
  binary('max', 'elementwise maximum, broadcast', { commutative: true, grad: G.maxGrad }),
  binary('min', 'elementwise minimum, broadcast', { commutative: true, grad: G.minGrad }),
  binary('pow', 'a ^ b, broadcast', special('erf', G.powGrad)),
  compare('lt', 'a < b', { grad: G.noGradient }),
  compare('le', 'a <= b', { grad: G.noGradient }),
  compare('gt', 'a > b', { grad: G.noGradient }),
  compare('ge', 'a >= b', { grad: G.noGradient }),
  compare('eq', 'a == b', { commutative: true, grad: G.noGradient }),
  compare('ne', 'a != b', { commutative: true, grad: G.noGradient }),
  op('where', 'select', 'where(cond, a, b): a where cond is true, else b', { ...elementwise, arity: [3, 3], infer: inferWhere, grad: G.whereGrad }),
  op('cast', 'cast', 'cast(x, to=dtype)', { ...elementwise, arity: [1, 1], attrs: { to: { kind: 'dtype' } }, infer: inferCast, grad: G.castGrad }),
  op('dropout', 'random', 'dropout(x, p=..): identity at inference; in training zeroes with probability p and scales by 1/(1-p)', {
    ...elementwise, arity: [1, 1], attrs: { p: { kind: 'float' }, id: { kind: 'int', default: -1 } }, infer: inferDropout, flops: dropoutFlops, grad: G.dropoutGrad,
  }),
  reduce('reduce_sum', 'sum over axes', true, G.reduceSumGrad),
  reduce('reduce_max', 'maximum over axes', false, G.reduceMaxGrad),
  reduce('reduce_mean', 'mean over axes', true, G.reduceMeanGrad),
  op('softmax', 'norm', 'softmax(x, axis=-1), max-subtracted', {
    arity: [1, 1], attrs: { axis: { kind: 'int', default: -1 }, acc: ACC_ATTR }, infer: inferSoftmax,
    flops: softmaxFlops, special: 'exp', reducedAxes: softmaxAxes, batch: rowBatch(softmaxAxes), grad: G.softmaxGrad,
  }),
  op('layernorm', 'norm', 'layernorm(x, gamma, beta, eps=..) over the last axis, biased variance, eps inside the root', {
    arity: [3, 3], attrs: { eps: { kind: 'float', default: 1e-12 }, acc: ACC_ATTR }, infer: inferLayernorm,
    flops: layernormFlops, special: 'rsqrt', reducedAxes: lastAxis, batch: rowBatch(lastAxis), grad: G.layernormGrad,
  }),
  op('matmul', 'matmul', 'matmul(a, b, transpose_a=false, transpose_b=false): batched, batch dimensions broadcast', {
    arity: [2, 2], attrs: { transpose_a: { kind: 'bool', default: false }, transpose_b: { kind: 'bool', default: false }, acc: ACC_ATTR }, infer: inferMatmul,
    flops: matmulFlops, batch: matmulBatch, grad: G.matmulGrad,
  }),
  movement('reshape', 'reshape(x, shape=[..]), one -1 allowed', { arity: [1, 1], attrs: { shape: { kind: 'ints' } }, infer: inferReshape, batch: reshapeBatch, view: reshapeView, grad: G.reshapeGrad }),
  movement('transpose', 'transpose(x, perm=[..])', { arity: [1, 1], attrs: { perm: { kind: 'ints' } }, infer: inferTranspose, batch: transposeBatch, view: transposeView, grad: G.transposeGrad }),
  movement('expand', 'expand(x, shape=[..]): broadcast to a shape', { arity: [1, 1], attrs: { shape: { kind: 'ints' } }, infer: inferExpand, batch: keepBatch, view: expandView, grad: G.expandGrad }),
  movement('slice', 'slice(x, axis=k, start=s, end=e): Python-style bounds', {
    arity: [1, 1], attrs: { axis: { kind: 'int' }, start: { kind: 'int', default: 0 }, end: { kind: 'int' } }, infer: inferSlice, batch: alongAxisBatch, view: sliceView, grad: G.sliceGrad,
  }),
  movement('concat', 'concat(a, b, .., axis=k)', { arity: [1, Infinity], attrs: { axis: { kind: 'int' } }, infer: inferConcat, batch: alongAxisBatch, grad: G.concatGrad }),
  op('gather', 'gather', 'gather(table, indices, axis=0, padding_idx=-1): embedding lookup; the padding_idx row gets no gradient (nn.Embedding)', {
    arity: [2, 2], attrs: { axis: { kind: 'int', default: 0 }, padding_idx: { kind: 'int', default: -1 } }, infer: inferGather, flops: noFlops, bytes: { partialOperands: [0] }, batch: gatherBatch,
    indexedRows: gatherRows, grad: G.gatherGrad,
  }),
  op('scatter_add', 'scatter', 'scatter_add(updates, indices, rows=R, axis=0, padding_idx=-1): the adjoint of gather, each row of updates added into the result row its index names; the padding_idx row stays 0', {
    arity: [2, 2], attrs: { rows: { kind: 'int' }, axis: { kind: 'int', default: 0 }, padding_idx: { kind: 'int', default: -1 } }, infer: inferScatterAdd,
    flops: scatterAddFlops, batch: scatterBatch, indexedRows: scatterRows, grad: G.scatterAddGrad,
  }),
];

export const OPS: ReadonlyMap<string, OpDef> = new Map(DEFS.map((d) => [d.name, d]));
/** An op's name as nodes carry it. */
export type OpName = string;
/** The names of the ops in the catalogue, as a literal union: tables keyed by op (the interpreter's kernels) use it to cover every op. */
export type CatalogueOp = (typeof DEFS)[number]['name'];

export function opDef(name: OpName): OpDef {
  const d = OPS.get(name);
  if (!d) throw new Error(`internal: unknown op '${name}'`);
  return d;
}

/** Ops that compute each output element from the same element of their (broadcast) operands. */
export const ELEMENTWISE_GROUPS: ReadonlySet<OpGroup> = new Set(['unary', 'binary', 'compare', 'select', 'cast', 'random']);

export function isElementwise(op: OpName): boolean {
  return ELEMENTWISE_GROUPS.has(opDef(op).group);
}

/** The special-function unit node `n` uses, if any. */
export function specialUnitOf(n: Node): SpecialUnit | undefined {
  const rule = opDef(n.op).special;
  return typeof rule === 'function' ? rule(n) : rule;
}

/** Checks an attribute value against its spec; returns a complaint or undefined. */
export function checkAttrValue(spec: AttrSpec, v: AttrValue): string | undefined {
  switch (spec.kind) {
    case 'int':
      return typeof v === 'number' && Number.isInteger(v) ? undefined : `must be an integer, got ${JSON.stringify(v)}`;
    case 'float':
      return typeof v === 'number' && Number.isFinite(v) ? undefined : `must be a finite number, got ${v}`;
    case 'number':
      return typeof v === 'number' ? undefined : `must be a number, got ${JSON.stringify(v)}`;
    case 'bool':
      return typeof v === 'boolean' ? undefined : `must be true or false, got ${JSON.stringify(v)}`;
    case 'ints':
      return Array.isArray(v) && v.every((x) => Number.isInteger(x)) ? undefined : `must be a list of integers, got ${JSON.stringify(v)}`;
    case 'dtype':
      return typeof v === 'string' && isDType(v) ? undefined : `must be a dtype (f32, f16, bf16, i32, i64, bool), got ${JSON.stringify(v)}`;
    case 'enum':
      return typeof v === 'string' && spec.values!.includes(v) ? undefined : `must be one of ${spec.values!.map((s) => `"${s}"`).join(', ')}, got ${JSON.stringify(v)}`;
    case 'string':
      return typeof v === 'string' ? undefined : `must be a string, got ${JSON.stringify(v)}`;
  }
}

export function describeArity(def: OpDef): string {
  const [lo, hi] = def.arity;
  const plural = (n: number) => `${n} operand${n === 1 ? '' : 's'}`;
  if (hi === Infinity) return `at least ${plural(lo)}`;
  return lo === hi ? plural(lo) : `${lo} to ${hi} operands`;
}
