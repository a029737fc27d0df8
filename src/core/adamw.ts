import { ADAMW_SCALARS, CLIP_INPUT, SCALED_SCALARS, type AdamwScalar, type ScaledScalar } from '../ir/adamw.js';
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

/** Loss scaling: the first scale, and whether it adapts (dynamic) or stays (static); skipping on overflow is the same. */
export interface LossScaling {
  readonly init: number;
  readonly dynamic: boolean;
}

/** torch.cuda.amp.GradScaler's defaults: 2^16, halved on an overflow, doubled after 2000 finite steps. */
export const DYNAMIC_SCALING: LossScaling = { init: 65536, dynamic: true };
const GROWTH_INTERVAL = 2000;

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
  const m = new Map(ADAMW_SCALARS.map((k) => [`adamw.${k}`, scalar(values[k])]));
  if (h.clipNorm !== undefined) m.set(CLIP_INPUT, scalar(h.clipNorm));
  return m;
}

const scalar = (v: number) => makeTensor('f32', [], Float32Array.of(v));

/**
 * A loss-scaled step's `adamw.*` inputs, the same for every step: its bias corrections come from
 * the steps it has taken (state), which a skipped step does not advance.
 */
export function scaledAdamwInputs(h: AdamwHyper, scaling: LossScaling): Map<string, Tensor> {
  const values: Record<ScaledScalar, number> = {
    decay: 1 - h.lr * h.weightDecay,
    one_minus_beta1: 1 - h.beta1,
    beta2: h.beta2,
    one_minus_beta2: 1 - h.beta2,
    eps: h.eps,
    neg_lr: -h.lr,
    beta1: h.beta1,
    growth_interval: scaling.dynamic ? GROWTH_INTERVAL : Number.MAX_VALUE,
    backoff: scaling.dynamic ? 0.5 : 1,
  };
  const m = new Map(SCALED_SCALARS.map((k) => [`adamw.${k}`, scalar(values[k])]));
  if (h.clipNorm !== undefined) m.set(CLIP_INPUT, scalar(h.clipNorm));
  return m;
}
