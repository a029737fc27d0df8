import { describe, expect, it } from 'vitest';
import { expectClose, f32, run1, runBoth, vals } from './helpers.js';

/**
 * Unary, binary, compare, where and cast kernels against hand-computed values. Every case runs in
 * both modes: f64 (float64 working storage) must match the exact value (or the correctly rounded
 * double, within a few ulps for transcendental functions), f32 must match its float32 rounding.
 */

const inf = Infinity;
/** Relative error allowed for float64 transcendental results (about two ulps). */
const REL64 = 4.5e-16;
/** Relative error allowed for float32 transcendental results. */
const REL32 = 1e-6;

/** `op(x)` over f32[n]; inputs must be representable in float32 so both modes see the same values. */
function unary(op: string, xs: readonly number[], expected: readonly number[], exact: boolean): void {
  const n = xs.length;
  const { f32: r32, f64: r64 } = runBoth(`model m(x: f32[${n}]) -> f32[${n}] { return ${op}(x); }`, { x: xs });
  expect(r32.data).toBeInstanceOf(Float32Array);
  expect(r64.data).toBeInstanceOf(Float64Array);
  if (exact) {
    expect(vals(r64)).toEqual(expected);
    expect(vals(r32)).toEqual(f32(expected));
  } else {
    expectClose(r64.data, expected, REL64, `${op} f64`);
    expectClose(r32.data, expected, REL32, `${op} f32`);
  }
}

describe('unary ops', () => {
  it('neg', () => {
    unary('neg', [1.5, -2, 0, -0, inf, NaN], [-1.5, 2, -0, 0, -inf, NaN], true);
    expect(vals(run1('model m(x: i32[3]) -> i32[3] { return -x; }', { x: [5, -7, -2147483648] }))).toEqual([-5, 7, -2147483648]);
  });

  it('abs', () => {
    unary('abs', [-1.5, 2, -0, -inf, NaN], [1.5, 2, 0, inf, NaN], true);
    expect(vals(run1('model m(x: i32[3]) -> i32[3] { return abs(x); }', { x: [-3, 0, 4] }))).toEqual([3, 0, 4]);
  });

  it('exp', () => {
    unary('exp', [0, 1, -1, 0.5, 2, -inf], [1, 2.718281828459045, 0.36787944117144233, 1.6487212707001282, 7.38905609893065, 0], false);
    // e^100 overflows float32 but not float64.
    const { f32: r32, f64: r64 } = runBoth('model m(x: f32[1]) -> f32[1] { return exp(x); }', { x: [100] });
    expect(vals(r32)).toEqual([inf]);
    expectClose(r64.data, [2.6881171418161356e43], REL64);
  });

  it('log', () => {
    unary('log', [1, 2, 10, 0.5, 0, -1, inf], [0, 0.6931471805599453, 2.302585092994046, -0.6931471805599453, -inf, NaN, inf], false);
  });

  it('tanh', () => {
    unary('tanh', [0, 0.5, -1, 20, -inf], [0, 0.46211715726000974, -0.7615941559557649, 1, -1], false);
  });

  it('sqrt', () => {
    unary('sqrt', [0, 0.25, 4, 1e6, inf, -1], [0, 0.5, 2, 1000, inf, NaN], true);
    unary('sqrt', [2, 3], [1.4142135623730951, 1.7320508075688772], false);
  });

  it('rsqrt', () => {
    unary('rsqrt', [4, 0.25, 0, inf, -1], [0.5, 2, inf, 0, NaN], true);
    unary('rsqrt', [2, 3], [0.7071067811865476, 0.5773502691896258], false);
  });

  it('recip', () => {
    unary('recip', [2, -4, 0.125, 0, -0, inf], [0.5, -0.25, 8, inf, -inf, 0], true);
    unary('recip', [3], [0.3333333333333333], false);
  });

  it('relu, which propagates NaN like PyTorch', () => {
    unary('relu', [-1, 0, 2.5, -0, NaN, -inf, inf], [0, 0, 2.5, 0, NaN, 0, inf], true);
    expect(vals(run1('model m(x: i32[3]) -> i32[3] { return relu(x); }', { x: [-3, 0, 4] }))).toEqual([0, 0, 4]);
  });
});

