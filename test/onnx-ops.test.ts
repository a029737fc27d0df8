/**
 * Every operator the importer translates, as a small ONNX model written with protobufjs, run on the
 * reference interpreter and compared with values computed here by plain loops; and the forms it
 * refuses, each with a diagnostic naming the node, its op type and opset.
 */
import { describe, expect, it } from 'vitest';
import { DiagnosticError } from '../src/diag/diagnostics.js';
import { makeTensor, type Tensor } from '../src/interp/tensor.js';
import { SUPPORTED_OPS } from '../src/onnx/opTable.js';
import { onnxModel, runOnnx, sample, singleOp, type AttrSpec, type ModelSpec, type NodeSpec, type ValueSpec } from './onnx-models.js';

const f = (name: string, dims: (number | string)[]): ValueSpec => ({ name, dtype: 'f32', dims });
const i64 = (name: string, dims: (number | string)[]): ValueSpec => ({ name, dtype: 'i64', dims });
const b = (name: string, dims: (number | string)[]): ValueSpec => ({ name, dtype: 'bool', dims });

/** Numpy broadcasting by index arithmetic, for the expected values. */
function broadcast(shapes: readonly (readonly number[])[]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  return Array.from({ length: rank }, (_, i) => Math.max(...shapes.map((s) => s[s.length - rank + i] ?? 1)));
}

function at(t: Tensor, out: readonly number[], flat: number): number {
  let idx = 0;
  let stride = 1;
  let rest = flat;
  const coords: number[] = [];
  for (let k = out.length - 1; k >= 0; k--) {
    coords[k] = rest % out[k]!;
    rest = Math.floor(rest / out[k]!);
  }
  for (let k = t.shape.length - 1; k >= 0; k--) {
    const c = coords[k + out.length - t.shape.length]!;
    idx += (t.shape[k] === 1 ? 0 : c) * stride;
    stride *= t.shape[k]!;
  }
  return t.data[idx]!;
}

function elementwise(ts: readonly Tensor[], fn: (...xs: number[]) => number): { shape: number[]; values: number[] } {
  const shape = broadcast(ts.map((t) => t.shape));
  const n = shape.reduce((p, d) => p * d, 1);
  return { shape, values: Array.from({ length: n }, (_, i) => fn(...ts.map((t) => at(t, shape, i)))) };
}

function expectClose(got: Tensor | undefined, want: { shape: readonly number[]; values: readonly number[] }, tol = 1e-5): void {
  expect(got, 'output').toBeDefined();
  expect(got!.shape).toEqual(want.shape);
  const bad = want.values.findIndex((v, i) => !(Math.abs(got!.data[i]! - v) <= tol * Math.max(1, Math.abs(v)) || (Number.isNaN(v) && Number.isNaN(got!.data[i]!))));
  expect(bad, `first mismatch at ${bad}: got ${got!.data[bad]}, want ${want.values[bad]}`).toBe(-1);
}

interface Case {
  readonly name: string;
  /** The ONNX operators the case exercises. */
  readonly ops: readonly string[];
  readonly model: () => Uint8Array;
  readonly inputs: Readonly<Record<string, Tensor>>;
  readonly want: (inputs: Readonly<Record<string, Tensor>>) => Readonly<Record<string, { shape: readonly number[]; values: readonly number[] }>>;
  readonly sizes?: ReadonlyMap<string, number>;
  /** IR ops the import must (or must not, with a leading '!') contain. */
  readonly ir?: readonly string[];
}

const X = sample('f32', [2, 3, 4], 1);
const Y = sample('f32', [3, 4], 2);
const Row = sample('f32', [4], 3);
const erf = (x: number) => {
  // Abramowitz-Stegun 7.1.26 is too coarse for 1e-5; a series and a continued fraction instead.
  if (Math.abs(x) < 2.5) {
    let sum = x;
    let term = x;
    for (let n = 1; n < 60; n++) {
      term *= (-x * x) / n;
      sum += term / (2 * n + 1);
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  const s = Math.sign(x);
  const a = Math.abs(x);
  let cf = 0;
  for (let k = 60; k >= 1; k--) cf = (k / 2) / (a + cf);
  return s * (1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / (a + cf));
};

function unaryCase(op: string, fn: (x: number) => number, input = X): Case {
  return { name: op, ops: [op], model: () => singleOp(op, [f('x', input.shape as number[])], f('y', input.shape as number[])), inputs: { x: input }, want: ({ x }) => ({ y: elementwise([x!], fn) }) };
}

function binaryCase(op: string, fn: (a: number, c: number) => number, a = X, c = Y): Case {
  const shape = broadcast([a.shape, c.shape]);
  return { name: `${op} with broadcasting`, ops: [op], model: () => singleOp(op, [f('a', a.shape as number[]), f('b', c.shape as number[])], f('y', shape)), inputs: { a, b: c }, want: ({ a, b }) => ({ y: elementwise([a!, b!], fn) }) };
}

function compareCase(op: string, fn: (a: number, c: number) => boolean): Case {
  const a = sample('i64', [2, 3], 4, 3);
  const c = sample('i64', [3], 5, 3);
  return {
    name: op, ops: [op],
    model: () => singleOp(op, [i64('a', [2, 3]), i64('b', [3])], b('y', [2, 3])),
    inputs: { a, b: c }, want: ({ a, b }) => ({ y: elementwise([a!, b!], (x, y) => (fn(x, y) ? 1 : 0)) }),
  };
}

function logicalCase(op: string, fn: (a: number, c: number) => number): Case {
  const a = sample('bool', [2, 3], 6);
  const c = sample('bool', [3], 7);
  return { name: op, ops: [op], model: () => singleOp(op, [b('a', [2, 3]), b('b', [3])], b('y', [2, 3])), inputs: { a, b: c }, want: ({ a, b }) => ({ y: elementwise([a!, b!], fn) }) };
}

function matmulRef(a: Tensor, c: Tensor, m: number, k: number, n: number, ta = false, tb = false): number[] {
  const out: number[] = [];
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += a.data[ta ? p * m + i : i * k + p]! * c.data[tb ? j * k + p : p * n + j]!;
    out.push(s);
  }
  return out;
}

function layerNormRows(x: Tensor, width: number, gamma: (j: number) => number, beta: (j: number) => number, eps: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < x.data.length / width; r++) {
    const row = Array.from(x.data.slice(r * width, (r + 1) * width));
    const mean = row.reduce((s, v) => s + v, 0) / width;
    const v = row.reduce((s, x) => s + (x - mean) ** 2, 0) / width;
    row.forEach((x, j) => out.push(((x - mean) / Math.sqrt(v + eps)) * gamma(j) + beta(j)));
  }
  return out;
}

