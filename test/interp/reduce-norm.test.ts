import { describe, expect, it } from 'vitest';
import { expectClose, f32, run1, runBoth, vals } from './helpers.js';

/** reduce_sum / reduce_max / reduce_mean, softmax and layernorm against hand-computed values. */

const inf = Infinity;
/** x: f32[2, 3, 4] holding its flat index 0..23, so x[i, j, k] = 12 i + 4 j + k. */
const iota24 = Array.from({ length: 24 }, (_, i) => i);

/** Runs `expr` over x: f32[2, 3, 4] in both modes and checks shape and values exactly. */
function reduce(expr: string, outType: string, shape: number[], expected: number[], x: number[] = iota24): void {
  const { f32: r32, f64: r64 } = runBoth(`model m(x: f32[2, 3, 4]) -> ${outType} { return ${expr}; }`, { x });
  expect(r32.shape).toEqual(shape);
  expect(vals(r64)).toEqual(expected);
  expect(vals(r32)).toEqual(f32(expected));
}

describe('reduce_sum', () => {
  it('over one middle axis: sum_j (12 i + 4 j + k) = 36 i + 3 k + 12', () => {
    reduce('reduce_sum(x, axes=[1])', 'f32[2, 4]', [2, 4], [12, 15, 18, 21, 48, 51, 54, 57]);
  });

  it('over the outer and inner axes: 32 j + 60', () => {
    reduce('reduce_sum(x, axes=[0, 2])', 'f32[3]', [3], [60, 92, 124]);
    reduce('reduce_sum(x, axes=[2, 0])', 'f32[3]', [3], [60, 92, 124]); // order does not matter
  });

  it('over the last axis by a negative index, keeping dims: 16 r + 6 for row r', () => {
    reduce('reduce_sum(x, axes=[-1], keepdims=true)', 'f32[2, 3, 1]', [2, 3, 1], [6, 22, 38, 54, 70, 86]);
  });

  it('over every axis, to rank 0 or with keepdims', () => {
    reduce('reduce_sum(x, axes=[0, 1, 2])', 'f32[]', [], [276]);
    reduce('reduce_sum(x, axes=[-3, -2, -1], keepdims=true)', 'f32[1, 1, 1]', [1, 1, 1], [276]);
  });

  it('accumulates in float64 before rounding, and sums integers exactly', () => {
    // In float32 arithmetic 1e8 + 1 would round back to 1e8.
    const { f32: r } = runBoth('model m(x: f32[3]) -> f32[] { return reduce_sum(x, axes=[0]); }', { x: [1e8, 1, -1e8] });
    expect(vals(r)).toEqual([1]);
    const i = run1('model m(x: i32[2, 2]) -> i32[2] { return reduce_sum(x, axes=[0]); }', { x: [2000000000, 5, 100000000, -5] });
    expect(i.data).toBeInstanceOf(Int32Array);
    expect(vals(i)).toEqual([2100000000, 0]);
  });

  it('over a size-1 axis is the identity, and propagates infinities and NaN', () => {
    expect(vals(run1('model m(x: f32[1, 3]) -> f32[3] { return reduce_sum(x, axes=[0]); }', { x: [1, 2, 3] }))).toEqual([1, 2, 3]);
    expect(vals(run1('model m(x: f32[3, 2]) -> f32[3] { return reduce_sum(x, axes=[1]); }', { x: [inf, 1, inf, -inf, NaN, 0] }))).toEqual([inf, NaN, NaN]);
  });
});

