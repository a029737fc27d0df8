import { derivedMeta, type GraphBuilder } from './builder.js';
import type { DType } from './dtype.js';
import { topoOrder, type Graph, type NamedValue } from './graph.js';
import type { Meta, Node } from './node.js';
import { tensorType } from './types.js';
import { verifyGraph } from './verify.js';

/**
 * AdamW as graph nodes (docs/autodiff.md, "The optimizer step"): the update of
 * `torch.optim.AdamW` (single-tensor path), term by term, so that one step of bertc and of
 * PyTorch round alike:
 *
 *   p  <- p * (1 - lr * weight_decay)                 decoupled weight decay
 *   m  <- m + (1 - beta1) * (g - m)                   exp_avg.lerp_(g, 1 - beta1)
 *   v  <- v * beta2 + (1 - beta2) * g * g             exp_avg_sq.mul_(beta2).addcmul_(g, g, 1 - beta2)
 *   p  <- p + (-lr / bc1) * m / (sqrt(v) / sqrt(bc2) + eps)    param.addcdiv_(m, denom, -step_size)
 *
 * with bc1 = 1 - beta1^t and bc2 = 1 - beta2^t. Every scalar that depends on the step count or the
 * hyper-parameters is an input (`adamw.<scalar>`, f32 []): the host computes them in double for
 * each step (src/core/adamw.ts), so one compiled step serves every step and every setting.
 */

/** The per-step scalars, in the order of the compiled step's inputs. */
export const ADAMW_SCALARS = ['decay', 'one_minus_beta1', 'beta2', 'one_minus_beta2', 'neg_step_size', 'bc2_sqrt', 'eps'] as const;
export type AdamwScalar = (typeof ADAMW_SCALARS)[number];
/** The clipping threshold's input, present when the step clips gradients by their global norm. */
export const CLIP_INPUT = 'adamw.max_norm';

/** The step's own inputs (its scalars), which the training loop supplies rather than the batch. */
export const isOptimizerInput = (n: Node): boolean => n.op === 'input' && n.attr<string>('name').startsWith('adamw.');

/** The optimizer state of a weight, named as `bertc train` writes it. */
export const stateName = (moment: 'm' | 'v', param: string): string => `adamw.${moment}.${param}`;
export const STEP_COUNT = 'adamw.step';
/** Optimizer nodes carry this scope, so that reports can tell the optimizer from the model. */
export const OPTIMIZER_SCOPE = 'optimizer';

export interface AdamwOptions {
  /** Scale the gradients by min(1, max_norm / (||g||_2 + 1e-6)) over all of them, as torch.nn.utils.clip_grad_norm_. */
  readonly clip: boolean;
  /**
   * The gradients are of the loss times the state `adamw.loss_scale` (gradientProgram's `scaled`):
   * unscale them, and skip the step where one is not finite, as torch.cuda.amp.GradScaler does.
   */
  readonly lossScale?: boolean;
}

/**
 * Loss scaling's state, as `bertc train` writes it: the scale, the finite steps since it last
 * changed, the steps skipped, and the optimizer's own step count (the steps taken), from which the
 * step computes its bias corrections, since a skipped step does not count.
 */
export const LOSS_SCALE = 'adamw.loss_scale';
export const SCALE_STATE = [LOSS_SCALE, 'adamw.good_steps', 'adamw.skipped', 'adamw.taken'] as const;
/** The scalars a loss-scaled step reads instead of the per-step ones its bias corrections replace. */
export const SCALED_SCALARS = ['decay', 'one_minus_beta1', 'beta2', 'one_minus_beta2', 'eps', 'neg_lr', 'beta1', 'growth_interval', 'backoff'] as const;
export type ScaledScalar = (typeof SCALED_SCALARS)[number];

/**
 * The training step: `grads`' graph (outputs `loss` and `grad.<name>`) followed by AdamW. Its inputs
 * are the batch, then the `adamw.*` scalars; the moments `adamw.m.<name>` and `adamw.v.<name>` are
 * weights. Its outputs are `loss`, then for each parameter its next value under its own name, and its
 * next moments under theirs: an output named after a weight is that weight's next value
 * (stateUpdates), which a training loop writes back.
 */
