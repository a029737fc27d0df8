import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePipeline, runPipeline } from '../../passes/pipeline.js';
import { LEVELS } from '../../passes/registry.js';
import type { Accelerator } from '../../src/accel/accelerator.js';
import { HOST_CPU, PRESETS } from '../../src/accel/presets.js';
import { CompileError, type Diagnostic } from '../../src/diag/diagnostics.js';
import { formatSpan } from '../../src/diag/span.js';
import { build, initialModule, loadText, Session } from '../../src/driver.js';
import { graphNodes, type Graph } from '../../src/ir/graph.js';
import { interpret } from '../../src/interp/interpret.js';
import type { Tensor } from '../../src/interp/tensor.js';
import { encodeSafetensors } from '../../src/io/safetensors.js';
import type { Module } from '../../src/kernel/module.js';
import { decodeOutputs, encodeInputs, RUNTIME_HEADER } from '../c/compile.js';
import { generateC, REQUIRED_CFLAGS } from '../c/module.js';
import { repositoryFile } from '../common/files.js';
import { runManyInChromium } from '../wgsl/chromium.js';
import { generateWgsl } from '../wgsl/module.js';
import { catalogueProgram, coveringOps, type CatalogueProgram, type ProgramOptions } from './programs.js';

/**
 * Differential runs of catalogue programs: each program is run by the float64 interpreter and
 * compiled for C and for WGSL, at -O0 or -O2, in inference or training mode; the backends' results
 * must be within `TOLERANCE` of the interpreter's, elementwise: |got - want| <= 1e-4 * max(1, |want|).
 * C programs are built many to one compiler run, WGSL programs run in one browser page.
 */

export const TOLERANCE = 1e-4;
export type Target = 'c' | 'wgsl';
export const TARGETS: readonly Target[] = ['c', 'wgsl'];

export interface Case {
  readonly program: CatalogueProgram;
  readonly level: 'O0' | 'O2';
  readonly train: boolean;
  readonly graph: Graph;
  readonly want: ReadonlyMap<string, Tensor>;
}

export interface Outcome {
  readonly seed: number;
  readonly target: Target;
  readonly level: 'O0' | 'O2';
  readonly train: boolean;
  /** Undefined when the target matched the interpreter. */
  readonly failure?: string;
}

const ACCEL: Readonly<Record<Target, Accelerator>> = { c: HOST_CPU, wgsl: PRESETS.get('webgpu-generic')! };

/** The program of a seed, its level and mode (drawn from the seed too) and the interpreter's results. */
export function makeCase(seed: number, options: ProgramOptions = {}): Case {
  return seededCase(catalogueProgram(seed, options));
}

/** A catalogue program at the level and mode its seed draws: -O2 for even seeds, training for multiples of 3. */
function seededCase(program: CatalogueProgram): Case {
  return caseOf(program, program.seed % 2 === 0 ? 'O2' : 'O0', program.seed % 3 === 0);
}

/** A program (random or written by hand) at a level and mode, with the interpreter's results. */
export function caseOf(program: CatalogueProgram, level: 'O0' | 'O2', train: boolean): Case {
  const s = new Session();
  const graph = build(s, loadText(s, `catalogue-${program.seed}.ir`, program.text), {}).graph;
  const want = interpret(graph, program.inputs, (n) => program.params.get(n)!, { f64: true, train, seed: program.seed }).outputs;
  return { program, level, train, graph, want };
}

/** The ops a case's graph uses (sources included). */
export function opsOf(c: Case): Set<string> {
  return new Set(graphNodes(c.graph).map((n) => n.op));
}

function moduleFor(c: Case, target: Target): Module {
  const s = new Session();
  const built = build(s, loadText(s, `catalogue-${c.program.seed}.ir`, c.program.text), {});
  return runPipeline({ ...initialModule(built, c.train), accel: ACCEL[target] }, parsePipeline(`${LEVELS[c.level]},tile-gemm`.replace(/^,/, ''))).module;
}

