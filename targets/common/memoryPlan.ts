import type { Node } from '../../src/ir/node.js';
import type { Kernel } from '../../src/kernel/kernels.js';

/** Where each intermediate lives in the activation arena. */
export interface MemoryPlan {
  readonly offsets: ReadonlyMap<Node, number>;
  /** Arena size: the peak of simultaneously live buffers, with alignment padding. */
  readonly bytes: number;
  /** What the arena would need with no reuse at all, for comparison. */
  readonly unplannedBytes: number;
}

const ALIGN = 64;
const align = (x: number) => Math.ceil(x / ALIGN) * ALIGN;

/**
 * Liveness-based placement: a buffer is live from the kernel that writes it to the last kernel that
 * reads it; buffers whose lifetimes overlap never share bytes. Largest buffers are placed first, each
 * at the lowest offset that fits beside the already placed buffers it overlaps (first fit), which is
 * deterministic and close to optimal for the chain-like lifetimes of a transformer.
 * `pinned` buffers (model results written straight to the caller's memory, weights) are not placed;
 * `untilEnd` ones are read after the last kernel (copied into a result) and live to the end.
 * `bytes` is a buffer's size as the target stores its dtype.
 */
export function planMemory(kernels: readonly Kernel[], bytes: (n: Node) => number, pinned: ReadonlySet<Node>, untilEnd: ReadonlySet<Node> = new Set()): MemoryPlan {
  const first = new Map<Node, number>();
  const last = new Map<Node, number>();
  kernels.forEach((k, i) => {
    for (const o of k.outputs) if (!pinned.has(o)) first.set(o, i);
    for (const n of k.inputs) if (first.has(n)) last.set(n, i);
  });
  for (const n of untilEnd) if (first.has(n)) last.set(n, kernels.length);
  const buffers = [...first.keys()].map((n) => ({ n, from: first.get(n)!, to: last.get(n) ?? first.get(n)!, size: align(bytes(n)) }));
  const order = [...buffers].sort((a, b) => b.size - a.size || a.from - b.from || a.n.id - b.n.id);
  const placed: { from: number; to: number; at: number; size: number }[] = [];
  const offsets = new Map<Node, number>();
  let peak = 0;
  for (const b of order) {
    const clashes = placed.filter((p) => p.from <= b.to && b.from <= p.to).sort((x, y) => x.at - y.at);
    let at = 0;
    for (const c of clashes) {
      if (at + b.size <= c.at) break;
      at = Math.max(at, c.at + c.size);
    }
    placed.push({ from: b.from, to: b.to, at, size: b.size });
    offsets.set(b.n, at);
    peak = Math.max(peak, at + b.size);
  }
  return { offsets, bytes: peak, unplannedBytes: buffers.reduce((s, b) => s + b.size, 0) };
}
