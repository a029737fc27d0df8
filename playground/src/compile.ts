/**
 * What the playground's worker does with a request, over the compile core alone (`src/core.ts`):
 * the same stages as `bertc report`, `bertc compile` and `bertc run --target wgsl`, with the page's
 * controls in place of the CLI's flags. A user's mistake comes back as diagnostics, never as a
 * crash; anything else that escapes is a bug and is reported as one.
 */
import {
  AcceleratorError,
  bindInputs,
  bindWeights,
  build,
  buildReport,
  checkInputValues,
  CompileError,
  encodeSafetensors,
  formatFusionReport,
  generateC,
  LEVELS,
  loadText,
  pageInputs,
  randomInputs,
  randomWeights,
  parseAccelerator,
  parsePipeline,
  parsePrecision,
  parseSafetensors,
  PipelineError,
  planProgram,
  planWgsl,
  PRESETS,
  printModule,
  renderHtml,
  renderSummary,
  SafetensorsError,
  Session,
  setsFromInputs,
  type Accelerator,
  type Diagnostic,
  type Program,
  type SafetensorsFile,
} from '../../src/core.js';
import type { CompileOptions, Compiled, DroppedFile, PlacedDiagnostic, Runnable } from './protocol.js';

/** A mistake in the page's controls (not in the text): shown like a diagnostic without a place. */
export class OptionError extends Error {}

/** What went wrong, for the page: the diagnostics, rendered as the CLI renders them too. */
export interface Failure {
  readonly diagnostics: PlacedDiagnostic[];
  readonly rendered: string;
  readonly configs: string[];
}

export function placed(ds: readonly Diagnostic[]): PlacedDiagnostic[] {
  return ds.map((d) => ({ severity: d.severity, code: d.code, message: d.message, at: d.span && { line: d.span.line, col: d.span.col, endLine: d.span.endLine, endCol: d.span.endCol } }));
}

/** `B=2, S=16` -> the sizes; the CLI's --set rules. */
export function parseSets(text: string): Map<string, number> {
  const sets = new Map<string, number>();
  for (const part of text.split(',').filter((p) => p.trim() !== '')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.+?)\s*$/.exec(part);
    const v = m ? Number(m[2]) : NaN;
    if (!m || !Number.isFinite(v)) throw new OptionError(`set: expected NAME=NUMBER, got '${part.trim()}'`);
    if (sets.has(m[1]!)) throw new OptionError(`set: ${m[1]} is given twice`);
    sets.set(m[1]!, v);
  }
  return sets;
}

export function accelOf(a: CompileOptions['accel']): Accelerator {
  if ('preset' in a) {
    const preset = PRESETS.get(a.preset);
    if (!preset) throw new OptionError(`accelerator: no preset '${a.preset}' (presets: ${[...PRESETS.keys()].join(', ')})`);
    return preset;
  }
  try {
    return parseAccelerator(a.json, a.file);
  } catch (e) {
    if (e instanceof AcceleratorError) throw new OptionError(e.message);
    throw e;
  }
}

function pipelineOf(text: string): string {
  const pipeline = LEVELS[text] ?? text;
  try {
    parsePipeline(pipeline);
  } catch (e) {
    if (e instanceof PipelineError) throw new OptionError(`passes: ${e.message}`);
    throw e;
  }
  return pipeline;
}

function precisionOf(text: string) {
  try {
    return parsePrecision(text);
  } catch (e) {
    if (e instanceof PipelineError) throw new OptionError(`precision: ${e.message}`);
    throw e;
  }
}

/** The options a plan takes, checked; an OptionError names the control that is wrong. */
function planOptions(o: CompileOptions, program: Program) {
  const config = o.config && program.configs.has(o.config) ? o.config : program.configs.keys().next().value;
  return { config, sets: parseSets(o.sets), precision: precisionOf(o.precision), train: false, pipeline: pipelineOf(o.pipeline), accel: accelOf(o.accel) };
}

/** Runs `stage` and turns a user's mistake into a Failure; a bug propagates. */
export function attempt<T>(program: () => Program | undefined, stage: () => T): T | Failure {
  try {
    return stage();
  } catch (e) {
    const configs = [...(program()?.configs.keys() ?? [])];
    if (e instanceof CompileError) return { diagnostics: placed(e.diagnostics), rendered: e.rendered, configs };
    if (e instanceof OptionError) return { diagnostics: [{ severity: 'error', code: 'option', message: e.message }], rendered: `error: ${e.message}\n`, configs };
    throw e;
  }
}

export function isFailure(x: unknown): x is Failure {
  return typeof x === 'object' && x !== null && 'rendered' in x && 'diagnostics' in x && !('result' in x);
}

/** Generated line -> IR line, from a Source Map v3 as `generateWgsl` and `generateC` write them (one mapping per line). */
export type LineDecoder = (map: string) => (number | null)[];