export function adamwStep(grads: Graph, b: GraphBuilder, opts: AdamwOptions): Graph {
  const loss = grads.outputs.find((o) => o.name === 'loss')!;
  const weights = new Map(topoOrder(grads.outputs.map((o) => o.node)).filter((n) => n.op === 'param').map((n) => [n.attr<string>('name'), n]));
  const pairs = grads.outputs.filter((o) => o.name.startsWith('grad.')).map((o) => {
    const param = weights.get(o.name.slice(5));
    if (!param) throw new Error(`internal: the gradient graph has '${o.name}' but no weight '${o.name.slice(5)}'`);
    return { param, grad: o.node };
  });
  const scalarMeta: Meta = { scope: OPTIMIZER_SCOPE, hint: '' };
  const f32 = tensorType('f32', []);
  const input = (k: string) => b.input(`adamw.${k}`, f32, { ...scalarMeta, hint: k });
  const scaled = opts.lossScale ? lossScaling(b, grads, pairs.map((p) => p.grad), Object.fromEntries(SCALED_SCALARS.map((k) => [k, input(k)])) as Record<ScaledScalar, Node>, scalarMeta) : undefined;
  const s = scaled?.scalars ?? (Object.fromEntries(ADAMW_SCALARS.map((k) => [k, input(k)])) as Record<AdamwScalar, Node>);
  const clipInput = opts.clip ? b.input(CLIP_INPUT, f32, { ...scalarMeta, hint: 'max_norm' }) : undefined;
  // Gradients in f32, unscaled: what clipping and the update read.
  const unscaled = pairs.map(({ grad }) => {
    const g = inDtype(b, grad, 'f32', { ...scalarMeta, hint: 'grad_f32' });
    return scaled ? b.op('mul', [g, scaled.unscale], {}, { ...scalarMeta, hint: 'unscaled' }) : g;
  });
  const coef = clipInput && clipCoefficient(b, unscaled, clipInput, scalarMeta);
  const outputs: NamedValue[] = [loss];
  const moments: NamedValue[] = [];
  pairs.forEach(({ param: w }, i) => {
    const name = w.attr<string>('name');
    const meta = { ...derivedMeta(w.meta, w, 'adamw'), scope: OPTIMIZER_SCOPE, hint: '' };
    const op = (o: string, ...srcs: Node[]) => b.op(o, srcs, {}, meta);
    // The update computes in f32 whatever a weight is stored in; its moments are f32 state.
    const p = inDtype(b, w, 'f32', meta);
    // A skipped step leaves every weight and moment as it was.
    const taken = (next: Node, now: Node) => (scaled ? op('where', scaled.finite, next, now) : next);
    const g = coef ? op('mul', unscaled[i]!, coef) : unscaled[i]!;
    const moment = tensorType('f32', w.type.shape);
    const m = b.param(stateName('m', name), moment, { ...meta, hint: 'm' });
    const v = b.param(stateName('v', name), moment, { ...meta, hint: 'v' });
    const decayed = op('mul', p, s.decay);
    const m1 = op('add', m, op('mul', s.one_minus_beta1, op('sub', g, m)));
    const v1 = op('add', op('mul', v, s.beta2), op('mul', op('mul', s.one_minus_beta2, g), g));
    const denom = op('add', op('div', op('sqrt', v1), s.bc2_sqrt), s.eps);
    const p1 = op('add', decayed, op('div', op('mul', s.neg_step_size, m1), denom));
    outputs.push({ name, node: inDtype(b, taken(p1, p), w.type.dtype, meta) });
    moments.push({ name: stateName('m', name), node: taken(m1, m) }, { name: stateName('v', name), node: taken(v1, v) });
  });
  outputs.push(...moments, ...(scaled?.state ?? []));
  const inputs = [...grads.inputs, ...(scaled ? scaled.inputs : Object.values(s)), ...(clipInput ? [clipInput] : [])];
  const g: Graph = { ctx: grads.ctx, name: grads.name, body: topoOrder([...outputs.map((o) => o.node), ...inputs]), inputs, outputs, taps: [] };
  verifyGraph(g, 'adamw');
  return g;
}

/** `x`, cast to `dtype` unless it is in it already. */
function inDtype(b: GraphBuilder, x: Node, dtype: DType, meta: Meta): Node {
  return x.type.dtype === dtype ? x : b.op('cast', [x], { to: dtype }, meta);
}

