import { formatSpan } from '../diag/span.js';
import { isFloat, isHalfFloat, type DType } from '../ir/dtype.js';
import type { Node } from '../ir/node.js';
import { sliceBounds, type CatalogueOp } from '../ir/ops.js';
import { formatType } from '../ir/types.js';
import { BINARY, COMPARE, geluErf, geluTanh, UNARY } from '../ir/scalar.js';
import { formatShape, normalizeAxis, numel, stridesOf, type Shape } from '../ir/shape.js';
import { roundToHalf } from '../io/halfFloat.js';
import { dropoutBits, dropoutKey, dropoutScale, dropoutThreshold } from './rng.js';
import { makeTensor, type Tensor, type TensorData } from './tensor.js';

/**
 * The reference semantics of every op, one function each, over dense row-major tensors.
 * Arithmetic is done in float64; results are rounded by storing them in the output's array
 * (Float32Array in f32 mode) and, for f16/bf16, by rounding to that type explicitly.
 */

export interface KernelContext {
  readonly f64: boolean;
  readonly train: boolean;
  readonly seed: number;
}

/** A user-facing run-time error, e.g. an embedding index out of range. */
export class InterpError extends Error {}

/** How a run binds the values that come from outside the graph: model inputs and weights, by name. */
export interface Bindings {
  readonly inputs: ReadonlyMap<string, Tensor>;
  readonly param: (name: string, node: Node) => Tensor;
}

/** One op's reference semantics: the node, its operands' values, the run's context and bindings. */
export type Kernel = (n: Node, xs: readonly Tensor[], k: KernelContext, b: Bindings) => Tensor;

function out(n: Node, k: KernelContext): Tensor {
  return makeTensor(n.type.dtype, n.type.shape, undefined, k.f64);
}

/** Rounds floating results to their storage type in place (f16 and bf16; f32 rounds on store). */
function roundToStorage(t: Tensor): Tensor {
  const d = t.data;
  if (isHalfFloat(t.dtype)) for (let i = 0; i < d.length; i++) d[i] = roundToHalf(d[i]!, t.dtype);
  return t;
}

/** For each element of `outShape`, the flat index of the element of `inShape` broadcast onto it. */
export function broadcastIndex(outShape: Shape, inShape: Shape): Int32Array | undefined {
  if (inShape.length === outShape.length && inShape.every((d, i) => d === outShape[i])) return undefined;
  const rank = outShape.length;
  const inStrides = stridesOf(inShape);
  const strides = outShape.map((_, i) => {
    const j = i - (rank - inShape.length);
    return j >= 0 && inShape[j] !== 1 ? inStrides[j]! : 0;
  });
  const total = numel(outShape);
  const idx = new Int32Array(total);
  const counter = new Array<number>(rank).fill(0);
  let off = 0;
  for (let e = 0; e < total; e++) {
    idx[e] = off;
    for (let ax = rank - 1; ax >= 0; ax--) {
      counter[ax]!++;
      off += strides[ax]!;
      if (counter[ax]! < outShape[ax]!) break;
      off -= strides[ax]! * outShape[ax]!;
      counter[ax] = 0;
    }
  }
  return idx;
}

/**
 * How a computed value is stored in an integer or bool tensor: integers truncate toward zero with
 * NaN and infinities giving 0 (i32 gets this, and wrapping, from its Int32Array; i64 would
 * otherwise keep fractions, e.g. of `div`), bools hold 0 or 1. Undefined for float dtypes.
 */
function integerStore(d: DType): ((v: number) => number) | undefined {
  if (d === 'i64') return (v) => (Number.isFinite(v) ? Math.trunc(v) + 0 : 0);
  if (d === 'bool') return (v) => (v !== 0 ? 1 : 0);
  return undefined;
}

