import { shapeEquals } from '../src/ir/shape.js';
import { definePass } from './pass.js';
import { anchorOf, FusionContext } from './fusion.js';

export const fuseElementwise = definePass({
  name: 'fuse-elementwise',
  summary: 'fuse producer-consumer chains of elementwise kernels',
  description: `Merges an elementwise kernel into the elementwise kernel that reads it, when that is its only
reader and both run over the same shape. This is what makes bias + GELU one kernel when GEMM epilogue
fusion is off or not allowed.

  before:  kernel { z = y + b }  kernel { h = gelu(z) }
  after:   kernel k_bias_gelu { z = y + b; h = gelu(z) }`,
  options: {},
  statistics: { fused: 'kernels merged', rejected: 'candidates rejected' },
  run(m, _o, stats) {
    const c = new FusionContext(m, 'fuse-elementwise');
    const judged = new Set<string>();
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
          const bytes = c.savedBytes(pg);
          const anchor = anchorOf(c, pg);
          if (!c.onlyFeeds(pg, g)) {
            c.decide('multi-consumer', false, anchor, n, bytes, 'its result is also read by another kernel');
            continue;
          }
          if (!c.outputs(pg).every((o) => shapeEquals(o.type.shape, n.type.shape))) {
            c.decide('shape-mismatch', false, anchor, n, bytes, 'the reader broadcasts it; fusing would recompute it per element');
            continue;
          }
          if (c.b.wouldCycle(pg, g)) {
            c.decide('would-cycle', false, anchor, n, bytes, 'another kernel lies between them');
            continue;
          }
          c.b.merge(g, pg);
          c.decide('vertical', true, anchor, n, bytes);
          stats.add('fused');
          changed = true;
        }
      }
    }
    stats.add('rejected', c.decisions.filter((d) => !d.fused).length);
    return c.finish();
  },
});
