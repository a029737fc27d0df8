// BERT-base, one encoder layer (plus embeddings and pooler, as in the ONNX peer), inference,
// sequence 128, batch 1 and 8: the generated C against ONNX Runtime (CPU, same thread count) on
// ../shared/reference/bert_base_layer.onnx, all measured in this run.
//
// Usage, from the repository root (after `npm ci`, which builds ../dist, or `npm run build`):
//   cd bench && ONNXRUNTIME_NODE_INSTALL=skip npm ci && node c-vs-ort.mjs [--runs N]
// ONNX Runtime is this folder's own dependency (bench/package.json), not the package's; see
// bench/README.md for why installing it needs nothing downloaded beyond the npm registry.
// Prints: median latency of both and their ratio; GFLOP/s of each GEMM kernel against the FMA
// peak `bertc calibrate` measures; fused vs unfused time of the memory-bound kernels; predicted vs
// measured time per kernel (predicted for the calibrated description of this machine).
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import ort from 'onnxruntime-node';
import { plan, Session } from '../dist/src/driver.js';
import { LEVELS } from '../dist/passes/registry.js';
import { benchC } from '../dist/targets/c/bench.js';
import { calibrate } from '../dist/src/calibrate.js';
import { median, positiveOption } from './options.mjs';

const USAGE = `usage: node c-vs-ort.mjs [--runs N]   (N timed runs per measurement, default 15)
Compares bertc's generated C with ONNX Runtime ${ort.env.versions.node} (CPU) on one BERT-base layer, batch 1 and 8.`;
if (process.argv.includes('--help')) {
  console.log(USAGE);
  process.exit(0);
}
const runs = positiveOption('--runs', 15);
const S = 128;
const root = new URL('..', import.meta.url).pathname;

function ours(B, level, accel) {
  const sets = new Map([['B', B], ['S', S], ['L', 1], ['V', 1024]]);
  const p = plan(new Session(), join(root, 'models/bert.ir'), { config: 'base', sets, train: false, pipeline: LEVELS[level], accel });
  return benchC(p.module, accel, { runs });
}

async function onnxRuntime(B, threads) {
  const session = await ort.InferenceSession.create(join(root, '../shared/reference/bert_base_layer.onnx'), { intraOpNumThreads: threads, interOpNumThreads: 1 });
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
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

const accel = calibrate({ seconds: 2 });
const peak = 2 * accel.matrix.macs_per_cycle.f32 * accel.clock_hz * accel.cores;
console.log(`calibrated: f32 FMA peak ${(peak / 1e9).toFixed(1)} GFLOP/s on ${accel.cores} threads, DRAM ${(accel.dram.bandwidth_bytes_per_s / 1e9).toFixed(1)} GB/s; medians of ${runs} runs`);
for (const B of [1, 8]) {
  const fused = ours(B, 'O2', accel);
  const unfused = ours(B, 'O0', accel);
  const ortMs = await onnxRuntime(B, accel.cores);
  console.log(`\n== batch ${B}, sequence ${S} ==`);
  console.log(`latency: bertc C ${fused.median_ms.toFixed(2)} ms, ONNX Runtime ${ortMs.toFixed(2)} ms, ratio ${(fused.median_ms / ortMs).toFixed(2)}x`);
  console.log(`${'kernel'.padEnd(40)} ${'measured ms'.padStart(11)} ${'predicted ms'.padStart(12)} ${'pred/meas'.padStart(9)} ${'GFLOP/s'.padStart(8)} ${'of peak'.padStart(8)}`);
  let within = 0;
  for (const k of fused.kernels) {
    const ratio = k.predicted_ms / k.measured_ms;
    if (ratio <= 1.5 && ratio >= 1 / 1.5) within++;
    const gf = k.matrix_flops / k.measured_ms / 1e6;
    const g = k.matrix_flops > 0;
    console.log(`${k.name.padEnd(40)} ${k.measured_ms.toFixed(3).padStart(11)} ${k.predicted_ms.toFixed(3).padStart(12)} ${ratio.toFixed(2).padStart(9)} ${g ? gf.toFixed(1).padStart(8) : ''.padStart(8)} ${g ? `${((gf * 1e9) / peak * 100).toFixed(0)}%`.padStart(8) : ''}`);
  }
  const memoryBound = (b) => b.kernels.filter((k) => k.matrix_flops === 0);
  const sum = (ks) => ks.reduce((s, k) => s + k.measured_ms, 0);
  console.log(`memory-bound kernels: unfused (-O0) ${sum(memoryBound(unfused)).toFixed(3)} ms in ${memoryBound(unfused).length} kernels, fused (-O2) ${sum(memoryBound(fused)).toFixed(3)} ms in ${memoryBound(fused).length} kernels`);
  console.log(`predicted within 1.5x of measured: ${within} of ${fused.kernels.length} kernels`);
}