/** The worst element against the tolerance, described, or undefined when every element is within it. */
export function mismatch(want: ReadonlyMap<string, Tensor>, got: ReadonlyMap<string, ArrayLike<number>>): string | undefined {
  for (const [name, t] of want) {
    const g = got.get(name);
    if (!g) return `no result '${name}'`;
    if (g.length !== t.data.length) return `'${name}' has ${g.length} elements, expected ${t.data.length}`;
    let worst = -1;
    let excess = 0;
    for (let i = 0; i < g.length; i++) {
      const w = t.data[i]!;
      const over = Math.abs(g[i]! - w) / Math.max(1, Math.abs(w));
      if (!(over <= TOLERANCE) && !(over <= excess)) {
        worst = i;
        excess = Number.isNaN(over) ? Infinity : over;
      }
    }
    if (worst >= 0) return `'${name}'[${worst}] is ${g[worst]}, the interpreter has ${t.data[worst]} (relative error ${excess.toExponential(2)} > ${TOLERANCE})`;
  }
  return undefined;
}

/** An error as the fuzzer reports it: diagnostics with their locations, or the message. */
function describe(e: unknown): string {
  if (e instanceof CompileError) return e.rendered.trim();
  if (e instanceof Error && 'diagnostics' in e) return (e as Error & { diagnostics: readonly Diagnostic[] }).diagnostics.map((d) => `${d.span ? `${formatSpan(d.span)}: ` : ''}error[${d.code}]: ${d.message}`).join('\n');
  return e instanceof Error ? e.message : String(e);
}

function outcome(c: Case, target: Target, failure?: string): Outcome {
  return { seed: c.program.seed, target, level: c.level, train: c.train, ...(failure === undefined ? {} : { failure }) };
}

