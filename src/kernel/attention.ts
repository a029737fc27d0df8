import type { Node } from '../ir/node.js';
import { isElementwise, isMatmul, isMovement, isRandom, reducedAxes } from './classify.js';

/**
 * A fused attention kernel's ops, by role: `softmax(chain(scores)) [dropout] · V`, where `scores`
 * is `Q · Kᵀ` and `chain` the elementwise ops between it and the softmax (the scale and the additive
 * mask). The kernel never stores the scores or the probabilities: it walks the keys once per query
 * row with an online softmax (fuse-attention, docs/backend-c.md).
 */
export interface AttentionParts {
  /** `Q · Kᵀ`, [.., Sq, Sk]. */
  readonly scores: Node;
  /** Elementwise ops from the scores to the softmax's input, in order. */
  readonly chain: readonly Node[];
  /** Over the last axis. */
  readonly softmax: Node;
  /** Applied to the probabilities in training mode. */
  readonly dropout?: Node;
  /** `P · V`, [.., Sq, D]. */
  readonly context: Node;
  /** Movement ops the context is stored through (the heads merged back). */
  readonly epilogue: readonly Node[];
}

/** The roles of `ops` when they are one attention, in order; undefined otherwise. */
export function attentionParts(ops: readonly Node[]): AttentionParts | undefined {
  const matmuls = ops.filter(isMatmul);
  const softmaxes = ops.filter((n) => n.op === 'softmax');
  if (matmuls.length !== 2 || softmaxes.length !== 1) return undefined;
  const softmax = softmaxes[0]!;
  const rank = softmax.type.shape.length;
  if (reducedAxes(softmax).join() !== String(rank - 1)) return undefined;
  const probabilities = (n: Node) => n === softmax || (isRandom(n) && n.srcs[0] === softmax);
  const context = matmuls.find((m) => probabilities(m.srcs[0]!));
  const scores = matmuls.find((m) => m !== context);
  if (!context || !scores || context.attr<boolean>('transpose_a')) return undefined;
  const inside = new Set(ops);
  const dropout = ops.find((n) => isRandom(n) && n.srcs[0] === softmax);
  if (context.srcs[0] !== (dropout ?? softmax)) return undefined;
  const chain = ops.filter((n) => n !== scores && n !== softmax && n !== dropout && n !== context && !isMovement(n));
  const epilogue = ops.filter(isMovement);
  // The chain reads the scores and operands from outside (the mask, constants) and feeds the softmax.
  const chainOk = chain.every((n) => isElementwise(n) && !isRandom(n) && n.srcs.every((s) => !inside.has(s) || s === scores || chain.includes(s)));
  const feeds = softmax.srcs[0] === scores || chain.includes(softmax.srcs[0]!);
  const storedThrough = epilogue.every((n) => inside.has(n.srcs[0]!) && (n.srcs[0] === context || epilogue.includes(n.srcs[0]!)));
  if (!chainOk || !feeds || !storedThrough) return undefined;
  return { scores, chain, softmax, ...(dropout && { dropout }), context, epilogue };
}