/** `x OP y` for shaped inputs in both modes, checked exactly. */
function binaryExact(expr: string, sig: string, out: string, inputs: Record<string, number[]>, expected: readonly number[]): void {
  const { f32: r32, f64: r64 } = runBoth(`model m(${sig}) -> ${out} { return ${expr}; }`, inputs);
  expect(vals(r64)).toEqual(expected);
  expect(vals(r32)).toEqual(f32(expected));
}

describe('binary ops', () => {
  const sig = 'x: f32[6], y: f32[6]';
  it('add, sub, mul, div', () => {
    const x = [1.5, -2, 0.25, 1, -1, 0];
    const y = [2, 0.5, -0.25, 0, 0, 0];
    binaryExact('x + y', sig, 'f32[6]', { x, y }, [3.5, -1.5, 0, 1, -1, 0]);
    binaryExact('x - y', sig, 'f32[6]', { x, y }, [-0.5, -2.5, 0.5, 1, -1, 0]);
    binaryExact('x * y', sig, 'f32[6]', { x, y }, [3, -1, -0.0625, 0, -0, 0]);
    binaryExact('x / y', sig, 'f32[6]', { x, y }, [0.75, -4, -1, inf, -inf, NaN]);
    binaryExact('add(x, y)', 'x: f32[2], y: f32[2]', 'f32[2]', { x: [inf, inf], y: [-inf, inf] }, [NaN, inf]);
  });

  it('max and min propagate NaN', () => {
    const x = [1, -2, NaN, 3, -inf];
    const y = [2, -3, 1, NaN, 0];
    binaryExact('max(x, y)', 'x: f32[5], y: f32[5]', 'f32[5]', { x, y }, [2, -2, NaN, NaN, 0]);
    binaryExact('min(x, y)', 'x: f32[5], y: f32[5]', 'f32[5]', { x, y }, [1, -3, NaN, NaN, -inf]);
  });

  it('pow, with the C edge cases pow(1, y) = 1 and pow(x, 0) = 1', () => {
    const x = [2, 4, 2, 0, -8, 1, NaN, -1, -2, 1];
    const y = [10, 0.5, -2, -1, 1 / 3, NaN, 0, inf, 3, inf];
    binaryExact('pow(x, y)', 'x: f32[10], y: f32[10]', 'f32[10]', { x, y: f32(y) }, [1024, 2, 0.25, inf, NaN, 1, 1, 1, -8, 1]);
  });

  it('f32 mode rounds each result to float32', () => {
    // 1/3 is rounded once: the f32 result is fround of the exact double quotient.
    const { f32: r32, f64: r64 } = runBoth('model m(x: f32[2], y: f32[2]) -> f32[2] { return x / y; }', { x: [1, 2], y: [3, 3] });
    expect(vals(r64)).toEqual([1 / 3, 2 / 3]);
    expect(vals(r32)).toEqual([Math.fround(1 / 3), Math.fround(2 / 3)]);
  });

  it('integer arithmetic truncates division toward zero in i32 and i64 alike', () => {
    for (const t of ['i32', 'i64']) {
      const q = run1(`model m(x: ${t}[4], y: ${t}[4]) -> ${t}[4] { return x / y; }`, { x: [7, -7, 6, 1], y: [2, 2, 3, 4] });
      expect(vals(q), t).toEqual([3, -3, 2, 0]);
    }
    const i64 = run1('model m(x: i64[2], y: i64[2]) -> i64[2] { return x / y; }', { x: [-1, 0], y: [4, 5] });
    expect(i64.data).toBeInstanceOf(Float64Array);
    expect(vals(i64)).toEqual([0, 0]); // not -0
  });

  it("i32 addition wraps like two's complement", () => {
    expect(vals(run1('model m(x: i32[2]) -> i32[2] { return x + 1; }', { x: [2147483647, -5] }))).toEqual([-2147483648, -4]);
  });
});

