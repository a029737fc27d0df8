import type { Accelerator } from '../accel/accelerator.js';
import type { Bound } from '../cost/model.js';
import type { GemmShapeJson, KernelJson, Report } from '../report/build.js';
import { distributedStep, type DistributedStep } from './distribute.js';
import type { Point } from './sweep.js';

/**
 * One row of a study: a point of the grid and what the cost model predicts there, built from the
 * point's cost report (src/report/build.ts) and, for training, the distribution of the step over
 * micro-batches and replicas (src/study/distribute.ts). docs/studies.md documents the fields.
 */

export const STUDY_CATEGORIES = ['gemm-dense', 'gemm-attention', 'softmax', 'layernorm', 'gelu', 'dropout', 'casts', 'optimizer', 'communication', 'other'] as const;
export type StudyCategory = (typeof STUDY_CATEGORIES)[number];

/** What bounds a category: its kernels' bound holding the most time, or the interconnect. */
export type CategoryBound = Bound | 'interconnect' | 'none';

export interface CategoryJson {
  /** Predicted time per step, launch overheads included. */
  readonly ms: number;
  readonly share: number;
  /** The same without launch overheads: the time the device is busy, what a profiler's kernel times add up to. */
  readonly device_ms: number;
  readonly device_share: number;
  readonly bytes: number;
  readonly kernels: number;
  readonly bound: CategoryBound;
}

export interface StudyRow {
  readonly point: Point;
  readonly accel: string;
  readonly config: string;
  readonly sets: Readonly<Record<string, number>>;
  readonly precision: string;
  readonly level: number;
  readonly micro_batches: number;
  readonly replicas: number;
  /** Rows of the batch one device computes per micro-batch (the batch constant of the compiled plan), when the model has one. */
  readonly batch?: number;
  /** The matrix unit's peak in the GEMMs' main dtype, and the DRAM bandwidth: the roofs of the roofline. */
  readonly peak_matrix_flops: number;
  readonly dram_bytes_per_s: number;
  readonly predicted_ms: number;
  readonly device_ms: number;
  readonly phases: { readonly forward_ms: number; readonly backward_ms: number; readonly optimizer_ms: number; readonly accumulate_ms: number; readonly communication_ms: number };
  readonly categories: Readonly<Record<StudyCategory, CategoryJson>>;
  readonly kernels: number;
  readonly flops: number;
  readonly bytes: number;
  readonly peak_activation_bytes: number;
  /** Predicted time of the unfused plan over the plan's (one micro-batch, one device). */
  readonly fused_gain: number;
  readonly allreduce: { readonly gradient_bytes: number; readonly ms: number; readonly exposed_ms: number };
  readonly gemm_shapes: readonly GemmShapeJson[];
  /** With near-memory units: the kernels they could run, those placed there, and the step's time saved by them (per step). */
  readonly near_memory?: { readonly eligible: number; readonly placed: number; readonly saved_ms: number };
}

export function studyCategory(k: Pick<KernelJson, 'category' | 'phase'>): StudyCategory {
  if (k.phase === 'optimizer') return 'optimizer';
  switch (k.category) {
    case 'gemm':
      return 'gemm-dense';
    case 'attention-gemm':
      return 'gemm-attention';
    case 'softmax':
    case 'layernorm':
    case 'gelu':
    case 'dropout':
    case 'casts':
      return k.category;
    default:
      return 'other';
  }
}

export interface RowInput {
  readonly point: Point;
  readonly report: Report;
  readonly accel: Accelerator;
  readonly precision: string;
  readonly level: number;
  readonly microBatches: number;
  readonly replicas: number;
  readonly batch?: number;
  readonly gradientBytes: number;
  readonly peakActivationBytes: number;
}

interface Tally {
  s: number;
  busy: number;
  bytes: number;
  kernels: number;
  byBound: Map<Bound, number>;
}

function mainBound(t: Tally): CategoryBound {
  const ranked = [...t.byBound].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
  return ranked[0]?.[0] ?? 'none';
}

