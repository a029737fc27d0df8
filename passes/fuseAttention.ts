import type { Node } from '../src/ir/node.js';
import { attentionParts } from '../src/kernel/attention.js';
import { isMatmul, isMovement } from '../src/kernel/classify.js';
import { bytesOf } from '../src/kernel/kernels.js';
import { definePass } from './pass.js';
import { FusionContext } from './fusion.js';

/** The largest head size a fused kernel holds its context row for (a WebGPU invocation's private array). */
const MAX_HEAD = 256;

/** Why the three kernels of one attention cannot become one, or undefined when they can. */
function refusal(c: FusionContext, scores: Node, softmax: Node, context: Node): { rule: string; detail: string } | undefined {
  const [gA, gS, gC] = [c.b.group(scores)!, c.b.group(softmax)!, c.b.group(context)!];
  if (new Set([gA, gS, gC]).size !== 3) return { rule: 'shape-mismatch', detail: 'the products and the softmax are not three kernels of their own' };
  if (c.b.members(gA).length !== 1 || c.isResult(scores)) return { rule: 'multi-consumer', detail: 'the scores are stored for another reader' };
  if (c.b.consumers(scores).some((x) => c.b.group(x) !== gS)) return { rule: 'multi-consumer', detail: 'the scores are also read outside the softmax' };
  const probabilities = c.outputs(gS);
  if (probabilities.length !== 1 || c.isResult(probabilities[0]!) || c.b.consumers(probabilities[0]!).some((x) => x !== context)) {
    return { rule: 'multi-consumer', detail: 'the probabilities are also read outside P·V (a training step keeps them for its backward)' };
  }
  const extra = c.b.members(gC).find((n) => n !== context && !isMovement(n));
  if (extra) return { rule: 'shape-mismatch', detail: `the P·V kernel also computes ${extra.op}` };
  const members = [...c.b.members(gA), ...c.b.members(gS), ...c.b.members(gC)];
  const wide = members.find((n) => n.type.dtype !== 'f32' || n.srcs.some((s) => s.type.dtype !== 'f32' && s.type.dtype !== 'i32'));
  if (wide) return { rule: 'dtype', detail: `fused attention computes f32 only, and ${wide.op} holds ${wide.type.dtype === 'f32' ? 'a 16-bit operand' : wide.type.dtype}` };
  if (!attentionParts(members)) return { rule: 'shape-mismatch', detail: 'the chain between the products is not softmax(elementwise(Q·Kᵀ)) [dropout] · V over the last axis' };
  const head = context.type.shape[context.type.shape.length - 1]!;
  if (head > MAX_HEAD) return { rule: 'shape-mismatch', detail: `a head of ${head} values is more than the ${MAX_HEAD} a fused kernel holds per query row` };
  // The scores reach only the softmax and the probabilities only P·V (above): merged with the
  // softmax, the scores' kernel reaches P·V through nothing else.
  if (c.b.wouldCycle(gA, gS) || c.b.wouldCycle(gS, gC)) return { rule: 'would-cycle', detail: 'another kernel lies between them' };
  if (!c.fitsBindings(gA, gS, gC)) return { rule: 'binding-limit', detail: 'the kernel would bind more storage buffers than the accelerator allows' };
  return undefined;
}

export const fuseAttention = definePass({
  name: 'fuse-attention',
  summary: 'fuse Q·Kᵀ, the scale and mask, softmax, dropout and P·V into one kernel that never stores the scores',
  description: `An attention head's two products and the softmax between them become one kernel (FlashAttention's
idea): for each block of query rows it walks the keys with an online softmax (a running maximum and sum,
the context rescaled when the maximum grows), so the [batch, heads, Sq, Sk] scores and probabilities never
reach memory. Dropout on the probabilities is drawn from the counter-based generator at each element's
index, the same mask as unfused. It applies where the scores and probabilities have no other reader: a
training step's backward reads the probabilities, so there the kernels stay apart (the fusion report says
so), as they do for 16-bit operands.

  before:  kernel { s = matmul(q, k, transpose_b=true) }  kernel { p = softmax(s * c + mask) }  kernel { o = matmul(p, v) }
  after:   kernel k_gemm_scale_mask_softmax_gemm { s = ...; p = ...; o = matmul(p, v) }`,
  options: {},
  statistics: { fused: 'attentions fused', rejected: 'attentions left apart' },
  run(m, _o, stats) {
    const c = new FusionContext(m, 'fuse-attention');
    for (const softmax of c.b.nodes.filter((n) => n.op === 'softmax')) {
      const gS = c.b.group(softmax)!;
      const readers = c.outputs(gS).flatMap((o) => c.b.consumers(o));
      const context = readers.find((x) => isMatmul(x) && c.b.members(gS).includes(x.srcs[0]!));
      const scores = c.b.members(gS).flatMap((n) => n.srcs).find((s) => isMatmul(s) && c.b.group(s) !== gS);
      if (!context || !scores) continue;
      const why = refusal(c, scores, softmax, context);
      const saved = 2 * bytesOf(scores) + 2 * bytesOf(context.srcs[0]!);
      if (why) {
        c.decide(why.rule, false, scores, context, saved, why.detail);
        continue;
      }
      const gA = c.b.group(scores)!;
      c.b.merge(gA, gS);
      c.b.merge(gA, c.b.group(context)!);
      c.decide('attention', true, scores, context, saved);
    }
    stats.add('fused', c.decisions.filter((d) => d.fused).length);
    stats.add('rejected', c.decisions.filter((d) => !d.fused).length);
    return c.finish();
  },
});
