import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HOST_CPU } from '../src/accel/presets.js';
import { build, initialModule, loadText, plan, Session } from '../src/driver.js';
import { parsePipeline, runPipeline } from '../passes/pipeline.js';
import { makeTensor } from '../src/interp/tensor.js';
import { interpret } from '../src/interp/interpret.js';
import type { Tensor } from '../src/interp/tensor.js';
import type { Module } from '../src/kernel/module.js';
import { LEVELS } from '../passes/registry.js';
import { benchC, benchHarness } from '../targets/c/bench.js';
import { buildC, runBuilt, writeC } from '../targets/c/compile.js';
import { DEFAULT_CFLAGS, generateC, REQUIRED_CFLAGS } from '../targets/c/module.js';
import { kernelFunction } from '../targets/c/kernelCode.js';
import { CLikeRenderer, cHelperSource } from '../targets/common/renderer.js';
import { buildKernels } from '../src/kernel/kernels.js';
import { explainLine } from '../targets/c/explain.js';
import { readFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { kernelClasses } from '../src/kernel/signature.js';
import { bertGraph, embeddedBatch, maxAbsDiff, reference, weights, WEIGHTS_PATH } from './support/reference.js';
import { encodeSafetensors } from '../src/io/safetensors.js';

const tmp = mkdtempSync(join(tmpdir(), 'bertc-c-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const STRICT = ['-O2', '-march=native', '-Wall', '-Wextra', '-Werror'];
let builds = 0;

function bertModule(sets: Record<string, number>, train: boolean, pipeline = LEVELS.O2!): Module {
  const s = new Session();
  return plan(s, 'models/bert.ir', { config: 'tiny', sets: new Map(Object.entries(sets)), train, pipeline, accel: HOST_CPU }).module;
}

function compileAndRun(m: Module, inputs: ReadonlyMap<string, Tensor>, weightsPath: string, seed = 0, cflags = STRICT): Map<string, Tensor> {
  const dir = join(tmp, `build${builds++}`);
  writeC(m, { source: 'models/bert.ir', command: 'test', accel: HOST_CPU }, dir);
  return runBuilt(m, buildC(dir, { cflags }), weightsPath, inputs, seed);
}

const refInputs = new Map(['input_ids', 'token_type_ids', 'attention_mask'].map((n) => [n, reference.get(n)]));

describe('generated C for bert_tiny', () => {
  it('reproduces Hugging Face within 1e-4 at the reference shape (compiled with -Wall -Wextra -Werror)', () => {
    const out = compileAndRun(bertModule({}, false), refInputs, WEIGHTS_PATH);
    expect(maxAbsDiff(out.get('last_hidden_state')!, reference.get('last_hidden_state'))).toBeLessThan(1e-4);
    expect(maxAbsDiff(out.get('pooler_output')!, reference.get('pooler_output'))).toBeLessThan(1e-4);
  });

  // Other shapes run through `bertc run --target c` in test/run-contract.test.ts.
  it.each([[5, 7 + 16]])('reproduces Hugging Face at batch %i x sequence %i with padding', (B, S) => {
    const { inputs, worst } = embeddedBatch(B, S, B * 100 + S);
    expect(worst(compileAndRun(bertModule({ B, S }, false), inputs, WEIGHTS_PATH))).toBeLessThan(1e-4);
  });

  it('equals the interpreter in training mode, with the same dropout masks', () => {
    const out = compileAndRun(bertModule({}, true), refInputs, WEIGHTS_PATH, 1234);
    const want = interpret(bertGraph('tiny'), refInputs, (n) => weights.get(n), { train: true, seed: 1234 }).outputs;
    for (const [name, t] of want) expect(maxAbsDiff(out.get(name)!, t), name).toBeLessThan(1e-5);
  });

  it('is clean under AddressSanitizer and UndefinedBehaviorSanitizer', () => {
    const out = compileAndRun(bertModule({}, true), refInputs, WEIGHTS_PATH, 7, ['-O1', '-g', '-fsanitize=address,undefined', '-fno-sanitize-recover=all', '-fno-omit-frame-pointer']);
    expect(out.get('last_hidden_state')!.data.length).toBe(2 * 16 * 128);
  });

  it('is byte-identical across runs and matches the golden files (regenerate with vitest -u)', async () => {
    const a = generateC(bertModule({}, true), { source: 'models/bert.ir', command: 'bertc compile models/bert.ir --config tiny --train --accel host-cpu', accel: HOST_CPU });
    const b = generateC(bertModule({}, true), { source: 'models/bert.ir', command: 'bertc compile models/bert.ir --config tiny --train --accel host-cpu', accel: HOST_CPU });
    expect(a).toEqual(b);
    await expect(a['model.c']).toMatchFileSnapshot('./c/golden/bert-tiny-train.model.c');
    await expect(a['model.h']).toMatchFileSnapshot('./c/golden/bert-tiny-train.model.h');
  });

  it('is built with the flags it is written for, by its Makefile and by bertc alike (errno off: sqrtf vectorises)', () => {
    const m = bertModule({}, true);
    const opts = { source: 'models/bert.ir', command: 'test', accel: HOST_CPU };
    const files = generateC(m, opts);
    expect(REQUIRED_CFLAGS).toContain('-fno-math-errno');
    expect(files['Makefile']).toContain(`BERTC_CFLAGS = ${REQUIRED_CFLAGS.join(' ')}\n`);
    expect(files['model.h']).toContain(`Build: cc ${REQUIRED_CFLAGS.join(' ')} `);
    const dir = mkdtempSync(join(tmpdir(), 'bertc-flags-'));
    try {
      const cc = join(dir, 'cc');
      writeFileSync(cc, `#!/bin/sh\necho "$@" > ${join(dir, 'args')}\nexec cc "$@"\n`, { mode: 0o755 });
      writeC(m, opts, join(dir, 'model'));
      buildC(join(dir, 'model'), { cc, cflags: ['-O1'] });
      expect(readFileSync(join(dir, 'args'), 'utf8').split(/\s+/).slice(0, REQUIRED_CFLAGS.length)).toEqual([...REQUIRED_CFLAGS]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports an out-of-range token id instead of reading out of bounds', () => {
    const bad = new Map(refInputs);
    const ids = reference.get('input_ids');
    const data = Int32Array.from(ids.data as Int32Array);
    data[3] = 100000;
    bad.set('input_ids', { ...ids, data });
    expect(() => compileAndRun(bertModule({}, false), bad, WEIGHTS_PATH)).toThrow(/out of range/);
  });

  it('names a missing weight and a wrong shape', () => {
    const m = bertModule({}, false);
    const dir = join(tmp, 'weights-check');
    writeC(m, { source: 'models/bert.ir', command: 'test', accel: HOST_CPU }, dir);
    const exe = buildC(dir, { cflags: STRICT });
    const partial = join(tmp, 'partial.safetensors');
    const all = new Map(weights.names.map((n) => [n, weights.get(n)]));
    all.delete('pooler.dense.bias');
    writeFileSync(partial, encodeSafetensors(all));
    expect(() => runBuilt(m, exe, partial, refInputs, 0)).toThrow(/tensor 'pooler.dense.bias' not found/);
  });
});

describe('C kernels identified by what they compute', () => {
  const baseC = (L: number) => {
    const m = plan(new Session(), 'models/bert.ir', { config: 'base', sets: new Map([['L', L]]), train: true, pipeline: LEVELS.O2!, accel: HOST_CPU }).module;
    return generateC(m, { source: 'models/bert.ir', command: 'test', accel: HOST_CPU })['model.c'];
  };
  /** Kernel functions, without the trampolines the thread pool calls them through. */
  const functions = (c: string) => (c.match(/^static void k\w+\(/gm) ?? []).filter((f) => !/_(tasks|segments)\($/.test(f));

  it('BERT-base has as many kernel functions with 2 layers as with 12 (generation only)', () => {
    const [two, twelve] = [functions(baseC(2)), functions(baseC(12))];
    expect(twelve.length).toBe(two.length);
    // The same kernels, whose numbers after the layers (the pooler's) move with L.
    const kinds = (fns: string[]) => fns.map((f) => f.replace(/^static void k\d+_/, ''));
    expect(kinds(twelve)).toEqual(kinds(two));
    expect(two.length).toBeLessThan(16);
  });

  it('bertc explain names the kernel a call runs and the function it shares', async () => {
    const dir = join(tmp, 'explain');
    writeC(bertModule({}, true), { source: 'models/bert.ir', command: 'test', accel: HOST_CPU }, dir);
    const lines = readFileSync(join(dir, 'model.c'), 'utf8').split('\n');
    const at = lines.findIndex((l) => /BERTC_TIMED\(\d+, bertc_parallel\(&m->pool, \d+, k5_attention_dropout_tasks, /.test(l) && !l.includes('BERTC_TIMED(3,'));
    const text = await explainLine(`${join(dir, 'model.c')}:${at + 1}`);
    expect(text).toMatch(/calls kernel k14_attention_dropout, which shares the function of k5_attention_dropout\n {2}implements models\/bert\.ir:67:12/);
    const inside = lines.findIndex((l) => l.includes('bm[ri] = bertc_fmax(bm[ri], s[ri]);'));
    expect(await explainLine(`${join(dir, 'model.c')}:${inside + 1}`)).toMatch(/in kernel k5_attention_dropout \(attention\)/);
  });

  it('packs a B that several tasks share once per call in a training step (at B=1 only activations: a weight product splits its columns), and at load in inference', () => {
    const stepC = (B: number) => {
      const m = plan(new Session(), 'models/bert.ir', { config: 'base', sets: new Map([['L', 1], ['V', 1024], ['B', B], ['S', 128]]), train: false, pipeline: LEVELS.O2!, accel: HOST_CPU, objective: { kind: 'step', loss: 'probe', clip: false } }).module;
      return generateC(m, { source: 'models/bert.ir', command: 'test', accel: HOST_CPU })['model.c'];
    };
    const step = stepC(8);
    // Each call of a GEMM on a shared B: the pool packs it, then its tasks multiply the packed copy.
    const calls = step.split('\n').filter((l) => l.includes('BERTC_TIMED') && l.includes('bertc_pack_b_parallel'));
    expect(calls.length).toBeGreaterThanOrEqual(14);
    for (const l of calls) expect(l).toMatch(/bertc_pack_b_parallel\(&m->pool, \d+, \d+, .*, m->gemm_packed\); bertc_parallel\(&m->pool, \d+, k\d+_gemm\w*_tasks, .*m->gemm_packed \} \}\)\);$/);
    const perCall = [...step.matchAll(/B packed per call \*\/\n(?:.*\n){0,12}?.*bertc_gemm_packed\(/g)];
    expect(perCall.length).toBeGreaterThan(0);
    expect(step).not.toMatch(/packed at load \(kc/);
    // At B=1 a product of a weight splits its columns and packs its own B: only activations (a dW
    // product's) are packed per call.
    const single = stepC(1).split('\n').filter((l) => l.includes('BERTC_TIMED') && l.includes('bertc_pack_b_parallel'));
    expect(single.length).toBeGreaterThan(0);
    for (const l of single) expect(l).toMatch(/bertc_pack_b_parallel\(&m->pool, \d+, \d+, \(float \*\)\(m->arena \+ \d+\)/);
    expect(stepC(1)).toMatch(/const ptrdiff_t n0 = \(task % 2\) \* 1536;/);
    // Inference packs its weights once, at load, and has no per-call buffer.
    const inference = baseC(1);
    expect(inference).not.toContain('m->gemm_packed');
    expect(inference).toMatch(/bertc_pack_b\(768, 2304, /);
  });

  it('times a training step as a training loop runs it: bertc_step in place, with a first step of torch AdamW defaults', () => {
    const stepOf = (objective: { kind: 'step'; loss: string; clip: boolean; lossScale?: boolean }) =>
      plan(new Session(), 'models/bert.ir', { config: 'tiny', sets: new Map([['B', 2], ['S', 16]]), train: false, pipeline: LEVELS.O2!, accel: HOST_CPU, objective }).module;
    const clipped = stepOf({ kind: 'step', loss: 'probe', clip: true });
    const harness = benchHarness(clipped);
    expect(harness).toMatch(/^\s+bertc_step\(m, /m);
    expect(harness).not.toMatch(/bertc_run\(/);
    // The scalars of torch.optim.AdamW's defaults at step 1 (lr 1e-3, weight decay 1e-2), the clip norm 1.
    const scalar = (name: string) => Number(harness.match(new RegExp(`in${clipped.graph.inputs.findIndex((n) => n.attr<string>('name') === name)}\\[i\\] = \\(?([^;)]*)f\\)?;`))?.[1]);
    expect(scalar('adamw.decay')).toBe(Math.fround(1 - 1e-3 * 1e-2));
    expect(scalar('adamw.neg_step_size')).toBe(Math.fround(-1e-3 / (1 - 0.9)));
    expect(scalar('adamw.max_norm')).toBe(1);
    const timed = benchC(clipped, HOST_CPU, { runs: 1, cflags: ['-O0'] });
    expect(timed.median_ms).toBeGreaterThan(0);
    expect(timed.kernels.map((k) => k.name).some((n) => /multi_tensor/.test(n))).toBe(true);
    // A loss-scaled step has scalars of its own; inference still times bertc_run.
    expect(benchHarness(stepOf({ kind: 'step', loss: 'probe', clip: false, lossScale: true }))).toMatch(/^\s+bertc_step\(m, /m);
    expect(benchHarness(bertModule({}, false))).toMatch(/^\s+bertc_run\(m, /m);
  }, 180_000);

  it('gives every instance of a shared function the code of the first (bert_tiny, training and inference)', () => {
    for (const train of [true, false]) {
      const m = bertModule({}, train);
      const env = { r: new CLikeRenderer(), views: m.partition.views, train: m.train, accel: HOST_CPU, schedules: m.schedules };
      // The body without the header comment, which names the kernel.
      const body = (k: Parameters<typeof kernelFunction>[0]) => kernelFunction(k, env).lines.filter((l) => !/^\s*(\/\*| \*)/.test(l.text)).map((l) => l.text).join('\n');
      const { classes } = kernelClasses(buildKernels(m), m);
      expect(classes.some((c) => c.instances.length > 1)).toBe(true);
      for (const c of classes) for (const k of c.instances.slice(1)) expect(body(k), k.name).toBe(body(c.representative));
    }
  });
});

describe('generated C for scatter_add', () => {
  // Rows named several times, rows never named, and padding_idx; 1024 columns, split between the 2 cores.
  const text = 'model m(u: f32[6, 1024], ids: i32[6]) -> (y: f32[5, 1024], z: f32[5, 1024]) {\n  return scatter_add(u, ids, rows=5), scatter_add(u, ids, rows=5, padding_idx=1);\n}\n';
  const source = 'scatter.ir';
  const build1 = () => {
    const s = new Session();
    return build(s, loadText(s, source, text), {});
  };
  const module = () => runPipeline({ ...initialModule(build1(), false), accel: HOST_CPU }, parsePipeline(`${LEVELS.O2!},tile-gemm`)).module;
  const u = makeTensor('f32', [6, 1024], Float32Array.from({ length: 6 * 1024 }, (_, i) => ((i * 37) % 101) / 25 - 2));
  const inputs = (ids: number[]) => new Map([['u', u], ['ids', makeTensor('i32', [6], Int32Array.from(ids))]]);
  const noWeights = join(tmp, 'no-weights.safetensors');
  writeFileSync(noWeights, encodeSafetensors(new Map()));

  it('is a kernel of its own whose tasks own column ranges: zeroed, then rows added in index order, no atomics', () => {
    const c = generateC(module(), { source, command: 'test', accel: HOST_CPU })['model.c'];
    const fns = c.split('\n\n').filter((f) => f.includes('(scatter):'));
    expect(fns).toHaveLength(2);
    for (const f of fns) {
      expect(f).toContain('  for (ptrdiff_t task = lo_; task < hi_; task++) {');
      expect(f).toContain('const ptrdiff_t q0 = (task % 2) * 512;');
      expect(f).toMatch(/for \(ptrdiff_t row = 0; row < 5; row\+\+\) for \(ptrdiff_t q = q0; q < q1; q\+\+\) b2\[\(row \* 1024 \+ q\)\] = 0\.0f;/);
      expect(f).toContain('const ptrdiff_t row = bertc_checked_index(b1[i], 5, status);');
      expect(f).not.toMatch(/atomic/);
    }
    expect(fns.filter((f) => f.includes('if (row == 1) continue;'))).toHaveLength(1);
    // The two tasks are shared out by the thread pool.
    expect(c.match(/bertc_parallel\(&m->pool, 2, k\d+_scatter_add_tasks, /g)).toHaveLength(2);
  });

  it('equals the interpreter, and reports an index out of range without writing outside the result (ASan)', () => {
    const m = module();
    const dir = join(tmp, 'scatter');
    writeC(m, { source, command: 'test', accel: HOST_CPU }, dir);
    const exe = buildC(dir, { cflags: ['-O1', '-g', '-fsanitize=address,undefined', '-fno-sanitize-recover=all', '-fno-omit-frame-pointer'] });
    const ids = [1, 3, 1, 2, 0, 1];
    const got = runBuilt(m, exe, noWeights, inputs(ids), 0);
    const want = interpret(build1().graph, inputs(ids), () => {
      throw new Error('no weights');
    }, { f64: true }).outputs;
    for (const [name, t] of want) expect(maxAbsDiff(got.get(name)!, t), name).toBeLessThan(1e-5);
    expect(() => runBuilt(m, exe, noWeights, inputs([1, 7, -3, 2, 0, 1 << 30]), 0)).toThrow(/out of range/);
  });
});

describe('C helpers', () => {
  it('bertc_tanh is within 1 ulp of tanh (in double) on a sweep of floats, vectorises, and keeps signed zeros, infinities and NaN', () => {
    const src = join(tmp, 'tanh_test.c');
    writeFileSync(src, `#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
${cHelperSource(['bertc_tanh'])}
static int64_t key(float v) { int32_t i; memcpy(&i, &v, 4); return i < 0 ? (int64_t)INT32_MIN - i : i; }
/* A loop as a generated kernel writes it, one element per iteration, built as a model is. */
void sweep(const float *restrict x, float *restrict y, long n) { for (long i = 0; i < n; i++) y[i] = bertc_tanh(x[i]); }
int main(void) {
  enum { N = 1 << 20 };
  static float x[N], y[N];
  int64_t worst = 0;
  for (uint32_t start = 0; start < 97; start += 13) {
    long n = 0;
    for (uint64_t bits = start; bits < 0x7f800000u && n < N; bits += 2039) { float v; uint32_t b = (uint32_t)bits; memcpy(&v, &b, 4); x[n] = (n & 1) ? -v : v; n++; }
    sweep(x, y, n);
    for (long i = 0; i < n; i++) { int64_t d = key(y[i]) - key((float)tanh((double)x[i])); if (d < 0) d = -d; if (d > worst) worst = d; }
  }
  const float special[] = { 0.0f, -0.0f, INFINITY, -INFINITY, NAN, 30.0f, -30.0f };
  float out[7];
  sweep(special, out, 7);
  printf("%lld %d %d %g %g %d %g %g\\n", (long long)worst, signbit(out[0]) != 0, signbit(out[1]) != 0, out[2], out[3], out[4] != out[4], out[5], out[6]);
  return 0;
}
`);
    const exe = join(tmp, 'tanh_test');
    const cc = spawnSync('cc', [...REQUIRED_CFLAGS, ...DEFAULT_CFLAGS, '-fopt-info-vec-optimized', src, '-o', exe, '-lm'], { encoding: 'utf8' });
    expect(cc.status, cc.stderr).toBe(0);
    // libm's tanhf keeps a loop scalar, and so would a select that left the division conditional.
    const sweepLine = readFileSync(src, 'utf8').split('\n').findIndex((l) => l.startsWith('void sweep')) + 1;
    expect(cc.stderr).toMatch(new RegExp(`tanh_test\\.c:${sweepLine}:\\d+: optimized: loop vectorized`));
    const [worst, ...rest] = execFileSync(exe, { encoding: 'utf8' }).trim().split(' ');
    expect(Number(worst)).toBeLessThanOrEqual(1);
    expect(rest).toEqual(['0', '1', '1', '-1', '1', '1', '-1']);
  });
});