export function studyRow(r: RowInput): StudyRow {
  const rep = r.report;
  // Forward and backward kernels run once per micro-batch, the optimizer once per step.
  const times = (k: KernelJson) => (k.phase === 'optimizer' ? 1 : r.microBatches);
  const tallies = new Map<StudyCategory, Tally>(STUDY_CATEGORIES.map((c) => [c, { s: 0, busy: 0, bytes: 0, kernels: 0, byBound: new Map() }]));
  const phase = { forward: 0, backward: 0, optimizer: 0 };
  for (const k of rep.kernels) {
    const t = tallies.get(studyCategory(k))!;
    const n = times(k);
    t.s += n * k.predicted_s;
    t.busy += n * (k.predicted_s - k.launch_s);
    t.bytes += n * k.bytes;
    t.kernels += n;
    t.byBound.set(k.bound, (t.byBound.get(k.bound) ?? 0) + n * k.predicted_s);
    phase[k.phase] += k.predicted_s;
  }
  const d: DistributedStep = distributedStep(
    { forward_s: phase.forward, backward_s: phase.backward, optimizer_s: phase.optimizer },
    { microBatches: r.microBatches, replicas: r.replicas, gradientBytes: r.gradientBytes, link: r.accel.interconnect, dramBytesPerS: r.accel.dram.bandwidth_bytes_per_s },
  );
  const other = tallies.get('other')!;
  other.s += d.accumulate_s;
  other.busy += d.accumulate_s;
  other.bytes += (r.microBatches - 1) * 3 * r.gradientBytes;
  if (d.accumulate_s > 0) other.byBound.set('memory', (other.byBound.get('memory') ?? 0) + d.accumulate_s);
  const comm = tallies.get('communication')!;
  comm.s = d.communication_s;
  comm.busy = d.communication_s;
  comm.bytes = r.replicas > 1 ? ((2 * (r.replicas - 1)) / r.replicas) * r.gradientBytes : 0;
  const total = d.step_s;
  const busy = [...tallies.values()].reduce((s, t) => s + t.busy, 0);
  const categories = Object.fromEntries(
    STUDY_CATEGORIES.map((c) => {
      const t = tallies.get(c)!;
      const bound: CategoryBound = c === 'communication' ? (t.s > 0 ? 'interconnect' : 'none') : mainBound(t);
      return [c, { ms: t.s * 1e3, share: total ? t.s / total : 0, device_ms: t.busy * 1e3, device_share: busy ? t.busy / busy : 0, bytes: t.bytes, kernels: t.kernels, bound }];
    }),
  ) as Record<StudyCategory, CategoryJson>;
  return {
    point: r.point,
    accel: r.accel.name,
    config: rep.model.config,
    sets: rep.model.sets,
    precision: r.precision,
    level: r.level,
    micro_batches: r.microBatches,
    replicas: r.replicas,
    ...(r.batch !== undefined && { batch: r.batch }),
    peak_matrix_flops: rep.accelerator.peak_matrix_flops,
    dram_bytes_per_s: rep.accelerator.dram_bytes_per_s,
    predicted_ms: total * 1e3,
    device_ms: busy * 1e3,
    phases: { forward_ms: d.forward_s * 1e3, backward_ms: d.backward_s * 1e3, optimizer_ms: d.optimizer_s * 1e3, accumulate_ms: d.accumulate_s * 1e3, communication_ms: d.communication_s * 1e3 },
    categories,
    kernels: [...tallies.values()].reduce((s, t) => s + t.kernels, 0),
    flops: rep.kernels.reduce((s, k) => s + times(k) * k.flops, 0),
    bytes: [...tallies.values()].reduce((s, t) => s + t.bytes, 0),
    peak_activation_bytes: r.peakActivationBytes,
    fused_gain: rep.unfused.predicted_s / rep.totals.predicted_s,
    allreduce: { gradient_bytes: r.gradientBytes, ms: d.allreduce_s * 1e3, exposed_ms: d.communication_s * 1e3 },
    gemm_shapes: rep.gemm_shapes,
    ...(r.accel.near_memory && { near_memory: nearMemorySummary(rep.kernels, times) }),
  };
}

function nearMemorySummary(ks: readonly KernelJson[], times: (k: KernelJson) => number): NonNullable<StudyRow['near_memory']> {
  const eligible = ks.filter((k) => k.near_memory);
  const saved = eligible.reduce((s, k) => s + times(k) * (k.near_memory!.main_s - k.predicted_s), 0);
  return { eligible: eligible.length, placed: eligible.filter((k) => k.near_memory!.placed).length, saved_ms: saved * 1e3 };
}
