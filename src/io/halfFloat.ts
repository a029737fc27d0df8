/**
 * Bit-level conversions between float32 and the two 16-bit float formats (IEEE binary16 and
 * bfloat16). Encoding rounds to nearest, ties to even, like hardware and PyTorch do, so that
 * files written here hold the same bits a reference implementation would.
 *
 * Inputs to the encoders are rounded to float32 first: these are f32 -> 16-bit conversions, and
 * f16/bf16 tensors already hold values representable in their type, so no double rounding arises.
 */

import type { DType } from '../ir/dtype.js';

// Scratch views sharing one buffer reinterpret a float32 as its bits (same native byte order on both).
const scratchF32 = new Float32Array(1);
const scratchU32 = new Uint32Array(scratchF32.buffer);

function f32Bits(x: number): number {
  scratchF32[0] = x;
  return scratchU32[0]!;
}

/** `m >>> s`, rounded to nearest with ties to even on the dropped bits (1 <= s <= 31). */
function shiftRoundEven(m: number, s: number): number {
  const q = m >>> s;
  const rem = m & ((1 << s) - 1);
  const half = 1 << (s - 1);
  return rem > half || (rem === half && (q & 1) === 1) ? q + 1 : q;
}

/** binary16 bits (0..0xffff) of the float32 nearest `x`. */
export function f32ToF16Bits(x: number): number {
  const b = f32Bits(x);
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  const mant = b & 0x7fffff;
  // Keep NaN payload's top bits but force the quiet bit, so a payload living only in the low bits
  // cannot turn into infinity.
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 | (mant >>> 13) : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // Below 2^-25 (half the smallest subnormal) everything rounds to zero, ties included.
    if (e < -10) return sign;
    // f16 subnormal count = value / 2^-24 = (1.mant as a 24-bit integer) >> (14 - e).
    return sign | shiftRoundEven(mant | 0x800000, 14 - e);
  }
  // Rounding the exponent and mantissa together lets a mantissa carry bump the exponent, which
  // also turns values just under 65520 into infinity, as IEEE requires.
  return sign | shiftRoundEven((e << 23) | mant, 13);
}

/** The exact value of binary16 bits `h`. */
export function f16BitsToF32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant !== 0 ? NaN : sign * Infinity;
  return sign * (0x400 + mant) * 2 ** (exp - 25);
}

/** bfloat16 bits (0..0xffff) of the float32 nearest `x`. */
export function f32ToBf16Bits(x: number): number {
  const b = f32Bits(x);
  // Truncating a NaN could leave an all-zero mantissa (infinity); set the quiet bit instead.
  if ((b & 0x7fffffff) > 0x7f800000) return (b >>> 16) | 0x40;
  // bf16 is the top half of a float32, so round-to-nearest-even is an add on the low half; the
  // carry into the exponent turns the largest values into infinity correctly.
  return ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16) & 0xffff;
}

/** The exact value of bfloat16 bits `h`. */
export function bf16BitsToF32(h: number): number {
  scratchU32[0] = (h & 0xffff) << 16;
  return scratchF32[0]!;
}

/** `x` as a 16-bit float dtype holds it (rounded to nearest, ties to even); any other dtype leaves it as it is. */
export function roundToHalf(x: number, d: DType): number {
  if (d === 'f16') return f16BitsToF32(f32ToF16Bits(x));
  if (d === 'bf16') return bf16BitsToF32(f32ToBf16Bits(x));
  return x;
}
