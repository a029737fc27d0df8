import { ADAMW_SCALARS, CLIP_INPUT, type AdamwScalar } from '../ir/adamw.js';
import { makeTensor, type Tensor } from '../interp/tensor.js';

/** AdamW's hyper-parameters; the defaults are torch.optim.AdamW's. */
export interface AdamwHyper {
  readonly lr: number;
  readonly weightDecay: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  /** Clip the gradients to this global L2 norm first (torch.nn.utils.clip_grad_norm_). */
  readonly clipNorm?: number;
}

export const ADAMW_DEFAULTS: AdamwHyper = { lr: 1e-3, weightDecay: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8 };

/**
 * The compiled step's `adamw.*` inputs for step number `t` (1 for the first step), computed in
 * double as PyTorch computes them in Python before its kernels round them to float32.
 */
export function adamwInputs(h: AdamwHyper, t: number): Map<string, Tensor> {
  const bc1 = 1 - h.beta1 ** t;
  const bc2 = 1 - h.beta2 ** t;
  const values: Record<AdamwScalar, number> = {
    decay: 1 - h.lr * h.weightDecay,
    one_minus_beta1: 1 - h.beta1,
    beta2: h.beta2,
    one_minus_beta2: 1 - h.beta2,
    neg_step_size: -(h.lr / bc1),
    bc2_sqrt: Math.sqrt(bc2),
    eps: h.eps,
  };
  const scalar = (v: number) => makeTensor('f32', [], Float32Array.of(v));
  const m = new Map(ADAMW_SCALARS.map((k) => [`adamw.${k}`, scalar(values[k])]));
  if (h.clipNorm !== undefined) m.set(CLIP_INPUT, scalar(h.clipNorm));
  return m;
}
