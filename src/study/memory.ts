import type { Node } from '../ir/node.js';
import { bytesOf, kernelsOf } from '../kernel/kernels.js';
import type { Module } from '../kernel/module.js';

/**
 * Peak activation memory of one device: the most bytes of intermediate tensors (kernel outputs
 * other than the program's results: not weights, inputs, new weights or optimizer state) alive at
 * once when the kernels run in plan order, each freed after its last reader and never reused in
 * place. For a training step that is what the forward keeps for the backward plus the gradients
 * in flight; it grows with the micro-batch, the weights do not.
 */
export function peakActivationBytes(m: Module): number {
  const ks = kernelsOf(m).filter((k) => !k.init);
  const results = new Set(m.graph.outputs.map((o) => o.node));
  const lastUse = new Map<Node, number>();
  ks.forEach((k, i) => {
    for (const n of k.inputs) lastUse.set(n, i);
  });
  const freeAt = new Map<number, Node[]>();
  let live = 0;
  let peak = 0;
  ks.forEach((k, i) => {
    for (const o of k.outputs) {
      if (results.has(o)) continue;
      live += bytesOf(o);
      const at = Math.max(i, lastUse.get(o) ?? i);
      freeAt.set(at, [...(freeAt.get(at) ?? []), o]);
    }
    peak = Math.max(peak, live);
    for (const o of freeAt.get(i) ?? []) live -= bytesOf(o);
  });
  return peak;
}
