import type { Graph } from '../ir/graph.js';
import { graphNodes } from '../ir/graph.js';
import type { Node } from '../ir/node.js';
import { ELEMENTWISE_GROUPS, opDef } from '../ir/ops.js';

/**
 * Named op groups that partitioning, fusion, naming, the cost model and the backends all consult,
 * instead of lists of op names scattered through the passes. Each asks the op catalogue
 * (`src/ir/ops.ts`): an op's group, or a fact its entry states.
 */

/** Values that live in memory before the run: model inputs and weights. */
export function isMemorySource(n: Node): boolean {
  const s = opDef(n.op).source;
  return s === 'input' || s === 'weight';
}

/** Weights: bound by name, in memory before the run, the same for every input. */
export function isWeight(n: Node): boolean {
  return opDef(n.op).source === 'weight';
}

/** A weight as an op reads it: the weight itself, or its cast to another precision (made once at load). */
export function isWeightOrCast(n: Node): boolean {
  return isWeight(n) || (n.op === 'cast' && isWeight(n.srcs[0]!));
}

/** Values computed where they are used, at no memory cost: scalar constants and iota. */
export function isInline(n: Node): boolean {
  return opDef(n.op).source === 'inline';
}

export function isMovement(n: Node): boolean {
  return opDef(n.op).group === 'movement';
}

/** Movement ops that readers can index through as a strided view (all but concat). */
export function isViewable(n: Node): boolean {
  return opDef(n.op).view !== undefined;
}

/** Per-element ops: they fuse with anything of the same iteration space. */
export function isElementwise(n: Node): boolean {
  return ELEMENTWISE_GROUPS.has(opDef(n.op).group);
}

/** Ops that draw from the counter-based generator (dropout): they carry random state. */
export function isRandom(n: Node): boolean {
  return opDef(n.op).group === 'random';
}

/** Ops that reduce along an axis and need a whole row before they can write. */
export function isRowReduction(n: Node): boolean {
  return opDef(n.op).reducedAxes !== undefined;
}

export function isMatmul(n: Node): boolean {
  return opDef(n.op).group === 'matmul';
}

export function isGather(n: Node): boolean {
  return opDef(n.op).group === 'gather';
}

/**
 * scatter_add: it reads every index for each result element it writes, so it fuses with nothing
 * elementwise (it is not an elementwise, prologue or row-reduction op) and is a kernel of its own.
 */
export function isScatter(n: Node): boolean {
  return opDef(n.op).group === 'scatter';
}

/** The axes a row reduction reduces over (normalised, ascending), by its op's rule in the catalogue. */
export function reducedAxes(n: Node): number[] {
  const rule = opDef(n.op).reducedAxes;
  if (!rule) throw new Error(`internal: '${n.op}' reduces no axes`);
  return rule(n);
}

/**
 * Weight transforms: nodes computed from weights and constants only (e.g. the concatenated QKV
 * weight). They run once when the weights are loaded, not on every forward pass.
 */
export function weightTransforms(g: Graph): Set<Node> {
  const out = new Set<Node>();
  for (const n of graphNodes(g)) {
    if (isMemorySource(n) || isInline(n)) continue;
    if (n.srcs.every((s) => isWeight(s) || isInline(s) || out.has(s))) out.add(n);
  }
  return out;
}
