// BERT-base, one encoder layer (plus embeddings and pooler, as in the ONNX peer), inference: the
// generated C against ONNX Runtime (CPU, same thread count) on ../shared/reference/bert_base_layer.onnx
// at batch 1 and 8 with sequence 128, and batch 1 with sequence 512; each on a quiet machine and
// again with one busy-looping process beside both. All measured in this run.
//
// Usage, from the repository root (after `npm ci`, which builds ../dist, or `npm run build`):
//   cd bench && ONNXRUNTIME_NODE_INSTALL=skip npm ci && node c-vs-ort.mjs [--runs N] [--rounds R]
// ONNX Runtime is this folder's own dependency (bench/package.json), not the package's; see
// bench/README.md for why installing it needs nothing downloaded beyond the npm registry.
// OpenBLAS's rates come from numpy's `@` (python3 with numpy; the column is empty without it).
//
// Prints, per case: the layer's median latency for both and their ratio; per kernel the measured
// and predicted time (for the calibrated description of this machine), GFLOP/s and share of the
// FMA peak, and OpenBLAS's GFLOP/s on the same GEMM shapes; the pooler's GEMV against the copy
// bandwidth; how many predictions are within 1.5x. Each side is measured in R rounds of N runs,
// the two sides taking turns, so that a change in the machine's load falls on both; a latency is
// the median of the rounds' medians.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { plan, Session } from '../dist/src/driver.js';
import { LEVELS } from '../dist/passes/registry.js';
import { buildBenchC } from '../dist/targets/c/bench.js';
import { calibrate } from '../dist/src/calibrate.js';
import { median, medianTime, positiveOption } from './options.mjs';

const USAGE = `usage: node c-vs-ort.mjs [--runs N] [--rounds R]   (N timed runs per round, default 15; R rounds per side, default 3)
Compares bertc's generated C with ONNX Runtime ${ort.env.versions.node} (CPU) on one BERT-base layer, quiet and beside a busy process.`;
if (process.argv.includes('--help')) {
  console.log(USAGE);
  process.exit(0);
}
const runs = positiveOption('--runs', 15);
const rounds = positiveOption('--rounds', 3);
const root = new URL('..', import.meta.url).pathname;
const CASES = [
  { B: 1, S: 128 },
  { B: 8, S: 128 },
  { B: 1, S: 512 },
];

function ours(B, S, accel) {
  const sets = new Map([['B', B], ['S', S], ['L', 1], ['V', 1024]]);
  const p = plan(new Session(), join(root, 'models/bert.ir'), { config: 'base', sets, train: false, pipeline: LEVELS.O2, accel });
  return buildBenchC(p.module, accel);
}

async function onnxRuntime(B, S, threads) {
  const session = await ort.InferenceSession.create(join(root, '../shared/reference/bert_base_layer.onnx'), { intraOpNumThreads: threads, interOpNumThreads: 1 });
  const ids = new BigInt64Array(B * S).map((_, i) => BigInt((i * 7919) % 1024));
  const feeds = {
    input_ids: new ort.Tensor('int64', ids, [B, S]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(B * S).fill(1n), [B, S]),
    token_type_ids: new ort.Tensor('int64', new BigInt64Array(B * S), [B, S]),
  };
  for (let i = 0; i < 3; i++) await session.run(feeds);
  return () => medianTime(() => session.run(feeds), runs, 0);
}

/** Both sides in turns; the latency of each is the median of its rounds' medians, and ours keeps the round whose median it is. */
async function measure(mine, theirs) {
  const a = [];
  const b = [];
  for (let r = 0; r < rounds; r++) {
    a.push(mine.run(runs));
    b.push(await theirs());
  }
  const mid = [...a].sort((x, y) => x.median_ms - y.median_ms)[a.length >> 1];
  const kernels = mid.kernels.map((k, i) => ({ ...k, measured_ms: median(a.map((x) => x.kernels[i].measured_ms)) }));
  return { ours: { ...mid, median_ms: median(a.map((x) => x.median_ms)), kernels }, ort: median(b) };
}

/** OpenBLAS's GFLOP/s (numpy's `@`, median of 15) for each GEMM shape, by key; empty without numpy. */
function openblas(problems, threads) {
  const shapes = [...new Map(problems.map((p) => [key(p), p])).values()];
  const script = `
import json, sys, time
import numpy as np
out = {}
for k, batch, m, n, kk, shared in json.loads(sys.argv[1]):
    rows = batch * m if shared else m
    a = np.random.rand(*((rows, kk) if shared else (batch, m, kk))).astype(np.float32)
    b = np.random.rand(*((n, kk) if shared else (batch, n, kk))).astype(np.float32)
    bt = b.T if shared else b.transpose(0, 2, 1)
    for _ in range(3): a @ bt
    ts = []
    for _ in range(15):
        t0 = time.perf_counter(); a @ bt; ts.append(time.perf_counter() - t0)
    ts.sort()
    out[k] = 2 * batch * m * n * kk / ts[7] / 1e9
print(json.dumps(out))
`;
  const args = JSON.stringify(shapes.map((p) => [key(p), p.batch, p.m, p.n, p.k, p.weightsShared]));
  const env = { ...process.env, OPENBLAS_NUM_THREADS: String(threads) };
  const r = spawnSync('python3', ['-c', script, args], { env, encoding: 'utf8' });
  if (r.status !== 0) {
    console.log(`(no OpenBLAS column: python3 with numpy failed: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()})`);
    return new Map();
  }
  return new Map(Object.entries(JSON.parse(r.stdout)));
}
const key = (p) => `${p.batch}x${p.m}x${p.n}x${p.k}${p.weightsShared ? 'w' : ''}`;

