// BERT-base, one encoder layer (plus embeddings and pooler, as in the ONNX peer), inference,
// sequence 128, batch 1 and 8: the generated C against ONNX Runtime (CPU, same thread count) on
// ../shared/reference/bert_base_layer.onnx, all measured in this run.
//
// Usage: npm run build && node bench/c-vs-ort.mjs [--runs N] [--threads T]
// Prints: median latency of both and their ratio; GFLOP/s of each GEMM kernel against the FMA
// peak `calibrate` measures; fused vs unfused time of the memory-bound kernels; predicted vs
// measured time per kernel (predicted on the calibrated host accelerator).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import ort from 'onnxruntime-node';
import { plan, Session } from '../dist/src/driver.js';
import { LEVELS } from '../dist/passes/registry.js';
import { writeC } from '../dist/targets/c/compile.js';
import { costModule } from '../dist/src/cost/model.js';
import { calibrate } from '../dist/src/calibrate.js';
import { encodeSafetensors } from '../dist/src/io/safetensors.js';
import { makeTensor } from '../dist/src/interp/tensor.js';
import { graphNodes } from '../dist/src/ir/graph.js';

const arg = (name, dflt) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : dflt);
const runs = arg('--runs', 15);
const threads = arg('--threads', 2);
const S = 128;
const root = new URL('..', import.meta.url).pathname;
const onnx = join(root, '../shared/reference/bert_base_layer.onnx');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const work = mkdtempSync(join(tmpdir(), 'bertc-bench-'));

const BENCH_MAIN = `#include "model.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + 1e-9 * t.tv_nsec; }
static int cmp(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return x < y ? -1 : x > y; }
int main(int argc, char **argv) {
  int runs = atoi(argv[2]);
  char err[512]; bertc_model *m;
  if (bertc_init(&m, argv[1], err, sizeof err)) { fprintf(stderr, "%s\\n", err); return 1; }
  int32_t *ids = calloc(IN_ELEMS, 4), *types = calloc(IN_ELEMS, 4), *mask = calloc(IN_ELEMS, 4);
  for (int i = 0; i < IN_ELEMS; i++) { ids[i] = (i * 7919) % 1024; mask[i] = 1; }
  float *last = calloc(OUT0, 4), *pooled = calloc(OUT1, 4);
  double *total = calloc(runs, sizeof(double)), *k = calloc((size_t)runs * bertc_kernel_count, sizeof(double));
  for (int w = 0; w < 3; w++) bertc_run(m, ids, types, mask, last, pooled, 0);
  for (int r = 0; r < runs; r++) {
    double t0 = now(); bertc_run(m, ids, types, mask, last, pooled, 0); total[r] = now() - t0;
    bertc_kernel_times(m, k + (size_t)r * bertc_kernel_count);
  }
  qsort(total, runs, sizeof(double), cmp);
  printf("{\\"median_s\\": %.9f, \\"kernels\\": {", total[runs / 2]);
  double *col = calloc(runs, sizeof(double));
  for (int i = 0; i < bertc_kernel_count; i++) {
    for (int r = 0; r < runs; r++) col[r] = k[(size_t)r * bertc_kernel_count + i];
    qsort(col, runs, sizeof(double), cmp);
    printf("%s\\"%s\\": %.9f", i ? ", " : "", bertc_kernel_names[i], col[runs / 2]);
  }
  printf("}}\\n");
  bertc_free(m);
  return 0;
}
`;

function compiled(B, level, accel) {
  const s = new Session();
  const sets = new Map([['B', B], ['S', S], ['L', 1], ['V', 1024]]);
  const p = plan(s, join(root, 'models/bert.ir'), { config: 'base', sets, train: false, pipeline: LEVELS[level], accel });
  const dir = join(work, `B${B}-${level}`);
  const out = p.module.graph.outputs.map((o) => o.node.type.shape.reduce((a, d) => a * d, 1));
  writeC(p.module, { source: 'models/bert.ir', command: 'bench', accel }, dir, { 'bench.c': BENCH_MAIN.replace(/IN_ELEMS/g, String(B * S)).replace('OUT0', String(out[0])).replace('OUT1', String(out[1])) });
  const exe = join(dir, 'bench');
  execFileSync('cc', ['-std=c11', '-O3', '-march=native', '-fopenmp', '-DBERTC_PROFILE', '-o', exe, join(dir, 'bench.c'), join(dir, 'model.c'), '-lm']);
  const weights = join(dir, 'weights.safetensors');
  let seed = 1;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296 - 0.5) * 0.1;
  const tensors = new Map(graphNodes(p.module.graph).filter((n) => n.op === 'param').map((n) => {
    const t = makeTensor('f32', n.type.shape);
    for (let i = 0; i < t.data.length; i++) t.data[i] = rnd();
    return [n.attr('name'), t];
  }));
  writeFileSync(weights, encodeSafetensors(tensors));
  const env = { ...process.env, OMP_NUM_THREADS: String(threads) };
  const result = JSON.parse(execFileSync(exe, [weights, String(runs)], { env }).toString());
  const costs = new Map(costModule(p.module, accel).map((c) => [c.name, c]));
  return { result, costs };
}

