import type { Node } from '../src/ir/node.js';
import { numel, shapeEquals } from '../src/ir/shape.js';
import type { FusionDecision } from '../src/kernel/module.js';
import { definePass } from './pass.js';
import { anchorOf, FusionContext } from './fusion.js';

export const fuseElementwise = definePass({
  name: 'fuse-elementwise',
  summary: 'fuse producer-consumer chains of elementwise kernels',
  description: `Merges an elementwise kernel into an elementwise kernel that reads it, when both run over the same
shape. This is what makes bias + GELU one kernel when GEMM epilogue fusion is off or not allowed.
When other kernels read the producer too, the merged kernel still stores its result for them (one
more output): the read is saved, not the store. That is what makes AdamW's updates of a weight and
of its two moments one kernel.

  before:  kernel { z = y + b }  kernel { h = gelu(z) }
  after:   kernel k_bias_gelu { z = y + b; h = gelu(z) }`,
  options: {},
  statistics: { fused: 'kernels merged', rejected: 'candidates rejected' },
  run(m, _o, stats) {
    const c = new FusionContext(m, 'fuse-elementwise');
    const judged = new Set<string>();
    // The producer and reader of each rejection, to drop verdicts that later merges overturned.
    const pairOf = new Map<FusionDecision, [Node, Node]>();
    const reject = (rule: string, anchor: Node, n: Node, bytes: number, detail: string) => {
      c.decide(rule, false, anchor, n, bytes, detail);
      pairOf.set(c.decisions[c.decisions.length - 1]!, [anchor, n]);
    };
    for (let changed = true; changed; ) {
      changed = false;
      for (const n of c.b.nodes) {
        const g = c.b.group(n);
        if (g === undefined || !c.isElementwiseGroup(g)) continue;
        for (const p of c.b.producers(n)) {
          const pg = c.b.group(p)!;
          const key = `${pg}>${g}`;
          if (pg === g || judged.has(key) || !c.isElementwiseGroup(pg)) continue;
          judged.add(key);
          // A producer that other kernels (or the results) read too is still computed here, and
          // its result still stored for them: the kernel gets another output, and the read is saved.
          const { alone, bytes } = c.mergeSavings(pg, g);
          const anchor = anchorOf(c, pg);
          const mismatched = c.outputs(pg).find((o) => !shapeEquals(o.type.shape, n.type.shape));
          if (mismatched) {
            const broadcast = numel(mismatched.type.shape) < numel(n.type.shape);
            reject('shape-mismatch', anchor, n, bytes, broadcast ? 'the reader broadcasts it; fusing would recompute it per element' : `the reader changes its shape to ${n.type.shape.join('x')}`);
            continue;
          }
          const view = c.viewBetween(pg, g);
          if (view) {
            reject('read-through-view', anchor, n, bytes, `the reader sees it through a view (${view.op}), and views stay between kernels`);
            continue;
          }
          if (c.b.wouldCycle(pg, g)) {
            reject('would-cycle', anchor, n, bytes, 'another kernel lies between them');
            continue;
          }
          if (!c.fitsBindings(pg, g)) {
            reject('binding-limit', anchor, n, bytes, 'the merged kernel would bind more storage buffers than the accelerator allows');
            continue;
          }
          c.b.merge(g, pg);
          c.decide(alone ? 'vertical' : 'multi-output', true, anchor, n, bytes);
          stats.add('fused');
          changed = true;
        }
      }
    }
    // Groups are renumbered by merges, so a pair can be judged again: keep one verdict per pair,
    // and none for a pair that ended up in one kernel anyway (a diamond whose readers merged).
    const seen = new Set<string>();
    c.decisions = c.decisions.filter((d) => {
      const pair = pairOf.get(d);
      if (!pair) return true;
      const key = `${d.rule} ${d.producer} ${d.consumer}`;
      if (c.b.group(pair[0]) === c.b.group(pair[1]) || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    stats.add('rejected', c.decisions.filter((d) => !d.fused).length);
    return c.finish();
  },
});