/** A process that keeps one core busy until it is killed. */
function busyProcess() {
  return spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
}

const accel = calibrate({ seconds: 2 });
const peak = 2 * accel.matrix.macs_per_cycle.f32 * accel.clock_hz * accel.cores;
const bandwidth = accel.dram.bandwidth_bytes_per_s;
console.log(`calibrated: f32 FMA peak ${(peak / 1e9).toFixed(1)} GFLOP/s on ${accel.cores} threads, copy bandwidth ${(bandwidth / 1e9).toFixed(1)} GB/s; ${rounds} rounds of ${runs} runs per side`);

const summary = [];
for (const { B, S } of CASES) {
  const mine = ours(B, S, accel);
  try {
    const theirs = await onnxRuntime(B, S, accel.cores);
    const quiet = await measure(mine, theirs);
    const busy = busyProcess();
    let loaded;
    try {
      loaded = await measure(mine, theirs);
    } finally {
      busy.kill();
    }
    const blas = openblas(quiet.ours.kernels.flatMap((k) => k.gemms), accel.cores);
    console.log(`\n== batch ${B}, sequence ${S} ==`);
    console.log(`quiet:            bertc C ${quiet.ours.median_ms.toFixed(2)} ms, ONNX Runtime ${quiet.ort.toFixed(2)} ms, ratio ${(quiet.ours.median_ms / quiet.ort).toFixed(2)}x`);
    console.log(`one busy process: bertc C ${loaded.ours.median_ms.toFixed(2)} ms, ONNX Runtime ${loaded.ort.toFixed(2)} ms, ratio ${(loaded.ours.median_ms / loaded.ort).toFixed(2)}x`);
    console.log(`${'kernel'.padEnd(30)} ${'measured ms'.padStart(11)} ${'predicted ms'.padStart(12)} ${'pred/meas'.padStart(9)} ${'GFLOP/s'.padStart(8)} ${'of peak'.padStart(8)} ${'OpenBLAS'.padStart(9)} ${'busy ms'.padStart(8)}`);
    let within = 0;
    quiet.ours.kernels.forEach((k, i) => {
      const ratio = k.predicted_ms / k.measured_ms;
      if (ratio <= 1.5 && ratio >= 1 / 1.5) within++;
      const gf = k.matrix_flops / k.measured_ms / 1e6;
      const g = k.matrix_flops > 0;
      // A kernel of several products (fused attention) is rated by OpenBLAS's time for all of them.
      const theirsS = k.gemms.reduce((s, p) => s + (blas.has(key(p)) ? (2 * p.batch * p.m * p.n * p.k) / (blas.get(key(p)) * 1e9) : NaN), 0);
      const blasRate = g && k.gemms.length ? k.matrix_flops / theirsS / 1e9 : NaN;
      console.log(`${k.name.padEnd(30)} ${k.measured_ms.toFixed(3).padStart(11)} ${k.predicted_ms.toFixed(3).padStart(12)} ${ratio.toFixed(2).padStart(9)} ${g ? gf.toFixed(1).padStart(8) : ''.padStart(8)} ${g ? `${((gf * 1e9) / peak * 100).toFixed(0)}%`.padStart(8) : ''.padStart(8)} ${Number.isFinite(blasRate) ? blasRate.toFixed(1).padStart(9) : ''.padStart(9)} ${loaded.ours.kernels[i].measured_ms.toFixed(3).padStart(8)}`);
    });
    // The pooler: one row per sequence, bound by reading its weight once.
    for (const k of quiet.ours.kernels) {
      const p = k.gemms[0];
      if (!p || !p.weightsShared || p.batch * p.m > 8) continue;
      const rate = (p.n * p.k * 4) / (k.measured_ms / 1e3);
      console.log(`GEMV ${k.name}: ${p.batch * p.m}x${p.n}x${p.k}, reads its ${((p.n * p.k * 4) / 1e6).toFixed(2)} MB weight at ${(rate / 1e9).toFixed(1)} GB/s, ${((rate / bandwidth) * 100).toFixed(0)}% of the copy bandwidth`);
    }
    const predicted = quiet.ours.kernels.reduce((s, k) => s + k.predicted_ms, 0);
    console.log(`predicted within 1.5x of measured: ${within} of ${quiet.ours.kernels.length} kernels; the layer predicted ${predicted.toFixed(2)} ms against ${quiet.ours.median_ms.toFixed(2)} measured (${(predicted / quiet.ours.median_ms).toFixed(2)}x)`);
    summary.push(`B=${B} S=${S}: quiet ${(quiet.ours.median_ms / quiet.ort).toFixed(2)}x, busy ${(loaded.ours.median_ms / loaded.ort).toFixed(2)}x`);
  } finally {
    mine.dispose();
  }
}
console.log(`\nbertc C / ONNX Runtime latency: ${summary.join('; ')}`);