describe('broadcasting', () => {
  it('a scalar constant', () => {
    binaryExact('x * 2 - 1', 'x: f32[2, 2]', 'f32[2, 2]', { x: [0, 1, 2, 3] }, [-1, 1, 3, 5]);
  });

  it('a rank-0 input onto a matrix, and rank 0 with rank 0', () => {
    binaryExact('x - s', 'x: f32[2, 2], s: f32[]', 'f32[2, 2]', { x: [0, 1, 2, 3], s: [0.5] }, [-0.5, 0.5, 1.5, 2.5]);
    const r = run1('model m(a: f32[], b: f32[]) -> f32[] { return a * b; }', { a: [3], b: [-4] });
    expect(r.shape).toEqual([]);
    expect(vals(r)).toEqual([-12]);
  });

  it('[3] onto [2, 3]', () => {
    binaryExact('x + y', 'x: f32[2, 3], y: f32[3]', 'f32[2, 3]', { x: [0, 1, 2, 3, 4, 5], y: [10, 20, 30] }, [10, 21, 32, 13, 24, 35]);
  });

  it('[2, 1] with [1, 3]', () => {
    binaryExact('x * y', 'x: f32[2, 1], y: f32[1, 3]', 'f32[2, 3]', { x: [2, 3], y: [1, 10, 100] }, [2, 20, 200, 3, 30, 300]);
  });

  it('a single element, and size-1 dimensions on both sides', () => {
    binaryExact('x + y', 'x: f32[1], y: f32[]', 'f32[1]', { x: [1.5], y: [2] }, [3.5]);
    binaryExact('x - y', 'x: f32[1, 2, 1], y: f32[3, 1, 1]', 'f32[3, 2, 1]', { x: [1, 2], y: [10, 20, 30] }, [-9, -8, -19, -18, -29, -28]);
  });

  it('rank 5, by explicit nested loops', () => {
    // x: [2, 1, 3, 1, 2] holds its flat index, y: [1, 2, 1, 2, 1] holds 100 * its flat index.
    const x = Array.from({ length: 12 }, (_, i) => i);
    const y = [0, 100, 200, 300];
    const expected: number[] = [];
    for (let a = 0; a < 2; a++)
      for (let b = 0; b < 2; b++)
        for (let c = 0; c < 3; c++)
          for (let d = 0; d < 2; d++)
            for (let e = 0; e < 2; e++) expected.push(x[a * 6 + c * 2 + e]! + y[b * 2 + d]!);
    binaryExact('x + y', 'x: f32[2, 1, 3, 1, 2], y: f32[1, 2, 1, 2, 1]', 'f32[2, 2, 3, 2, 2]', { x, y }, expected);
  });
});

describe('compare ops', () => {
  const x = [1, 2, 3, NaN, -0, -inf];
  const y = [2, 2, 2, NaN, 0, -inf];
  const cases: [string, string, number[]][] = [
    ['lt', '<', [1, 0, 0, 0, 0, 0]],
    ['le', '<=', [1, 1, 0, 0, 1, 1]],
    ['gt', '>', [0, 0, 1, 0, 0, 0]],
    ['ge', '>=', [0, 1, 1, 0, 1, 1]],
    ['eq', '==', [0, 1, 0, 0, 1, 1]],
    ['ne', '!=', [1, 0, 1, 1, 0, 0]],
  ];
  it.each(cases)('%s (and its infix form %s) gives bool, NaN comparing unequal', (op, infix, expected) => {
    for (const expr of [`${op}(x, y)`, `x ${infix} y`]) {
      for (const f64 of [false, true]) {
        const r = run1(`model m(x: f32[6], y: f32[6]) -> bool[6] { return ${expr}; }`, { x, y }, { f64 });
        expect(r.dtype).toBe('bool');
        expect(r.data).toBeInstanceOf(Uint8Array);
        expect(vals(r)).toEqual(expected);
      }
    }
  });

  it('broadcast, on integers and on bools', () => {
    expect(vals(run1('model m(x: i32[2, 1], y: i32[3]) -> bool[2, 3] { return x < y; }', { x: [1, 5], y: [0, 2, 6] }))).toEqual([0, 1, 1, 0, 0, 1]);
    expect(vals(run1('model m(x: i64[3]) -> bool[3] { return x >= 0; }', { x: [-1, 0, 2 ** 40] }))).toEqual([0, 1, 1]);
    expect(vals(run1('model m(a: bool[2], b: bool[2]) -> bool[2] { return a == b; }', { a: [1, 0], b: [1, 1] }))).toEqual([1, 0]);
  });
});