const scalarF = (name: string, v: number) => ({ name, dtype: 'f32' as const, dims: [], values: [v] });
const ints = (name: string, values: number[]) => ({ name, dtype: 'i64' as const, dims: [values.length], values });

const CASES: Case[] = [
  unaryCase('Sqrt', Math.sqrt, makeTensor('f32', [5], Float32Array.from([0.25, 1, 2, 9, 0.5]))),
  unaryCase('Erf', erf),
  unaryCase('Tanh', Math.tanh),
  unaryCase('Relu', (x) => Math.max(0, x)),
  unaryCase('Exp', Math.exp),
  unaryCase('Log', Math.log, makeTensor('f32', [4], Float32Array.from([0.5, 1, 2, 10]))),
  unaryCase('Neg', (x) => -x),
  unaryCase('Abs', Math.abs),
  unaryCase('Reciprocal', (x) => 1 / x, makeTensor('f32', [4], Float32Array.from([0.5, -1, 2, 10]))),
  unaryCase('Identity', (x) => x),
  binaryCase('Add', (a, c) => a + c),
  binaryCase('Sub', (a, c) => a - c, X, Row),
  binaryCase('Mul', (a, c) => a * c),
  binaryCase('Div', (a, c) => a / c, X, makeTensor('f32', [4], Float32Array.from([0.5, -2, 4, 1]))),
  binaryCase('Pow', (a, c) => a ** c, makeTensor('f32', [2, 3], Float32Array.from([0.5, 1, 2, 3, 1.5, 0.25])), makeTensor('f32', [3], Float32Array.from([2, 0.5, 3]))),
  binaryCase('Max', Math.max),
  binaryCase('Min', Math.min, X, Row),
  compareCase('Equal', (a, c) => a === c),
  compareCase('Less', (a, c) => a < c),
  compareCase('LessOrEqual', (a, c) => a <= c),
  compareCase('Greater', (a, c) => a > c),
  compareCase('GreaterOrEqual', (a, c) => a >= c),
  logicalCase('And', (a, c) => a & c),
  logicalCase('Or', (a, c) => a | c),
  logicalCase('Xor', (a, c) => a ^ c),
  {
    name: 'Not', ops: ['Not'], model: () => singleOp('Not', [b('x', [2, 3])], b('y', [2, 3])),
    inputs: { x: sample('bool', [2, 3], 8) }, want: ({ x }) => ({ y: elementwise([x!], (v) => 1 - v) }),
  },
  {
    name: 'Where with broadcasting', ops: ['Where'],
    model: () => singleOp('Where', [b('c', [3, 4]), f('a', [2, 3, 4]), f('b', [4])], f('y', [2, 3, 4])),
    inputs: { c: sample('bool', [3, 4], 9), a: X, b: Row }, want: ({ c, a, b }) => ({ y: elementwise([c!, a!, b!], (k, x, y) => (k ? x : y)) }),
  },
  {
    name: 'Cast from float to int64 and back', ops: ['Cast'],
    model: () => onnxModel({
      inputs: [f('x', [6])], outputs: [f('y', [6]), i64('n', [6])],
      nodes: [{ op: 'Cast', inputs: ['x'], outputs: ['n'], attrs: { to: { i: 7 } } }, { op: 'Cast', inputs: ['n'], outputs: ['y'], attrs: { to: { i: 1 } } }],
    }),
    inputs: { x: makeTensor('f32', [6], Float32Array.from([1.7, -1.7, 0.2, 3, -0.5, 2.5])) },
    want: ({ x }) => ({ n: elementwise([x!], Math.trunc), y: elementwise([x!], (v) => Math.trunc(v) + 0) }),
  },
  {
    name: 'Cast to float16 and bfloat16 rounds to nearest even', ops: ['Cast'],
    model: () => onnxModel({
      inputs: [f('x', [3])], outputs: [{ name: 'h', dtype: 'f16', dims: [3] }, { name: 'g', dtype: 'bf16', dims: [3] }],
      nodes: [{ op: 'Cast', inputs: ['x'], outputs: ['h'], attrs: { to: { i: 10 } } }, { op: 'Cast', inputs: ['x'], outputs: ['g'], attrs: { to: { i: 16 } } }],
    }),
    inputs: { x: makeTensor('f32', [3], Float32Array.from([1 + 2 ** -11, 1 + 3 * 2 ** -11, 1 + 2 ** -8])) },
    // f16 keeps 10 fraction bits: 1 + 2^-11 ties to 1, 1 + 3 * 2^-11 ties up to the even 1 + 2^-9; bf16 keeps 7: all three round to 1.
    want: () => ({ h: { shape: [3], values: [1, 1 + 2 ** -9, 1 + 2 ** -8] }, g: { shape: [3], values: [1, 1, 1] } }),
  },
  {
    name: 'CastLike to the type of an int64 operand, Sum of three with broadcasting', ops: ['CastLike', 'Sum'],
    model: () => onnxModel({
      inputs: [f('x', [2, 3, 4]), f('r', [4]), i64('like', [1])], outputs: [i64('n', [2, 3, 4]), f('s', [2, 3, 4])],
      nodes: [{ op: 'CastLike', inputs: ['x', 'like'], outputs: ['n'] }, { op: 'Sum', inputs: ['x', 'r', 'x'], outputs: ['s'] }],
    }),
    inputs: { x: X, r: Row, like: makeTensor('i32', [1]) },
    want: ({ x, r }) => ({ n: elementwise([x!], Math.trunc), s: elementwise([x!, r!], (a, c) => a + c + a) }),
  },
  {
    name: 'Dropout at inference', ops: ['Dropout'],
    model: () => singleOp('Dropout', [f('x', [2, 3, 4])], f('y', [2, 3, 4]), {}, { initializers: [scalarF('ratio', 0.1)], extraInputs: ['ratio'] }),
    inputs: { x: X }, want: ({ x }) => ({ y: elementwise([x!], (v) => v) }),
  },
  {
    name: 'MatMul of rank 3 by rank 2, an [in, out] weight', ops: ['MatMul'],
    model: () => singleOp('MatMul', [f('x', [2, 3, 4])], f('y', [2, 3, 5]), {}, { initializers: [{ name: 'w', dtype: 'f32', dims: [4, 5], values: Array.from(sample('f32', [4, 5], 10).data), raw: true }], extraInputs: ['w'] }),
    inputs: { x: X }, want: ({ x }) => ({ y: { shape: [2, 3, 5], values: matmulRef(x!, sample('f32', [4, 5], 10), 6, 4, 5) } }),
  },
  {
    name: 'MatMul of vectors and batched matrices', ops: ['MatMul'],
    model: () => onnxModel({
      inputs: [f('v', [4]), f('m', [2, 4, 3])], outputs: [f('y', [2, 3])],
      nodes: [{ op: 'MatMul', inputs: ['v', 'm'], outputs: ['y'] }],
    }),
    inputs: { v: Row, m: sample('f32', [2, 4, 3], 11) },
    want: ({ v, m }) => ({ y: { shape: [2, 3], values: [0, 1].flatMap((k) => matmulRef(v!, makeTensor('f32', [4, 3], m!.data.slice(k * 12, k * 12 + 12) as Float32Array), 1, 4, 3)) } }),
  },
  {
    name: 'Gemm with transB, alpha and beta', ops: ['Gemm'],
    model: () => singleOp('Gemm', [f('a', [3, 4]), f('w', [5, 4]), f('c', [5])], f('y', [3, 5]), { transB: { i: 1 }, alpha: { f: 0.5 }, beta: { f: 2 } }),
    inputs: { a: Y, w: sample('f32', [5, 4], 12), c: sample('f32', [5], 13) },
    want: ({ a, w, c }) => ({ y: { shape: [3, 5], values: matmulRef(a!, w!, 3, 4, 5, false, true).map((v, i) => 0.5 * v + 2 * c!.data[i % 5]!) } }),
  },
  {
    name: 'Softmax over an inner axis', ops: ['Softmax'],
    model: () => singleOp('Softmax', [f('x', [2, 3, 4])], f('y', [2, 3, 4]), { axis: { i: 1 } }),
    inputs: { x: X },
    want: ({ x }) => {
      const out: number[] = new Array(24);
      for (let i = 0; i < 2; i++) for (let k = 0; k < 4; k++) {
        const col = [0, 1, 2].map((j) => x!.data[i * 12 + j * 4 + k]!);
        const m = Math.max(...col);
        const e = col.map((v) => Math.exp(v - m));
        const s = e.reduce((p, v) => p + v, 0);
        e.forEach((v, j) => (out[i * 12 + j * 4 + k] = v / s));
      }
      return { y: { shape: [2, 3, 4], values: out } };
    },
  },
  {
    name: 'LayerNormalization over the last two axes, with a broadcast scale', ops: ['LayerNormalization'],
    model: () => singleOp('LayerNormalization', [f('x', [2, 3, 4]), f('g', [4]), f('b', [3, 4])], f('y', [2, 3, 4]), { axis: { i: 1 }, epsilon: { f: 1e-5 } }),
    inputs: { x: X, g: Row, b: Y },
    want: ({ x, g, b }) => ({ y: { shape: [2, 3, 4], values: layerNormRows(x!, 12, (j) => g!.data[j % 4]!, (j) => b!.data[j]!, 1e-5) } }),
    ir: ['layernorm'],
  },
  {
    name: 'Gelu, exact and tanh (opset 20)', ops: ['Gelu'],
    model: () => onnxModel({
      opset: 20, inputs: [f('x', [2, 3, 4])], outputs: [f('e', [2, 3, 4]), f('t', [2, 3, 4])],
      nodes: [{ op: 'Gelu', inputs: ['x'], outputs: ['e'] }, { op: 'Gelu', inputs: ['x'], outputs: ['t'], attrs: { approximate: { s: 'tanh' } } }],
    }),
    inputs: { x: X },
    want: ({ x }) => ({
      e: elementwise([x!], (v) => 0.5 * v * (1 + erf(v / Math.SQRT2))),
      t: elementwise([x!], (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)))),
    }),
  },
  {
    name: 'Transpose with the default (reversed) permutation', ops: ['Transpose'],
    model: () => singleOp('Transpose', [f('x', [2, 3, 4])], f('y', [4, 3, 2])),
    inputs: { x: X },
    want: ({ x }) => ({ y: { shape: [4, 3, 2], values: Array.from({ length: 24 }, (_, i) => x!.data[(i % 2) * 12 + (Math.floor(i / 2) % 3) * 4 + Math.floor(i / 6)]!) } }),
  },
  {
    name: 'Reshape with 0 and -1', ops: ['Reshape'],
    model: () => singleOp('Reshape', [f('x', [2, 3, 4])], f('y', [2, 2, 6]), {}, { initializers: [ints('shape', [0, 2, -1])], extraInputs: ['shape'] }),
    inputs: { x: X }, want: ({ x }) => ({ y: { shape: [2, 2, 6], values: Array.from(x!.data) } }),
  },
  {
    name: 'Flatten, Squeeze and Unsqueeze (axes as inputs, opset 13 on)', ops: ['Flatten', 'Squeeze', 'Unsqueeze'],
    model: () => onnxModel({
      inputs: [f('x', [2, 3, 4])], outputs: [f('y', [6, 1, 4])],
      initializers: [ints('a0', [0]), ints('a1', [1])],
      nodes: [
        { op: 'Flatten', inputs: ['x'], outputs: ['fl'], attrs: { axis: { i: 2 } } },
        { op: 'Unsqueeze', inputs: ['fl', 'a0'], outputs: ['u'] },
        { op: 'Squeeze', inputs: ['u', 'a0'], outputs: ['s'] },
        { op: 'Unsqueeze', inputs: ['s', 'a1'], outputs: ['y'] },
      ],
    }),
    inputs: { x: X }, want: ({ x }) => ({ y: { shape: [6, 1, 4], values: Array.from(x!.data) } }),
  },
  {
    name: 'Squeeze and Unsqueeze with axes as attributes (opset 11)', ops: ['Squeeze', 'Unsqueeze'],
    model: () => onnxModel({
      opset: 11, inputs: [f('x', [2, 3, 4])], outputs: [f('y', [2, 3, 4])],
      nodes: [
        { op: 'Unsqueeze', inputs: ['x'], outputs: ['u'], attrs: { axes: { ints: [1, -1] } } },
        { op: 'Squeeze', inputs: ['u'], outputs: ['y'], attrs: { axes: { ints: [1, 4] } } },
      ],
    }),
    inputs: { x: X }, want: ({ x }) => ({ y: { shape: [2, 3, 4], values: Array.from(x!.data) } }),
  },
  {
    name: 'Concat of tensors', ops: ['Concat'],
    model: () => singleOp('Concat', [f('a', [2, 3, 4]), f('b', [2, 1, 4])], f('y', [2, 4, 4]), { axis: { i: -2 } }),
    inputs: { a: X, b: sample('f32', [2, 1, 4], 14) },
    want: ({ a, b }) => ({ y: { shape: [2, 4, 4], values: [0, 1].flatMap((i) => [...Array.from(a!.data.slice(i * 12, i * 12 + 12)), ...Array.from(b!.data.slice(i * 4, i * 4 + 4))]) } }),
  },
  {
    name: 'Slice with negative bounds and INT64_MAX ends', ops: ['Slice'],
    model: () => singleOp('Slice', [f('x', [2, 3, 4])], f('y', [2, 2, 3]), {}, {
      initializers: [ints('starts', [1, -3]), { name: 'ends', dtype: 'i64', dims: [2], values: [Number.MAX_SAFE_INTEGER, -0.0 + 3] }, ints('axes', [1, 2])], extraInputs: ['starts', 'ends', 'axes'],
    }),
    inputs: { x: X },
    want: ({ x }) => ({ y: { shape: [2, 2, 2], values: [0, 1].flatMap((i) => [1, 2].flatMap((j) => [1, 2].map((k) => x!.data[i * 12 + j * 4 + k]!))) } }),
  },
  {
    name: 'Gather of rows by a tensor of indices, and of one position', ops: ['Gather'],
    model: () => onnxModel({
      inputs: [f('table', [5, 4]), i64('idx', [2, 3])], outputs: [f('rows', [2, 3, 4]), f('col', [5])],
      initializers: [{ name: 'two', dtype: 'i64', dims: [], values: [2] }],
      nodes: [{ op: 'Gather', inputs: ['table', 'idx'], outputs: ['rows'] }, { op: 'Gather', inputs: ['table', 'two'], outputs: ['col'], attrs: { axis: { i: 1 } } }],
    }),
    inputs: { table: sample('f32', [5, 4], 15), idx: sample('i64', [2, 3], 16, 5) },
    want: ({ table, idx }) => ({
      rows: { shape: [2, 3, 4], values: Array.from(idx!.data).flatMap((r) => Array.from(table!.data.slice(r * 4, r * 4 + 4))) },
      col: { shape: [5], values: [0, 1, 2, 3, 4].map((r) => table!.data[r * 4 + 2]!) },
    }),
  },
  {
    name: 'Expand to a larger rank', ops: ['Expand'],
    model: () => singleOp('Expand', [f('x', [3, 1])], f('y', [2, 3, 4]), {}, { initializers: [ints('shape', [2, 1, 4])], extraInputs: ['shape'] }),
    inputs: { x: sample('f32', [3, 1], 17) }, want: ({ x }) => ({ y: elementwise([x!, makeTensor('f32', [2, 3, 4])], (v) => v) }),
  },
  {
    name: 'ReduceSum and ReduceMean with axes as inputs (opset 18), ReduceMax keeping dims', ops: ['ReduceSum', 'ReduceMean', 'ReduceMax'],
    model: () => onnxModel({
      opset: 18, inputs: [f('x', [2, 3, 4])], outputs: [f('s', [3]), f('m', [2, 1, 4]), f('mx', [2, 3, 1])],
      initializers: [ints('a02', [0, 2]), ints('a1', [1]), ints('a2', [-1])],
      nodes: [
        { op: 'ReduceSum', inputs: ['x', 'a02'], outputs: ['s'], attrs: { keepdims: { i: 0 } } },
        { op: 'ReduceMean', inputs: ['x', 'a1'], outputs: ['m'] },
        { op: 'ReduceMax', inputs: ['x', 'a2'], outputs: ['mx'] },
      ],
    }),
    inputs: { x: X },
    want: ({ x }) => {
      const v = (i: number, j: number, k: number) => x!.data[i * 12 + j * 4 + k]!;
      const r = (n: number) => Array.from({ length: n }, (_, i) => i);
      return {
        s: { shape: [3], values: r(3).map((j) => r(2).reduce((p, i) => p + r(4).reduce((q, k) => q + v(i, j, k), 0), 0)) },
        m: { shape: [2, 1, 4], values: r(2).flatMap((i) => r(4).map((k) => r(3).reduce((p, j) => p + v(i, j, k), 0) / 3)) },
        mx: { shape: [2, 3, 1], values: r(2).flatMap((i) => r(3).map((j) => Math.max(...r(4).map((k) => v(i, j, k))))) },
      };
    },
  },
  {
    name: 'ReduceMean with axes as an attribute (opset 17)', ops: ['ReduceMean'],
    model: () => singleOp('ReduceMean', [f('x', [2, 3, 4])], f('y', [2, 3]), { axes: { ints: [-1] }, keepdims: { i: 0 } }),
    inputs: { x: X }, want: ({ x }) => ({ y: { shape: [2, 3], values: Array.from({ length: 6 }, (_, r) => Array.from(x!.data.slice(r * 4, r * 4 + 4)).reduce((p, v) => p + v, 0) / 4) } }),
  },
  {
    name: 'a shape subgraph over dynamic axes: Shape, Gather, Size, Div, Unsqueeze, Concat, Reshape', ops: ['Shape', 'Gather', 'Size', 'Div', 'Unsqueeze', 'Concat', 'Reshape', 'Constant'],
    model: () => onnxModel({
      inputs: [f('x', ['batch', 'seq', 4])], outputs: [f('y', ['batch', 'seq', 2, 2]), f('n', ['batch', 'seq', 4])],
      nodes: [
        { op: 'Shape', inputs: ['x'], outputs: ['sh'] },
        { op: 'Constant', inputs: [], outputs: ['zero'], attrs: { value: { t: { dtype: 'i64', dims: [], values: [0] } } } },
        { op: 'Constant', inputs: [], outputs: ['one'], attrs: { value_int: { i: 1 } } },
        { op: 'Constant', inputs: [], outputs: ['ax'], attrs: { value_ints: { ints: [0] } } },
        { op: 'Constant', inputs: [], outputs: ['two'], attrs: { value: { t: { dtype: 'i64', dims: [1], values: [2], raw: true } } } },
        { op: 'Gather', inputs: ['sh', 'zero'], outputs: ['b'], attrs: { axis: { i: 0 } } },
        { op: 'Gather', inputs: ['sh', 'one'], outputs: ['s'], attrs: { axis: { i: 0 } } },
        { op: 'Unsqueeze', inputs: ['b', 'ax'], outputs: ['b1'] },
        { op: 'Unsqueeze', inputs: ['s', 'ax'], outputs: ['s1'] },
        { op: 'Size', inputs: ['x'], outputs: ['size'] },
        { op: 'Div', inputs: ['size', 'b'], outputs: ['per'] },
        { op: 'Div', inputs: ['per', 's'], outputs: ['h'] },
        { op: 'Div', inputs: ['h', 'two'], outputs: ['half'] },
        { op: 'Concat', inputs: ['b1', 's1', 'two', 'half'], outputs: ['target'], attrs: { axis: { i: 0 } } },
        { op: 'Reshape', inputs: ['x', 'target'], outputs: ['y'] },
        { op: 'Cast', inputs: ['h'], outputs: ['hf'], attrs: { to: { i: 1 } } },
        { op: 'Mul', inputs: ['x', 'hf'], outputs: ['n'] },
      ],
    }),
    sizes: new Map([['batch', 2], ['seq', 3]]),
    inputs: { x: X },
    want: ({ x }) => ({ y: { shape: [2, 3, 2, 2], values: Array.from(x!.data) }, n: elementwise([x!], (v) => v * 4) }),
  },
  {
    name: 'Range of a dynamic length, ConstantOfShape, Equal, Where and Expand building a mask', ops: ['Range', 'ConstantOfShape', 'Equal', 'Where', 'Expand', 'Shape', 'Gather', 'Cast', 'Sub', 'Unsqueeze'],
    model: () => onnxModel({
      inputs: [i64('m', ['batch', 'seq'])], outputs: [f('bias', ['batch', 1, 'seq', 'seq']), i64('pos', ['seq'])],
      initializers: [{ name: 'zero', dtype: 'i64', dims: [], values: [0] }, { name: 'one', dtype: 'i64', dims: [], values: [1] }, ints('ax', [1, 2]), ints('four', [4]), ints('zero1', [0]), ints('one1', [1])],
      nodes: [
        { op: 'Shape', inputs: ['m'], outputs: ['sh'] },
        { op: 'Gather', inputs: ['sh', 'one'], outputs: ['s'] },
        { op: 'Range', inputs: ['zero', 's', 'one'], outputs: ['pos'] },
        { op: 'ConstantOfShape', inputs: ['four'], outputs: ['ones'], attrs: { value: { t: { dtype: 'i64', dims: [1], values: [1] } } } },
        { op: 'Equal', inputs: ['ones', 'ones'], outputs: ['same'] },
        { op: 'Where', inputs: ['same', 'ones', 'ones'], outputs: ['shape1'] },
        { op: 'Unsqueeze', inputs: ['m', 'ax'], outputs: ['m4'] },
        { op: 'Cast', inputs: ['m4'], outputs: ['mf'], attrs: { to: { i: 1 } } },
        { op: 'Constant', inputs: [], outputs: ['onef'], attrs: { value_float: { f: 1 } } },
        { op: 'Sub', inputs: ['onef', 'mf'], outputs: ['inv'] },
        { op: 'Shape', inputs: ['m'], outputs: ['sh2'] },
        { op: 'Gather', inputs: ['sh2', 'zero'], outputs: ['bt'] },
        { op: 'Unsqueeze', inputs: ['bt', 'zero1'], outputs: ['bt1'] },
        { op: 'Unsqueeze', inputs: ['s', 'zero1'], outputs: ['s1'] },
        { op: 'Concat', inputs: ['bt1', 'one1', 's1', 's1'], outputs: ['full'], attrs: { axis: { i: 0 } } },
        { op: 'Expand', inputs: ['inv', 'full'], outputs: ['bias'] },
      ],
    }),
    sizes: new Map([['batch', 2], ['seq', 3]]),
    inputs: { m: makeTensor('i64', [2, 3], Float64Array.from([1, 1, 0, 1, 0, 0])) },
    want: ({ m }) => ({
      bias: { shape: [2, 1, 3, 3], values: Array.from({ length: 18 }, (_, i) => 1 - m!.data[Math.floor(i / 9) * 3 + (i % 3)]!) },
      pos: { shape: [3], values: [0, 1, 2] },
    }),
  },
];

