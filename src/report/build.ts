import { peakMatrixFlops, peakVectorFlops, type Accelerator, type MatrixDType } from '../accel/accelerator.js';
import { gemmLosses, shortfallReasons, type GemmLosses } from '../cost/efficiency.js';
import { CATEGORIES, costModule, type Bound, type Category, type KernelCost } from '../cost/model.js';
import type { GemmProblem, GemmSchedule, LevelTile } from '../cost/gemm.js';
import type { Module } from '../kernel/module.js';
import { kernelsOf } from '../kernel/kernels.js';
import { keptForBackward } from '../kernel/saved.js';
import { PHASES, phaseOf, totalsOver, type Phase } from '../kernel/stats.js';

/**
 * The cost report, as data. Its JSON form is versioned (REPORT_SCHEMA below, documented in
 * docs/report.md); the text, Markdown and HTML forms are renderings of the same object.
 */

export const REPORT_SCHEMA = 'bertc-report/1';

export interface TileJson {
  readonly level: string;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly order: string;
  readonly traffic_bytes: number;
}

/** A kernel's cost as the report's JSON has it: flat FLOP fields and its GEMM tiling, if any. */
export type KernelJson = Omit<KernelCost, 'kind' | 'flops_detail' | 'schedule'> & {
  /** forward, backward or optimizer (every kernel of a forward pass is forward). */
  readonly phase: Phase;
  readonly flops_matrix: number;
  readonly flops_vector: number;
  readonly flops_special: number;
  readonly gemm?: { readonly batch: number; readonly m: number; readonly n: number; readonly k: number; readonly tiles: readonly TileJson[]; readonly runner_up?: TileJson };
};

/** A distinct GEMM shape: its kernels' time, how close to the matrix unit's peak it gets, and why not closer. */
export interface GemmShapeJson {
  readonly category: Category;
  readonly batch: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly dtype: string;
  readonly count: number;
  readonly flops: number;
  readonly bytes: number;
  readonly predicted_s: number;
  readonly fraction_of_peak: number;
  readonly bound: Bound;
  readonly losses: GemmLosses;
  /** One sentence per loss worth naming, biggest first (src/cost/efficiency.ts). */
  readonly reasons: readonly string[];
}

export interface TotalsJson {
  readonly kernels: number;
  readonly flops: number;
  readonly bytes: number;
  readonly predicted_s: number;
}

export interface Report {
  readonly schema: typeof REPORT_SCHEMA;
  readonly model: { readonly file: string; readonly config: string; readonly sets: Readonly<Record<string, number>>; readonly train: boolean; readonly pipeline: string };
  readonly accelerator: {
    readonly name: string;
    readonly description: string;
    readonly peak_matrix_flops: number;
    readonly peak_vector_flops: number;
    readonly dram_bytes_per_s: number;
    readonly launch_overhead_s: number;
  };
  readonly kernels: readonly KernelJson[];
  readonly totals: TotalsJson;
  /** Predicted time per category, in CATEGORIES order, with its share of the total. */
  readonly categories: readonly { readonly category: Category; readonly kernels: number; readonly predicted_s: number; readonly share: number }[];
  /** For a training step (`--step`): predicted time per phase, forward, backward, optimizer, with its share. */
  readonly phases?: readonly { readonly phase: Phase; readonly kernels: number; readonly predicted_s: number; readonly share: number }[];
  /**
   * For a training step whose pipeline has a `recompute` step: each save-or-recompute policy's plan,
   * with the tensors and bytes its forward kernels keep for its backward kernels, and its totals.
   */
  readonly recompute?: readonly ({ readonly policy: string; readonly used: boolean; readonly kept_tensors: number; readonly kept_bytes: number } & TotalsJson)[];
  /** Totals after each pass of the pipeline; the first entry is the unfused plan. */
  readonly passes: readonly ({ readonly after: string } & TotalsJson)[];
  readonly unfused: TotalsJson;
  /** Each distinct GEMM shape: how close to the matrix unit's peak it gets. */
  readonly gemm_shapes: readonly GemmShapeJson[];
}

function tileJson(t: LevelTile): TileJson {
  return { level: t.level, m: t.m, n: t.n, k: t.k, order: t.order, traffic_bytes: t.traffic };
}

function gemmJson(s: GemmSchedule | undefined): KernelJson['gemm'] {
  if (!s) return undefined;
  const { batch, m, n, k } = s.problem;
  return { batch, m, n, k, tiles: s.levels.map(tileJson), runner_up: s.runnerUp && tileJson(s.runnerUp) };
}

function kernelJson(c: KernelCost, phase: Phase): KernelJson {
  const { kind: _kind, flops_detail: f, schedule, ...rest } = c;
  return { ...rest, phase, flops_matrix: f.matrix, flops_vector: f.vector, flops_special: f.special, gemm: gemmJson(schedule) };
}

export function totals(cs: readonly KernelCost[]): TotalsJson {
  return totalsOver(cs, ['flops', 'bytes', 'predicted_s']);
}

