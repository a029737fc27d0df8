import type { Graph } from '../ir/graph.js';
import { graphNodes } from '../ir/graph.js';
import type { Node } from '../ir/node.js';
import { normalizeAxis, numel } from '../ir/shape.js';
import { isElementwise } from './classify.js';

/**
 * Whether a model computes each batch row independently of the others, so that it can run on
 * slices of the batch one after another (the WGSL backend does this when a tensor of the whole
 * batch would not fit in one binding). The batch is axis 0 of every model input; the analysis
 * follows that axis through every op and fails on any op that mixes rows: a reduction or a slice
 * along it, a reshape that merges it with other axes, a matmul whose right operand is batched
 * differently. Results must carry the batch on axis 0 too.
 */
export function batchSeparable(g: Graph): boolean {
  return batchAxes(g) !== undefined;
}

/** The batch axis of every node (undefined for those without one), or undefined when not separable. */
export function batchAxes(g: Graph): ReadonlyMap<Node, number | undefined> | undefined {
  const axis = new Map<Node, number | undefined>();
  const batch = g.inputs[0]?.type.shape[0];
  if (batch === undefined || g.inputs.some((n) => n.type.shape[0] !== batch)) return undefined;
  for (const n of graphNodes(g)) {
    const a = batchAxisOf(n, axis, batch);
    if (a === null) return undefined;
    axis.set(n, a);
  }
  return g.outputs.every((o) => axis.get(o.node) === 0) ? axis : undefined;
}

/** The axis of `n` that carries the batch, undefined when none does, null when rows are mixed. */
function batchAxisOf(n: Node, axis: ReadonlyMap<Node, number | undefined>, batch: number): number | undefined | null {
  if (n.op === 'input') return 0;
  if (n.op === 'param' || n.op === 'const' || n.op === 'iota') return undefined;
  const srcAxes = n.srcs.map((s) => {
    const a = axis.get(s);
    // Right-align operands: the batch axis of an operand in the result's numbering.
    return a === undefined ? undefined : a + (n.type.shape.length - s.type.shape.length);
  });
  const batched = srcAxes.filter((a): a is number => a !== undefined);
  if (!batched.length) return undefined;
  if (new Set(batched).size > 1) return null;
  const a = batched[0]!;
  if (isElementwise(n)) return n.type.shape[a] === batch ? a : null;
  switch (n.op) {
    case 'softmax':
      return normalizeAxis(n.attr<number>('axis'), n.type.shape.length) === a ? null : a;
    case 'layernorm':
      return a === n.type.shape.length - 1 ? null : a;
    case 'reduce_sum':
    case 'reduce_max':
    case 'reduce_mean': {
      const src = n.srcs[0]!;
      const sa = axis.get(src)!;
      const axes = n.attr<readonly number[]>('axes').map((x) => normalizeAxis(x, src.type.shape.length)!);
      if (axes.includes(sa)) return null;
      return n.attr<boolean>('keepdims') ? sa : sa - axes.filter((x) => x < sa).length;
    }
    case 'matmul': {
      const [x, y] = n.srcs as [Node, Node];
      const r = n.type.shape.length;
      if (axis.get(x) === undefined) return null;
      // Shared weights: the batch may be a batch dimension or the rows of x. Two activations: it
      // must be a batch dimension of both.
      if (axis.get(y) === undefined) return a < r - 2 || (a === r - 2 && !n.attr<boolean>('transpose_a')) ? a : null;
      return a < r - 2 ? a : null;
    }
    case 'transpose':
      return n.attr<readonly number[]>('perm').indexOf(axis.get(n.srcs[0]!)!);
    case 'reshape': {
      // The batch survives a reshape that keeps its dimension whole, with the same elements before it.
      const src = n.srcs[0]!;
      const sa = axis.get(src)!;
      const before = numel(src.type.shape.slice(0, sa));
      let p = 1;
      for (let i = 0; i < n.type.shape.length && p <= before; i++) {
        if (p === before && n.type.shape[i] === src.type.shape[sa]) return i;
        p *= n.type.shape[i]!;
      }
      return null;
    }
    case 'expand':
      return a;
    case 'slice':
    case 'concat':
      return normalizeAxis(n.attr<number>('axis'), n.type.shape.length) === a ? null : a;
    case 'gather':
      // Rows picked by batched indices: the indices' batch axis lands at the gather axis onward.
      return axis.get(n.srcs[0]!) !== undefined ? null : normalizeAxis(n.attr<number>('axis'), n.srcs[0]!.type.shape.length)! + axis.get(n.srcs[1]!)!;
    default:
      return null;
  }
}
