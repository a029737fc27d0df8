/**
 * The backends against the interpreter on programs over the whole op catalogue
 * (targets/fuzz/programs.ts): each program runs on the float64 interpreter, as generated C and as
 * WGSL in headless Chromium, at -O0 or -O2, in inference or training mode, and every result element
 * must be within |got - want| <= 1e-4 * max(1, |want|). The C programs are built 8 to a compiler
 * run and the WGSL ones run in one browser page, which keeps this file to about half a minute.
 * `node bench/fuzz-targets.mjs --seconds N` runs the same for as long as asked.
 */
import { describe, expect, it } from 'vitest';
import { OPS } from '../src/ir/ops.js';
import { makeTensor } from '../src/interp/tensor.js';
import type { Diagnostic } from '../src/diag/diagnostics.js';
import { build, initialModule, loadText, Session } from '../src/driver.js';
import { parsePipeline, runPipeline } from '../passes/pipeline.js';
import { LEVELS } from '../passes/registry.js';
import { HOST_CPU, PRESETS } from '../src/accel/presets.js';
import { generateC } from '../targets/c/module.js';
import { generateWgsl } from '../targets/wgsl/module.js';
import { caseOf, makeCases, opsOf, runC, runWgsl, type Case, type Outcome } from '../targets/fuzz/differential.js';
import { browserAvailable, browserRequired, browserSkipReason } from './support/browser.js';

const PROGRAMS = 48;
const { cases, broken } = makeCases(1, PROGRAMS);
const runWgslTests = browserAvailable || browserRequired;

function failures(outcomes: readonly Outcome[], all: readonly Case[]): string[] {
  return outcomes.filter((o) => o.failure).map((o) => `${o.target} seed ${o.seed} -${o.level}${o.train ? ' --train' : ''}: ${o.failure}\n${all.find((c) => c.program.seed === o.seed)!.program.text}`);
}

describe(`${PROGRAMS} catalogue programs`, () => {
  it('are valid programs that together use every op of the catalogue', () => {
    expect(broken).toEqual([]);
    const used = new Set(cases.flatMap((c) => [...opsOf(c)]));
    expect([...OPS.keys()].filter((op) => !used.has(op))).toEqual([]);
  });

  it('match the interpreter as C', () => {
    expect(failures(runC(cases), cases)).toEqual([]);
  }, 120_000);

  it.skipIf(!runWgslTests)(`match the interpreter as WGSL${browserSkipReason ? ` (${browserSkipReason})` : ''}`, async () => {
    expect(failures(await runWgsl(cases), cases)).toEqual([]);
  }, 120_000);
});

/** A hand-written program with inputs in [-2, 2) and no weights. */
function handWritten(text: string, inputs: Record<string, readonly number[]>): Case[] {
  let state = 7;
  const next = () => ((state = (state * 48271) % 2147483647) / 2147483647) * 4 - 2;
  const tensors = new Map(Object.entries(inputs).map(([name, shape]) => {
    const t = makeTensor('f32', shape);
    for (let i = 0; i < t.data.length; i++) t.data[i] = next();
    return [name, t] as const;
  }));
  const program = { seed: 1, text, inputs: tensors, params: new Map() };
  return (['O0', 'O2'] as const).map((level) => caseOf(program, level, false));
}

const FORMS: Record<string, Case[]> = {
  'a reduction with the default keepdims=false': handWritten('model m(x: f32[2, 4, 8]) -> (y: f32[2, 4], z: f32[2, 8]) {\n  return reduce_sum(x, axes=[-1]), reduce_max(x, axes=[1]) * 2.0;\n}\n', { x: [2, 4, 8] }),
  'a comparison (bool) used inside a kernel': handWritten('model m(x: f32[2, 4, 8], z: f32[2, 4, 8]) -> (y: f32[2, 4, 8], c: bool[2, 4, 8]) {\n  c = x > z;\n  return where(c, x, z * 2.0), c;\n}\n', { x: [2, 4, 8], z: [2, 4, 8] }),
  'a result that is a view of an input': handWritten('model m(x: f32[2, 4, 8]) -> (y: f32[8, 8], t: f32[8, 4, 2], x2: f32[2, 4, 8]) {\n  return reshape(x, shape=[8, 8]), transpose(x, perm=[2, 1, 0]), x;\n}\n', { x: [2, 4, 8] }),
};

describe('the forms that once failed to compile', () => {
  // In one batch per target (one compiler run, one browser); a failure names its form by its text.
  const all = Object.values(FORMS).flat();
  it(`${Object.keys(FORMS).join('; ')}: on C`, () => {
    expect(failures(runC(all), all)).toEqual([]);
  });

  it.skipIf(!runWgslTests)(`${Object.keys(FORMS).join('; ')}: on WGSL${browserSkipReason ? ` (${browserSkipReason})` : ''}`, async () => {
    expect(failures(await runWgsl(all), all)).toEqual([]);
  });
});

describe('what a backend cannot do is a located diagnostic', () => {
  const text = 'model m(x: f32[2, 3]) -> (y: f32[2, 3]) {\n  h = cast(x, to=bf16);\n  return cast(h * 2.0, to=f32);\n}\n';
  const module = (accel: typeof HOST_CPU) => {
    const s = new Session();
    const built = build(s, loadText(s, 'bf16.ir', text), {});
    return runPipeline({ ...initialModule(built, false), accel }, parsePipeline(`${LEVELS.O2!},tile-gemm`)).module;
  };
  /** The diagnostics a backend threw (CompileError or the session's DiagnosticError both carry them). */
  const diagnose = (generate: () => unknown): readonly Diagnostic[] => {
    try {
      generate();
    } catch (e) {
      if (e instanceof Error && 'diagnostics' in e) return (e as Error & { diagnostics: readonly Diagnostic[] }).diagnostics;
      throw e;
    }
    throw new Error('no diagnostic');
  };

  it.each([
    ['c', () => generateC(module(HOST_CPU), { source: 'bf16.ir', command: 'test', accel: HOST_CPU })],
    ['wgsl', () => generateWgsl(module(PRESETS.get('webgpu-generic')!), { source: 'bf16.ir', accel: PRESETS.get('webgpu-generic')! })],
  ])('bf16 on %s names the op, the target and why', (target, generate) => {
    const cast = diagnose(generate).find((d) => d.span?.line === 2);
    expect([cast?.code, cast?.span?.file, cast?.span?.col]).toEqual(['E0007', 'bf16.ir', 7]);
    expect(cast?.message).toBe(`'cast' of type bf16[2, 3] cannot be compiled for the ${target} target: bf16 storage is not supported by the backends yet (compute in f32 and cast at the edges)`);
  });
});
