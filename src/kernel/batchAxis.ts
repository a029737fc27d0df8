import type { Graph } from '../ir/graph.js';
import { graphNodes } from '../ir/graph.js';
import type { Node } from '../ir/node.js';
import { opDef } from '../ir/ops.js';
import { MIXES_ROWS, type BatchContext } from '../ir/opRules.js';

/**
 * Whether a model computes each batch row independently of the others, so that it can run on
 * slices of the batch one after another (the WGSL backend does this when a tensor of the whole
 * batch would not fit in one binding). The batch is axis 0 of every model input; the analysis
 * follows that axis through every op by the op's `batch` rule in the catalogue and fails on any op
 * that mixes rows: a reduction or a slice along it, a reshape that merges it with other axes, a
 * matmul whose right operand is batched differently. Results must carry the batch on axis 0 too.
 *
 * Returns the batch axis of every node (undefined for those without one), or undefined when the
 * model is not separable.
 */
export function batchAxes(g: Graph): ReadonlyMap<Node, number | undefined> | undefined {
  const axis = new Map<Node, number | undefined>();
  const batch = g.inputs[0]?.type.shape[0];
  if (batch === undefined || g.inputs.some((n) => n.type.shape[0] !== batch)) return undefined;
  for (const n of graphNodes(g)) {
    const a = batchAxisOf(n, axis, batch);
    if (a === MIXES_ROWS) return undefined;
    axis.set(n, a);
  }
  return g.outputs.every((o) => axis.get(o.node) === 0) ? axis : undefined;
}

/** The axis of `n` that carries the batch, undefined when none does, MIXES_ROWS when rows are mixed. */
function batchAxisOf(n: Node, axis: ReadonlyMap<Node, number | undefined>, batch: number): number | undefined | typeof MIXES_ROWS {
  const rule = opDef(n.op).batch;
  if (typeof rule !== 'function') return rule.source;
  const srcAxes = n.srcs.map((s) => {
    const a = axis.get(s);
    // Right-align operands: the batch axis of an operand in the result's numbering.
    return a === undefined ? undefined : a + (n.type.shape.length - s.type.shape.length);
  });
  const batched = srcAxes.filter((a): a is number => a !== undefined);
  if (!batched.length) return undefined;
  if (new Set(batched).size > 1) return MIXES_ROWS;
  const c: BatchContext = { batch, axis: batched[0]!, axisOf: (s) => axis.get(s) };
  return rule(n, c);
}
