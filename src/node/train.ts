import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { adamwInputs, scaledAdamwInputs, type AdamwHyper, type LossScaling } from '../core/adamw.js';
import { withObjective, type Objective } from '../core/grad.js';
import { build, type Session } from '../core/session.js';
import type { Graph, NamedValue } from '../ir/graph.js';
import type { Elaborated } from '../frontend/elaborate.js';
import type { Program } from '../frontend/program.js';
import { params } from '../ir/graph.js';
import { isOptimizerInput, LOSS_SCALE, SCALE_STATE, STEP_COUNT, stateUpdates } from '../ir/adamw.js';
import { interpret } from '../interp/interpret.js';
import { makeTensor, type Tensor } from '../interp/tensor.js';
import { requireDistinct, writeFileAtomic } from '../io/output.js';
import { encodeSafetensors, parseSafetensors } from '../io/safetensors.js';
import { trainBuilt } from '../../targets/c/compile.js';
import { runInChromium } from '../../targets/wgsl/chromium.js';
import { pageInputs } from '../../targets/wgsl/hostTensors.js';
import { bindRun, openRun, openSafetensors, planWgslOf, withBuiltC, type GradOptions, type RunFiles } from './run.js';

export interface TrainOptions extends GradOptions {
  readonly steps: number;
  readonly hyper: AdamwHyper;
  /** A file `bertc train` wrote: the weights and optimizer state to continue from. */
  readonly resume?: string;
  /** Called after every step with its number (from 1) and loss. */
  readonly progress?: (step: number, total: number, loss: number) => void;
  /** Scale the loss (docs/precision.md): steps whose gradients overflow are skipped. */
  readonly lossScale?: LossScaling;
}

export interface TrainResult {
  readonly graph: Graph;
  /** The loss of each step, before its update. */
  readonly losses: number[];
  /** What was written: the weights under their names, `adamw.m.*`, `adamw.v.*` and `adamw.step`. */
  readonly state: Map<string, Tensor>;
  /** With loss scaling: the steps skipped on overflow and the scale the next step would use. */
  readonly scaling?: { readonly skipped: number; readonly scale: number };
}

/**
 * `bertc train`: `steps` AdamW steps on one batch, on any target, with the run contract of `bertc
 * run`. The step is compiled once (docs/autodiff.md, "The optimizer step"): a pure function from the
 * weights, the moments, the batch and the step's scalars to the loss and the next weights and
 * moments, which the loop feeds back. Nothing is written unless every step succeeded.
 */
export async function trainFile(s: Session, file: string, files: RunFiles & { readonly resume?: string }, opts: TrainOptions): Promise<TrainResult> {
  if (files.resume) s.guard(() => requireDistinct(files.output, [files.resume!]));
  const { program: p, inputs: inputsFile, weights: weightsFile, sets } = openRun(s, file, files, opts.sets);
  const objective: Objective = { kind: 'step', loss: opts.loss, clip: opts.hyper.clipNorm !== undefined, lossScale: opts.lossScale !== undefined };
  const built = withObjective(build(s, p, { config: opts.config, sets, loss: opts.loss, precision: opts.precision }), objective);
  const { graph } = built;
  const resumed = files.resume ? openSafetensors(s, files.resume).tensors : undefined;
  // The state the first step reads: the weights (or the resumed ones) and the moments (zero, or resumed).
  const start = new Map<string, Tensor>();
  for (const name of weightsFile.tensors.names) start.set(name, weightsFile.tensors.get(name));
  for (const n of params(graph)) {
    const name = n.attr<string>('name');
    if (resumed?.has(name)) start.set(name, resumed.get(name));
    else if (!start.has(name) && name.startsWith('adamw.') && weightsFile.tensors.has(name.replace(/^adamw\.[mv]\./, ''))) start.set(name, makeTensor('f32', n.type.shape));
  }
  if (files.resume && !resumed?.has(STEP_COUNT)) {
    s.diags.emit('E0023', { detail: `${files.resume} holds no '${STEP_COUNT}': resume from a file that 'bertc train' wrote` });
    s.fail();
  }
  const firstStep = resumed ? resumed.get(STEP_COUNT).data[0]! + 1 : 1;
  if (opts.lossScale) {
    // The scaler's state starts fresh unless the resumed file carries it; steps taken so far count.
    const scalar = (v: number) => makeTensor('f32', [], Float32Array.of(v));
    const fresh: Record<(typeof SCALE_STATE)[number], number> = { [LOSS_SCALE]: opts.lossScale.init, 'adamw.good_steps': 0, 'adamw.skipped': 0, 'adamw.taken': firstStep - 1 };
    for (const name of SCALE_STATE) start.set(name, resumed?.has(name) ? resumed.get(name) : scalar(fresh[name]));
  }
  const stateFile = parseSafetensors(encodeSafetensors(start), files.resume ?? files.weights);
  // The batch from the inputs file; the optimizer's scalars come from the loop, step by step.
  const { weights, inputs } = bindRun(s, { ...graph, inputs: graph.inputs.filter((n) => !isOptimizerInput(n)) }, stateFile, inputsFile);
  const updates = stateUpdates(graph);
  const run: StepRun = { graph, built, objective, program: p, sets, inputs, weights, start, updates, firstStep };
  const losses: number[] = [];
  const record = (i: number, loss: number) => {
    losses.push(loss);
    opts.progress?.(i + 1, opts.steps, loss);
  };
  const target = opts.target ?? 'interp';
  const next = target === 'interp' ? trainInterp(run, opts, record) : target === 'c' ? await trainC(s, run, opts, record) : await trainWgsl(s, run, opts, record);
  const state = new Map([...start, ...next]);
  // A skipped step is not an optimizer step: the count written is that of the steps taken.
  const lastStep = opts.lossScale ? state.get('adamw.taken')!.data[0]! : firstStep + opts.steps - 1;
  const written = new Map([...[...state].filter(([name]) => !name.startsWith('adamw.') || updates.has(name)), [STEP_COUNT, makeTensor('i32', [1], Int32Array.of(lastStep))]]);
  s.guard(() => writeFileAtomic(files.output, encodeSafetensors(written, { producer: 'bertc', model: file, config: opts.config ?? '', loss: opts.loss, steps: String(lastStep) })));
  const scaling = opts.lossScale ? { skipped: state.get('adamw.skipped')!.data[0]! - (start.get('adamw.skipped')?.data[0] ?? 0), scale: state.get(LOSS_SCALE)!.data[0]! } : undefined;
  return { graph, losses, state: written, ...(scaling ? { scaling } : {}) };
}

