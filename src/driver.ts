import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOST_CPU, WEBGPU_GENERIC } from './accel/presets.js';
import { generateWgsl, LimitError, type WgslFiles } from '../targets/wgsl/module.js';
import { batchAxes } from './kernel/batchAxis.js';
import { runInChromium } from '../targets/wgsl/chromium.js';
import { LEVELS } from '../passes/registry.js';
import { buildC, runBuilt, writeC, type CBuildOptions } from '../targets/c/compile.js';
import { CompileError, DiagnosticBag, DiagnosticError } from './diag/diagnostics.js';
import { renderDiagnostics } from './diag/render.js';
import { didYouMean } from './diag/suggest.js';
import { elaborate, type Elaborated } from './frontend/elaborate.js';
import { inputDimNames, loadProgram, type Program } from './frontend/program.js';
import { isInteger, type DType } from './ir/dtype.js';
import type { Graph } from './ir/graph.js';
import { params } from './ir/graph.js';
import { formatShape, shapeEquals } from './ir/shape.js';
import { formatType } from './ir/types.js';
import { verifyGraph } from './ir/verify.js';
import type { Module } from './kernel/module.js';
import { baselinePartition, declaredPartition } from './kernel/partition.js';
import { INERT_DROPOUT } from '../passes/canonicalize.js';
import { Statistics } from '../passes/pass.js';
import { rewriteGraph } from '../passes/rewrite.js';
import { parsePipeline, runPipeline, type PassRecord, type RunPipelineOptions } from '../passes/pipeline.js';
import type { Accelerator } from './accel/accelerator.js';
import { interpret, type InterpretOptions } from './interp/interpret.js';
import { makeTensor, type Tensor } from './interp/tensor.js';
import { INPUT_KINDS, InputFileError, readInputText } from './io/readInput.js';
import { encodeSafetensors, readSafetensors, readSafetensorsBytes, SafetensorsError, type SafetensorsFile } from './io/safetensors.js';
import { checkFileDestination, requireDistinct, writeFileAtomic } from './io/output.js';
import { inputRanges } from './ir/inputRanges.js';

/**
 * The pipeline behind every command, as functions of explicit options: read and parse the source,
 * elaborate one config, bind weights and inputs, interpret, write outputs. Errors are collected in
 * a DiagnosticBag; a stage that cannot go on throws CompileError with them.
 */
export class Session {
  readonly diags = new DiagnosticBag();
  private readonly sources = new Map<string, string>();

  source(file: string, text: string): void {
    this.sources.set(file, text);
  }

  /** Diagnostics rendered with source excerpts, errors and warnings alike. */
  render(): string {
    return renderDiagnostics(this.diags.sorted(), (f) => this.sources.get(f));
  }

  /** Throws CompileError when errors have been reported. */
  check(): void {
    if (this.diags.hasErrors) this.fail();
  }

  fail(): never {
    throw new CompileError(this.diags.sorted(), this.render());
  }

  /** A session over the same sources with no diagnostics yet: one per config that `check` elaborates. */
  fork(): Session {
    const f = new Session();
    for (const [file, text] of this.sources) f.source(file, text);
    return f;
  }

  /** Runs a stage that reports a user's mistake by throwing it (a pass, a backend, a writer). */
  guard<T>(stage: () => T): T {
    try {
      return stage();
    } catch (e) {
      if (!(e instanceof DiagnosticError)) throw e;
      this.diags.add(e.diagnostic);
      this.fail();
    }
  }
}

export interface BuildOptions {
  readonly config?: string;
  readonly sets?: ReadonlyMap<string, number>;
}

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

export function loadText(s: Session, file: string, text: string): Program {
  s.source(file, text);
  const p = loadProgram(text, file, s.diags);
  s.check();
  return p!;
}

export function build(s: Session, p: Program, opts: BuildOptions): Elaborated {
  const e = elaborate(p, opts, s.diags);
  s.check();
  verifyGraph(e!.graph, 'elaboration');
  return e!;
}

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

