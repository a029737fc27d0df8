import { describe, expect, it } from 'vitest';
import { InterpError } from '../../src/interp/kernels.js';
import { compile, run1, runBoth, runGraph, vals } from './helpers.js';

/** Movement ops (reshape, transpose, expand, slice, concat), gather and scatter_add, and the source ops iota and const. */

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => i + from);

/** Runs a snippet in both modes and checks its shape and values (movement never changes a value). */
function check(src: string, inputs: Record<string, number[]>, shape: number[], expected: number[]): void {
  const { f32, f64 } = runBoth(src, inputs);
  expect(f32.shape).toEqual(shape);
  expect(f64.shape).toEqual(shape);
  expect(vals(f32)).toEqual(expected);
  expect(vals(f64)).toEqual(expected);
}

describe('reshape', () => {
  it('keeps the row-major order, inferring -1', () => {
    check('model m(x: f32[2, 3]) -> f32[3, 2] { return reshape(x, shape=[3, -1]); }', { x: range(6) }, [3, 2], range(6));
    check('model m(x: f32[2, 3]) -> f32[6] { return reshape(x, shape=[-1]); }', { x: range(6) }, [6], range(6));
    check('model m(x: f32[2, 3, 4]) -> f32[4, 1, 6] { return reshape(x, shape=[4, 1, -1]); }', { x: range(24) }, [4, 1, 6], range(24));
  });

  it('to and from rank 0', () => {
    check('model m(x: f32[1, 1]) -> f32[] { return reshape(x, shape=[]); }', { x: [7] }, [], [7]);
    check('model m(x: f32[]) -> f32[1] { return reshape(x, shape=[-1]); }', { x: [7] }, [1], [7]);
  });
});

describe('transpose', () => {
  it('swaps the axes of a matrix', () => {
    check('model m(x: f32[2, 3]) -> f32[3, 2] { return transpose(x, perm=[1, 0]); }', { x: range(6) }, [3, 2], [0, 3, 1, 4, 2, 5]);
  });

  it('permutes rank 3 and rank 4 tensors, by explicit index arithmetic', () => {
    // y[c, a, b] = x[a, b, c] with x: [2, 3, 4] holding its flat index 12 a + 4 b + c.
    const y3: number[] = [];
    for (let c = 0; c < 4; c++) for (let a = 0; a < 2; a++) for (let b = 0; b < 3; b++) y3.push(12 * a + 4 * b + c);
    check('model m(x: f32[2, 3, 4]) -> f32[4, 2, 3] { return transpose(x, perm=[2, 0, 1]); }', { x: range(24) }, [4, 2, 3], y3);
    // The attention head split: [B, S, NH, D] -> [B, NH, S, D].
    const y4: number[] = [];
    for (let b = 0; b < 2; b++) for (let h = 0; h < 2; h++) for (let s = 0; s < 3; s++) for (let d = 0; d < 2; d++) y4.push(((b * 3 + s) * 2 + h) * 2 + d);
    check('model m(x: f32[2, 3, 2, 2]) -> f32[2, 2, 3, 2] { return transpose(x, perm=[0, 2, 1, 3]); }', { x: range(24) }, [2, 2, 3, 2], y4);
  });

  it('the identity permutation and rank 0 leave values alone', () => {
    check('model m(x: f32[2, 2]) -> f32[2, 2] { return transpose(x, perm=[0, 1]); }', { x: [1, 2, 3, 4] }, [2, 2], [1, 2, 3, 4]);
    check('model m(x: f32[]) -> f32[] { return transpose(x, perm=[]); }', { x: [5] }, [], [5]);
  });
});

describe('expand', () => {
  it('broadcasts [3] to [2, 3], [2, 1] to [2, 3] and a scalar to [2, 2]', () => {
    check('model m(x: f32[3]) -> f32[2, 3] { return expand(x, shape=[2, 3]); }', { x: [1, 2, 3] }, [2, 3], [1, 2, 3, 1, 2, 3]);
    check('model m(x: f32[2, 1]) -> f32[2, 3] { return expand(x, shape=[2, 3]); }', { x: [1, 2] }, [2, 3], [1, 1, 1, 2, 2, 2]);
    check('model m(x: f32[]) -> f32[2, 2] { return expand(x, shape=[2, 2]); }', { x: [9] }, [2, 2], [9, 9, 9, 9]);
  });

  it('keeps integer values exact', () => {
    expect(vals(run1('model m(x: i64[1]) -> i64[3] { return expand(x, shape=[3]); }', { x: [2 ** 40 + 1] }))).toEqual([2 ** 40 + 1, 2 ** 40 + 1, 2 ** 40 + 1]);
  });
});