describe('reduce_max', () => {
  it('over one axis: the largest k, j or i', () => {
    reduce('reduce_max(x, axes=[2])', 'f32[2, 3]', [2, 3], [3, 7, 11, 15, 19, 23]);
    reduce('reduce_max(x, axes=[-2])', 'f32[2, 4]', [2, 4], [8, 9, 10, 11, 20, 21, 22, 23]);
    reduce('reduce_max(x, axes=[0], keepdims=true)', 'f32[1, 3, 4]', [1, 3, 4], iota24.slice(12));
  });

  it('over all axes, of negative values and infinities', () => {
    const x = iota24.map((v) => -v - 0.5);
    reduce('reduce_max(x, axes=[0, 1, 2])', 'f32[]', [], [-0.5], x);
    expect(vals(run1('model m(x: f32[2, 2]) -> f32[2] { return reduce_max(x, axes=[1]); }', { x: [-inf, -inf, -inf, 3] }))).toEqual([-inf, 3]);
  });

  it('propagates NaN wherever it is in the row', () => {
    const x = [NaN, 1, 2, 1, NaN, 2, 1, 2, NaN, 1, 2, 3];
    expect(vals(run1('model m(x: f32[4, 3]) -> f32[4] { return reduce_max(x, axes=[1]); }', { x }))).toEqual([NaN, NaN, NaN, 3]);
  });

  it('on integers', () => {
    expect(vals(run1('model m(x: i32[2, 2]) -> i32[2] { return reduce_max(x, axes=[-1]); }', { x: [-7, -3, 5, 2] }))).toEqual([-3, 5]);
  });
});

describe('reduce_mean', () => {
  it('over the middle axis: 12 i + k + 4', () => {
    reduce('reduce_mean(x, axes=[1])', 'f32[2, 4]', [2, 4], [4, 5, 6, 7, 16, 17, 18, 19]);
  });

  it('over two axes given negatively: (32 j + 60) / 8', () => {
    reduce('reduce_mean(x, axes=[-1, -3])', 'f32[3]', [3], [7.5, 11.5, 15.5]);
  });

  it('over all axes with keepdims', () => {
    reduce('reduce_mean(x, axes=[0, 1, 2], keepdims=true)', 'f32[1, 1, 1]', [1, 1, 1], [11.5]);
  });

  it('rounds the quotient once in f32 mode', () => {
    const { f32: r32, f64: r64 } = runBoth('model m(x: f32[3]) -> f32[] { return reduce_mean(x, axes=[0]); }', { x: [1, 0, 0] });
    expect(vals(r64)).toEqual([1 / 3]);
    expect(vals(r32)).toEqual([Math.fround(1 / 3)]);
  });
});

