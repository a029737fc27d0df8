import type { Interconnect } from '../accel/accelerator.js';

/**
 * Data-parallel training and gradient accumulation on top of one compiled step (docs/studies.md):
 * each of `replicas` devices runs `microBatches` forward and backward passes over its share of the
 * global batch, accumulates the gradients, all-reduces them over the interconnect, and runs the
 * optimizer on its own copy of the weights.
 */

/**
 * A ring all-reduce of `bytes` over `p` devices: a reduce-scatter and an all-gather of p - 1 steps
 * each, every step sending bytes/p to the next device: 2(p-1)/p · bytes / bandwidth + 2(p-1) · latency.
 */
export function ringAllReduceSeconds(bytes: number, p: number, link: Interconnect): number {
  if (p === 1) return 0;
  return ((2 * (p - 1)) / p) * (bytes / link.bandwidth_bytes_per_s) + 2 * (p - 1) * link.latency_s;
}

/** One micro-batch's step, as the cost model predicts it. */
export interface MicroStep {
  readonly forward_s: number;
  readonly backward_s: number;
  readonly optimizer_s: number;
}

export interface Distribution {
  readonly microBatches: number;
  readonly replicas: number;
  /** Bytes of all the gradients one device holds (one per weight, in the weight's dtype). */
  readonly gradientBytes: number;
  readonly link?: Interconnect;
  /** DRAM bandwidth, for adding a micro-batch's gradients into the accumulated ones. */
  readonly dramBytesPerS: number;
}

export interface DistributedStep {
  readonly forward_s: number;
  readonly backward_s: number;
  readonly optimizer_s: number;
  /** Adding each later micro-batch's gradients into the first's: read both, write one. */
  readonly accumulate_s: number;
  readonly allreduce_s: number;
  /** The part of the all-reduce the backward pass does not hide. */
  readonly communication_s: number;
  readonly step_s: number;
}

/**
 * The step of one device. The all-reduce overlaps the last micro-batch's backward pass (gradients
 * are sent in buckets as the backward produces them, the link's copy engines working beside the
 * cores); only what is left after it is exposed. That is the best case of bucketed data parallelism.
 */
export function distributedStep(m: MicroStep, d: Distribution): DistributedStep {
  const forward_s = d.microBatches * m.forward_s;
  const backward_s = d.microBatches * m.backward_s;
  const accumulate_s = ((d.microBatches - 1) * 3 * d.gradientBytes) / d.dramBytesPerS;
  const allreduce_s = d.link ? ringAllReduceSeconds(d.gradientBytes, d.replicas, d.link) : 0;
  const communication_s = Math.max(0, allreduce_s - m.backward_s);
  const step_s = forward_s + backward_s + accumulate_s + communication_s + m.optimizer_s;
  return { forward_s, backward_s, optimizer_s: m.optimizer_s, accumulate_s, allreduce_s, communication_s, step_s };
}