describe('where', () => {
  it('selects elementwise, ignoring NaN in the branch not taken', () => {
    for (const f64 of [false, true]) {
      const r = run1('model m(c: bool[4], a: f32[4], b: f32[4]) -> f32[4] { return where(c, a, b); }', { c: [1, 0, 1, 0], a: [1, NaN, 3, 4], b: [-1, -2, NaN, -4] }, { f64 });
      expect(vals(r)).toEqual([1, -2, 3, -4]);
    }
  });

  it('broadcasts the condition and both branches, with a constant branch', () => {
    const r = run1('model m(c: bool[2, 1], a: f32[1, 3]) -> f32[2, 3] { return where(c, a, -1); }', { c: [1, 0], a: [7, 8, 9] });
    expect(vals(r)).toEqual([7, 8, 9, -1, -1, -1]);
  });

  it('keeps the dtype of its branches: i32, i64 and bool', () => {
    expect(vals(run1('model m(c: bool[3], a: i32[3]) -> i32[3] { return where(c, a, 0); }', { c: [0, 1, 1], a: [5, -6, 7] }))).toEqual([0, -6, 7]);
    const i64 = run1('model m(c: bool[2], a: i64[2], b: i64[2]) -> i64[2] { return where(c, a, b); }', { c: [1, 0], a: [2 ** 40, 1], b: [0, -(2 ** 41)] });
    expect(vals(i64)).toEqual([2 ** 40, -(2 ** 41)]);
    const b = run1('model m(c: bool[3], a: bool[3], b: bool[3]) -> bool[3] { return where(c, a, b); }', { c: [1, 0, 0], a: [1, 1, 1], b: [0, 1, 0] });
    expect(b.data).toBeInstanceOf(Uint8Array);
    expect(vals(b)).toEqual([1, 1, 0]);
  });

  it('with a computed condition (relu by hand)', () => {
    expect(vals(run1('model m(x: f32[3]) -> f32[3] { return where(x > 0, x, 0); }', { x: [-1, 0.5, 2] }))).toEqual([0, 0.5, 2]);
  });
});

