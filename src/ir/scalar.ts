/**
 * The scalar meaning of every elementwise op, in float64. The interpreter applies these per
 * element (rounding to the storage type afterwards) and the front end folds constants with them,
 * so there is one definition of what `gelu` or `erf` computes.
 */

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const INV_SQRT_PI = 0.5641895835477563;
const SQRT_2_OVER_PI = 0.7978845608028654;

/**
 * erf to within a few ulps (measured: under 1e-15 absolute against 40-digit values). Below 2.5, the
 * series erf(x) = 2/sqrt(pi) e^(-x^2) sum_n 2^n x^(2n+1) / (1*3*...*(2n+1)), whose terms are all
 * positive, so nothing cancels (the Maclaurin series loses about 5e-14 to cancellation near 3); from
 * 2.5, the continued fraction for erfc.
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  if (a >= 6) return Math.sign(x);
  const a2 = a * a;
  if (a < 2.5) {
    let term = a;
    let sum = a;
    for (let n = 1; n < 200; n++) {
      term *= (2 * a2) / (2 * n + 1);
      sum += term;
      if (term <= 1e-17 * sum) break;
    }
    return Math.sign(x) * TWO_OVER_SQRT_PI * Math.exp(-a2) * sum;
  }
  // erfc(a) = e^(-a^2) / sqrt(pi) / (a + (1/2) / (a + (2/2) / (a + (3/2) / (a + ...)))).
  let frac = 0;
  for (let k = 60; k >= 1; k--) frac = k / 2 / (a + frac);
  const erfc = (Math.exp(-a2) * INV_SQRT_PI) / (a + frac);
  return Math.sign(x) * (1 - erfc);
}

export function geluErf(x: number): number {
  return 0.5 * x * (1 + erf(x * Math.SQRT1_2));
}

export function geluTanh(x: number): number {
  return 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
}

/**
 * C's pow (and PyTorch's): unlike Math.pow, pow(1, y) is 1 for every y, NaN included, and
 * pow(-1, +-inf) is 1.
 */
function pow(a: number, b: number): number {
  if (a === 1 || (a === -1 && (b === Infinity || b === -Infinity))) return 1;
  return Math.pow(a, b);
}

export const UNARY: Readonly<Record<string, (x: number) => number>> = {
  neg: (x) => -x,
  abs: Math.abs,
  exp: Math.exp,
  log: Math.log,
  tanh: Math.tanh,
  erf,
  sqrt: Math.sqrt,
  rsqrt: (x) => 1 / Math.sqrt(x),
  recip: (x) => 1 / x,
  relu: (x) => (x > 0 || Number.isNaN(x) ? x : 0), // NaN propagates, as in PyTorch
};

export const BINARY: Readonly<Record<string, (a: number, b: number) => number>> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  max: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)),
  min: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)),
  pow,
};

export const COMPARE: Readonly<Record<string, (a: number, b: number) => boolean>> = {
  lt: (a, b) => a < b,
  le: (a, b) => a <= b,
  gt: (a, b) => a > b,
  ge: (a, b) => a >= b,
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
};