/** The symbols a generated model.c defines at file scope, which a batch renames per model. */
function fileScopeNames(code: string): string[] {
  const names = ['bertc_model', 'bertc_args', 'bertc_init', 'bertc_run', 'bertc_free', 'bertc_kernel_count', 'bertc_kernel_names', 'bertc_kernel_times', 'main', 'slurp'];
  for (const m of code.matchAll(/^static [^=(]*?(\w+)\(/gm)) names.push(m[1]!);
  return names;
}

/**
 * Runs cases on generated C: all models in one translation unit (each one's file-scope names
 * renamed by the preprocessor, its harness's main called in turn), so that the runtime header is
 * compiled once. A batch that does not compile or crashes is retried model by model, to say which.
 */
export function runC(cases: readonly Case[], cflags: readonly string[] = ['-O2'], batchSize = 8): Outcome[] {
  const work = mkdtempSync(join(tmpdir(), 'bertc-diff-c-'));
  try {
    const ready: { c: Case; m: Module; i: number; code: string }[] = [];
    const failed = new Map<Case, string>();
    cases.forEach((c, i) => {
      try {
        const m = moduleFor(c, 'c');
        const files = generateC(m, { source: `catalogue-${c.program.seed}.ir`, command: 'differential', accel: ACCEL.c });
        mkdirSync(join(work, `m${i}`));
        writeFileSync(join(work, `m${i}`, 'in.bin'), encodeInputs(m, c.program.inputs));
        writeFileSync(join(work, `m${i}`, 'w.safetensors'), encodeSafetensors(c.program.params));
        const renames = fileScopeNames(files['model.c']);
        const define = renames.map((n) => `#define ${n} m${i}_${n}`).join('\n');
        const undef = renames.map((n) => `#undef ${n}`).join('\n');
        const body = (f: string) => f.replace('#include "model.h"', files['model.h']);
        ready.push({ c, m, i, code: `#undef BERTC_MODEL_H\n${define}\n${body(files['model.c'])}\n${body(files['main.c'])}\n${undef}\n` });
      } catch (e) {
        failed.set(c, `does not compile: ${describe(e)}`);
      }
    });
    writeFileSync(join(work, 'bertc_runtime.h'), readFileSync(repositoryFile(RUNTIME_HEADER)));
    const results = new Map<Case, string | undefined>(failed);
    const run = (batch: typeof ready, name: string): boolean => {
      const src = join(work, `${name}.c`);
      const calls = batch.map(({ i }) => `  { char w[64], in[64], out[64]; snprintf(w, 64, "m${i}/w.safetensors"); snprintf(in, 64, "m${i}/in.bin"); snprintf(out, 64, "m${i}/out.bin");
    char *args[] = { "model", w, in, out, (char *)seeds[${i}], 0 }; printf("%d %d\\n", ${i}, m${i}_main(5, args)); fflush(stdout); }`);
      const seeds = cases.map((c) => `"${c.program.seed >>> 0}"`).join(', ');
      writeFileSync(src, `#include "bertc_runtime.h"\n${batch.map((b) => b.code).join('\n')}\n#include <stdio.h>\nstatic const char *seeds[] = { ${seeds} };\nint main(void) {\n${calls.join('\n')}\n  return 0;\n}\n`);
      try {
        execFileSync('cc', [...REQUIRED_CFLAGS, '-fopenmp', '-w', ...cflags, '-o', join(work, name), src, '-lm'], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (e) {
        if (batch.length === 1) results.set(batch[0]!.c, `the C compiler failed:\n${(e as { stderr?: Buffer }).stderr?.toString().slice(0, 4000)}`);
        return false;
      }
      try {
        execFileSync(join(work, name), [], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, OMP_NUM_THREADS: '1' } });
      } catch (e) {
        if (batch.length === 1) results.set(batch[0]!.c, `the compiled model failed: ${(e as { stderr?: Buffer }).stderr?.toString().trim() || (e as Error).message}`);
        else return false;
      }
      for (const { c, m, i } of batch) {
        if (results.has(c)) continue;
        try {
          results.set(c, mismatch(c.want, new Map([...decodeOutputs(m, readFileSync(join(work, `m${i}`, 'out.bin')))].map(([k, t]) => [k, t.data]))));
        } catch (e) {
          results.set(c, `no outputs: ${describe(e)}`);
        }
      }
      return true;
    };
    // A batch that fails is retried model by model, which costs a compile each.
    for (let at = 0; at < ready.length; at += batchSize) {
      const batch = ready.slice(at, at + batchSize);
      if (!run(batch, `batch${at}`)) for (const b of batch) run([b], `single${b.i}`);
    }
    return cases.map((c) => outcome(c, 'c', results.get(c)));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Runs cases on generated WGSL, all in one headless Chromium page. */
export async function runWgsl(cases: readonly Case[]): Promise<Outcome[]> {
  const jobs: { c: Case; results: Readonly<Record<string, string>>; job: Parameters<typeof runManyInChromium>[0][number] }[] = [];
  const failed = new Map<Case, string>();
  for (const c of cases) {
    try {
      const f = generateWgsl(moduleFor(c, 'wgsl'), { source: `catalogue-${c.program.seed}.ir`, accel: ACCEL.wgsl });
      const inputs = Object.fromEntries([...c.program.inputs].map(([k, t]) => [k, t.dtype === 'f32' ? Float32Array.from(t.data) : Int32Array.from(t.data)]));
      jobs.push({ c, results: f.results, job: { manifest: f.manifest, shaders: f.shaders, weights: encodeSafetensors(c.program.params), inputs, seed: c.program.seed } });
    } catch (e) {
      failed.set(c, `does not compile: ${describe(e)}`);
    }
  }
  const answers = jobs.length ? await runManyInChromium(jobs.map((j) => j.job)) : [];
  jobs.forEach(({ c, results }, i) => {
    const a = answers[i]!;
    if (a instanceof Error) failed.set(c, a.message);
    else failed.set(c, mismatch(c.want, new Map(Object.entries(results).map(([name, buffer]) => [name, a.outputs[buffer]!]))) ?? '');
  });
  return cases.map((c) => outcome(c, 'wgsl', failed.get(c) || undefined));
}

/**
 * The cases of `count` seeds from `first`, the i-th program drawn with `options(i)`; a seed whose
 * program cannot be drawn or that the front end rejects is a failure.
 */
export function makeCases(first: number, count: number, options: (index: number) => ProgramOptions = () => ({})): { cases: Case[]; broken: { seed: number; failure: string }[] } {
  const cases: Case[] = [];
  const broken: { seed: number; failure: string }[] = [];
  for (let i = 0; i < count; i++) {
    const seed = first + i;
    let program: CatalogueProgram | undefined;
    try {
      program = catalogueProgram(seed, options(i));
      cases.push(seededCase(program));
    } catch (e) {
      broken.push({ seed, failure: `the program is invalid: ${describe(e)}${program ? `\n${program.text}` : ''}` });
    }
  }
  return { cases, broken };
}

/**
 * `count` programs of `steps` random steps from seed `first` that together contain every op of
 * the catalogue: the ops are dealt out over them (`coveringOps`), so coverage does not depend on
 * the draw.
 */
export function coveringCases(first: number, count: number, steps: readonly [number, number]): ReturnType<typeof makeCases> {
  const deal = coveringOps(count);
  return makeCases(first, count, (i) => ({ steps, cover: deal[i] }));
}