/** Elaborates and runs a pass pipeline; with an accelerator, GEMMs are tiled for it (tile-gemm is appended when missing). */
export function plan(s: Session, file: string, opts: PlanOptions): Plan {
  return planProgram(s, loadFile(s, file), opts);
}

export function planProgram(s: Session, program: Program, opts: PlanOptions): Plan {
  const built = build(s, program, opts);
  const steps = parsePipeline(opts.accel && !/(^|,)tile-gemm($|[,{])/.test(opts.pipeline) ? [opts.pipeline, 'tile-gemm'].filter(Boolean).join(',') : opts.pipeline);
  const start = { ...initialModule(built, opts.train), accel: opts.accel };
  const { module, records } = s.guard(() => runPipeline(start, steps, opts.runOptions));
  const stages = [{ after: 'unfused', module: start }, ...records.map((r) => ({ after: r.step, module: r.module }))];
  return { built, stages, module, records };
}

export interface RunFiles {
  readonly weights: string;
  readonly inputs: string;
  readonly output: string;
}

export interface RunResult {
  readonly graph: Graph;
  readonly outputs: Map<string, Tensor>;
  readonly taps: Map<string, Tensor>;
}

function openSafetensors(s: Session, file: string): SafetensorsFile {
  try {
    return readSafetensors(file);
  } catch (e) {
    if (!(e instanceof SafetensorsError)) throw e;
    s.diags.emit(e.code, { detail: e.message });
    s.fail();
  }
}

/**
 * Config overrides implied by the inputs: a model input declared `i32[B, S]` and given as a
 * [4, 40] tensor sets B = 4 and S = 40. An explicit --set that disagrees is an error.
 */
export function setsFromInputs(s: Session, p: Program, inputs: SafetensorsFile, explicit: ReadonlyMap<string, number>): Map<string, number> {
  const sets = new Map(explicit);
  const origin = new Map<string, string>();
  for (const { input, axis, name } of inputDimNames(p)) {
    if (!inputs.has(input)) continue;
    const shape = inputs.info(input).shape;
    if (axis >= shape.length) continue;
    const v = shape[axis]!;
    const prev = sets.get(name);
    if (prev !== undefined && prev !== v) {
      const from = origin.get(name) ?? '--set';
      s.diags.emit('E0023', { detail: `'${input}' in ${inputs.path} has ${name} = ${v} (axis ${axis} of ${formatShape(shape)}), but ${from} gives ${name} = ${prev}` });
      continue;
    }
    sets.set(name, v);
    origin.set(name, `'${input}'`);
  }
  s.check();
  return sets;
}

/** Binds every parameter to its tensor by name, checking shape and dtype; reports unused tensors. */
export function bindWeights(s: Session, g: Graph, w: SafetensorsFile): Map<string, Tensor> {
  const bound = new Map<string, Tensor>();
  const declared = params(g);
  for (const p of declared) {
    const name = p.attr<string>('name');
    if (!w.has(name)) {
      s.diags.emit('E0011', { name, file: w.path, hint: didYouMean(name, w.names) }, p.meta.span);
      continue;
    }
    const info = w.info(name);
    const dtype = info.dtype.toLowerCase() as DType;
    if (dtype !== p.type.dtype || !shapeEquals(info.shape, p.type.shape)) {
      s.diags.emit('E0022', { name, file: w.path, found: `${dtype}${formatShape(info.shape)}`, expected: formatType(p.type) }, p.meta.span);
      continue;
    }
    bound.set(name, w.get(name));
  }
  const names = new Set(declared.map((p) => p.attr<string>('name')));
  for (const name of w.names) if (!names.has(name)) s.diags.emit('E0012', { name, file: w.path });
  s.check();
  return bound;
}

/** The model's inputs from a safetensors file; integer inputs may come as i32 or i64. */
export function bindInputs(s: Session, g: Graph, f: SafetensorsFile): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  for (const n of g.inputs) {
    const name = n.attr<string>('name');
    if (!f.has(name)) {
      s.diags.emit('E0023', { detail: `input '${name}' (${formatType(n.type)}) is not in ${f.path}${didYouMean(name, f.names)}` });
      continue;
    }
    const t = f.get(name);
    const want = n.type.dtype;
    const compatible = t.dtype === want || (isInteger(t.dtype) && isInteger(want));
    if (!compatible || !shapeEquals(t.shape, n.type.shape)) {
      s.diags.emit('E0023', { detail: `input '${name}' in ${f.path} is ${t.dtype}${formatShape(t.shape)}, the model takes ${formatType(n.type)}` });
      continue;
    }
    out.set(name, t.dtype === want ? t : convertInteger(s, name, t, want));
  }
  s.check();
  return out;
}

