import { describe, expect, it } from 'vitest';
import { dropoutBits, dropoutKey, dropoutScale, dropoutThreshold, fmix32 } from '../../src/interp/rng.js';
import { compile, run, run1, runGraph, vals } from './helpers.js';

/**
 * Dropout and its counter-based generator (docs/dropout-rng.md). The generator is checked against a
 * straightforward BigInt transcription of the formulas in the document, where every `*` and `+` is
 * reduced modulo 2^32 explicitly.
 */

const MASK32 = (1n << 32n) - 1n;
const u32 = (v: bigint): bigint => v & MASK32;

function fmix32Ref(x: number): number {
  let h = BigInt(x);
  h = h ^ (h >> 16n);
  h = u32(h * 0x85ebca6bn);
  h = h ^ (h >> 13n);
  h = u32(h * 0xc2b2ae35n);
  h = h ^ (h >> 16n);
  return Number(h);
}

/** key(seed, id) = fmix32(fmix32(seed + 0x9E3779B9) ^ (id * 0x85EBCA77)) */
function keyRef(seed: number, id: number): number {
  const k0 = BigInt(fmix32Ref(Number(u32(BigInt(seed) + 0x9e3779b9n))));
  return fmix32Ref(Number(k0 ^ u32(BigInt(id) * 0x85ebca77n)));
}

/** bits(key, i) = fmix32(i * 0x9E3779B9 + key) */
function bitsRef(key: number, i: number): number {
  return fmix32Ref(Number(u32(BigInt(i) * 0x9e3779b9n + BigInt(key))));
}

/** threshold(p) = floor(p * 2^32), scale(p) = float32(1 / (1 - p)). */
const thresholdRef = (p: number) => Math.floor(p * 2 ** 32);
const scaleRef = (p: number) => Math.fround(1 / (1 - p));

const U32_EDGES = [0, 1, 2, 0x7fffffff, 0x80000000, 0x80000001, 0x9e3779b9, 0xdeadbeef, 0xfffffffe, 0xffffffff];

describe('the generator', () => {
  it('fmix32 matches the reference, including known MurmurHash3 values', () => {
    expect(fmix32(0)).toBe(0);
    expect(fmix32(1)).toBe(0x514e28b7);
    expect(fmix32(0x12345678)).toBe(0xe37cd1bc);
    expect(fmix32(0xffffffff)).toBe(0x81f16f39);
    for (const v of U32_EDGES) expect(fmix32(v), `fmix32(${v})`).toBe(fmix32Ref(v));
    for (let v = 0; v < 5000; v++) {
      const x = (v * 2654435761) % 2 ** 32; // spread over the whole u32 range
      expect(fmix32(x)).toBe(fmix32Ref(x));
    }
  });

  it('dropoutKey matches the reference for edge seeds and ids', () => {
    expect(dropoutKey(0, 0)).toBe(0xaa3e5b61);
    expect(dropoutKey(42, 3)).toBe(0x66050292);
    for (const seed of U32_EDGES) {
      for (const id of [0, 1, 2, 7, 25, 1000, 0x7fffffff]) expect(dropoutKey(seed, id), `key(${seed}, ${id})`).toBe(keyRef(seed, id));
    }
  });

  it('dropoutBits matches the reference, for indices past 2^31 too', () => {
    expect(dropoutBits(dropoutKey(0, 0), 0)).toBe(0x642f30e0);
    expect(dropoutBits(dropoutKey(42, 3), 1000)).toBe(0x4ba76b38);
    for (const key of [0, 1, 0xaa3e5b61, 0xffffffff]) {
      for (const i of [0, 1, 2, 3, 1000, 65535, 0x7fffffff, 0x80000000, 0x80000005, 0xffffffff]) {
        expect(dropoutBits(key, i), `bits(${key}, ${i})`).toBe(bitsRef(key, i));
      }
    }
  });

  it('threshold and scale follow their definitions', () => {
    expect(dropoutThreshold(0.1)).toBe(429496729);
    expect(dropoutThreshold(0)).toBe(0);
    expect(dropoutThreshold(0.5)).toBe(2 ** 31);
    expect(dropoutScale(0.1)).toBe(1.1111111640930176);
    expect(dropoutScale(0.5)).toBe(2);
    for (const p of [0, 0.1, 0.25, 0.3, 0.5, 0.9, 0.999]) {
      expect(dropoutThreshold(p)).toBe(thresholdRef(p));
      expect(dropoutScale(p)).toBe(scaleRef(p));
    }
  });
});

const N = 100_000;
const ramp = Array.from({ length: N }, (_, i) => Math.fround(1 + (i % 97) / 8)); // nonzero, f32-exact

/** The mask the document specifies for a dropout of `n` elements, computed with the reference. */
function maskRef(seed: number, id: number, p: number, n: number): boolean[] {
  const key = keyRef(seed, id);
  const t = thresholdRef(p);
  return Array.from({ length: n }, (_, i) => bitsRef(key, i) < t);
}

