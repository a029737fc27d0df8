/**
 * The backends against the interpreter on programs over the whole op catalogue
 * (targets/fuzz/programs.ts) and on hand-written forms that once failed: each program runs on the
 * float64 interpreter, as generated C and as WGSL in headless Chromium, at -O0 or -O2, in inference
 * or training mode, and every result element must be within |got - want| <= 1e-4 * max(1, |want|).
 * The catalogue's ops are dealt out over the programs, so that together they contain every op
 * whatever the draw. All C models are built in one compiler run and all WGSL ones run in one
 * browser page, which keeps this file to about 15 seconds; `node bench/fuzz-targets.mjs --seconds N`
 * runs the long sweep.
 */
import { describe, expect, it } from 'vitest';
import { OPS } from '../src/ir/ops.js';
import { makeTensor } from '../src/interp/tensor.js';
import type { Diagnostic } from '../src/diag/diagnostics.js';
import { build, initialModule, loadText, Session } from '../src/driver.js';
import { parsePipeline, runPipeline } from '../passes/pipeline.js';
import { LEVELS } from '../passes/registry.js';
import { HOST_CPU, PRESETS } from '../src/accel/presets.js';
import { generateWgsl } from '../targets/wgsl/module.js';
import { caseOf, coveringCases, opsOf, runC, runWgsl, type Case, type Outcome } from '../targets/fuzz/differential.js';
import { browserAvailable, browserRequired, browserSkipReason } from './support/browser.js';

/** Programs, and the fewest and most random steps each draws before the ops dealt to it. */
const PROGRAMS = 10;
const STEPS = [12, 24] as const;
const { cases: catalogue, broken } = coveringCases(1, PROGRAMS, STEPS);
const runWgslTests = browserAvailable || browserRequired;

/** A hand-written program with inputs in [-2, 2) and no weights, at -O0 and -O2 (and in training mode at -O2, with `train`). */
function handWritten(text: string, inputs: Record<string, readonly number[]>, train = false): Case[] {
  let state = 7;
  const next = () => ((state = (state * 48271) % 2147483647) / 2147483647) * 4 - 2;
  const tensors = new Map(Object.entries(inputs).map(([name, shape]) => {
    const t = makeTensor('f32', shape);
    for (let i = 0; i < t.data.length; i++) t.data[i] = next();
    return [name, t] as const;
  }));
  const program = { seed: 1, text, inputs: tensors, params: new Map() };
  return [...(['O0', 'O2'] as const).map((level) => caseOf(program, level, false)), ...(train ? [caseOf(program, 'O2', true)] : [])];
}

/**
 * Fused attention (fuse-attention at -O2) over its edges: 70 keys and 70 query rows (tails of the
 * 8 x 32 micro-tile), heads of 24 (not a multiple of 16), Q, K and V as strided views of one
 * buffer, a broadcast mask, merged heads stored through the epilogue, and dropout in training mode.
 */
const ATTENTION = `model m(x: f32[2, 70, 216], mask: f32[2, 1, 1, 70]) -> (y: f32[2, 70, 72]) {
  q = transpose(reshape(slice(x, axis=-1, end=72), shape=[2, 70, 3, 24]), perm=[0, 2, 1, 3]);
  k = transpose(reshape(slice(x, axis=-1, start=72, end=144), shape=[2, 70, 3, 24]), perm=[0, 2, 1, 3]);
  v = transpose(reshape(slice(x, axis=-1, start=144, end=216), shape=[2, 70, 3, 24]), perm=[0, 2, 1, 3]);
  s = matmul(q, k, transpose_b=true) * 0.2 + mask;
  p = dropout(softmax(s, axis=-1), p=0.25);
  return reshape(transpose(matmul(p, v), perm=[0, 2, 1, 3]), shape=[2, 70, 72]);
}
`;

/**
 * One head of 300 queries and keys: fewer heads than cores, so each head's rows are split between
 * tasks (152 and 148), each task's rows walked in sub-blocks (80 and a tail), its keys in two
 * blocks (attentionPlan), so that the online softmax rescales across blocks.
 */
const LONG_ATTENTION = `model m(x: f32[1, 300, 72], mask: f32[1, 1, 1, 300]) -> (y: f32[1, 300, 24]) {
  q = reshape(slice(x, axis=-1, end=24), shape=[1, 1, 300, 24]);
  k = reshape(slice(x, axis=-1, start=24, end=48), shape=[1, 1, 300, 24]);
  v = reshape(slice(x, axis=-1, start=48, end=72), shape=[1, 1, 300, 24]);
  s = matmul(q, k, transpose_b=true) * 0.2 + mask;
  p = dropout(softmax(s, axis=-1), p=0.25);
  return reshape(matmul(p, v), shape=[1, 300, 24]);
}
`;

