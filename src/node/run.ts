import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Accelerator } from '../accel/accelerator.js';
import { HOST_CPU, WEBGPU_GENERIC } from '../accel/presets.js';
import type { Elaborated } from '../frontend/elaborate.js';
import type { Program } from '../frontend/program.js';
import { isFloat, type DType } from '../ir/dtype.js';
import type { Graph } from '../ir/graph.js';
import type { Module } from '../kernel/module.js';
import { interpret, type InterpretOptions } from '../interp/interpret.js';
import { makeTensor, type Tensor } from '../interp/tensor.js';
import { checkFileDestination, requireDistinct, writeFileAtomic } from '../io/output.js';
import { INPUT_KINDS, InputFileError, readInputText } from '../io/readInput.js';
import { encodeSafetensors, parseSafetensors, readSafetensorsBytes, SafetensorsError, type SafetensorsFile } from '../io/safetensors.js';
import { LEVELS } from '../../passes/registry.js';
import { buildC, runBuilt, writeC, type CBuildOptions } from '../../targets/c/compile.js';
import { runInChromium } from '../../targets/wgsl/chromium.js';
import { pageInputs } from '../../targets/wgsl/hostTensors.js';
import { bindInputs, bindWeights, checkInputValues, convertFloat, setsFromInputs } from '../core/bind.js';
import { planBuilt, planProgram, planWgsl, type Plan, type PlanOptions } from '../core/plan.js';
import { build, loadText, type BuildOptions, type Session } from '../core/session.js';
import { withObjective, type Objective } from '../core/grad.js';

/*
 * What needs Node: reading the source and tensor files, and running a model on each target (the
 * interpreter, generated C built with a C compiler, WGSL in headless Chromium).
 */

export function loadFile(s: Session, file: string): Program {
  let text: string;
  try {
    text = readInputText(file, INPUT_KINDS.irSource);
  } catch (e) {
    if (!(e instanceof InputFileError)) throw e;
    s.diags.emit(e.code, { detail: e.message });
    s.fail();
  }
  return loadText(s, file, text);
}

/** Elaborates and runs a pass pipeline; with an accelerator, GEMMs are tiled for it (tile-gemm is appended when missing). */
export function plan(s: Session, file: string, opts: PlanOptions): Plan {
  return planProgram(s, loadFile(s, file), opts);
}

export interface RunFiles {
  readonly weights: string;
  readonly inputs: string;
  readonly output: string;
  /** The float dtype the output file holds its float tensors in (default f32). */
  readonly outputDtype?: DType;
}

/** The tensors to write, float ones in the dtype the user asked for. */
function asWritten(tensors: ReadonlyMap<string, Tensor>, files: RunFiles): Map<string, Tensor> {
  return new Map([...tensors].map(([k, t]) => [k, isFloat(t.dtype) ? convertFloat(t, files.outputDtype ?? 'f32') : t]));
}

export interface RunResult {
  readonly graph: Graph;
  readonly outputs: Map<string, Tensor>;
  readonly taps: Map<string, Tensor>;
}

/** A safetensors file and its bytes, read once: the WGSL runner hands the same bytes to the page. */
export function openSafetensors(s: Session, file: string): { readonly tensors: SafetensorsFile; readonly bytes: Uint8Array } {
  try {
    const bytes = readSafetensorsBytes(file);
    return { tensors: parseSafetensors(bytes, file), bytes };
  } catch (e) {
    if (!(e instanceof SafetensorsError)) throw e;
    s.diags.emit(e.code, { detail: e.message });
    s.fail();
  }
}

/**
 * What `run` and `grad` share before they differ: the destination checked first (so a long run
 * never ends in a file that cannot be written), the source and both tensor files read, and the
 * config sizes the inputs imply.
 */
export function openRun(s: Session, file: string, files: RunFiles, explicit: ReadonlyMap<string, number> | undefined) {
  s.guard(() => {
    requireDistinct(files.output, [file, files.weights, files.inputs]);
    checkFileDestination(files.output);
  });
  const program = loadFile(s, file);
  const inputs = openSafetensors(s, files.inputs).tensors;
  const weights = openSafetensors(s, files.weights);
  return { program, inputs, weights, sets: setsFromInputs(s, program, inputs, explicit ?? new Map()) };
}

