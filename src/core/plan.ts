import type { Accelerator } from '../accel/accelerator.js';
import type { Elaborated } from '../frontend/elaborate.js';
import { inputDimNames, type Program } from '../frontend/program.js';
import { isBackward } from '../ir/autodiff.js';
import { batchAxes } from '../kernel/batchAxis.js';
import { isRandom } from '../kernel/classify.js';
import type { Module } from '../kernel/module.js';
import { baselinePartition, declaredPartition } from '../kernel/partition.js';
import { RECOMPUTE_POLICIES } from '../kernel/saved.js';
import { INERT_DROPOUT } from '../../passes/canonicalize.js';
import { Statistics } from '../../passes/pass.js';
import { parsePipeline, runPipeline, type PassRecord, type PipelineStep, type RunPipelineOptions } from '../../passes/pipeline.js';
import { rewriteGraph } from '../../passes/rewrite.js';
import { generateWgsl, LimitError, type WgslFiles } from '../../targets/wgsl/module.js';
import { withObjective, type Objective } from './grad.js';
import { build, type BuildOptions, type Session } from './session.js';

const FORWARD: Objective = { kind: 'forward' };

/**
 * The module a pipeline starts from: the plan a printed plan declares, or else the unfused plan,
 * one kernel per op. In inference mode dropout is the identity, so it is lowered away here, before
 * any pass: -O0 launches no kernel for it.
 */
export function initialModule(e: Elaborated, train: boolean): Module {
  if (e.kernels) return { graph: e.graph, partition: declaredPartition(e.graph, e.kernels), decisions: [], train };
  const graph = train ? e.graph : rewriteGraph(e.graph, [INERT_DROPOUT], new Statistics(), false).graph;
  return { graph, partition: baselinePartition(graph), decisions: [], train };
}

export interface PlanOptions extends BuildOptions {
  readonly train: boolean;
  /** What to compile: the forward pass (default), one loss's gradients, or a whole training step. */
  readonly objective?: Objective;
  readonly pipeline: string;
  readonly accel?: Accelerator;
  readonly runOptions?: RunPipelineOptions;
}

export interface Plan {
  readonly built: Elaborated;
  /** The unfused module, then the module after each pass. */
  readonly stages: readonly { readonly after: string; readonly module: Module }[];
  readonly module: Module;
  readonly records: readonly PassRecord[];
}

/** The pipeline's steps; with an accelerator, GEMMs are tiled for it (tile-gemm is appended when missing). */
export function pipelineSteps(pipeline: string, accel: Accelerator | undefined): PipelineStep[] {
  return parsePipeline(accel && !/(^|,)tile-gemm($|[,{])/.test(pipeline) ? [pipeline, 'tile-gemm'].filter(Boolean).join(',') : pipeline);
}

/** A training step compiled under one save-or-recompute policy. */
export interface PolicyPlan {
  readonly policy: string;
  /** Is this the plan the pipeline itself produced (its recompute step has this policy's classes)? */
  readonly used: boolean;
  readonly module: Module;
}

/**
 * The plan of a training step under each named save-or-recompute policy (RECOMPUTE_POLICIES): the
 * pipeline rerun from its `recompute` step with that policy's classes. Empty when the pipeline has
 * no such step or the program has no backward pass.
 */
export function policyPlans(s: Session, p: Plan, opts: Pick<PlanOptions, 'pipeline' | 'accel' | 'runOptions'>): PolicyPlan[] {
  const steps = pipelineSteps(opts.pipeline, opts.accel);
  const at = steps.findIndex((x) => x.pass.name === 'recompute');
  if (at < 0 || !p.module.graph.body.some(isBackward)) return [];
  const mine = [...(steps[at]!.options['classes'] as readonly string[])].sort().join(',');
  return RECOMPUTE_POLICIES.map(({ name, classes }) => {
    const used = [...classes].sort().join(',') === mine;
    const rest = [{ ...steps[at]!, options: { classes } }, ...steps.slice(at + 1)];
    return { policy: name, used, module: used ? p.module : s.guard(() => runPipeline(p.stages[at]!.module, rest)).module };
  });
}

export function planProgram(s: Session, program: Program, opts: PlanOptions): Plan {
  const objective = opts.objective ?? FORWARD;
  const built = build(s, program, { ...opts, loss: objective.kind === 'forward' ? opts.loss : objective.loss });
  return planBuilt(s, withObjective(built, objective), opts);
}

/** Runs the pipeline over an elaborated program. */
export function planBuilt(s: Session, built: Elaborated, opts: Omit<PlanOptions, keyof BuildOptions>): Plan {
  const start = { ...initialModule(built, opts.train), accel: opts.accel };
  const { module, records } = s.guard(() => runPipeline(start, pipelineSteps(opts.pipeline, opts.accel), opts.runOptions));
  const stages = [{ after: 'unfused', module: start }, ...records.map((r) => ({ after: r.step, module: r.module }))];
  return { built, stages, module, records };
}

/**
 * Plans a program for WebGPU and generates its shaders. When a tensor of the whole batch does not
 * fit the device's limits and the model computes batch rows independently, the model is compiled
 * for the largest slice of the batch that fits, and the manifest tells the runtime to run it on
 * the slices in turn.
 */
export function planWgsl(s: Session, program: Program, opts: PlanOptions & { readonly accel: Accelerator; readonly source: string }): Plan & { readonly files: WgslFiles } {
  try {
    return planWgslSlices(s, program, opts);
  } catch (e) {
    if (!(e instanceof LimitError)) throw e;
    s.diags.emit('E0029', { detail: `${e.message} on accelerator '${opts.accel.name}'${e.sliceable ? ', even with the batch run in slices' : ''}` }, e.span);
    s.fail();
  }
}

function planWgslSlices(s: Session, program: Program, opts: PlanOptions & { readonly accel: Accelerator; readonly source: string }): Plan & { readonly files: WgslFiles } {
  const whole = planProgram(s, program, opts);
  try {
    return { ...whole, files: s.guard(() => generateWgsl(whole.module, opts)) };
  } catch (e) {
    if (!(e instanceof LimitError) || !e.sliceable) throw e;
    const batch = inputDimNames(program).filter((d) => d.axis === 0).map((d) => d.name);
    const name = batch[0];
    const size = name === undefined ? undefined : whole.built.constants.get(name);
    const axes = batchAxes(whole.built.graph);
    if (name === undefined || batch.some((b) => b !== name) || typeof size !== 'number' || !axes) throw e;
    // Dropout numbers elements across the whole batch, which a slice can continue only on axis 0.
    if ([...axes].some(([n, a]) => isRandom(n) && a !== 0)) throw e;
    for (let chunk = size - 1; chunk >= 1; chunk--) {
      if (size % chunk) continue;
      const part = planProgram(s, program, { ...opts, sets: new Map([...(opts.sets ?? []), [name, chunk]]) });
      try {
        const files = s.guard(() => generateWgsl(part.module, { ...opts, batchSliced: true }));
        return { ...part, files: { ...files, manifest: { ...files.manifest, batch: { size, chunk } } } };
      } catch (again) {
        if (!(again instanceof LimitError)) throw again;
      }
    }
    throw e;
  }
}