describe('slice', () => {
  it('takes Python-style bounds, negative ones counting from the end', () => {
    check('model m(x: f32[5]) -> f32[2] { return slice(x, axis=0, start=-3, end=-1); }', { x: range(5, 10) }, [2], [12, 13]);
    check('model m(x: f32[5]) -> f32[3] { return slice(x, axis=0, start=-3, end=5); }', { x: range(5, 10) }, [3], [12, 13, 14]);
  });

  it('clamps bounds past the ends', () => {
    check('model m(x: f32[2, 4]) -> f32[2, 3] { return slice(x, axis=-1, start=1, end=100); }', { x: range(8) }, [2, 3], [1, 2, 3, 5, 6, 7]);
    check('model m(x: f32[2, 4]) -> f32[2, 2] { return slice(x, axis=1, start=-100, end=2); }', { x: range(8) }, [2, 2], [0, 1, 4, 5]);
  });

  it('along the first and a middle axis', () => {
    check('model m(x: f32[3, 2]) -> f32[2, 2] { return slice(x, axis=0, start=-2, end=3); }', { x: range(6) }, [2, 2], [2, 3, 4, 5]);
    // x: [2, 3, 2]; keep j = 1 only.
    check('model m(x: f32[2, 3, 2]) -> f32[2, 1, 2] { return slice(x, axis=1, start=1, end=2); }', { x: range(12) }, [2, 1, 2], [2, 3, 8, 9]);
  });
});

describe('concat', () => {
  it('three inputs along a middle axis', () => {
    // a: [2, 1, 2] = 0.., b: [2, 2, 2] = 10.., c: [2, 3, 2] = 20..
    const expected = [0, 1, 10, 11, 12, 13, 20, 21, 22, 23, 24, 25, 2, 3, 14, 15, 16, 17, 26, 27, 28, 29, 30, 31];
    check(
      'model m(a: f32[2, 1, 2], b: f32[2, 2, 2], c: f32[2, 3, 2]) -> f32[2, 6, 2] { return concat(a, b, c, axis=1); }',
      { a: range(4), b: range(8, 10), c: range(12, 20) },
      [2, 6, 2],
      expected,
    );
  });

  it('along the first and the last axis (negative)', () => {
    check('model m(a: f32[1, 2], b: f32[2, 2]) -> f32[3, 2] { return concat(a, b, axis=0); }', { a: [1, 2], b: [3, 4, 5, 6] }, [3, 2], [1, 2, 3, 4, 5, 6]);
    check('model m(a: f32[2, 1], b: f32[2, 2]) -> f32[2, 3] { return concat(a, b, axis=-1); }', { a: [1, 2], b: [3, 4, 5, 6] }, [2, 3], [1, 3, 4, 2, 5, 6]);
  });

  it('of a single input, and of the same input twice', () => {
    check('model m(a: f32[2]) -> f32[2] { return concat(a, axis=0); }', { a: [1, 2] }, [2], [1, 2]);
    check('model m(a: f32[2]) -> f32[4] { return concat(a, a, axis=0); }', { a: [1, 2] }, [4], [1, 2, 1, 2]);
  });
});