/** Weights and inputs bound to the graph, the inputs checked against their value ranges. */
export function bindRun(s: Session, graph: Graph, weightsFile: SafetensorsFile, inputsFile: SafetensorsFile) {
  const weights = bindWeights(s, graph, weightsFile);
  const inputs = bindInputs(s, graph, inputsFile);
  checkInputValues(s, graph, inputs, inputsFile.path);
  return { weights, inputs };
}

export interface RunOptions extends BuildOptions, InterpretOptions {
  /** Where to run: the reference interpreter (default), generated C built with a C compiler, or WGSL in headless Chromium. */
  readonly target?: Target;
  /** For the C target: the accelerator description to tile for (default host-cpu), and the compiler. */
  readonly accel?: Accelerator;
  readonly cc?: CBuildOptions;
  readonly pipeline?: string;
}

export type Target = 'interp' | 'c' | 'wgsl';

type Outputs = { outputs: Map<string, Tensor>; taps: Map<string, Tensor> };

/** A weights file as the targets read it: the C program by path, the WGSL page by its bytes. */
export interface WeightsSource {
  /** Absent when the bytes are not those of a file (weights converted to the declared precision). */
  readonly path?: string;
  readonly bytes: Uint8Array;
}

/** The weights file as the targets read it, or, when binding converted a tensor's precision, the bound tensors encoded. */
function weightsSource(path: string, file: { readonly tensors: SafetensorsFile; readonly bytes: Uint8Array }, bound: ReadonlyMap<string, Tensor>): WeightsSource {
  const asFiled = [...bound].every(([name, t]) => file.tensors.info(name).dtype.toLowerCase() === t.dtype);
  return asFiled ? { path, bytes: file.bytes } : { bytes: encodeSafetensors(bound) };
}

/**
 * Plans `built` for C on the accelerator (default host-cpu), writes and builds it in a temporary
 * folder, and hands the module, the executable and the folder to `use`; the folder goes afterwards.
 */
export function withBuiltC<T>(s: Session, built: Elaborated, opts: RunOptions, command: string, use: (module: Module, exe: string, dir: string) => T): T {
  const accel = opts.accel ?? HOST_CPU;
  const { module } = planBuilt(s, built, { train: opts.train ?? false, pipeline: opts.pipeline ?? LEVELS.O2!, accel });
  const dir = mkdtempSync(join(tmpdir(), 'bertc-c-'));
  const clean = () => rmSync(dir, { recursive: true, force: true });
  let used: T;
  try {
    writeC(module, { source: 'model.ir', command, accel }, dir);
    used = use(module, buildC(dir, opts.cc), dir);
  } catch (e) {
    clean();
    throw e;
  }
  // A use that runs on (a training loop reading the harness's progress) keeps the folder until it ends.
  if (used instanceof Promise) return used.finally(clean) as T;
  clean();
  return used;
}

/** Compiles the model to C for the accelerator, builds it in a temporary folder and runs it. */
function runC(s: Session, built: Elaborated, weights: WeightsSource, inputs: ReadonlyMap<string, Tensor>, opts: RunOptions): Outputs {
  return withBuiltC(s, built, opts, 'bertc run --target c', (module, exe, dir) => {
    const path = weights.path ?? join(dir, 'weights.safetensors');
    if (weights.path === undefined) writeFileSync(path, weights.bytes);
    return { outputs: runBuilt(module, exe, path, inputs, opts.seed ?? 0), taps: new Map() };
  });
}

/**
 * The WGSL plan of `built` for the accelerator (default webgpu-generic); `program` and the objective
 * let the planner elaborate again for a slice of the batch.
 */
export function planWgslOf(s: Session, program: Program, built: Elaborated, opts: RunOptions & { readonly objective?: Objective }) {
  const accel = opts.accel ?? WEBGPU_GENERIC;
  return { accel, ...planWgsl(s, program, { config: built.config, sets: opts.sets, precision: opts.precision, train: opts.train ?? false, pipeline: opts.pipeline ?? LEVELS.O2!, accel, source: 'model.ir', objective: opts.objective }) };
}

