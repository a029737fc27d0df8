// bertc_sgemm (targets/c/runtime/bertc_runtime.h) on the GEMMs of one BERT-base encoder layer at
// batch 1, sequence 128, on 1 and 2 threads, next to this machine's measured FMA peak.
// Usage: node bench/gemm.mjs [--seconds S] [--cc CC]   (S: measuring time per row and thread count)
// Compiles targets/c/probes/bertc_probe.c with CC as bertc calibrate does. Two threads split
// N (in multiples of the micro-tile width) or, for attention, the 12 heads. Rates are the best of
// repeated runs; still, run it on an idle machine: a process that keeps one core busy for a
// whole cell halves that cell's two-thread rate (each thread waits for the slower one).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildProbe } from '../dist/src/calibrate.js';
import { option, positiveOption } from './options.mjs';

const seconds = positiveOption('--seconds', 1);
const cc = option('--cc', 'cc');

// [label, M, N, K, layout, batch]; layouts as in bertc_probe.c: nt multiplies by a PyTorch
// weight [N, K] as stored (x @ W^T), nn by a pre-transposed one.
const S = 128, H = 768, FF = 3072, HEADS = 12, D = 64;
const ROWS = [
  ['QKV projection', S, 3 * H, H, 'nt', 1],
  ['QKV projection', S, 3 * H, H, 'nn', 1],
  ['attention output', S, H, H, 'nt', 1],
  ['attention output', S, H, H, 'nn', 1],
  ['FFN up', S, FF, H, 'nt', 1],
  ['FFN up', S, FF, H, 'nn', 1],
  ['FFN down', S, H, FF, 'nt', 1],
  ['FFN down', S, H, FF, 'nn', 1],
  ['scores Q K^T per head', S, S, D, 'qk', HEADS],
  ['context P V per head', S, D, S, 'pv', HEADS],
];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bertc-bench-gemm-'));
try {
  const run = buildProbe(cc, dir);
  const probe = (...args) => Object.fromEntries(run(`bertc_probe ${args[0]}`, args));

  const peak = probe('fma', 2 * seconds);
  const threads = Math.min(2, peak.threads);
  console.log(`bertc_sgemm, BERT-base layer GEMMs at B=1 S=128; ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${cc}, best of ~${seconds} s per cell`);
  console.log(`FMA peak: ${peak.fma_gflops_1.toFixed(1)} GFLOP/s on 1 thread, ${peak.fma_gflops_all.toFixed(1)} GFLOP/s on ${peak.threads} threads\n`);
  const head = `${'GEMM'.padEnd(22)} ${'M x N x K'.padEnd(15)} layout batch ${'1 thread'.padStart(17)} ${`${threads} threads`.padStart(17)}`;
  console.log(head);
  console.log('-'.repeat(head.length));
  const totals = [0, 0];
  let flopsTotal = 0;
  for (const [label, M, N, K, layout, batch] of ROWS) {
    const cells = [1, threads].map((t, i) => {
      const g = probe('sgemm', M, N, K, layout, batch, t, seconds).sgemm_gflops;
      const flops = 2 * M * N * K * batch;
      // One layer uses each shape once, with the weight layout the generated code picks: count nt rows.
      if (layout !== 'nn') totals[i] += flops / (g * 1e9);
      const pk = t === 1 ? peak.fma_gflops_1 : (peak.fma_gflops_all * t) / peak.threads;
      return `${g.toFixed(1).padStart(7)} (${((100 * g) / pk).toFixed(0).padStart(3)}%)`.padStart(17);
    });
    if (layout !== 'nn') flopsTotal += 2 * M * N * K * batch;
    console.log(`${label.padEnd(22)} ${`${M}x${N}x${K}`.padEnd(15)} ${layout.padEnd(6)} ${String(batch).padStart(5)} ${cells.join(' ')}`);
  }
  console.log(`\nGFLOP/s (% of the FMA peak of the threads used). One layer's GEMMs with weights as stored (nt rows),`);
  console.log(`${(flopsTotal / 1e9).toFixed(2)} GFLOP: ${(totals[0] * 1e3).toFixed(2)} ms on 1 thread, ${(totals[1] * 1e3).toFixed(2)} ms on ${threads} threads.`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
