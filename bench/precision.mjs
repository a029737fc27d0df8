// Mixed precision on this CPU and in the cost model (docs/precision.md). Two parts, one run:
//
// 1. Measured: one BERT-base layer (models/bert.ir --config base --set L=1,V=1024, S=128, batch 8)
//    as generated C, its forward pass and its training step (probe loss, AdamW), in f32 and with
//    --precision bf16, timed by `bertc bench` with the accelerator `bertc calibrate` writes for this
//    machine. Medians of --runs runs after 3 warm-ups; ratios bf16 / f32.
// 2. Predicted: BERT-base's training step (12 layers, batch 32, S=128, the mlm loss) on the `h100`
//    preset in f32 and bf16, its time by operator class next to the shares the H100 measurement in
//    ../shared/docs/bert-on-h100.md reports ("Where a training step's device time goes").
//
// Usage, from the repository root (after `npm ci` or `npm run build`):
//   node bench/precision.mjs [--runs N]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { positiveOption } from './options.mjs';

const runs = positiveOption('--runs', 5);
const root = new URL('..', import.meta.url).pathname;
const bertcJs = join(root, 'bin/bertc.js');
const model = join(root, 'models/bert.ir');

/** One command to completion (never two at once: benchmarks share the machine's cores). */
function bertc(...args) {
  const r = spawnSync(process.execPath, [bertcJs, ...args], { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(`bertc ${args.join(' ')} failed (exit ${r.status}): ${(r.stderr || r.stdout).trim().split('\n')[0]}`);
  return r.stdout;
}

const pct = (x) => `${(100 * x).toFixed(0)}%`;
const line = (cells, widths) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');

const dir = mkdtempSync(join(tmpdir(), 'bertc-precision-'));
try {
  const accelFile = join(dir, 'accel.json');
  bertc('calibrate', '-o', accelFile);
  const accel = JSON.parse(readFileSync(accelFile, 'utf8'));
  const rate = (d) => (accel.matrix.macs_per_cycle[d] ? `${((2 * accel.matrix.macs_per_cycle[d] * accel.clock_hz * accel.cores) / 1e9).toFixed(1)} GFLOP/s` : 'none');
  console.log(`calibrated on ${accel.cores} threads: f32 matrix ${rate('f32')}, bf16 matrix ${rate('bf16')}`);
  console.log(`(1) BERT-base, one layer (L=1, V=1024), B=8, S=128, generated C; medians of ${runs} runs\n`);

  const sets = 'B=8,S=128,L=1,V=1024';
  const time = (precision, step) => {
    const args = ['bench', model, '--config', 'base', '--set', sets, '--precision', precision, '--json', '--runs', String(runs), '--accel', accelFile];
    return JSON.parse(bertc(...args, ...(step ? ['--step', '--loss', 'probe'] : []))).median_ms;
  };
  const widths = [18, 10, 10, 12];
  console.log(line(['', 'f32 ms', 'bf16 ms', 'bf16 / f32'], widths));
  for (const [label, step] of [['forward', false], ['training step', true]]) {
    const f32 = time('f32', step);
    const bf16 = time('bf16', step);
    console.log(line([label, f32.toFixed(1), bf16.toFixed(1), `${(bf16 / f32).toFixed(2)}x`], widths));
  }

  // (2) The H100 shares: GEMM, optimizer, casts/copies, softmax, layernorm, GELU, dropout, the rest.
  const measured = {
    f32: { step_ms: 75.9, shares: [0.77, 0.11, 0.02, 0.02, 0.01, 0.01, 0.01, 0.04] },
    bf16: { step_ms: 44.7, shares: [0.27, 0.29, 0.19, 0.04, 0.05, 0.02, 0.03, 0.1] },
  };
  const classes = ['GEMM', 'optimizer', 'casts/copies', 'softmax', 'layernorm', 'GELU', 'dropout', 'other'];
  console.log(`\n(2) BERT-base training step (L=12, B=32, S=128, mlm), predicted on h100 next to bert-on-h100.md's measurement\n`);
  const w2 = [10, 11, ...classes.map((c) => Math.max(c.length, 9))];
  console.log(line(['', 'step ms', ...classes], w2));
  for (const precision of ['f32', 'bf16']) {
    const r = JSON.parse(bertc('report', model, '--config', 'base', '--set', 'B=32,S=128', '--step', '--loss', 'mlm', '--precision', precision, '--accel', 'h100', '-f', 'json'));
    const share = (c) => r.categories.find((x) => x.category === c)?.share ?? 0;
    const optimizer = r.phases.find((p) => p.phase === 'optimizer')?.share ?? 0;
    // The optimizer's kernels are elementwise; what is left of that class is the model's own.
    const shares = [share('gemm') + share('attention-gemm'), optimizer, share('casts') + share('data-movement'), share('softmax'), share('layernorm'), share('gelu'), share('dropout')];
    shares.push(Math.max(0, 1 - shares.reduce((a, b) => a + b, 0)));
    console.log(line([`${precision} pred`, (r.totals.predicted_s * 1e3).toFixed(1), ...shares.map(pct)], w2));
    console.log(line([`${precision} H100`, measured[precision].step_ms.toFixed(1), ...measured[precision].shares.map(pct)], w2));
  }
  console.log('\nH100 rows: bert-on-h100.md (PyTorch eager, shares of summed operator time); bertc rows: bertc report --step --accel h100.');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