/** Kernel plan, fusion report, cost report, WGSL and C of the editor's text. */
export function compile(o: CompileOptions, decodeLines: LineDecoder, progress: (stage: string) => void): { result: Compiled; session: Session } | Failure {
  const s = new Session();
  let program: Program | undefined;
  const timings: Record<string, number> = {};
  const timed = <T>(stage: string, fn: () => T): T => {
    progress(stage);
    const t0 = performance.now();
    const r = fn();
    timings[stage] = performance.now() - t0;
    return r;
  };
  return attempt(() => program, () => {
    program = timed('parsing', () => loadText(s, o.file, o.text));
    const opts = planOptions(o, program);
    const p = timed('elaborating and optimising', () => planProgram(s, program!, opts));
    const report = timed('costing', () => buildReport({ file: o.file, config: opts.config ?? '', sets: Object.fromEntries(opts.sets), pipeline: p.records.map((r) => r.step).join(','), stages: p.stages }, opts.accel));
    const wgsl = timed('generating WGSL', () => planWgsl(s, program!, { ...opts, source: o.file }).files);
    const c = timed('generating C', () => generateC(p.module, { source: o.file, command: 'the bertc playground', accel: opts.accel }));
    const lines = timed('reading source maps', () => {
      const out: Record<string, (number | null)[]> = { 'model.c': decodeLines(c['model.c.map']) };
      for (const name of Object.keys(wgsl.shaders)) out[name] = decodeLines(wgsl.maps[`${name}.map`]!);
      return out;
    });
    const result: Compiled = {
      configs: [...program.configs.keys()],
      config: opts.config,
      plan: printModule(p.module),
      fusion: formatFusionReport(p.module.decisions),
      summary: renderSummary(report),
      reportHtml: renderHtml(report),
      wgsl: { ...wgsl.shaders, 'model.webgpu.json': `${JSON.stringify(wgsl.manifest, null, 2)}\n` },
      c: { 'model.c': c['model.c'], 'model.h': c['model.h'] },
      lines,
      timings,
    };
    return { result, session: s };
  });
}

/** A dropped file; one that is not safetensors is a diagnostic, as `bertc run` reports it. */
function readFile(s: Session, name: string, bytes: ArrayBuffer | Uint8Array): SafetensorsFile {
  try {
    return parseSafetensors(new Uint8Array(bytes), name);
  } catch (e) {
    if (!(e instanceof SafetensorsError)) throw e;
    s.diags.emit(e.code, { detail: e.message });
    s.fail();
  }
}

/**
 * `bertc run --target wgsl`'s contract in the page: sizes from the inputs, weights bound by name
 * and converted to the declared dtypes, integer inputs checked against their ranges; then the WGSL
 * plan for those sizes. Weights or inputs not given are made up (randomWeights, randomInputs).
 */
export function prepareRun(o: CompileOptions, weightsDropped: DroppedFile | undefined, inputsDropped: DroppedFile | undefined, progress: (stage: string) => void): { result: Runnable; session: Session } | Failure {
  const s = new Session();
  let program: Program | undefined;
  return attempt(() => program, () => {
    progress('binding');
    program = loadText(s, o.file, o.text);
    const opts = planOptions(o, program);
    const random: string[] = [];
    let inputsFile = inputsDropped && readFile(s, inputsDropped.name, inputsDropped.bytes);
    const sets = inputsFile ? setsFromInputs(s, program, inputsFile, opts.sets) : opts.sets;
    const built = build(s, program, { config: opts.config, sets, precision: opts.precision });
    if (!inputsFile) {
      random.push('inputs');
      inputsFile = readFile(s, 'random inputs', encodeSafetensors(randomInputs(built.graph)));
    }
    const weightsFile = weightsDropped && readFile(s, weightsDropped.name, weightsDropped.bytes);
    if (!weightsFile) random.push('weights');
    const weights = weightsFile ? bindWeights(s, built.graph, weightsFile) : randomWeights(built.graph);
    const inputs = bindInputs(s, built.graph, inputsFile);
    checkInputValues(s, built.graph, inputs, inputsFile.path);
    progress('generating WGSL for these sizes');
    const plan = planWgsl(s, program, { ...opts, sets, source: o.file });
    const report = buildReport({ file: o.file, config: opts.config ?? '', sets: Object.fromEntries(sets), pipeline: plan.records.map((r) => r.step).join(','), stages: plan.stages }, opts.accel);
    const shapes = Object.fromEntries(built.graph.outputs.map((out) => [out.name, { shape: [...out.node.type.shape], dtype: out.node.type.dtype }]));
    const asFiled = weightsDropped && weightsFile && [...weights].every(([name, t]) => weightsFile.info(name).dtype.toLowerCase() === t.dtype);
    const result: Runnable = {
      manifest: plan.files.manifest,
      shaders: { ...plan.files.shaders },
      weights: asFiled ? weightsDropped.bytes : encodeSafetensors(weights).slice().buffer,
      inputs: pageInputs(inputs),
      results: { ...plan.files.results },
      outputs: shapes,
      predicted: Object.fromEntries(report.kernels.map((k) => [k.name, k.predicted_s])),
      accel: opts.accel.name,
      sizes: Object.fromEntries(sets),
      random,
    };
    return { result, session: s };
  });
}