function elementwise(n: Node, xs: readonly Tensor[], k: KernelContext, f: (...v: number[]) => number): Tensor {
  const o = out(n, k);
  const idx = xs.map((x) => broadcastIndex(n.type.shape, x.shape));
  const total = o.data.length;
  const args = new Array<number>(xs.length);
  const store = integerStore(o.dtype);
  for (let e = 0; e < total; e++) {
    for (let j = 0; j < xs.length; j++) args[j] = xs[j]!.data[idx[j] ? idx[j]![e]! : e]!;
    const v = f(...args);
    o.data[e] = store ? store(v) : v;
  }
  return roundToStorage(o);
}

const unary = (f: (x: number) => number): Kernel => (n, xs, k) => elementwise(n, xs, k, f);
const binary = (f: (a: number, b: number) => number): Kernel => (n, xs, k) => elementwise(n, xs, k, f);
const compare = (f: (a: number, b: number) => boolean): Kernel => (n, xs, k) => elementwise(n, xs, k, (a, b) => (f(a, b) ? 1 : 0));

/** The integer range a float converts into: i64's top is the largest double below 2^63. */
const INT_RANGE: Readonly<Record<'i32' | 'i64', readonly [number, number]>> = {
  i32: [-2147483648, 2147483647],
  i64: [-9223372036854775808, 9223372036854774784],
};

/**
 * `cast` of one value. Float to integer truncates toward zero and saturates at the type's range,
 * NaN giving 0 (Rust's `as`; WGSL's conversions clamp too) instead of C's undefined behaviour. Integer to i32 wraps modulo 2^32, as C and PyTorch do
 * (the Int32Array store does it). Anything to bool is `v != 0`, so NaN is true.
 */
function castValue(v: number, from: DType, to: DType): number {
  if (isFloat(to)) return v;
  if (to === 'bool') return v !== 0 ? 1 : 0;
  if (!isFloat(from)) return v;
  if (Number.isNaN(v)) return 0;
  const [lo, hi] = INT_RANGE[to as 'i32' | 'i64'];
  return Math.min(hi, Math.max(lo, Math.trunc(v))) + 0; // + 0 turns -0 into 0
}

function dropout(n: Node, xs: readonly Tensor[], k: KernelContext): Tensor {
  const x = xs[0]!;
  if (!k.train) return x;
  const p = n.attr<number>('p');
  const o = out(n, k);
  const key = dropoutKey(k.seed, n.attr<number>('id'));
  const threshold = dropoutThreshold(p);
  const scale = dropoutScale(p);
  for (let i = 0; i < o.data.length; i++) {
    o.data[i] = dropoutBits(key, i) < threshold ? 0 : k.f64 ? x.data[i]! * scale : Math.fround(x.data[i]! * scale);
  }
  return roundToStorage(o);
}

/** Splits a shape around one axis: [product before, the axis, product after]. */
function around(shape: Shape, axis: number): [number, number, number] {
  return [numel(shape.slice(0, axis)), shape[axis]!, numel(shape.slice(axis + 1))];
}

function softmax(n: Node, xs: readonly Tensor[], k: KernelContext): Tensor {
  const x = xs[0]!;
  const o = out(n, k);
  const [outer, dim, inner] = around(x.shape, normalizeAxis(n.attr<number>('axis'), x.shape.length)!);
  const row = new Float64Array(dim);
  for (let a = 0; a < outer; a++) {
    for (let c = 0; c < inner; c++) {
      const base = a * dim * inner + c;
      let max = -Infinity;
      for (let j = 0; j < dim; j++) max = Math.max(max, x.data[base + j * inner]!);
      let sum = 0;
      for (let j = 0; j < dim; j++) {
        row[j] = Math.exp(x.data[base + j * inner]! - max);
        sum += row[j]!;
      }
      for (let j = 0; j < dim; j++) o.data[base + j * inner] = row[j]! / sum;
    }
  }
  return roundToStorage(o);
}

