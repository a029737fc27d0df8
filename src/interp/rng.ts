/**
 * The counter-based generator behind dropout, specified in docs/dropout-rng.md. It uses only 32-bit
 * unsigned arithmetic (wrapping multiply, add, xor, shifts) so that C (`uint32_t`) and WGSL (`u32`)
 * produce the same mask bit for bit.
 */

/** MurmurHash3's 32-bit finaliser: a bijection on u32 with full avalanche. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The per-op key: one stream per (seed, dropout id). */
export function dropoutKey(seed: number, id: number): number {
  const k0 = fmix32((seed + 0x9e3779b9) >>> 0);
  return fmix32((k0 ^ Math.imul(id, 0x85ebca77)) >>> 0);
}

/** The random u32 for element `i` (row-major index into the dropout's output). */
export function dropoutBits(key: number, i: number): number {
  return fmix32((Math.imul(i, 0x9e3779b9) + key) >>> 0);
}

/** Elements whose bits fall below this are dropped: floor(p * 2^32). */
export function dropoutThreshold(p: number): number {
  return Math.floor(p * 4294967296);
}

/** The factor kept elements are multiplied by, rounded to f32 as every backend stores it. */
export function dropoutScale(p: number): number {
  return Math.fround(1 / (1 - p));
}