/** Forms that once failed to compile or to match, by what they are. */
const FORMS: Record<string, Case[]> = {
  'an attention over a key tail, a query tail and heads of 24, with dropout': handWritten(ATTENTION, { x: [2, 70, 216], mask: [2, 1, 1, 70] }, true),
  'an attention over key blocks, query sub-blocks and heads split between tasks, with dropout': handWritten(LONG_ATTENTION, { x: [1, 300, 72], mask: [1, 1, 1, 300] }, true),
  'a reduction with the default keepdims=false': handWritten('model m(x: f32[2, 4, 8]) -> (y: f32[2, 4], z: f32[2, 8]) {\n  return reduce_sum(x, axes=[-1]), reduce_max(x, axes=[1]) * 2.0;\n}\n', { x: [2, 4, 8] }),
  'a comparison (bool) used inside a kernel': handWritten('model m(x: f32[2, 4, 8], z: f32[2, 4, 8]) -> (y: f32[2, 4, 8], c: bool[2, 4, 8]) {\n  c = x > z;\n  return where(c, x, z * 2.0), c;\n}\n', { x: [2, 4, 8], z: [2, 4, 8] }),
  'a result that is a view of an input': handWritten('model m(x: f32[2, 4, 8]) -> (y: f32[8, 8], t: f32[8, 4, 2], x2: f32[2, 4, 8]) {\n  return reshape(x, shape=[8, 8]), transpose(x, perm=[2, 1, 0]), x;\n}\n', { x: [2, 4, 8] }),
  'a reduction broadcast by expand into a chain that a reshape returns':
    handWritten('model m(x: f32[4, 8]) -> (a: f32[32], b: f32[4, 8]) {\n  m = reduce_mean(x, axes=[-1], keepdims=true);\n  e = expand(m, shape=[4, 8]);\n  n = neg(e);\n  return reshape(n, shape=[32]), x;\n}\n', { x: [4, 8] }),
  'a reduction read by a broadcasting op that a reshape returns':
    handWritten('model m(x: f32[4, 8]) -> (a: f32[32]) {\n  m = reduce_mean(x, axes=[-1], keepdims=true);\n  return reshape(x - m, shape=[32]);\n}\n', { x: [4, 8] }),
  'a softmax read through a transpose of its square tile': handWritten('model m(x: f32[4, 4]) -> (y: f32[4, 4]) {\n  return neg(transpose(softmax(x, axis=-1), perm=[1, 0]));\n}\n', { x: [4, 4] }),
  'a softmax and a layernorm over a size-1 axis (a row of one element)': handWritten(
    'model m(x: f32[3, 1], g: f32[1], b: f32[1]) -> (y: f32[3, 1], z: f32[3, 1]) {\n  return softmax(x, axis=-1) * 2.0, layernorm(x, g, b);\n}\n',
    { x: [3, 1], g: [1], b: [1] },
  ),
  'a scatter_add with repeated indices stored through the transpose that its reader reshapes (merging heads)': handWritten(
    'model m(u: f32[2, 3, 4], x: f32[5, 8]) -> (y: f32[5, 8]) {\n  ids = min(iota(shape=[3], dtype=i32) * 3 / 2, 4);\n  t = transpose(scatter_add(u, ids, rows=5, axis=1), perm=[1, 0, 2]);\n  return neg(reshape(t, shape=[5, 8])) + x;\n}\n',
    { u: [2, 3, 4], x: [5, 8] },
  ),
};

/** The catalogue programs, then the hand-written forms: one compiler run and one browser page for all. */
const all = [...catalogue, ...Object.values(FORMS).flat()];
const nameOf = (c: Case): string => (catalogue.includes(c) ? `seed ${c.program.seed}` : Object.keys(FORMS).find((k) => FORMS[k]!.includes(c))!);

/** Each failure with how its case was compiled and its text; outcomes come in the order of `all`. */
function failures(outcomes: readonly Outcome[]): string[] {
  return outcomes.flatMap((o, i) => (o.failure ? [`${o.target} ${nameOf(all[i]!)} -${o.level}${o.train ? ' --train' : ''}: ${o.failure}\n${all[i]!.program.text}`] : []));
}

describe(`${PROGRAMS} catalogue programs and ${Object.keys(FORMS).length} hand-written forms`, () => {
  it('are valid programs that together use every op of the catalogue', () => {
    expect(broken).toEqual([]);
    const used = new Set(catalogue.flatMap((c) => [...opsOf(c)]));
    expect([...OPS.keys()].filter((op) => !used.has(op))).toEqual([]);
  });

  it('match the interpreter as C', () => {
    expect(failures(runC(all, ['-O2'], all.length))).toEqual([]);
  }, 120_000);

  it.skipIf(!runWgslTests)(`match the interpreter as WGSL${browserSkipReason ? ` (${browserSkipReason})` : ''}`, async () => {
    expect(failures(await runWgsl(all))).toEqual([]);
  }, 120_000);
});

describe('what a backend cannot do is a located diagnostic', () => {
  const text = 'model m(x: f32[2, 3]) -> (y: f32[2, 3]) {\n  h = cast(x, to=i64);\n  return cast(h * 2, to=f32);\n}\n';
  const module = (accel: typeof HOST_CPU) => {
    const s = new Session();
    const built = build(s, loadText(s, 'i64.ir', text), {});
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
    ['wgsl', () => generateWgsl(module(PRESETS.get('webgpu-generic')!), { source: 'i64.ir', accel: PRESETS.get('webgpu-generic')! })],
  ])('i64 on %s names the op, the target and why', (target, generate) => {
    const cast = diagnose(generate).find((d) => d.span?.line === 2);
    expect([cast?.code, cast?.span?.file, cast?.span?.col]).toEqual(['E0007', 'i64.ir', 7]);
    expect(cast?.message).toBe(`'cast' of type i64[2, 3] cannot be compiled for the ${target} target: WGSL has no 64-bit integers (use i32)`);
  });
});
