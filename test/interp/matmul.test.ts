import { describe, expect, it } from 'vitest';
import { f32, run1, runBoth, vals } from './helpers.js';

/**
 * matmul against hand-computed products and, for the broadcast cases, against a plain triple loop
 * over explicitly indexed operands. Inputs are small integers, so every product is exact.
 */

/** Runs `expr` in both modes and checks the output shape and its values exactly. */
function check(src: string, inputs: Record<string, number[]>, shape: number[], expected: number[]): void {
  const { f32: r32, f64: r64 } = runBoth(src, inputs);
  expect(r32.shape).toEqual(shape);
  expect(vals(r64)).toEqual(expected);
  expect(vals(r32)).toEqual(f32(expected));
}

/** Row-major [..batch, rows, cols] element accessor. */
const at = (data: readonly number[], rows: number, cols: number) => (b: number, i: number, j: number) => data[(b * rows + i) * cols + j]!;

/** The product C[b] = A[ab(b)] B[bb(b)] by definition, A being [M, K] and B [K, N] per batch. */
function reference(batches: number, M: number, K: number, N: number, a: (b: number, i: number, k: number) => number, bm: (b: number, k: number, j: number) => number): number[] {
  const out: number[] = [];
  for (let b = 0; b < batches; b++) {
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += a(b, i, k) * bm(b, k, j);
        out.push(s);
      }
    }
  }
  return out;
}

/** 1, 2, 3, ... with alternating signs, so that rows and columns are distinguishable. */
const seq = (n: number, from = 1) => Array.from({ length: n }, (_, i) => (i % 2 ? -1 : 1) * (i + from));

describe('matmul', () => {
  const A = [1, 2, 3, 4, 5, 6]; // [[1, 2, 3], [4, 5, 6]]
  const B = [7, 8, 9, 10, 11, 12]; // [[7, 8], [9, 10], [11, 12]]
  const AB = [58, 64, 139, 154];

  it('2-D', () => {
    check('model m(a: f32[2, 3], b: f32[3, 2]) -> f32[2, 2] { return matmul(a, b); }', { a: A, b: B }, [2, 2], AB);
  });

  it('transpose_a: a is stored as [K, M]', () => {
    const At = [1, 4, 2, 5, 3, 6];
    check('model m(a: f32[3, 2], b: f32[3, 2]) -> f32[2, 2] { return matmul(a, b, transpose_a=true); }', { a: At, b: B }, [2, 2], AB);
  });

  it('transpose_b: b is stored as [N, K] (the nn.Linear layout)', () => {
    const Bt = [7, 9, 11, 8, 10, 12];
    check('model m(a: f32[2, 3], b: f32[2, 3]) -> f32[2, 2] { return matmul(a, b, transpose_b=true); }', { a: A, b: Bt }, [2, 2], AB);
  });

  it('both transposed', () => {
    check('model m(a: f32[3, 2], b: f32[2, 3]) -> f32[2, 2] { return matmul(a, b, transpose_a=true, transpose_b=true); }', { a: [1, 4, 2, 5, 3, 6], b: [7, 9, 11, 8, 10, 12] }, [2, 2], AB);
  });

  it('non-square with size-1 dimensions: a row times a column and a column times a row', () => {
    check('model m(a: f32[1, 3], b: f32[3, 1]) -> f32[1, 1] { return matmul(a, b); }', { a: [1, 2, 3], b: [4, 5, 6] }, [1, 1], [32]);
    check('model m(a: f32[2, 1], b: f32[1, 3]) -> f32[2, 3] { return matmul(a, b); }', { a: [2, -1], b: [1, 2, 3] }, [2, 3], [2, 4, 6, -1, -2, -3]);
  });

  it('batched: each batch multiplies separately', () => {
    // Batch 0: identity times [[1, 2], [3, 4]]; batch 1: [[0, 1], [1, 0]] swaps the rows of [[5, 6], [7, 8]].
    check('model m(a: f32[2, 2, 2], b: f32[2, 2, 2]) -> f32[2, 2, 2] { return matmul(a, b); }', { a: [1, 0, 0, 1, 0, 1, 1, 0], b: [1, 2, 3, 4, 5, 6, 7, 8] }, [2, 2, 2], [1, 2, 3, 4, 7, 8, 5, 6]);
  });

  it('[2, 3, 4] x [4, 5]: the matrix is shared by every batch', () => {
    const a = seq(24);
    const b = seq(20, 3);
    const expected = reference(2, 3, 4, 5, at(a, 3, 4), (_, k, j) => b[k * 5 + j]!);
    check('model m(a: f32[2, 3, 4], b: f32[4, 5]) -> f32[2, 3, 5] { return matmul(a, b); }', { a, b }, [2, 3, 5], expected);
  });

  it('[3, 2, 4] x [1, 4, 5]: a batch dimension of 1 broadcasts', () => {
    const a = seq(24);
    const b = seq(20, 2);
    const expected = reference(3, 2, 4, 5, at(a, 2, 4), (_, k, j) => b[k * 5 + j]!);
    check('model m(a: f32[3, 2, 4], b: f32[1, 4, 5]) -> f32[3, 2, 5] { return matmul(a, b); }', { a, b }, [3, 2, 5], expected);
  });

  it('[2, 1, 2, 3] x [3, 3, 2]: batch dimensions broadcast on both sides to [2, 3]', () => {
    const a = seq(12);
    const b = seq(18, 5);
    // Output batch (p, q) uses a[p, 0] and b[q].
    const expected = reference(6, 2, 3, 2, (bq, i, k) => a[(Math.floor(bq / 3) * 2 + i) * 3 + k]!, (bq, k, j) => b[((bq % 3) * 3 + k) * 2 + j]!);
    check('model m(a: f32[2, 1, 2, 3], b: f32[3, 3, 2]) -> f32[2, 3, 2, 2] { return matmul(a, b); }', { a, b }, [2, 3, 2, 2], expected);
  });

  it('batched with transpose_b, as in attention scores q k^T', () => {
    const q = seq(12); // [2, 2, 3]
    const k = seq(12, 4); // [2, 2, 3], used as [2, 3, 2]
    const expected = reference(2, 2, 3, 2, at(q, 2, 3), (b, kk, j) => k[(b * 2 + j) * 3 + kk]!);
    check('model m(q: f32[2, 2, 3], k: f32[2, 2, 3]) -> f32[2, 2, 2] { return matmul(q, k, transpose_b=true); }', { q, k }, [2, 2, 2], expected);
  });

  it('propagates NaN from 0 * infinity and 0 * NaN', () => {
    const r = run1('model m(a: f32[2, 2], b: f32[2, 2]) -> f32[2, 2] { return matmul(a, b); }', { a: [0, 1, 1, 1], b: [Infinity, NaN, 1, 1] });
    // Row 0: 0 * inf + 1 * 1 = NaN, 0 * NaN + 1 = NaN; row 1: inf + 1, NaN + 1.
    expect(vals(r)).toEqual([NaN, NaN, Infinity, NaN]);
  });

  it('accumulates in float64 and rounds once', () => {
    const { f32: r } = runBoth('model m(a: f32[1, 3], b: f32[3, 1]) -> f32[1, 1] { return matmul(a, b); }', { a: [1e8, 1, -1e8], b: [1, 1, 1] });
    expect(vals(r)).toEqual([1]);
  });

  it('on integers', () => {
    const r = run1('model m(a: i32[2, 3], b: i32[3, 2]) -> i32[2, 2] { return matmul(a, b); }', { a: A, b: B });
    expect(r.data).toBeInstanceOf(Int32Array);
    expect(vals(r)).toEqual(AB);
  });
});
