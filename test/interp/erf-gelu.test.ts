import { describe, expect, it } from 'vitest';
import { erf, geluErf, geluTanh } from '../../src/ir/scalar.js';
import { expectClose, runBoth, vals } from './helpers.js';

/**
 * erf and both GELUs against high-precision reference values (computed with 40-digit mpmath and
 * written out here), through the scalar definitions and through the interpreter in both modes.
 */

/** [x, erf(x)] correctly rounded; the points straddle the switch from series to continued fraction at 3. */
const ERF: readonly [number, number][] = [
  [0, 0],
  [0.001, 0.0011283787909692365],
  [0.1, 0.1124629160182849],
  [0.5, 0.5204998778130465],
  [1, 0.8427007929497149],
  [1.5, 0.9661051464753108],
  [2, 0.9953222650189527],
  [2.5, 0.999593047982555],
  [2.9, 0.9999589021219005],
  [3, 0.9999779095030014],
  [3.5, 0.9999992569016276],
  [4, 0.9999999845827421],
  [5, 0.9999999999984626],
  [5.9, 0.9999999999999999],
  [6, 1],
  [-1, -0.8427007929497149],
  [-2.5, -0.999593047982555],
];

/** [x, x * Phi(x), the tanh approximation 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))]. */
const GELU: readonly [number, number, number][] = [
  [-3, -0.0040496940948902835, -0.003637392081773019],
  [-1, -0.15865525393145705, -0.1588080093917233],
  [-0.5, -0.15426876936299344, -0.15428599017485609],
  [0, 0, 0],
  [0.5, 0.34573123063700656, 0.34571400982514394],
  [1, 0.8413447460685429, 0.8411919906082767],
  [2, 1.9544997361036416, 1.954597694087775],
  [3, 2.99595030590511, 2.996362607918227],
];

function expectAbs(actual: ArrayLike<number>, expected: readonly number[], tol: number): void {
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i]! - expected[i]!), `element ${i}: ${actual[i]} vs ${expected[i]}`).toBeLessThanOrEqual(tol);
  }
}

describe('erf', () => {
  it('matches high-precision values to 1e-13 (in fact to a few ulps)', () => {
    expectAbs(ERF.map(([x]) => erf(x)), ERF.map(([, e]) => e), 1e-13);
    expectAbs(ERF.map(([x]) => erf(x)), ERF.map(([, e]) => e), 1e-15);
  });

  it('is odd, exactly, with the limits and NaN handled', () => {
    for (const [x] of ERF) expect(erf(-x)).toBe(-erf(x));
    expect(erf(0)).toBe(0);
    expect(Object.is(erf(-0), -0)).toBe(true);
    expect(erf(Infinity)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(erf(100)).toBe(1);
    expect(erf(NaN)).toBeNaN();
  });

  it('is monotonic across [-6, 6] on a fine grid', () => {
    let prev = -1;
    for (let i = -6000; i <= 6000; i++) {
      const v = erf(i / 1000);
      expect(v).toBeGreaterThanOrEqual(prev);
      prev = v;
    }
  });

  it('the interpreter agrees in both modes (1e-13 in f64, 1e-6 relative in f32)', () => {
    const xs = ERF.map(([x]) => x);
    const { f32, f64 } = runBoth(`model m(x: f32[${xs.length}]) -> f32[${xs.length}] { return erf(x); }`, { x: xs.map(Math.fround) });
    // The f64 run sees the float32-rounded inputs; only 0.001, 0.1, 2.9 and 5.9 are not exact.
    const exactInputs = ERF.filter(([x]) => Math.fround(x) === x);
    expectAbs(
      exactInputs.map(([x]) => f64.data[xs.indexOf(x)]!),
      exactInputs.map(([, e]) => e),
      1e-13,
    );
    expectClose(f32.data, ERF.map(([, e]) => e), 1e-6, 'erf f32');
  });
});

describe('gelu', () => {
  it('exact (erf) GELU is x * Phi(x), to 1e-13', () => {
    expectAbs(GELU.map(([x]) => geluErf(x)), GELU.map(([, e]) => e), 1e-13);
  });

  it('exact GELU equals 0.5 x (1 + erf(x / sqrt 2)) across [-8, 8]', () => {
    for (let i = -800; i <= 800; i++) {
      const x = i / 100;
      const formula = 0.5 * x * (1 + erf(x / Math.sqrt(2)));
      // Only the rounding of x / sqrt 2 may differ (by one ulp of erf's argument).
      expect(Math.abs(geluErf(x) - formula)).toBeLessThanOrEqual(1e-15 * Math.max(1, Math.abs(x)));
    }
  });

  it('tanh GELU matches its formula', () => {
    expectAbs(GELU.map(([x]) => geluTanh(x)), GELU.map(([, , e]) => e), 1e-15);
  });

  for (const [attr, col] of [['', 1], [', approximate="tanh"', 2]] as const) {
    it(`the interpreter computes gelu(x${attr}) in both modes`, () => {
      const xs = GELU.map(([x]) => x);
      const expected = GELU.map((row) => row[col]);
      const { f32, f64 } = runBoth(`model m(x: f32[${xs.length}]) -> f32[${xs.length}] { return gelu(x${attr}); }`, { x: xs });
      expectAbs(f64.data, expected, 1e-13);
      expectClose(f32.data, expected, 1e-6, 'gelu f32');
    });
  }

  it('the two forms differ (the approximation is not the exact GELU)', () => {
    const { f64: exact } = runBoth('model m(x: f32[1]) -> f32[1] { return gelu(x); }', { x: [1] });
    const { f64: approx } = runBoth('model m(x: f32[1]) -> f32[1] { return gelu(x, approximate="tanh"); }', { x: [1] });
    expect(vals(exact)[0]).not.toBe(vals(approx)[0]);
  });
});
