import type { Node } from '../src/ir/node.js';
import { OPS } from '../src/ir/ops.js';
import { isBackward } from '../src/ir/autodiff.js';
import { remapPartition } from '../src/kernel/partition.js';
import { planRecompute, RECOMPUTE_CLASSES, recomputable } from '../src/kernel/saved.js';
import { definePass } from './pass.js';
import { rewriteGraph, type RewriteRule, type Rewriter } from './rewrite.js';

/**
 * Save or recompute (docs/autodiff.md): which forward values the backward pass reads from memory,
 * and which it computes again where it needs them. The autodiff rules read forward values as they
 * please; this pass gives every backward reader of a value of a recomputed class its own copy of
 * the chain that makes it, back to values that are kept (GEMM outputs, layernorm and softmax
 * results and statistics, lookups, inputs, weights). The fusion passes then put the copy inside the
 * backward kernel that reads it, so the forward need not keep it until the backward runs.
 */

/**
 * Gives backward work reading one of `chosen` a copy of its chain instead, built once per value and
 * marked as recomputed for the backward.
 */
function recomputeRule(classes: ReadonlySet<string>, chosen: ReadonlySet<Node>): RewriteRule {
  const copies = new Map<Node, Node>();
  const copy = (v: Node, r: Rewriter): Node => {
    const done = copies.get(v);
    if (done) return done;
    const srcs = v.srcs.map((s) => (recomputable(s, classes) ? copy(s, r) : s));
    const made = r.make(v.op, srcs, v.attrs, { ...v.meta, backward: 'recompute' });
    copies.set(v, made);
    return made;
  };
  return {
    name: 'recompute',
    ops: [...OPS.keys()],
    apply(n, r) {
      if (!isBackward(n) || !n.srcs.some((s) => chosen.has(s))) return undefined;
      return r.rebuild(n, n.srcs.map((s) => (chosen.has(s) ? copy(s, r) : s)));
    },
  };
}

export const recompute = definePass({
  name: 'recompute',
  summary: 'recompute cheap forward values in the backward pass instead of keeping them',
  description: `Gives the backward pass its own copy of a forward value of the classes named, computed from the
values kept for it (GEMM outputs, layernorm and softmax results and row statistics, lookups, inputs
and weights), where those hold fewer bytes than the value itself, counting as free the ones kept
anyway; the largest values are decided first (a greedy form of AOTAutograd's min-cut partitioner).
Fusion then computes the copy inside the backward kernel that reads it. An empty class list keeps
everything the gradient rules read (the policy 'keep'); the default is the policy 'recompute'.
bertc report gives the bytes each policy keeps for the backward pass. A forward pass has no
backward work, and the pass changes nothing.

  before:  s = softmax(x);  p = dropout(s);  ...  dV = p^T dO         (p and s are kept)
  after:   s = softmax(x);  p = dropout(s);  ...  dV = dropout(s)^T dO   (s alone is kept)`,
  options: {
    classes: { kind: 'list', default: [...RECOMPUTE_CLASSES], values: [...RECOMPUTE_CLASSES], doc: 'forward value classes the backward recomputes: elementwise, dropout' },
  },
  statistics: { recompute: 'backward nodes that read a recomputed copy' },
  run(m, o, stats) {
    const classes = new Set(o.classes);
    if (!classes.size || !m.graph.body.some(isBackward)) return m;
    const chosen = planRecompute(m.graph, classes);
    if (!chosen.size) return m;
    const { graph, map } = rewriteGraph(m.graph, [recomputeRule(classes, chosen)], stats, m.train, 'recompute');
    return { ...m, graph, partition: remapPartition(m.partition, map, graph) };
  },
});