function layernorm(n: Node, xs: readonly Tensor[], k: KernelContext): Tensor {
  const [x, g, b] = xs as [Tensor, Tensor, Tensor];
  const o = out(n, k);
  const dim = x.shape[x.shape.length - 1]!;
  const rows = x.data.length / dim;
  const eps = n.attr<number>('eps');
  for (let r = 0; r < rows; r++) {
    const base = r * dim;
    let mean = 0;
    for (let j = 0; j < dim; j++) mean += x.data[base + j]!;
    mean /= dim;
    let variance = 0;
    for (let j = 0; j < dim; j++) variance += (x.data[base + j]! - mean) ** 2;
    variance /= dim;
    const inv = 1 / Math.sqrt(variance + eps);
    for (let j = 0; j < dim; j++) o.data[base + j] = (x.data[base + j]! - mean) * inv * g.data[j]! + b.data[j]!;
  }
  return roundToStorage(o);
}

function reduce(init: number, step: (acc: number, v: number) => number, mean: boolean): Kernel {
  return (n, xs, k) => {
    const x = xs[0]!;
    const axes = n.attr<readonly number[]>('axes').map((a) => normalizeAxis(a, x.shape.length)!);
    const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const o = out(n, k);
    const acc = new Float64Array(o.data.length).fill(init);
    const idx = broadcastIndex(x.shape, kept);
    for (let e = 0; e < x.data.length; e++) {
      const j = idx ? idx[e]! : e;
      acc[j] = step(acc[j]!, x.data[e]!);
    }
    const count = x.data.length / Math.max(1, o.data.length);
    for (let j = 0; j < acc.length; j++) o.data[j] = mean ? acc[j]! / count : acc[j]!;
    return roundToStorage(o);
  };
}

function matmul(n: Node, xs: readonly Tensor[], k: KernelContext): Tensor {
  const [a, b] = xs as [Tensor, Tensor];
  const ta = n.attr<boolean>('transpose_a');
  const tb = n.attr<boolean>('transpose_b');
  const o = out(n, k);
  const ra = a.shape.length;
  const M = n.type.shape[n.type.shape.length - 2]!;
  const N = n.type.shape[n.type.shape.length - 1]!;
  const K = ta ? a.shape[ra - 2]! : a.shape[ra - 1]!;
  // Element (i, kk) of op(A) is at i * sai + kk * sak; likewise for op(B).
  const [sai, sak] = ta ? [1, M] : [K, 1];
  const [sbk, sbj] = tb ? [1, K] : [N, 1];
  const batchShape = n.type.shape.slice(0, -2);
  const aBatch = broadcastIndex(batchShape, a.shape.slice(0, -2));
  const bBatch = broadcastIndex(batchShape, b.shape.slice(0, -2));
  const batches = numel(batchShape);
  const acc = new Float64Array(N);
  for (let bi = 0; bi < batches; bi++) {
    const aOff = (aBatch ? aBatch[bi]! : bi) * M * K;
    const bOff = (bBatch ? bBatch[bi]! : bi) * K * N;
    for (let i = 0; i < M; i++) {
      acc.fill(0);
      for (let kk = 0; kk < K; kk++) {
        // No shortcut for av === 0: 0 * Infinity and 0 * NaN must still give NaN.
        const av = a.data[aOff + i * sai + kk * sak]!;
        const bRow = bOff + kk * sbk;
        for (let j = 0; j < N; j++) acc[j]! += av * b.data[bRow + j * sbj]!;
      }
      const oOff = (bi * M + i) * N;
      for (let j = 0; j < N; j++) o.data[oOff + j] = acc[j]!;
    }
  }
  return roundToStorage(o);
}

function transpose(n: Node, xs: readonly Tensor[], k: KernelContext): Tensor {
  const x = xs[0]!;
  const perm = n.attr<readonly number[]>('perm');
  const o = out(n, k);
  const inStrides = stridesOf(x.shape);
  const permStrides = perm.map((p) => inStrides[p]!);
  const shape = n.type.shape;
  const counter = new Array<number>(shape.length).fill(0);
  let off = 0;
  for (let e = 0; e < o.data.length; e++) {
    o.data[e] = x.data[off]!;
    for (let ax = shape.length - 1; ax >= 0; ax--) {
      counter[ax]!++;
      off += permStrides[ax]!;
      if (counter[ax]! < shape[ax]!) break;
      off -= permStrides[ax]! * shape[ax]!;
      counter[ax] = 0;
    }
  }
  return o;
}

