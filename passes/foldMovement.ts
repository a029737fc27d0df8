import type { Node } from '../src/ir/node.js';
import { shapeEquals } from '../src/ir/shape.js';
import { isViewable } from '../src/kernel/classify.js';
import { bytesOf } from '../src/kernel/kernels.js';
import { isPermutationOnly } from '../src/kernel/layout.js';
import { remapPartition } from '../src/kernel/partition.js';
import { definePass } from './pass.js';
import { describeNode, FusionContext } from './fusion.js';
import { rewriteGraph, type RewriteRule } from './rewrite.js';

/**
 * Reshapes of one value after the first become reshapes of the first, which read its buffer as a
 * view whatever it turns out to be (a view itself, a producer's store, a copy kernel). Two
 * reshapes of a value that no strides express would otherwise be two copy kernels: in a training
 * step's backward, the merged heads of dQ, dK and dV, once for the bias gradient ([B, S, H]) and
 * again for the weight's ([B·S, H]). Canonicalize's reshape-chain would fold them apart again, so
 * this runs here, after the last canonicalize of the pipelines.
 */
function shareReshapes(body: readonly Node[]): RewriteRule {
  const first = new Map<Node, Node>();
  for (const n of body) if (n.op === 'reshape' && !first.has(n.srcs[0]!)) first.set(n.srcs[0]!, n);
  return {
    name: 'shared-reshape',
    ops: ['reshape'],
    apply(n, r, original) {
      const f = first.get(original.srcs[0]!);
      if (!f || f === original) return undefined;
      const shared = r.current(f);
      return shapeEquals(shared.type.shape, n.type.shape) ? shared : r.make('reshape', [shared], { shape: n.type.shape }, n.meta);
    },
  };
}

/**
 * The chain of views between a movement node and the buffer it reads, nearest first, and that
 * buffer's producer.
 */
function viewChain(c: FusionContext, v: Node): { chain: Node[]; producer: Node } {
  const chain: Node[] = [];
  let s = v.srcs[0]!;
  while (c.b.isView(s)) {
    chain.push(s);
    s = s.srcs[0]!;
  }
  return { chain, producer: s };
}

/** A producer may store through `nodes` when each is a pure relabelling read by one node only. */
function canStoreThrough(c: FusionContext, producer: Node, nodes: readonly Node[]): boolean {
  const roots = new Set([...c.m.graph.outputs.map((o) => o.node), ...c.m.graph.taps.map((t) => t.node)]);
  const readers = (n: Node) => c.b.readers.get(n) ?? [];
  return (
    c.b.group(producer) !== undefined &&
    !roots.has(producer) &&
    readers(producer).length === 1 &&
    nodes.every((n) => isPermutationOnly(n) && !roots.has(n) && readers(n).length === 1)
  );
}

function foldOne(c: FusionContext, v: Node): void {
  const own = c.b.group(v);
  // Already part of a larger kernel (stored through by an earlier run): leave it there.
  if (own !== undefined && c.b.members(own).length > 1) return;
  const wasKernel = own !== undefined;
  const consumer = c.b.consumers(v)[0] ?? v;
  const roots = new Set([...c.m.graph.outputs.map((o) => o.node), ...c.m.graph.taps.map((t) => t.node)]);
  c.b.makeView(v);
  const layout = c.b.layoutOf(v);
  // A result must be a buffer of its own unless it is just a reshape of one.
  const okAsView = layout && (!roots.has(v) || (layout.offset === 0 && v.op === 'reshape'));
  if (okAsView) {
    if (wasKernel) c.decide('strided-view', true, v, consumer, 2 * bytesOf(v), 'read through strides, no copy');
    return;
  }
  const { chain, producer } = viewChain(c, v);
  if (canStoreThrough(c, producer, [...chain, v])) {
    const g = c.b.group(producer)!;
    for (const n of [...chain].reverse()) c.b.assign(n, g);
    c.b.assign(v, g);
    // The chain's earlier verdicts as views no longer hold: they are stored through now.
    const restored = new Set(chain.map(describeNode));
    c.decisions = c.decisions.filter((d) => !restored.has(d.producer));
    c.decide('store-through', true, v, producer, 2 * bytesOf(v), 'the producer writes the permuted layout directly');
    return;
  }
  c.b.newGroup(v);
  if (layout) c.decide('result-buffer', false, v, consumer, 2 * bytesOf(v), 'a strided view, but a model result needs a buffer of its own, and the producer cannot store through it; stays a copy kernel');
  else c.decide('non-strided-view', false, v, consumer, 2 * bytesOf(v), 'not expressible as strides of its input, and the producer cannot store through it; stays a copy kernel');
}

export const foldMovement = definePass({
  name: 'fold-movement',
  summary: 'fold reshape, transpose, slice and expand into the indexing of the kernels around them',
  description: `Each movement op becomes, in order of preference: a strided view that its readers index through
(no kernel); or part of its producer, which then stores in the permuted layout (when the view would not
be strided, e.g. merging heads after a transpose); or, failing both, a copy kernel (reported). First, the
reshapes of one value after the first become reshapes of that first one, so that they share its buffer.

  before:  kernel k1 { q = matmul(...) }   kernel k2 { qt = transpose(q, perm=[0, 2, 1, 3]) }   kernel k3 { s = matmul(qt, ...) }
  after:   kernel k1 { q = matmul(...) }   qt = transpose(q, ...)   kernel k3 { s = matmul(qt, ...) }   // k3 reads q with permuted strides`,
  options: {},
  statistics: {
    views: 'movement ops read through strides',
    stored: 'movement ops folded into their producer',
    copies: 'movement ops left as copy kernels',
    'shared-reshape': 'reshapes made reshapes of an earlier one of the same value',
  },
  run(m0, _o, stats) {
    const { graph, map } = rewriteGraph(m0.graph, [shareReshapes(m0.graph.body)], stats, m0.train, 'fold-movement');
    const m = { ...m0, graph, partition: remapPartition(m0.partition, map, graph) };
    const c = new FusionContext(m, 'fold-movement');
    for (const n of c.b.nodes) if (isViewable(n)) foldOne(c, n);
    for (const d of c.decisions) stats.add(d.rule === 'strided-view' ? 'views' : d.rule === 'store-through' ? 'stored' : 'copies');
    return c.finish();
  },
});