describe('dropout', () => {
  const src = (p: number, n = N) => `model m(x: f32[${n}]) -> f32[${n}] { return dropout(x, p=${p}); }`;

  it('is the identity at inference, in both modes', () => {
    const x = [1.5, -2, 0, 3.25];
    for (const f64 of [false, true]) {
      expect(vals(run1(src(0.5, 4), { x }, { f64 }))).toEqual(x);
      expect(vals(run1(src(0.5, 4), { x }, { f64, train: false, seed: 9 }))).toEqual(x);
    }
  });

  it('in training, zeroes exactly the elements the specified generator selects and scales the rest by fround(x * scale)', () => {
    const p = 0.1;
    const seed = 1234;
    const y = vals(run1(src(p), { x: ramp }, { train: true, seed }));
    const mask = maskRef(seed, 0, p, N); // the only dropout in the model gets id 0
    const scale = scaleRef(p);
    for (let i = 0; i < N; i++) {
      if (y[i] !== (mask[i] ? 0 : Math.fround(ramp[i]! * scale))) throw new Error(`element ${i}: got ${y[i]}, dropped: ${mask[i]}`);
    }
  });

  it('drops a fraction p within statistical bounds', () => {
    for (const [p, seed] of [[0.1, 0], [0.1, 77], [0.5, 3], [0.9, 11]] as const) {
      const y = vals(run1(src(p), { x: ramp }, { train: true, seed }));
      const dropped = y.filter((v) => v === 0).length / N;
      // Five standard deviations of a binomial proportion over 100k draws is at most 0.0079.
      expect(Math.abs(dropped - p), `p=${p} seed=${seed}`).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / N));
      if (p === 0.1) expect(Math.abs(dropped - 0.1)).toBeLessThan(0.005);
    }
  });

  it('keeps everything at p = 0, unscaled', () => {
    expect(vals(run1(src(0), { x: ramp }, { train: true, seed: 5 }))).toEqual(ramp);
  });

  it('is reproducible for the same seed and id, and differs across seeds and ids', () => {
    const train = (seed: number) => vals(run1(src(0.5, 256), { x: ramp.slice(0, 256) }, { train: true, seed }));
    expect(train(7)).toEqual(train(7));
    expect(train(7)).not.toEqual(train(8));
    // Two dropouts of the same input in one model get ids 0 and 1, hence different masks.
    const two = run('model m(x: f32[256]) -> (a: f32[256], b: f32[256]) { return dropout(x, p=0.5), dropout(x, p=0.5); }', { x: ramp.slice(0, 256) }, { train: true, seed: 7 });
    expect(vals(two.get('a')!)).toEqual(train(7));
    expect(vals(two.get('a')!)).not.toEqual(vals(two.get('b')!));
  });

  it('uses the id attribute when one is given', () => {
    const y = vals(run1('model m(x: f32[512]) -> f32[512] { return dropout(x, p=0.3, id=5); }', { x: ramp.slice(0, 512) }, { train: true, seed: 99 }));
    const mask = maskRef(99, 5, 0.3, 512);
    expect(y.map((v) => v === 0)).toEqual(mask);
  });

  it('indexes elements in row-major order, whatever the shape', () => {
    const flat = vals(run1(src(0.5, 60), { x: ramp.slice(0, 60) }, { train: true, seed: 4 }));
    const shaped = vals(run1('model m(x: f32[3, 4, 5]) -> f32[3, 4, 5] { return dropout(x, p=0.5); }', { x: ramp.slice(0, 60) }, { train: true, seed: 4 }));
    expect(shaped).toEqual(flat);
  });

  it('draws the same mask in f64 mode, where kept values are x * scale unrounded', () => {
    const x = [0.1, 0.2, 0.3, 0.7, 1.1, 2.9, 3.3, 5.5].map(Math.fround);
    const r32 = vals(run1(src(0.3, 8), { x }, { train: true, seed: 21 }));
    const r64 = vals(run1(src(0.3, 8), { x }, { train: true, seed: 21, f64: true }));
    const mask = maskRef(21, 0, 0.3, 8);
    const scale = scaleRef(0.3);
    expect(r32).toEqual(x.map((v, i) => (mask[i] ? 0 : Math.fround(v * scale))));
    expect(r64).toEqual(x.map((v, i) => (mask[i] ? 0 : v * scale)));
  });

  it('treats the seed as a u32', () => {
    const g = compile(src(0.5, 64));
    const x = { x: ramp.slice(0, 64) };
    const a = vals(runGraph(g, x, { train: true, seed: 2 ** 32 + 3 }).outputs.get('output')!);
    const b = vals(runGraph(g, x, { train: true, seed: 3 }).outputs.get('output')!);
    expect(a).toEqual(b);
  });
});