function convertInteger(s: Session, name: string, t: Tensor, to: DType): Tensor {
  const r = makeTensor(to, t.shape);
  for (let i = 0; i < t.data.length; i++) {
    const v = t.data[i]!;
    if (to === 'i32' && (v < -2147483648 || v > 2147483647)) {
      s.diags.emit('E0023', { detail: `input '${name}' holds ${v} at element ${i}, which does not fit in i32` });
      s.fail();
    }
    r.data[i] = v;
  }
  return r;
}

export interface RunOptions extends BuildOptions, InterpretOptions {
  /** Where to run: the reference interpreter (default), or generated C built with a C compiler. */
  readonly target?: 'interp' | 'c' | 'wgsl';
  /** For the C target: the accelerator description to tile for (default host-cpu), and the compiler. */
  readonly accel?: Accelerator;
  readonly cc?: CBuildOptions;
  readonly pipeline?: string;
}

/** Compiles the model to C for the accelerator, builds it in a temporary folder and runs it. */
function runC(built: Elaborated, weights: string, inputs: ReadonlyMap<string, Tensor>, opts: RunOptions): { outputs: Map<string, Tensor>; taps: Map<string, Tensor> } {
  const accel = opts.accel ?? HOST_CPU;
  const train = opts.train ?? false;
  const steps = parsePipeline([opts.pipeline ?? LEVELS.O2!, 'tile-gemm'].filter(Boolean).join(','));
  const { module } = runPipeline({ ...initialModule(built, train), accel }, steps);
  const dir = mkdtempSync(join(tmpdir(), 'bertc-c-'));
  try {
    writeC(module, { source: 'model.ir', command: 'bertc run --target c', accel }, dir);
    const exe = buildC(dir, opts.cc);
    return { outputs: runBuilt(module, exe, weights, inputs, opts.seed ?? 0), taps: new Map() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
    s.diags.emit('E0029', { detail: `${e.message} on accelerator '${opts.accel.name}', even with the batch run in slices` });
    s.fail();
  }
}

function planWgslSlices(s: Session, program: Program, opts: PlanOptions & { readonly accel: Accelerator; readonly source: string }): Plan & { readonly files: WgslFiles } {
  const whole = planProgram(s, program, opts);
  try {
    return { ...whole, files: generateWgsl(whole.module, opts) };
  } catch (e) {
    if (!(e instanceof LimitError)) throw e;
    const batch = inputDimNames(program).filter((d) => d.axis === 0).map((d) => d.name);
    const name = batch[0];
    const size = name === undefined ? undefined : whole.built.constants.get(name);
    const axes = batchAxes(whole.built.graph);
    if (name === undefined || batch.some((b) => b !== name) || typeof size !== 'number' || !axes) throw e;
    // Dropout numbers elements across the whole batch, which a slice can continue only on axis 0.
    if ([...axes].some(([n, a]) => n.op === 'dropout' && a !== 0)) throw e;
    for (let chunk = size - 1; chunk >= 1; chunk--) {
      if (size % chunk) continue;
      const part = planProgram(s, program, { ...opts, sets: new Map([...(opts.sets ?? []), [name, chunk]]) });
      try {
        const files = generateWgsl(part.module, { ...opts, batchSliced: true });
        return { ...part, files: { ...files, manifest: { ...files.manifest, batch: { size, chunk } } } };
      } catch (again) {
        if (!(again instanceof LimitError)) throw again;
      }
    }
    throw e;
  }
}

/** Compiles the model to WGSL and runs it in headless Chromium (WebGPU, on SwiftShader without a GPU). */
async function runWgsl(s: Session, program: Program, built: Elaborated, weights: string, inputs: ReadonlyMap<string, Tensor>, opts: RunOptions): Promise<{ outputs: Map<string, Tensor>; taps: Map<string, Tensor> }> {
  const accel = opts.accel ?? WEBGPU_GENERIC;
  const { graph } = built;
  const { files: f } = planWgsl(s, program, { config: built.config, sets: opts.sets, train: opts.train ?? false, pipeline: opts.pipeline ?? LEVELS.O2!, accel, source: 'model.ir' });
  const typed = Object.fromEntries([...inputs].map(([k, t]) => [k, t.dtype === 'f32' ? Float32Array.from(t.data) : Int32Array.from(t.data)]));
  const r = await runInChromium({ manifest: f.manifest, shaders: f.shaders, weights: readSafetensorsBytes(weights), inputs: typed, seed: opts.seed ?? 0 });
  // Shapes from the whole-batch graph: the shaders may have been compiled for a slice of it.
  const outputs = new Map(graph.outputs.map((o) => [o.name, makeTensor('f32', o.node.type.shape, Float32Array.from(r.outputs[f.results[o.name]!]!))]));
  return { outputs, taps: new Map() };
}

/** `bertc run`: nothing is written unless every stage succeeded. */
export async function runFile(s: Session, file: string, files: RunFiles, opts: RunOptions): Promise<RunResult> {
  // Where the result goes is checked first, so a long run never ends in a file that cannot be written.
  s.guard(() => {
    requireDistinct(files.output, [file, files.weights, files.inputs]);
    checkFileDestination(files.output);
  });
  const p = loadFile(s, file);
  const inputsFile = openSafetensors(s, files.inputs);
  const weightsFile = openSafetensors(s, files.weights);
  const sets = setsFromInputs(s, p, inputsFile, opts.sets ?? new Map());
  const built = build(s, p, { config: opts.config, sets });
  const { graph } = built;
  const weights = bindWeights(s, graph, weightsFile);
  const inputs = bindInputs(s, graph, inputsFile);
  checkInputValues(s, graph, inputs, inputsFile.path);
  const r =
    opts.target === 'c' ? s.guard(() => runC(built, files.weights, inputs, opts))
    // With the sizes the inputs set (B, S), not the config's defaults: planned like the graph that was bound.
    : opts.target === 'wgsl' ? await runWgsl(s, p, built, files.weights, inputs, { ...opts, sets })
    : interpret(graph, inputs, (name) => weights.get(name)!, opts);
  const all = new Map([...r.outputs, ...r.taps]);
  s.guard(() => writeFileAtomic(files.output, encodeSafetensors(all, { producer: 'bertc', model: file, config: opts.config ?? '' })));
  return { graph, outputs: r.outputs, taps: r.taps };
}

/**
 * Every integer input within the values the model allows (declared, or implied by a gather),
 * checked here on the host so that every target refuses the same inputs with the same message.
 */
export function checkInputValues(s: Session, g: Graph, inputs: ReadonlyMap<string, Tensor>, file: string): void {
  for (const [name, range] of inputRanges(g)) {
    const t = inputs.get(name);
    if (!t) continue;
    const at = t.data.findIndex((v) => !(v >= range.lo && v < range.hi));
    if (at < 0) continue;
    const values = range.hi - range.lo === 2 ? `${range.lo} or ${range.hi - 1}` : `in ${range.lo} .. ${range.hi - 1}`;
    s.diags.emit('E0023', { detail: `input '${name}' in ${file} holds ${t.data[at]} at ${formatShape(unravel(at, t.shape))}; its values must be ${values} (${range.because})` });
  }
  s.check();
}

function unravel(flat: number, shape: readonly number[]): number[] {
  const pos = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    pos[i] = flat % shape[i]!;
    flat = Math.floor(flat / shape[i]!);
  }
  return pos;
}
