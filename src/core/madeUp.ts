/**
 * Tensors made up for a graph when a user has none to give (the playground's run without files):
 * seeded, so that the same graph gets the same values on every call.
 */
import { isFloat } from '../ir/dtype.js';
import type { Graph } from '../ir/graph.js';
import { params } from '../ir/graph.js';
import { inputRanges } from '../ir/inputRanges.js';
import { makeTensor, type Tensor } from '../interp/tensor.js';

/** mulberry32: a tiny seeded generator, so that what it makes is reproduced from its seed alone. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Weights with every parameter's name, shape and dtype: uniform in [-0.1, 0.1), and layernorm-like
 * scales (parameters named `*.weight` of rank 1 under a LayerNorm scope, `gamma`) near 1, so that a
 * made-up BERT computes something other than noise-free zeros.
 */
export function randomWeights(g: Graph): Map<string, Tensor> {
  const next = rng(0x5eed);
  return new Map(params(g).map((p) => {
    const name = p.attr<string>('name');
    const t = makeTensor(p.type.dtype, p.type.shape);
    const scale = /layernorm|LayerNorm|gamma/.test(name) && p.type.shape.length === 1 && /weight|gamma/.test(name);
    for (let i = 0; i < t.data.length; i++) t.data[i] = (scale ? 1 : 0) + (next() - 0.5) * 0.2;
    return [name, t];
  }));
}

/** Inputs of the graph's shapes: integers uniform over the range each may hold, floats in [-1, 1). */
export function randomInputs(g: Graph): Map<string, Tensor> {
  const next = rng(0x1d5);
  const ranges = inputRanges(g);
  return new Map(g.inputs.map((n) => {
    const name = n.attr<string>('name');
    const t = makeTensor(n.type.dtype, n.type.shape);
    const r = ranges.get(name);
    const integer = !isFloat(n.type.dtype);
    for (let i = 0; i < t.data.length; i++) {
      if (!integer) t.data[i] = next() * 2 - 1;
      else if (r) t.data[i] = r.lo + Math.floor(next() * Math.min(r.hi - r.lo, 2 ** 31));
      else t.data[i] = Math.floor(next() * 2);
    }
    return [name, t];
  }));
}