async function ortMedian(B) {
  const session = await ort.InferenceSession.create(onnx, { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
  const ids = new BigInt64Array(B * S).map((_, i) => BigInt((i * 7919) % 1024));
  const feeds = {
    input_ids: new ort.Tensor('int64', ids, [B, S]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(B * S).fill(1n), [B, S]),
    token_type_ids: new ort.Tensor('int64', new BigInt64Array(B * S), [B, S]),
  };
  for (let i = 0; i < 3; i++) await session.run(feeds);
  const ts = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await session.run(feeds);
    ts.push((performance.now() - t0) / 1e3);
  }
  return median(ts);
}

const accel = calibrate({ seconds: 0.5 });
const peak = 2 * accel.matrix.macs_per_cycle.f32 * accel.clock_hz * accel.cores;
console.log(`machine: ${accel.sources.join(' ')}`);
console.log(`calibrated f32 peak ${(peak / 1e9).toFixed(1)} GFLOP/s (${accel.cores} cores), DRAM ${(accel.dram.bandwidth_bytes_per_s / 1e9).toFixed(1)} GB/s; ${threads} threads; medians of ${runs} runs\n`);
try {
  for (const B of [1, 8]) {
    const fused = compiled(B, 'O2', accel);
    const unfused = compiled(B, 'O0', accel);
    const ortS = await ortMedian(B);
    const ours = fused.result.median_s;
    console.log(`== batch ${B}, sequence ${S} ==`);
    console.log(`latency: bertc C ${(ours * 1e3).toFixed(2)} ms, ONNX Runtime ${(ortS * 1e3).toFixed(2)} ms, ratio ${(ours / ortS).toFixed(2)}x`);
    const rows = Object.entries(fused.result.kernels).map(([name, measured]) => ({ name, measured, c: fused.costs.get(name) }));
    console.log(`${'kernel'.padEnd(40)} ${'measured ms'.padStart(11)} ${'predicted ms'.padStart(12)} ${'pred/meas'.padStart(9)} ${'GFLOP/s'.padStart(8)} ${'of peak'.padStart(8)}`);
    let within = 0;
    for (const r of rows) {
      const gf = r.c.flops_detail.matrix / r.measured / 1e9;
      const ratio = r.c.predicted_s / r.measured;
      if (ratio <= 1.5 && ratio >= 1 / 1.5) within++;
      const gemm = r.c.flops_detail.matrix > 0;
      console.log(`${r.name.padEnd(40)} ${(r.measured * 1e3).toFixed(3).padStart(11)} ${(r.c.predicted_s * 1e3).toFixed(3).padStart(12)} ${ratio.toFixed(2).padStart(9)} ${gemm ? gf.toFixed(1).padStart(8) : ''.padStart(8)} ${gemm ? `${((gf * 1e9 / peak) * 100).toFixed(0)}%`.padStart(8) : ''}`);
    }
    const memBound = (x) => Object.entries(x.result.kernels).filter(([n]) => x.costs.get(n).flops_detail.matrix === 0).reduce((s, [, t]) => s + t, 0);
    console.log(`memory-bound kernels: unfused (-O0) ${(memBound(unfused) * 1e3).toFixed(3)} ms in ${Object.keys(unfused.result.kernels).filter((n) => unfused.costs.get(n).flops_detail.matrix === 0).length} kernels, fused (-O2) ${(memBound(fused) * 1e3).toFixed(3)} ms in ${rows.filter((r) => r.c.flops_detail.matrix === 0).length} kernels`);
    console.log(`predicted within 1.5x of measured: ${within} of ${rows.length} kernels\n`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