describe('single-operator ONNX models', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const { outputs, imported } = runOnnx(c.model(), c.inputs, c.sizes);
    const want = c.want(c.inputs);
    for (const [name, w] of Object.entries(want)) expectClose(outputs.get(name), w);
    for (const op of c.ir ?? []) expect(imported.text).toContain(`= ${op}(`);
  });

  it('cover every operator the importer translates', () => {
    const covered = new Set(CASES.flatMap((c) => c.ops));
    expect(SUPPORTED_OPS.filter((op) => !covered.has(op))).toEqual([]);
  });
});

describe('the decomposed forms exporters write', () => {
  const lnNodes = (axesAsInput: boolean): NodeSpec[] => [
    { op: 'ReduceMean', inputs: axesAsInput ? ['x', 'axes'] : ['x'], outputs: ['mean'], attrs: axesAsInput ? {} : { axes: { ints: [-1] } } },
    { op: 'Sub', inputs: ['x', 'mean'], outputs: ['d'] },
    { op: 'Pow', inputs: ['d', 'two'], outputs: ['sq'] },
    { op: 'ReduceMean', inputs: axesAsInput ? ['sq', 'axes'] : ['sq'], outputs: ['var'], attrs: axesAsInput ? {} : { axes: { ints: [-1] } } },
    { op: 'Add', inputs: ['var', 'eps'], outputs: ['ve'] },
    { op: 'Sqrt', inputs: ['ve'], outputs: ['sd'] },
    { op: 'Div', inputs: ['d', 'sd'], outputs: ['n'] },
    { op: 'Mul', inputs: ['n', 'g'], outputs: ['ng'] },
    { op: 'Add', inputs: ['ng', 'b'], outputs: ['y'] },
  ];
  const lnModel = (opset: number, nodes = lnNodes(opset >= 18)) =>
    onnxModel({
      opset, inputs: [f('x', [2, 3, 4])], outputs: [f('y', [2, 3, 4])], nodes,
      initializers: [scalarF('two', 2), scalarF('eps', 1e-6), { name: 'g', dtype: 'f32', dims: [4], values: Array.from(Row.data) }, { name: 'b', dtype: 'f32', dims: [4], values: [0.1, 0.2, 0.3, 0.4] }, ints('axes', [-1])],
    });
  const lnWant = (x: Tensor) => layerNormRows(x, 4, (j) => Row.data[j]!, (j) => [0.1, 0.2, 0.3, 0.4][j]!, 1e-6);

  it.each([14, 17, 18])('ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div, Mul, Add is one layernorm (opset %i)', (opset) => {
    const { outputs, imported } = runOnnx(lnModel(opset), { x: X });
    expectClose(outputs.get('y'), { shape: [2, 3, 4], values: lnWant(X) });
    expect(imported.translation.fused.layernorms).toBe(1);
    expect(imported.text).toContain('= layernorm(');
    expect(imported.text).not.toContain('= sqrt(');
  });

  it('leaves the chain as it is when an inner value is also read elsewhere, and computes the same', () => {
    const nodes = [...lnNodes(false), { op: 'Identity', inputs: ['sd'], outputs: ['sd_out'] }];
    const bytes = onnxModel({
      opset: 17, inputs: [f('x', [2, 3, 4])], outputs: [f('y', [2, 3, 4]), f('sd_out', [2, 3, 1])], nodes,
      initializers: [scalarF('two', 2), scalarF('eps', 1e-6), { name: 'g', dtype: 'f32', dims: [4], values: Array.from(Row.data) }, { name: 'b', dtype: 'f32', dims: [4], values: [0.1, 0.2, 0.3, 0.4] }],
    });
    const { outputs, imported } = runOnnx(bytes, { x: X });
    expectClose(outputs.get('y'), { shape: [2, 3, 4], values: lnWant(X) });
    expect(imported.translation.fused.layernorms).toBe(0);
  });

  it('a chain over a middle axis is translated op by op', () => {
    const nodes = lnNodes(false).map((n) => (n.op === 'ReduceMean' ? { ...n, attrs: { axes: { ints: [1] } } } : n));
    const bytes = onnxModel({
      opset: 17, inputs: [f('x', [2, 3, 4])], outputs: [f('y', [2, 3, 4])], nodes,
      initializers: [scalarF('two', 2), scalarF('eps', 1e-6), { name: 'g', dtype: 'f32', dims: [3, 1], values: [1, 2, 3] }, { name: 'b', dtype: 'f32', dims: [1], values: [0.5] }],
    });
    const { outputs, imported } = runOnnx(bytes, { x: X });
    expect(imported.text).not.toContain('= layernorm(');
    const want: number[] = new Array(24);
    for (let i = 0; i < 2; i++) for (let k = 0; k < 4; k++) {
      const col = [0, 1, 2].map((j) => X.data[i * 12 + j * 4 + k]!);
      const m = col.reduce((p, v) => p + v, 0) / 3;
      const v = col.reduce((p, x) => p + (x - m) ** 2, 0) / 3;
      col.forEach((x, j) => (want[i * 12 + j * 4 + k] = ((x - m) / Math.sqrt(v + 1e-6)) * (j + 1) + 0.5));
    }
    expectClose(outputs.get('y'), { shape: [2, 3, 4], values: want });
  });

  it.each([
    ['x / sqrt(2), erf, + 1, * x, * 0.5', [
      { op: 'Div', inputs: ['x', 'sqrt2'], outputs: ['a'] }, { op: 'Erf', inputs: ['a'], outputs: ['e'] }, { op: 'Add', inputs: ['e', 'one'], outputs: ['p'] },
      { op: 'Mul', inputs: ['x', 'p'], outputs: ['m'] }, { op: 'Mul', inputs: ['m', 'half'], outputs: ['y'] }]],
    ['x * 0.5 times (1 + erf(x * 1/sqrt(2)))', [
      { op: 'Mul', inputs: ['x', 'half'], outputs: ['h'] }, { op: 'Mul', inputs: ['x', 'rsqrt2'], outputs: ['a'] }, { op: 'Erf', inputs: ['a'], outputs: ['e'] },
      { op: 'Add', inputs: ['one', 'e'], outputs: ['p'] }, { op: 'Mul', inputs: ['h', 'p'], outputs: ['y'] }]],
  ])('%s is one gelu', (_, nodes) => {
    const bytes = onnxModel({
      inputs: [f('x', [2, 3, 4])], outputs: [f('y', [2, 3, 4])], nodes,
      initializers: [scalarF('sqrt2', Math.SQRT2), scalarF('rsqrt2', Math.SQRT1_2), scalarF('one', 1), scalarF('half', 0.5)],
    });
    const { outputs, imported } = runOnnx(bytes, { x: X });
    expect(imported.translation.fused.gelus).toBe(1);
    expect(imported.text).toContain('= gelu(');
    expect(imported.text).not.toContain('= erf(');
    expectClose(outputs.get('y'), elementwise([X], (v) => 0.5 * v * (1 + erf(v / Math.SQRT2))));
  });
});

