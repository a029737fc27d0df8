// bertc's GEMM (targets/c/runtime/bertc_runtime.h) on the GEMMs of one BERT-base encoder layer at
// batch 1, sequence 128, on 1 and 2 threads, next to this machine's measured FMA peak: bertc_sgemm
// on f32 operands and bertc_gemm on bf16 operands (converted to f32 as they are packed, multiplied
// in f32), with the ratio of their rates.
// Usage: node bench/gemm.mjs [--seconds S] [--cc CC]   (S: measuring time per cell)
// Compiles targets/c/probes/bertc_probe.c with CC as bertc calibrate does, and first times each
// register blocking the runtime vectorises on a 1024^3 product, as calibrate does, to use the
// fastest (the one calibrate writes into matrix.array; the runtime's default 8x32 spills on AVX2).
// Two threads split N (in multiples of the micro-tile width) or, for attention, the 12 heads. Rates
// are the best of repeated runs; still, run it on an idle machine: a process that keeps one core
// busy for a whole cell halves that cell's two-thread rate (each thread waits for the slower one).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildProbe, MICRO_TILES } from '../dist/src/calibrate.js';
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
const KEYS = { f32: 'sgemm_gflops', bf16: 'gemm_bf16_gflops' };

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bertc-bench-gemm-'));
try {
  const run = buildProbe(cc, dir);
  const probe = (...args) => Object.fromEntries(run(`bertc_probe ${args.join(' ')}`, args));

  const peak = probe('fma', 2 * seconds);
  const threads = Math.min(2, peak.threads);
  // calibrate's choice of register blocking: the fastest on a 1024^3 product on one thread.
  const sweep = MICRO_TILES.map(([mr, nr]) => ({ mr, nr, rate: probe('sgemm', 1024, 1024, 1024, 'nn', 1, 1, seconds / 2, mr, nr).sgemm_gflops }));
  const best = sweep.reduce((a, b) => (b.rate > a.rate ? b : a));
  console.log(`bertc's GEMM, BERT-base layer GEMMs at B=1 S=128; ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${cc}, best of ~${seconds} s per cell`);
  console.log(`FMA peak: ${peak.fma_gflops_1.toFixed(1)} GFLOP/s on 1 thread, ${peak.fma_gflops_all.toFixed(1)} GFLOP/s on ${peak.threads} threads`);
  console.log(`register blocking ${best.mr}x${best.nr}, the fastest f32 1024^3 on 1 thread: ${sweep.map((b) => `${b.mr}x${b.nr} ${b.rate.toFixed(1)}`).join(', ')} GFLOP/s\n`);

  const cell = (g, t) => {
    const pk = t === 1 ? peak.fma_gflops_1 : (peak.fma_gflops_all * t) / peak.threads;
    return `${g.toFixed(1).padStart(6)} (${((100 * g) / pk).toFixed(0).padStart(3)}%)`;
  };
  const cols = [`f32 1 thread`, `f32 ${threads} threads`, `bf16 1 thread`, `bf16 ${threads} threads`];
  const head = `${'GEMM'.padEnd(22)} ${'M x N x K'.padEnd(15)} layout batch ${cols.map((c) => c.padStart(14)).join(' ')}  bf16/f32 (1, ${threads} thr)`;
  console.log(head);
  console.log('-'.repeat(head.length));
  // One layer's time with weights as stored (the nt rows and attention), per dtype and thread count.
  const totals = { f32: [0, 0], bf16: [0, 0] };
  let flopsTotal = 0;
  for (const [label, M, N, K, layout, batch] of ROWS) {
    const flops = 2 * M * N * K * batch;
    const rates = {};
    for (const type of ['f32', 'bf16']) {
      rates[type] = [1, threads].map((t, i) => {
        const g = probe('sgemm', M, N, K, layout, batch, t, seconds, best.mr, best.nr, type)[KEYS[type]];
        if (layout !== 'nn') totals[type][i] += flops / (g * 1e9);
        return g;
      });
    }
    if (layout !== 'nn') flopsTotal += flops;
    const cells = [...rates.f32.map((g, i) => cell(g, [1, threads][i])), ...rates.bf16.map((g, i) => cell(g, [1, threads][i]))];
    const ratio = rates.bf16.map((g, i) => (g / rates.f32[i]).toFixed(2)).join('  ');
    console.log(`${label.padEnd(22)} ${`${M}x${N}x${K}`.padEnd(15)} ${layout.padEnd(6)} ${String(batch).padStart(5)} ${cells.map((c) => c.padStart(14)).join(' ')}  ${ratio.padStart(10)}`);
  }
  console.log(`\nGFLOP/s (% of the FMA peak of the threads used). One layer's GEMMs with weights as stored (nt rows and attention),`);
  console.log(`${(flopsTotal / 1e9).toFixed(2)} GFLOP: f32 ${(totals.f32[0] * 1e3).toFixed(2)} ms on 1 thread, ${(totals.f32[1] * 1e3).toFixed(2)} ms on ${threads} threads; ` +
    `bf16 operands ${(totals.bf16[0] * 1e3).toFixed(2)} ms and ${(totals.bf16[1] * 1e3).toFixed(2)} ms`);
  console.log(`(bf16/f32 rate ${(totals.f32[0] / totals.bf16[0]).toFixed(2)}x on 1 thread, ${(totals.f32[1] / totals.bf16[1]).toFixed(2)}x on ${threads}). The runtime has no native bf16 dot product`);
  console.log('(VDPBF16PS needs avx512_bf16): bf16 operands are converted to f32 while packed and multiplied at the f32 FMA rate, so');
  console.log('what bf16 saves is operand memory and the bytes packing reads, not arithmetic.');
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
