import { OPTIMIZER_SCOPE } from '../src/ir/adamw.js';
import { attrText } from '../src/ir/node.js';
import { numel, shapeEquals } from '../src/ir/shape.js';
import { isInline } from '../src/kernel/classify.js';
import { definePass } from './pass.js';
import { anchorOf, FusionContext } from './fusion.js';

/**
 * What an elementwise group computes, with its tensors' shapes left out: each member's op, dtype
 * and attributes, and where each operand comes from (a member by position, a scalar, a tensor of the
 * group's shape). Undefined when the group is not one shape throughout, and so cannot be a segment
 * of a multi-tensor kernel (its elements are walked as one flat range).
 */
function chainKey(c: FusionContext, g: number): string | undefined {
  const members = c.b.members(g);
  const shape = members[0]!.type.shape;
  const at = new Map(members.map((n, i) => [n, i]));
  const parts: string[] = [];
  for (const n of members) {
    if (!shapeEquals(n.type.shape, shape)) return undefined;
    const srcs: string[] = [];
    for (const s of n.srcs) {
      const i = at.get(s);
      if (i !== undefined) srcs.push(`%${i}`);
      else if (isInline(s)) srcs.push(`${s.op}:${attrText(s.attrs['value'] ?? 0)}`);
      else if (numel(s.type.shape) === 1) srcs.push(`scalar:${s.type.dtype}`);
      else if (shapeEquals(s.type.shape, shape)) srcs.push(`tensor:${s.type.dtype}`);
      else return undefined;
    }
    const attrs = Object.keys(n.attrs).filter((a) => a !== 'id').sort().map((a) => `${a}=${attrText(n.attrs[a]!)}`);
    parts.push(`${n.op}<${n.type.dtype}>{${attrs.join(',')}}(${srcs.join(',')})`);
  }
  return parts.join(';');
}

export const fuseMultiTensor = definePass({
  name: 'fuse-multi-tensor',
  summary: "merge the optimizer's per-weight updates into one multi-tensor kernel",
  description: `After fuse-elementwise, AdamW is one kernel per weight, each the same chain over another weight's
tensors. This pass merges the ones that compute the same chain into one kernel, each weight a
segment of it: one launch, and on a CPU one parallel region whose threads share out every segment
(PyTorch's multi-tensor apply). For a WebGPU accelerator it merges nothing: a shader binds at most
8 storage buffers (an update binds 7), so WGSL runs a multi-tensor kernel as a dispatch per segment.

  before:  kernel k40 { p' = adamw(p, g, m, v) over [768] }  kernel k41 { q' = adamw(q, h, n, u) over [768, 768] }
  after:   kernel k40_multi_tensor { p' = adamw(p, g, m, v); q' = adamw(q, h, n, u) }   (two segments)`,
  options: {},
  statistics: { fused: 'updates merged into a multi-tensor kernel', rejected: 'chains left as kernels of their own' },
  run(m, _o, stats) {
    const c = new FusionContext(m, 'fuse-multi-tensor');
    const groups = [...new Set(c.b.nodes.filter((n) => n.meta.scope === OPTIMIZER_SCOPE).map((n) => c.b.group(n)).filter((g): g is number => g !== undefined))];
    const byChain = new Map<string, number[]>();
    for (const g of groups) {
      if (!c.isElementwiseGroup(g) || c.b.members(g).some((n) => n.meta.scope !== OPTIMIZER_SCOPE)) continue;
      const key = chainKey(c, g);
      if (key !== undefined) byChain.set(key, [...(byChain.get(key) ?? []), g]);
    }
    const limit = m.accel?.webgpu?.max_storage_buffers_per_stage;
    for (const [first, ...rest] of byChain.values()) {
      if (!rest.length) continue;
      if (limit !== undefined) {
        // One verdict per chain: the reason holds for every pair.
        c.decide('one-dispatch-per-shader', false, anchorOf(c, rest[0]!), anchorOf(c, first!), 0, `a WebGPU shader binds at most ${limit} storage buffers, so WGSL would run each update as a dispatch of its own anyway; ${rest.length + 1} stay kernels of their own`);
        continue;
      }
      for (const g of rest) {
        if (c.b.wouldCycle(first!, g)) {
          c.decide('would-cycle', false, anchorOf(c, g), anchorOf(c, first!), 0, 'one update reads what the other computes');
          continue;
        }
        const anchor = anchorOf(c, g);
        c.b.merge(first!, g);
        c.decide('multi-tensor', true, anchor, anchorOf(c, first!), 0);
        stats.add('fused');
      }
    }
    stats.add('rejected', c.decisions.filter((d) => !d.fused).length);
    return c.finish();
  },
});