/** exp(x) / sum exp(x) written directly (no max subtraction), for small inputs. */
function naiveSoftmax(xs: readonly number[]): number[] {
  const e = xs.map(Math.exp);
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** softmax([0, 1, 2]) to 16 digits. */
const SOFTMAX_012 = [0.09003057317038046, 0.24472847105479764, 0.6652409557748219];
const LOWEST_F32 = -3.4028234663852886e38;

describe('softmax', () => {
  it('over the last axis', () => {
    const { f32: r32, f64: r64 } = runBoth('model m(x: f32[2, 3]) -> f32[2, 3] { return softmax(x); }', { x: [0, 1, 2, 5, 5, 5] });
    const expected = [...SOFTMAX_012, 1 / 3, 1 / 3, 1 / 3];
    expectClose(r64.data, expected, 4.5e-16);
    expectClose(r32.data, expected, 1e-6);
  });

  it('over a middle axis, against the direct formula', () => {
    // x: [2, 3, 2]; softmax over axis 1 normalises the three values x[a, :, c].
    const x = [0.5, -1, 1, 0, 2, 0.25, -0.5, 3, 0, 1, 1.5, -2];
    const { f64: r } = runBoth('model m(x: f32[2, 3, 2]) -> f32[2, 3, 2] { return softmax(x, axis=1); }', { x });
    const expected = new Array<number>(12);
    for (let a = 0; a < 2; a++) {
      for (let c = 0; c < 2; c++) {
        const at = [0, 1, 2].map((j) => a * 6 + j * 2 + c);
        naiveSoftmax(at.map((i) => x[i]!)).forEach((v, j) => (expected[at[j]!] = v));
      }
    }
    expectClose(r.data, expected, 4.5e-16);
    // Columns [0, 1, 2] and [5, 5, 5] of a [1, 3, 2] tensor.
    const { f64: cols } = runBoth('model m(x: f32[1, 3, 2]) -> f32[1, 3, 2] { return softmax(x, axis=-2); }', { x: [0, 5, 1, 5, 2, 5] });
    const [s0, s1, s2] = SOFTMAX_012;
    expectClose(cols.data, [s0!, 1 / 3, s1!, 1 / 3, s2!, 1 / 3], 4.5e-16);
  });

  it('gives masked entries (lowest f32) exactly zero and splits the rest', () => {
    const x = [0, -3.4e38, 0, LOWEST_F32, 1, LOWEST_F32, LOWEST_F32, 1];
    for (const f64 of [false, true]) {
      const r = run1('model m(x: f32[2, 4]) -> f32[2, 4] { return softmax(x, axis=-1); }', { x }, { f64 });
      expect(vals(r)).toEqual([0.5, 0, 0.5, 0, 0.5, 0, 0, 0.5]);
    }
  });

  it('gives a fully masked row a uniform distribution, as Hugging Face does', () => {
    expect(vals(run1('model m(x: f32[1, 4]) -> f32[1, 4] { return softmax(x); }', { x: [LOWEST_F32, LOWEST_F32, LOWEST_F32, LOWEST_F32] }))).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('is stable for large inputs (shift-invariant)', () => {
    const { f32: r32, f64: r64 } = runBoth('model m(x: f32[2, 3]) -> f32[2, 3] { return softmax(x); }', { x: [1000, 1001, 1002, 3e38, 3e38, -3e38] });
    expectClose(r64.data, [...SOFTMAX_012, 0.5, 0.5, 0], 4.5e-16);
    expectClose(r32.data, [...SOFTMAX_012, 0.5, 0.5, 0], 1e-6);
  });

  it('of a single element is 1, and propagates NaN through its row only', () => {
    expect(vals(run1('model m(x: f32[2, 1]) -> f32[2, 1] { return softmax(x); }', { x: [-7, 123] }))).toEqual([1, 1]);
    expect(vals(run1('model m(x: f32[2, 2]) -> f32[2, 2] { return softmax(x); }', { x: [NaN, 0, 0, 0] }))).toEqual([NaN, NaN, 0.5, 0.5]);
  });
});

describe('layernorm', () => {
  /** layernorm over the last axis of x: f32[shape], with gamma g and beta b. */
  const ln = (shape: number[], eps: number) => {
    const t = `f32[${shape.join(', ')}]`;
    const d = shape[shape.length - 1];
    return `model m(x: ${t}, g: f32[${d}], b: f32[${d}]) -> ${t} { return layernorm(x, g, b, eps=${eps}); }`;
  };

  it('uses the biased variance with eps inside the root', () => {
    // Row [0, 2]: mean 1, biased variance 1; with eps = 3, 1 / sqrt(1 + 3) = 1/2 exactly.
    // (Unbiased variance would give 1 / sqrt(5); eps outside the root 1 / (1 + 3).)
    const { f32: r32, f64: r64 } = runBoth(ln([1, 2], 3), { x: [0, 2], g: [1, 1], b: [0, 0] });
    expect(vals(r64)).toEqual([-0.5, 0.5]);
    expect(vals(r32)).toEqual([-0.5, 0.5]);
  });

  it('scales by gamma and shifts by beta per column', () => {
    // Row [1, 3, 5, 7]: mean 4, variance (9 + 1 + 1 + 9) / 4 = 5; eps = 4 makes the scale 1/3.
    const { f64: r } = runBoth(ln([1, 4], 4), { x: [1, 3, 5, 7], g: [3, 2, 0.5, -1], b: [0, 1, -1, 0.5] });
    expectClose(r.data, [-3, 1 - 2 / 3, -1 + 1 / 6, -0.5], 4.5e-16);
  });

  it('matches hand values with the usual small eps', () => {
    // Row [1, 2, 3, 4]: mean 2.5, variance 1.25, eps 1e-5: (x - 2.5) / sqrt(1.25001).
    const expected = [-1.3416354199689269, -0.447211806656309, 0.447211806656309, 1.3416354199689269];
    const { f32: r32, f64: r64 } = runBoth(ln([1, 4], 1e-5), { x: [1, 2, 3, 4], g: [1, 1, 1, 1], b: [0, 0, 0, 0] });
    expectClose(r64.data, expected, 4.5e-16);
    expectClose(r32.data, expected, 1e-6);
  });

  it('normalises every row of a rank-3 input independently; a constant row gives beta', () => {
    const r = run1(ln([2, 2, 2], 3), { x: [0, 2, 10, 12, 5, 5, -4, -2], g: [2, 1], b: [0, 7] });
    expect(vals(r)).toEqual([-1, 7.5, -1, 7.5, 0, 7, -1, 7.5]);
  });
});