function expand(n: Node, xs: readonly Tensor[], k: KernelContext): Tensor {
  return elementwise(n, xs, k, (v) => v);
}

function slice(n: Node, xs: readonly Tensor[], k: KernelContext): Tensor {
  const x = xs[0]!;
  const axis = normalizeAxis(n.attr<number>('axis'), x.shape.length)!;
  const [outer, dim, inner] = around(x.shape, axis);
  const [s, e] = sliceBounds(dim, n.attr<number>('start'), n.attr<number>('end'));
  const o = out(n, k);
  const w = (e - s) * inner;
  for (let a = 0; a < outer; a++) {
    copy(o.data, a * w, x.data, (a * dim + s) * inner, w);
  }
  return o;
}

function copy(dst: TensorData, at: number, src: TensorData, from: number, count: number): void {
  for (let i = 0; i < count; i++) dst[at + i] = src[from + i]!;
}

function concat(n: Node, xs: readonly Tensor[], k: KernelContext): Tensor {
  const axis = normalizeAxis(n.attr<number>('axis'), n.type.shape.length)!;
  const [outer, total, inner] = around(n.type.shape, axis);
  const o = out(n, k);
  let at = 0;
  for (const x of xs) {
    const w = x.shape[axis]! * inner;
    for (let a = 0; a < outer; a++) copy(o.data, a * total * inner + at, x.data, a * w, w);
    at += w;
  }
  return o;
}

function gather(n: Node, xs: readonly Tensor[], k: KernelContext): Tensor {
  const [table, idx] = xs as [Tensor, Tensor];
  const axis = normalizeAxis(n.attr<number>('axis'), table.shape.length)!;
  const [outer, dim, inner] = around(table.shape, axis);
  const o = out(n, k);
  const count = idx.data.length;
  for (let a = 0; a < outer; a++) {
    for (let j = 0; j < count; j++) {
      const r = idx.data[j]!;
      if (!(r >= 0 && r < dim)) throw indexRangeError(n, `the table ${table.dtype}${formatShape(table.shape)}`, dim, idx, axis, j);
      copy(o.data, (a * count + j) * inner, table.data, (a * dim + r) * inner, inner);
    }
  }
  return o;
}

/**
 * Each index's row of updates added into the result row it names, in float64 and in index order
 * (so the result is deterministic and, for f32 storage, rounded once); rows never named stay 0 and
 * so does the padding_idx row.
 */
function scatterAdd(n: Node, xs: readonly Tensor[], k: KernelContext): Tensor {
  const [updates, idx] = xs as [Tensor, Tensor];
  const axis = normalizeAxis(n.attr<number>('axis'), n.type.shape.length)!;
  const [outer, rows, inner] = around(n.type.shape, axis);
  const pad = n.attr<number>('padding_idx');
  const count = idx.data.length;
  const acc = new Float64Array(outer * rows * inner);
  for (let a = 0; a < outer; a++) {
    for (let j = 0; j < count; j++) {
      const r = idx.data[j]!;
      if (!(r >= 0 && r < rows)) throw indexRangeError(n, `the result ${n.type.dtype}${formatShape(n.type.shape)}`, rows, idx, axis, j);
      if (r === pad) continue;
      const from = (a * count + j) * inner;
      const to = (a * rows + r) * inner;
      for (let c = 0; c < inner; c++) acc[to + c]! += updates.data[from + c]!;
    }
  }
  const o = out(n, k);
  o.data.set(acc);
  return roundToStorage(o);
}