describe('gather', () => {
  // A [4, 3] table whose row r is [10 r, 10 r + 1, 10 r + 2].
  const table = [0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32];

  it('looks up embedding rows (axis 0) for a [2, 2] index tensor', () => {
    check('model m(t: f32[4, 3], ids: i32[2, 2]) -> f32[2, 2, 3] { return gather(t, ids); }', { t: table, ids: [3, 0, 1, 3] }, [2, 2, 3], [30, 31, 32, 0, 1, 2, 10, 11, 12, 30, 31, 32]);
  });

  it('with i64 indices and a rank-0 index', () => {
    check('model m(t: f32[4, 3], ids: i64[3]) -> f32[3, 3] { return gather(t, ids, axis=0); }', { t: table, ids: [2, 2, 0] }, [3, 3], [20, 21, 22, 20, 21, 22, 0, 1, 2]);
    check('model m(t: f32[4, 3], i: i32[]) -> f32[3] { return gather(t, i); }', { t: table, i: [1] }, [3], [10, 11, 12]);
  });

  it('picks columns along axis 1', () => {
    check('model m(t: f32[4, 3], ids: i32[2]) -> f32[4, 2] { return gather(t, ids, axis=1); }', { t: table, ids: [2, 0] }, [4, 2], [2, 0, 12, 10, 22, 20, 32, 30]);
    check('model m(t: f32[4, 3], ids: i32[2]) -> f32[4, 2] { return gather(t, ids, axis=-1); }', { t: table, ids: [1, 1] }, [4, 2], [1, 1, 11, 11, 21, 21, 31, 31]);
  });

  it('along a middle axis of a rank-3 table with a [2, 1] index', () => {
    // t: [2, 3, 2] = 0..11; out[a, i, j, c] = t[a, ids[i, j], c].
    check('model m(t: f32[2, 3, 2], ids: i32[2, 1]) -> f32[2, 2, 1, 2] { return gather(t, ids, axis=1); }', { t: range(12), ids: [2, 0] }, [2, 2, 1, 2], [4, 5, 0, 1, 10, 11, 6, 7]);
  });

  it('raises InterpError naming the index, its position and the valid range', () => {
    const g = compile('model m(t: f32[4, 3], ids: i32[2, 2]) -> f32[2, 2, 3] { return gather(t, ids); }');
    let error: unknown;
    try {
      runGraph(g, { t: table, ids: [0, 1, 4, 2] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InterpError);
    const msg = (error as Error).message;
    expect(msg).toContain('gather index 4 at position [1, 0] of the indices is out of range for axis 0 of the table f32[4, 3]: it must be in 0..3');
    expect(msg).toMatch(/\(gather at snippet\d+\.ir:1:\d+\)$/);
  });

  it('raises for negative indices and along other axes', () => {
    expect(() => run1('model m(t: f32[4, 3], ids: i32[1]) -> f32[1, 3] { return gather(t, ids); }', { t: table, ids: [-1] })).toThrow(/gather index -1 at position \[0\]/);
    expect(() => run1('model m(t: f32[4, 3], ids: i32[2]) -> f32[4, 2] { return gather(t, ids, axis=1); }', { t: table, ids: [0, 3] })).toThrow(
      /index 3 at position \[1\] of the indices is out of range for axis 1 of the table f32\[4, 3\]: it must be in 0\.\.2/,
    );
  });
});

describe('iota', () => {
  it('counts along the last axis', () => {
    check('model m(x: f32[1]) -> i32[2, 3] { return iota(shape=[2, 3], axis=1); }', { x: [0] }, [2, 3], [0, 1, 2, 0, 1, 2]);
    check('model m(x: f32[1]) -> i32[2, 3] { return iota(shape=[2, 3], axis=-1); }', { x: [0] }, [2, 3], [0, 1, 2, 0, 1, 2]);
    check('model m(x: f32[1]) -> i32[4] { return iota(shape=[4]); }', { x: [0] }, [4], [0, 1, 2, 3]);
  });

  it('counts along a non-last axis', () => {
    check('model m(x: f32[1]) -> i32[2, 3] { return iota(shape=[2, 3], axis=0); }', { x: [0] }, [2, 3], [0, 0, 0, 1, 1, 1]);
    // [2, 3, 2] along axis 1: each index j repeats for the 2 trailing elements, the pattern for each of the 2 leading.
    check('model m(x: f32[1]) -> i32[2, 3, 2] { return iota(shape=[2, 3, 2], axis=1); }', { x: [0] }, [2, 3, 2], [0, 0, 1, 1, 2, 2, 0, 0, 1, 1, 2, 2]);
  });

  it('in float and i64 dtypes, rounding to bf16 where indices are not representable', () => {
    check('model m(x: f32[1]) -> f32[3] { return iota(shape=[3], dtype=f32); }', { x: [0] }, [3], [0, 1, 2]);
    check('model m(x: f32[1]) -> i64[2, 2] { return iota(shape=[2, 2], axis=0, dtype=i64); }', { x: [0] }, [2, 2], [0, 0, 1, 1]);
    const bf = run1('model m(x: f32[1]) -> bf16[260] { return iota(shape=[260], dtype=bf16); }', { x: [0] });
    // bf16 has 8 significant bits: 257 rounds (to even) to 256, 258 is exact, 259 rounds to 260.
    expect(vals(bf).slice(254)).toEqual([254, 255, 256, 256, 258, 260]);
  });

  it('combines with other ops (positions as floats)', () => {
    check('model m(x: f32[2, 3]) -> f32[2, 3] { return x + cast(iota(shape=[2, 3], axis=1), to=f32); }', { x: range(6, 10) }, [2, 3], [10, 12, 14, 13, 15, 17]);
  });
});

describe('const', () => {
  it('a scalar constant, rounded to float32 in f32 mode only', () => {
    const { f32, f64 } = runBoth('model m(x: f32[2]) -> f32[2] { return x + 0.1; }', { x: [0, 1] });
    expect(vals(f32)).toEqual([Math.fround(0.1), Math.fround(1 + Math.fround(0.1))]);
    expect(vals(f64)).toEqual([0.1, 1.1]);
  });

  it('as a rank-0 output', () => {
    const r = run1('model m(x: f32[1]) -> f32[] { y: f32[] = 2.5; return y; }', { x: [0] });
    expect(r.shape).toEqual([]);
    expect(vals(r)).toEqual([2.5]);
    expect(vals(run1('model m(x: f32[1]) -> i32[] { y: i32[] = -7; return y; }', { x: [0] }))).toEqual([-7]);
  });

  it('takes the dtype of the tensor it combines with', () => {
    expect(vals(run1('model m(x: i32[2]) -> i32[2] { return x * 3; }', { x: [2, -5] }))).toEqual([6, -15]);
    expect(vals(run1('model m(x: f16[1]) -> f16[1] { return x * 0.1; }', { x: [1] }))).toEqual([0.0999755859375]);
  });

});

describe('scatter_add', () => {
  // Updates [3, 2]: row i is [10 i + 1, 10 i + 2].
  const updates = [1, 2, 11, 12, 21, 22];

  it('adds each update row into the row its index names; rows named twice get the sum, others 0', () => {
    check('model m(u: f32[3, 2], ids: i32[3]) -> f32[4, 2] { return scatter_add(u, ids, rows=4); }', { u: updates, ids: [2, 0, 2] }, [4, 2], [11, 12, 0, 0, 22, 24, 0, 0]);
  });

  it('sums in index order, in float64 before the f32 result is rounded once', () => {
    // 2^24 + 1 + 1 is 2^24 + 2 (an f32) in float64; a running sum in f32 would lose each + 1.
    const { f32, f64 } = runBoth('model m(u: f32[3], ids: i32[3]) -> f32[1] { return scatter_add(u, ids, rows=1); }', { u: [16777216, 1, 1], ids: [0, 0, 0] });
    expect(vals(f64)).toEqual([16777218]);
    expect(vals(f32)).toEqual([16777218]);
  });

  it('leaves the padding_idx row 0, as gather leaves that row without a gradient', () => {
    check('model m(u: f32[3, 2], ids: i32[3]) -> f32[3, 2] { return scatter_add(u, ids, rows=3, padding_idx=0); }', { u: updates, ids: [0, 1, 0] }, [3, 2], [0, 0, 11, 12, 0, 0]);
  });

  it('with [2, 2] indices, along a middle axis, and along the last with a negative axis', () => {
    check('model m(u: f32[2, 2, 1], ids: i32[2, 2]) -> f32[3, 1] { return scatter_add(u, ids, rows=3); }', { u: [1, 2, 3, 4], ids: [1, 1, 0, 2] }, [3, 1], [3, 3, 4]);
    // u: [2, 3, 2] = 0..11; out[a, r, c] = sum over i with ids[i] = r of u[a, i, c].
    check('model m(u: f32[2, 3, 2], ids: i32[3]) -> f32[2, 2, 2] { return scatter_add(u, ids, rows=2, axis=1); }', { u: range(12), ids: [1, 0, 1] }, [2, 2, 2], [2, 3, 4, 6, 8, 9, 16, 18]);
    check('model m(u: f32[2, 3], ids: i32[3]) -> f32[2, 2] { return scatter_add(u, ids, rows=2, axis=-1); }', { u: range(6), ids: [1, 1, 0] }, [2, 2], [2, 1, 5, 7]);
  });

  it('raises InterpError naming the index, its position and the rows of the result', () => {
    expect(() => run1('model m(u: f32[2, 2], ids: i32[2]) -> f32[3, 2] { return scatter_add(u, ids, rows=3); }', { u: [1, 2, 3, 4], ids: [0, 3] })).toThrow(
      /scatter_add index 3 at position \[1\] of the indices is out of range for axis 0 of the result f32\[3, 2\]: it must be in 0\.\.2 \(scatter_add at snippet\d+\.ir:1:\d+\)$/,
    );
    expect(() => run1('model m(u: f32[1, 2], ids: i32[1]) -> f32[3, 2] { return scatter_add(u, ids, rows=3, padding_idx=0); }', { u: [1, 2], ids: [-1] })).toThrow(/scatter_add index -1 at position \[0\]/);
  });
});
