import type { Graph } from '../ir/graph.js';
import { graphNodes } from '../ir/graph.js';
import type { Node } from '../ir/node.js';
import { ELEMENTWISE_GROUPS, opDef } from '../ir/ops.js';

/**
 * Named op groups that partitioning, fusion, naming and the cost model all consult, instead of
 * lists of op names scattered through the passes.
 */

/** Values that live in memory before the run: model inputs and weights. */
export function isMemorySource(n: Node): boolean {
  return n.op === 'input' || n.op === 'param';
}

/** Values computed where they are used, at no memory cost: scalar constants and iota. */
export function isInline(n: Node): boolean {
  return n.op === 'const' || n.op === 'iota';
}

export function isMovement(n: Node): boolean {
  return opDef(n.op).group === 'movement';
}

/** Per-element ops: they fuse with anything of the same iteration space. */
export function isElementwise(n: Node): boolean {
  return ELEMENTWISE_GROUPS.has(opDef(n.op).group);
}

/** Ops that reduce along an axis and need a whole row before they can write. */
export function isRowReduction(n: Node): boolean {
  const g = opDef(n.op).group;
  return g === 'norm' || g === 'reduce';
}

export function isMatmul(n: Node): boolean {
  return n.op === 'matmul';
}

export function isGather(n: Node): boolean {
  return n.op === 'gather';
}

/** The axes a row reduction reduces over (normalised, ascending). */
export function reducedAxes(n: Node): number[] {
  const rank = n.srcs[0]!.type.shape.length;
  const norm = (a: number) => (a < 0 ? a + rank : a);
  if (n.op === 'softmax') return [norm(n.attr<number>('axis'))];
  if (n.op === 'layernorm') return [rank - 1];
  return [...n.attr<readonly number[]>('axes')].map(norm).sort((a, b) => a - b);
}

/**
 * Weight transforms: nodes computed from weights and constants only (e.g. the concatenated QKV
 * weight). They run once when the weights are loaded, not on every forward pass.
 */
export function weightTransforms(g: Graph): Set<Node> {
  const out = new Set<Node>();
  for (const n of graphNodes(g)) {
    if (isMemorySource(n) || isInline(n)) continue;
    if (n.srcs.every((s) => s.op === 'param' || isInline(s) || out.has(s))) out.add(n);
  }
  return out;
}