/** The diagnostic an import fails with. */
function importError(bytes: Uint8Array): string {
  try {
    runOnnx(bytes, {});
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n');
    throw e;
  }
  throw new Error('the import succeeded');
}

describe('what the importer refuses, by a diagnostic naming the node, op type and opset', () => {
  const one = (op: string, attrs: Readonly<Record<string, AttrSpec>> = {}, opset = 17, inputs = [f('x', [2, 3, 4])], output = f('y', [2, 3, 4]), extra: { initializers?: ModelSpec['initializers']; extraInputs?: string[] } = {}) =>
    importError(onnxModel({ opset, inputs, outputs: [output], initializers: extra.initializers, nodes: [{ op, name: `the_${op}`, inputs: [...inputs.map((i) => i.name), ...(extra.extraInputs ?? [])], outputs: [output.name], attrs }] }));

  it('an operator it does not translate', () => {
    expect(one('Sigmoid')).toBe("E0031: test.onnx: node 'the_Sigmoid' (Sigmoid, opset 17): operator 'Sigmoid' is not supported");
  });

  it('an attribute it does not read', () => {
    expect(one('Transpose', { perm: { ints: [0, 2, 1] }, shuffle: { i: 1 } }, 17, undefined, f('y', [2, 4, 3]))).toContain("node 'the_Transpose' (Transpose, opset 17): attribute 'shuffle' is not supported");
  });

  it('an attribute value outside the forms', () => {
    expect(one('Gelu', { approximate: { s: 'sigmoid' } }, 20)).toContain("node 'the_Gelu' (Gelu, opset 20): approximate=\"sigmoid\" is not supported");
  });

  it('a step other than 1 over a tensor computed at run time', () => {
    const r = one('Slice', {}, 17, [f('x', [2, 3, 4])], f('y', [2, 3, 2]), { initializers: [ints('s', [0]), ints('e', [4]), ints('a', [2]), ints('st', [2])], extraInputs: ['s', 'e', 'a', 'st'] });
    expect(r).toContain("node 'the_Slice' (Slice, opset 17): step 2 on axis 2 is not supported");
  });

  it('a shape computed from the inputs\' values', () => {
    const r = one('Reshape', {}, 17, [f('x', [2, 3, 4]), i64('shape', [3])], f('y', [2, 3, 4]));
    expect(r).toContain("node 'the_Reshape' (Reshape, opset 17): its shape (input 1, 'shape') must be known when the model is imported");
  });

  it('a data type it does not compute in', () => {
    expect(one('Cast', { to: { i: 11 } })).toContain("(Cast, opset 17): data type DOUBLE is not supported");
  });

  it('an output it does not produce that the graph reads', () => {
    const bytes = onnxModel({
      inputs: [f('x', [2, 3])], outputs: [b('mask', [2, 3])],
      nodes: [{ op: 'Dropout', name: 'drop', inputs: ['x'], outputs: ['y', 'mask'] }],
    });
    expect(importError(bytes)).toContain("node 'drop' (Dropout, opset 17): its output 1 ('mask') is not supported");
  });

  it('an operator of another domain', () => {
    const bytes = onnxModel({ inputs: [f('x', [2])], outputs: [f('y', [2])], nodes: [{ op: 'FastGelu', name: 'fg', domain: 'com.microsoft', inputs: ['x'], outputs: ['y'] }] });
    expect(importError(bytes)).toContain("node 'fg' (FastGelu, opset 17): operators of domain 'com.microsoft' are not supported");
  });

  it('bytes that are not an ONNX model, and a model without a graph', () => {
    expect(importError(new Uint8Array([0xff, 0xff, 0xff, 0x0f, 1, 2, 3]))).toMatch(/^E0030: test\.onnx: not an ONNX ModelProto/);
    expect(importError(new Uint8Array(0))).toBe('E0030: test.onnx: the model has no graph');
  });
});