/** What every target's training loop starts from. */
interface StepRun {
  readonly graph: Graph;
  readonly built: Elaborated;
  readonly objective: Objective;
  readonly program: Program;
  readonly sets: ReadonlyMap<string, number>;
  /** The batch (the step's inputs but its optimizer scalars). */
  readonly inputs: ReadonlyMap<string, Tensor>;
  /** Every weight and moment the step reads, as bound. */
  readonly weights: ReadonlyMap<string, Tensor>;
  readonly start: ReadonlyMap<string, Tensor>;
  readonly updates: ReadonlyMap<string, NamedValue>;
  /** The optimizer's step count of the first step (1, or one past a resumed run's). */
  readonly firstStep: number;
}

/** Called with each step's loss as it is known. */
type LossRecorder = (step: number, loss: number) => void;

/** The step's inputs for step `i` of this run: the batch and that step's optimizer scalars. */
const scalarsOf = (run: StepRun, opts: TrainOptions, i: number) => (opts.lossScale ? scaledAdamwInputs(opts.hyper, opts.lossScale) : adamwInputs(opts.hyper, run.firstStep + i));

/** The interpreter runs the step graph once per step, feeding each step's next values back. */
function trainInterp(run: StepRun, opts: TrainOptions, record: LossRecorder): Map<string, Tensor> {
  const state = new Map(run.start);
  for (let i = 0; i < opts.steps; i++) {
    const inputs = new Map([...run.inputs, ...scalarsOf(run, opts, i)]);
    const outputs = interpret(run.graph, inputs, (name) => state.get(name)!, { train: opts.train, seed: opts.seed, f64: opts.f64 }).outputs;
    for (const name of run.updates.keys()) state.set(name, outputs.get(name)!);
    record(i, outputs.get('loss')!.data[0]!);
  }
  return new Map([...run.updates.keys()].map((name) => [name, state.get(name)!]));
}

/**
 * Generated C, built once; its harness runs every step in one process through bertc_step and
 * prints each step's loss as it is done.
 */
function trainC(s: Session, run: StepRun, opts: TrainOptions, record: LossRecorder): Promise<Map<string, Tensor>> {
  return s.guard(() =>
    withBuiltC(s, run.built, opts, 'bertc train --target c', async (module, exe, dir) => {
      const weightsPath = join(dir, 'state.safetensors');
      writeFileSync(weightsPath, encodeSafetensors(run.weights));
      const scalars = Array.from({ length: opts.steps }, (_, i) => scalarsOf(run, opts, i));
      return (await trainBuilt(module, exe, weightsPath, run.inputs, scalars, opts.seed ?? 0, (step, loss) => record(step - 1, loss))).final;
    }),
  );
}

/** WGSL in one headless-Chromium page: model.step() updates the weights on the device. */
async function trainWgsl(s: Session, run: StepRun, opts: TrainOptions, record: LossRecorder): Promise<Map<string, Tensor>> {
  const { accel, files: f } = planWgslOf(s, run.program, run.built, { ...opts, sets: run.sets, objective: run.objective });
  if (f.manifest.batch) {
    s.diags.emit('E0029', { detail: `the training step does not fit accelerator '${accel.name}', and a step cannot run the batch in slices` });
    s.fail();
  }
  const steps = Array.from({ length: opts.steps }, (_, i) => pageInputs(scalarsOf(run, opts, i)) as Record<string, Float32Array>);
  const loss = f.results['loss']!;
  const r = await runInChromium({ manifest: f.manifest, shaders: f.shaders, weights: encodeSafetensors(run.weights), inputs: pageInputs(run.inputs), seed: opts.seed ?? 0, steps, track: [loss] });
  r.tracked.forEach((t, i) => record(i, t[loss]![0]!));
  return new Map([...run.updates].map(([name, o]) => [name, makeTensor(o.node.type.dtype, o.node.type.shape, Float32Array.from(r.outputs[f.results[name]!]!))]));
}