describe('cast', () => {
  const castBoth = (from: string, to: string, xs: number[]) => runBoth(`model m(x: ${from}[${xs.length}]) -> ${to}[${xs.length}] { return cast(x, to=${to}); }`, { x: xs });

  it('to f16 rounds to nearest, ties to even, overflowing to infinity', () => {
    const xs = [0.1, 1 + 2 ** -11, 1 + 3 * 2 ** -11, 65519, 65520, -2.5, 2 ** -25, 3 * 2 ** -26, -inf, NaN];
    const expected = [0.0999755859375, 1, 1.001953125, 65504, inf, -2.5, 0, 2 ** -24, -inf, NaN];
    const { f32: r32, f64: r64 } = castBoth('f32', 'f16', xs);
    expect(r32.dtype).toBe('f16');
    expect(vals(r32)).toEqual(expected);
    expect(vals(r64)).toEqual(expected);
  });

  it('to bf16 rounds to nearest, ties to even', () => {
    const xs = [0.1, 1 + 2 ** -8, 1 + 3 * 2 ** -8, 257, 259, 3.39e38, 3.4028234663852886e38];
    const expected = [0.10009765625, 1, 1.015625, 256, 260, 3.3895313892515355e38, inf];
    const { f32: r32, f64: r64 } = castBoth('f32', 'bf16', xs);
    expect(vals(r32)).toEqual(expected);
    expect(vals(r64)).toEqual(expected);
  });

  it('to i32 truncates toward zero and saturates, NaN giving 0', () => {
    const xs = [2.7, -2.7, -0.5, 0, NaN, inf, -inf, 3e9, -3e9, 2147483520];
    const { f32: r32, f64: r64 } = castBoth('f32', 'i32', xs);
    const expected = [2, -2, 0, 0, 0, 2147483647, -2147483648, 2147483647, -2147483648, 2147483520];
    expect(r32.data).toBeInstanceOf(Int32Array);
    expect(vals(r32)).toEqual(expected);
    expect(vals(r64)).toEqual(expected);
  });

  it('to i64 truncates toward zero and saturates, without negative zero', () => {
    const r = run1('model m(x: f32[5]) -> i64[5] { return cast(x, to=i64); }', { x: [-0.5, 1e10, 1e20, -1e20, NaN] });
    expect(r.data).toBeInstanceOf(Float64Array);
    expect(vals(r)).toEqual([0, 1e10, 9223372036854774784, -9223372036854775808, 0]);
  });

  it('to bool is x != 0, so NaN is true', () => {
    const { f32: r32 } = castBoth('f32', 'bool', [0, -0, 0.5, NaN, -inf]);
    expect(vals(r32)).toEqual([0, 0, 1, 1, 1]);
    expect(vals(castBoth('i32', 'bool', [0, -3, 7]).f32)).toEqual([0, 1, 1]);
  });

  it('between integers wraps to i32, and from bool gives 0 or 1', () => {
    expect(vals(castBoth('i64', 'i32', [4294967297, -1, 2 ** 31]).f32)).toEqual([1, -1, -2147483648]);
    expect(vals(castBoth('i32', 'i64', [-2147483648, 5]).f32)).toEqual([-2147483648, 5]);
    expect(vals(castBoth('bool', 'f32', [0, 1]).f32)).toEqual([0, 1]);
    expect(vals(castBoth('bool', 'i32', [1, 0]).f32)).toEqual([1, 0]);
  });

  it('from integers to floats rounds to the target type', () => {
    const { f32: r32, f64: r64 } = castBoth('i32', 'f32', [16777217, -3]);
    expect(vals(r32)).toEqual([16777216, -3]); // float32 storage rounds
    expect(vals(r64)).toEqual([16777217, -3]); // f64 mode keeps working precision
    expect(vals(castBoth('i32', 'f16', [2049, 65520, -7]).f32)).toEqual([2048, inf, -7]);
    expect(vals(castBoth('i32', 'bf16', [257, 259]).f32)).toEqual([256, 260]);
  });

  it('f16 arithmetic is rounded back to f16 after each op', () => {
    // 1 + 2^-11 is a tie in f16 and rounds to 1; 1 + 2^-10 is representable.
    const r = run1('model m(x: f16[2]) -> f16[2] { return x + 0.00048828125; }', { x: [1, 1 + 2 ** -10] });
    expect(vals(r)).toEqual([1, 1 + 2 ** -9]);
  });
});

describe('f32 versus f64 mode', () => {
  const xs = [0.5, 1.25, 3, 7.75, 0.1, 1e-3, 12.5].map(Math.fround);
  const ops = ['exp', 'log', 'tanh', 'erf', 'sqrt', 'rsqrt', 'recip', 'gelu', 'neg', 'abs', 'relu'];

  it.each(ops)('%s: the f32 result is the f64 result rounded to float32', (op) => {
    const { f32: r32, f64: r64 } = runBoth(`model m(x: f32[7]) -> f32[7] { return ${op}(x); }`, { x: xs });
    expect(r32.data).toBeInstanceOf(Float32Array);
    expect(r64.data).toBeInstanceOf(Float64Array);
    expect(vals(r32)).toEqual(vals(r64).map(Math.fround));
  });

  it.each(['+', '-', '*', '/'])('x %s y: the f32 result is the f64 result rounded to float32', (op) => {
    const ys = [3, 0.7, 1.1, 9, 0.3, 5, 2.2].map(Math.fround);
    const { f32: r32, f64: r64 } = runBoth(`model m(x: f32[7], y: f32[7]) -> f32[7] { return x ${op} y; }`, { x: xs, y: ys });
    expect(vals(r32)).toEqual(vals(r64).map(Math.fround));
  });

  it('integer and bool results use the same storage in both modes', () => {
    const { f32: a, f64: b } = runBoth('model m(x: f32[2]) -> i32[2] { return cast(x, to=i32); }', { x: [1.5, 2.5] });
    expect(a.data).toBeInstanceOf(Int32Array);
    expect(b.data).toBeInstanceOf(Int32Array);
    const { f32: c, f64: d } = runBoth('model m(x: f32[2]) -> bool[2] { return x > 2; }', { x: [1.5, 2.5] });
    expect(c.data).toBeInstanceOf(Uint8Array);
    expect(d.data).toBeInstanceOf(Uint8Array);
  });
});