export interface ReportInput {
  readonly file: string;
  readonly config: string;
  readonly sets: Readonly<Record<string, number>>;
  readonly pipeline: string;
  /** The module before any pass, then after each pass, labelled. */
  readonly stages: readonly { readonly after: string; readonly module: Module }[];
  /** A training step's plan under each save-or-recompute policy (policyPlans). */
  readonly policies?: readonly { readonly policy: string; readonly used: boolean; readonly module: Module }[];
}

export function buildReport(input: ReportInput, a: Accelerator): Report {
  const final = input.stages[input.stages.length - 1]!.module;
  const costs = costModule(final, a);
  const all = totals(costs);
  // The matrix dtype of most GEMM work (the precision policy's), for the headline peak.
  const gemmFlops = new Map<MatrixDType, number>();
  for (const c of costs) if (c.schedule) gemmFlops.set(c.schedule.problem.dtype as MatrixDType, (gemmFlops.get(c.schedule.problem.dtype as MatrixDType) ?? 0) + c.flops_detail.matrix);
  const dtype = [...gemmFlops].sort((x, y) => y[1] - x[1])[0]?.[0] ?? ((final.graph.outputs[0]?.node.type.dtype ?? 'f32') as MatrixDType);
  const categories = CATEGORIES.map((category) => {
    const mine = costs.filter((c) => c.category === category);
    const t = mine.reduce((s, c) => s + c.predicted_s, 0);
    return { category, kernels: mine.length, predicted_s: t, share: all.predicted_s ? t / all.predicted_s : 0 };
  });
  const phaseOfKernel = new Map(kernelsOf(final).map((k) => [k.name, phaseOf(k)]));
  const phases = PHASES.map((phase) => {
    const mine = costs.filter((c) => phaseOfKernel.get(c.name) === phase);
    const t = mine.reduce((s, c) => s + c.predicted_s, 0);
    return { phase, kernels: mine.length, predicted_s: t, share: all.predicted_s ? t / all.predicted_s : 0 };
  });
  const step = phases.some((p) => p.phase !== 'forward' && p.kernels > 0);
  const peak = peakMatrixFlops(a, dtype) ?? peakVectorFlops(a);
  return {
    schema: REPORT_SCHEMA,
    model: { file: input.file, config: input.config, sets: input.sets, train: final.train, pipeline: input.pipeline },
    accelerator: {
      name: a.name,
      description: a.description,
      peak_matrix_flops: peak,
      peak_vector_flops: peakVectorFlops(a),
      dram_bytes_per_s: a.dram.bandwidth_bytes_per_s,
      launch_overhead_s: a.launch_overhead_s,
    },
    kernels: costs.map((c) => kernelJson(c, phaseOfKernel.get(c.name)!)),
    totals: all,
    categories,
    ...(step && { phases }),
    ...(input.policies?.length && {
      recompute: input.policies.map((p) => {
        const kept = keptForBackward(p.module);
        return { policy: p.policy, used: p.used, kept_tensors: kept.values, kept_bytes: kept.bytes, ...(p.used ? all : totals(costModule(p.module, a))) };
      }),
    }),
    passes: input.stages.map((s) => ({ after: s.after, ...totals(costModule(s.module, a)) })),
    unfused: totals(costModule(input.stages[0]!.module, a)),
    gemm_shapes: gemmShapes(costs, a),
  };
}

/**
 * The GEMM kernels grouped by category, shape and dtype, in order of first appearance. A fused
 * attention kernel contributes its two products, each with the share of the kernel's time its
 * matrix work takes.
 */
export function gemmShapes(costs: readonly KernelCost[], a: Accelerator): GemmShapeJson[] {
  type Part = { readonly cost: KernelCost; readonly problem: GemmProblem; readonly share: number };
  const partsOf = (c: KernelCost): Part[] => {
    if (c.schedule) return [{ cost: c, problem: c.schedule.problem, share: 1 }];
    const total = (c.products ?? []).reduce((s, x) => s + x.matrix_s, 0);
    return (c.products ?? []).map((x) => ({ cost: c, problem: x.problem, share: total ? x.matrix_s / total : 0 }));
  };
  const shapes = new Map<string, { first: Part; parts: Part[] }>();
  for (const part of costs.flatMap(partsOf)) {
    const { batch, m, n, k, dtype } = part.problem;
    const key = `${part.cost.category}:${batch}x${m}x${n}x${k}:${dtype}`;
    const group = shapes.get(key) ?? { first: part, parts: [] };
    group.parts.push(part);
    shapes.set(key, group);
  }
  return [...shapes.values()].map(({ first: { cost: first, problem: p }, parts }) => {
    const t = parts.reduce((s, x) => s + x.cost.predicted_s * x.share, 0);
    const flops = parts.reduce((s, x) => s + 2 * x.problem.batch * x.problem.m * x.problem.n * x.problem.k, 0);
    const shapePeak = peakMatrixFlops(a, p.dtype as MatrixDType) ?? peakVectorFlops(a);
    return {
      category: first.category, batch: p.batch, m: p.m, n: p.n, k: p.k, dtype: p.dtype,
      count: parts.length,
      flops,
      bytes: parts.reduce((s, x) => s + x.cost.bytes * x.share, 0),
      predicted_s: t,
      fraction_of_peak: flops / (shapePeak * t),
      bound: first.bound,
      losses: gemmLosses(a, p),
      reasons: shortfallReasons(a, p, first),
    };
  });
}