/** Compiles the model to WGSL and runs it in headless Chromium (WebGPU, on SwiftShader without a GPU). */
async function runWgsl(s: Session, program: Program, built: Elaborated, weights: Uint8Array, inputs: ReadonlyMap<string, Tensor>, opts: RunOptions & { readonly objective?: Objective }): Promise<Outputs> {
  const { graph } = built;
  const { files: f } = planWgslOf(s, program, built, opts);
  const r = await runInChromium({ manifest: f.manifest, shaders: f.shaders, weights, inputs: pageInputs(inputs), seed: opts.seed ?? 0 });
  // Shapes from the whole-batch graph: the shaders may have been compiled for a slice of it.
  const outputs = new Map(graph.outputs.map((o) => [o.name, makeTensor('f32', o.node.type.shape, Float32Array.from(r.outputs[f.results[o.name]!]!))]));
  return { outputs, taps: new Map() };
}

/**
 * Runs `built` (its graph: the forward pass, or the objective's) on a target. `program` and the
 * objective let the WGSL planner elaborate again for a slice of the batch.
 */
async function execute(s: Session, program: Program, built: Elaborated, weights: WeightsSource, bound: ReadonlyMap<string, Tensor>, inputs: ReadonlyMap<string, Tensor>, opts: RunOptions & { readonly objective?: Objective }): Promise<Outputs> {
  switch (opts.target ?? 'interp') {
    case 'c':
      return s.guard(() => runC(s, built, weights, inputs, opts));
    case 'wgsl':
      return runWgsl(s, program, built, weights.bytes, inputs, opts);
    case 'interp':
      return interpret(built.graph, inputs, (name) => bound.get(name)!, opts);
  }
}

/** `bertc run`: nothing is written unless every stage succeeded. */
export async function runFile(s: Session, file: string, files: RunFiles, opts: RunOptions): Promise<RunResult> {
  const { program: p, inputs: inputsFile, weights: weightsFile, sets } = openRun(s, file, files, opts.sets);
  const built = build(s, p, { config: opts.config, sets, precision: opts.precision });
  const { graph } = built;
  const { weights, inputs } = bindRun(s, graph, weightsFile.tensors, inputsFile);
  // With the sizes the inputs set (B, S), not the config's defaults: planned like the graph that was bound.
  const r = await execute(s, p, built, weightsSource(files.weights, weightsFile, weights), weights, inputs, { ...opts, sets });
  const all = new Map([...r.outputs, ...r.taps]);
  s.guard(() => writeFileAtomic(files.output, encodeSafetensors(asWritten(all, files), { producer: 'bertc', model: file, config: opts.config ?? '' })));
  return { graph, outputs: r.outputs, taps: r.taps };
}

export interface GradOptions extends BuildOptions, InterpretOptions {
  /** The `loss` block to differentiate. */
  readonly loss: string;
  readonly target?: Target;
  readonly accel?: Accelerator;
  readonly cc?: CBuildOptions;
  readonly pipeline?: string;
}

export interface GradResult {
  readonly graph: Graph;
  /** `loss` (f32 [1]) and `grad.<parameter name>` (f32), as written. */
  readonly outputs: Map<string, Tensor>;
}

/**
 * `bertc grad`: the loss and the gradient of every parameter, on any target, with the run contract
 * of `bertc run` (sizes from the inputs, input ranges checked, nothing written unless every stage
 * succeeded). The loss's own inputs are read from the inputs file as `loss.<name>`.
 */
export async function gradFile(s: Session, file: string, files: RunFiles, opts: GradOptions): Promise<GradResult> {
  const { program: p, inputs: inputsFile, weights: weightsFile, sets } = openRun(s, file, files, opts.sets);
  const objective: Objective = { kind: 'grad', loss: opts.loss };
  const built = withObjective(build(s, p, { config: opts.config, sets, loss: opts.loss, precision: opts.precision }), objective);
  const { graph } = built;
  const { weights, inputs } = bindRun(s, graph, weightsFile.tensors, inputsFile);
  const r = await execute(s, p, built, weightsSource(files.weights, weightsFile, weights), weights, inputs, { ...opts, sets, objective });
  const outputs = new Map([...r.outputs].map(([name, t]) => [name, name === 'loss' ? makeTensor('f32', [1], Float32Array.from(t.data)) : t]));
  s.guard(() => writeFileAtomic(files.output, encodeSafetensors(asWritten(outputs, files), { producer: 'bertc', model: file, config: opts.config ?? '', loss: opts.loss })));
  return { graph, outputs };
}