/** Names the op, the bad index, where it sits in the indices, the valid range and the op's source location. */
function indexRangeError(n: Node, what: string, dim: number, idx: Tensor, axis: number, j: number): InterpError {
  const pos = stridesOf(idx.shape).map((s, i) => Math.floor(j / s) % idx.shape[i]!);
  const where = [n.meta.span && `at ${formatSpan(n.meta.span)}`, n.meta.scope && `in ${n.meta.scope}`].filter(Boolean).join(' ');
  return new InterpError(
    `${n.op} index ${idx.data[j]} at position ${formatShape(pos)} of the indices is out of range for axis ${axis} of ` +
      `${what}: it must be in 0..${dim - 1}${where ? ` (${n.op} ${where})` : ''}`,
  );
}

function iota(n: Node, _xs: readonly Tensor[], k: KernelContext): Tensor {
  const shape = n.type.shape;
  const [, dim, inner] = around(shape, normalizeAxis(n.attr<number>('axis'), shape.length)!);
  const o = out(n, k);
  const store = integerStore(o.dtype);
  for (let e = 0; e < o.data.length; e++) {
    const v = Math.floor(e / inner) % dim;
    o.data[e] = store ? store(v) : v;
  }
  // Large indices are not all representable in f16 / bf16.
  return roundToStorage(o);
}

function constant(n: Node, _xs: readonly Tensor[], k: KernelContext): Tensor {
  const o = out(n, k);
  o.data[0] = castValue(n.attr<number>('value'), 'f32', n.type.dtype);
  return roundToStorage(o);
}

function input(n: Node, _xs: readonly Tensor[], _k: KernelContext, b: Bindings): Tensor {
  const name = n.attr<string>('name');
  const t = b.inputs.get(name);
  if (!t) throw new InterpError(`missing input '${name}' (${formatType(n.type)})`);
  return t;
}

function param(n: Node, _xs: readonly Tensor[], _k: KernelContext, b: Bindings): Tensor {
  return b.param(n.attr<string>('name'), n);
}

/**
 * The interpreter's kernel of every op in the catalogue, keyed by op name: the type makes an op
 * added to `src/ir/ops.ts` without a kernel here a compile error (the IR cannot hold the kernel
 * itself, since it must not import the interpreter). Scalar ops take their function from
 * `src/ir/scalar.ts`, which constant folding shares.
 */
export const KERNELS: Readonly<Record<CatalogueOp, Kernel>> = {
  input,
  param,
  const: constant,
  iota,
  neg: unary(UNARY.neg),
  abs: unary(UNARY.abs),
  exp: unary(UNARY.exp),
  log: unary(UNARY.log),
  tanh: unary(UNARY.tanh),
  erf: unary(UNARY.erf),
  sqrt: unary(UNARY.sqrt),
  rsqrt: unary(UNARY.rsqrt),
  recip: unary(UNARY.recip),
  relu: unary(UNARY.relu),
  gelu: (n, xs, k) => elementwise(n, xs, k, n.attr<string>('approximate') === 'tanh' ? geluTanh : geluErf),
  add: binary(BINARY.add),
  sub: binary(BINARY.sub),
  mul: binary(BINARY.mul),
  div: binary(BINARY.div),
  max: binary(BINARY.max),
  min: binary(BINARY.min),
  pow: binary(BINARY.pow),
  lt: compare(COMPARE.lt),
  le: compare(COMPARE.le),
  gt: compare(COMPARE.gt),
  ge: compare(COMPARE.ge),
  eq: compare(COMPARE.eq),
  ne: compare(COMPARE.ne),
  where: (n, xs, k) => elementwise(n, xs, k, (c, a, b) => (c ? a : b)),
  cast: (n, xs, k) => elementwise(n, xs, k, (v) => castValue(v, xs[0]!.dtype, n.type.dtype)),
  dropout,
  reduce_sum: reduce(0, (a, v) => a + v, false),
  reduce_mean: reduce(0, (a, v) => a + v, true),
  reduce_max: reduce(-Infinity, (a, v) => (Number.isNaN(v) || v > a ? v : a), false),
  softmax,
  layernorm,
  matmul,
  reshape: (n, xs) => ({ dtype: n.type.dtype, shape: n.type.shape, data: xs[0]!.data }),
  transpose,
  expand,
  slice,
  concat,
  gather,
  scatter_add: scatterAdd,
};