/**
 * Dynamic loss scaling (torch.cuda.amp.GradScaler): whether every gradient is finite (a sum of
 * g * 0 over all of them is 0, or NaN when one holds an infinity or a NaN), the factor that unscales
 * them, and the state's next values: on a finite step the count of steps taken grows and the scale
 * doubles every `growth_interval` finite steps; otherwise the scale is multiplied by `backoff` and
 * the step is skipped. The bias corrections come from the steps taken, computed here in f32.
 */
function lossScaling(b: GraphBuilder, program: Graph, grads: readonly Node[], k: Record<ScaledScalar, Node>, meta: Meta) {
  const op = (o: string, srcs: Node[], attrs = {}) => b.op(o, srcs, attrs, { ...meta, hint: 'scaler' });
  const f32 = tensorType('f32', []);
  // The scale is the weight the gradient program multiplied its loss by: the same node.
  const declared = program.body.find((n) => n.op === 'param' && n.attr<string>('name') === LOSS_SCALE);
  const [scale, good, skipped, taken] = SCALE_STATE.map((name) => (name === LOSS_SCALE && declared) || b.param(name, f32, { ...meta, hint: name.slice(6) })) as [Node, Node, Node, Node];
  const zero = b.constant(0, 'f32', meta);
  const one = b.constant(1, 'f32', meta);
  const probe = grads.map((g) => op('reduce_sum', [op('mul', [g, zero])], { axes: g.type.shape.map((_, i) => i) })).reduce((a, x) => op('add', [a, x]));
  const finite = op('eq', [probe, zero]);
  const taken1 = op('add', [taken, op('where', [finite, one, zero])]);
  const good1 = op('where', [finite, op('add', [good, one]), zero]);
  const grow = op('ge', [good1, k.growth_interval]);
  const scale1 = op('where', [finite, op('where', [grow, op('mul', [scale, b.constant(2, 'f32', meta)]), scale]), op('mul', [scale, k.backoff])]);
  const t = op('max', [taken1, one]);
  const scalars: Record<AdamwScalar, Node> = {
    decay: k.decay,
    one_minus_beta1: k.one_minus_beta1,
    beta2: k.beta2,
    one_minus_beta2: k.one_minus_beta2,
    eps: k.eps,
    neg_step_size: op('div', [k.neg_lr, op('sub', [one, op('pow', [k.beta1, t])])]),
    bc2_sqrt: op('sqrt', [op('sub', [one, op('pow', [k.beta2, t])])]),
  };
  const state: NamedValue[] = [
    { name: LOSS_SCALE, node: scale1 },
    { name: 'adamw.good_steps', node: op('where', [grow, zero, good1]) },
    { name: 'adamw.skipped', node: op('add', [skipped, op('where', [finite, zero, one])]) },
    { name: 'adamw.taken', node: taken1 },
  ];
  return { finite, unscale: op('recip', [scale]), scalars, state, inputs: Object.values(k) };
}

/** min(1, max_norm / (sqrt(sum of every g^2) + 1e-6)), as torch.nn.utils.clip_grad_norm_ scales. */
function clipCoefficient(b: GraphBuilder, grads: readonly Node[], maxNorm: Node, meta: Meta): Node {
  const op = (o: string, srcs: Node[], attrs = {}) => b.op(o, srcs, attrs, { ...meta, hint: 'clip' });
  const squares = grads.map((g) => op('reduce_sum', [op('mul', [g, g])], { axes: g.type.shape.map((_, i) => i) }));
  const total = op('sqrt', [squares.reduce((a, x) => op('add', [a, x]))]);
  const coef = op('div', [maxNorm, op('add', [total, b.constant(1e-6, 'f32', meta)])]);
  return op('min', [coef, b.constant(1, 'f32', meta)]);
}

/** The outputs of a training step that are the next value of one of its weights, by weight name. */
export function stateUpdates(g: Graph): Map<string, NamedValue> {
  const weights = new Set(topoOrder(g.outputs.map((o) => o.node)).filter((n) => n.op === 'param').map((n) => n.attr<string>('name')));
  return new Map(g.outputs.filter((o) => weights.has(o.name)).map((o) => [o.name, o]));
}

/** The outputs of a training step that a loop hands back each step (the loss): all but the next weights. */
export function stepResults(g: Graph): NamedValue[] {
  const updates = stateUpdates(g);
  return g.outputs.filter((o) => !updates.has(o.name));
}
