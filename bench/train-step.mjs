// One BERT-base training step (one encoder layer plus embeddings and pooler, V=1024, sequence 128,
// batch 1 and 8): bertc's generated C (forward, backward of the `probe` loss, AdamW; `bertc bench
// --step`) against PyTorch eager float32 on the same threads (train_step_torch.py: the same
// computation written by hand, torch.optim.AdamW), all measured in this run: for each batch, the
// two sides in R turns (rounds) of N steps each, so that a change of load on a shared machine falls
// on both; each side's time is the median of its rounds' medians.
//
// Usage, from the repository root (after `npm ci`, which builds ../dist, or `npm run build`):
//   apt-get install -y python3-torch libopenblas0-pthread   # PyTorch is this benchmark's own dependency
//   cd bench && node train-step.mjs [--runs N] [--rounds R] [--python PYTHON]
// Prints: the parameters of both sides (they must agree); a table of batch, median step time of
// bertc and of PyTorch, their ratio (goal <= 0.5), bertc's GFLOP/s and its share of the FMA peak
// `bertc calibrate` measures (goal > 60%); then bertc's 5 slowest kernels of the step.
//
// FLOPs of the step: the `totals.flops` of `bertc report --step --loss probe -f json` where that
// command exists; otherwise counted here from the GEMM shapes (stepGemmFlops below): with T = B*S
// tokens, forward = L * (4 * 2*T*H*H [q, k, v, attention output] + 2 * 2*T*H*I [intermediate,
// output] + 2 * 2*B*S*S*H [scores, probs x v over all heads]) + 2*B*H*H [pooler]; the backward
// computes two GEMMs of the same size per forward GEMM (the operand's and the weight's gradient),
// so the step is 3 x forward. Embedding gradients (a scatter-add in PyTorch), softmax, layer norm,
// GELU and AdamW are elementwise and left out: the formula is the model's useful FLOPs, the same
// for both sides, so GFLOP/s compare directly.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, option, positiveOption } from './options.mjs';

const USAGE = `usage: node train-step.mjs [--runs N] [--rounds R] [--python PYTHON]
  --runs N         timed steps per round on each side, after 3 warm-ups (default 10)
  --rounds R       turns of both sides per batch; each side's time is the median of its rounds' medians (default 3)
  --python PYTHON  the Python with PyTorch (default: $PYTHON, else the first of python3, /usr/bin/python3 that imports torch)
Compares one BERT-base training step (L=1, V=1024, S=128, batch 1 and 8) of bertc's generated C
(bertc bench --step --loss probe) with PyTorch eager float32 (train_step_torch.py) on the same threads.`;
if (process.argv.includes('--help')) {
  console.log(USAGE);
  process.exit(0);
}
const runs = positiveOption('--runs', 10);
if (!Number.isInteger(runs)) throw new Error(`--runs wants a positive integer, got '${runs}'`);
const rounds = positiveOption('--rounds', 3);
if (!Number.isInteger(rounds)) throw new Error(`--rounds wants a positive integer, got '${rounds}'`);
const S = 128;
const BATCHES = [1, 8];
const root = new URL('..', import.meta.url).pathname;
const bertcJs = join(root, 'bin/bertc.js');
const model = join(root, 'models/bert.ir');
const torchScript = join(root, 'bench/train_step_torch.py');
const config = { H: 768, I: 3072, L: 1 }; // config base with --set L=1,V=1024
const sets = (B) => `B=${B},S=${S},L=${config.L},V=1024`;

/** Runs a command to completion (never two at once: the benchmarks share the machine's cores). */
function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.error) return { status: -1, stdout: '', stderr: String(r.error.message) };
  return r;
}
const bertc = (...args) => run(process.execPath, [bertcJs, ...args]);
const firstLine = (text) => text.split('\n').map((l) => l.trim()).find((l) => l) ?? '';
const fail = (what, r) => `${what} failed (exit ${r.status}): ${firstLine(r.stderr) || firstLine(r.stdout)}`;

function findPython() {
  const given = option('--python', process.env.PYTHON);
  for (const py of given ? [given] : ['python3', '/usr/bin/python3']) {
    if (run(py, ['-c', 'import torch']).status === 0) return py;
  }
  console.error(`no Python with PyTorch found (tried ${given ?? 'python3, /usr/bin/python3'}): apt-get install -y python3-torch libopenblas0-pthread, or pass --python`);
  process.exit(1);
}

/** The model's useful FLOPs of one training step: 3 x the forward's GEMMs (see the header). */
function stepGemmFlops(B) {
  const { H, I, L } = config;
  const T = B * S;
  const layer = 4 * 2 * T * H * H + 2 * 2 * T * H * I + 2 * 2 * B * S * S * H;
  return 3 * (L * layer + 2 * B * H * H);
}

/** The parameters of both sides, [name, shape] in declaration order: they must be the same list. */
function compareParameters(python) {
  const t = run(python, [torchScript, '--params', '--layers', String(config.L), '--vocab', '1024']);
  if (t.status !== 0) throw new Error(fail('train_step_torch.py --params', t));
  const theirs = JSON.parse(t.stdout);
  const p = bertc('print', model, '--config', 'base', '--set', `L=${config.L},V=1024`);
  if (p.status !== 0) throw new Error(fail('bertc print', p));
  const ours = [...p.stdout.matchAll(/^\s*param \w+: f32\[([\d, ]*)\] = "([^"]+)";/gm)].map((m) => [m[2], m[1].split(',').map(Number)]);
  const key = (ps) => ps.map(([n, s]) => `${n}[${s.join(',')}]`).join(' ');
  const count = (ps) => ps.reduce((sum, [, s]) => sum + s.reduce((a, b) => a * b, 1), 0);
  if (key(ours) !== key(theirs)) {
    const a = new Set(ours.map(([n, s]) => `${n}[${s}]`));
    const b = new Set(theirs.map(([n, s]) => `${n}[${s}]`));
    throw new Error(`the PyTorch model's parameters differ from bertc's: only bertc ${[...a].filter((x) => !b.has(x)).join(' ') || '-'}; only PyTorch ${[...b].filter((x) => !a.has(x)).join(' ') || '-'}`);
  }
  return `${ours.length} tensors, ${count(ours)} values, the same names and shapes on both sides`;
}

function calibrated(dir) {
  const file = join(dir, 'accel.json');
  const r = bertc('calibrate', '-o', file);
  if (r.status !== 0) throw new Error(fail('bertc calibrate', r));
  return { file, accel: JSON.parse(readFileSync(file, 'utf8')) };
}

/** bertc's step: { median_ms, kernels[] } or { error: one line }. */
function oursStep(B, accelFile) {
  const r = bertc('bench', model, '--config', 'base', '--set', sets(B), '--step', '--loss', 'probe', '--json', '--runs', String(runs), '--accel', accelFile);
  if (r.status !== 0) {
    const why = /unknown option '--step'/.test(r.stderr) ? "this bertc has no 'bench --step' yet" : fail('bertc bench --step', r);
    return { error: why, missing: /unknown option '--step'/.test(r.stderr) };
  }
  return JSON.parse(r.stdout);
}

/** One side's rounds as one: the median of their medians, each kernel's median over the rounds. */
function medianRound(rs) {
  const kernels = rs[0].kernels.map((k, i) => ({ ...k, measured_ms: median(rs.map((x) => x.kernels[i].measured_ms)) }));
  return { ...rs[0], median_ms: median(rs.map((x) => x.median_ms)), kernels };
}

/** The step's FLOPs from bertc's cost report, where `report --step` exists; else undefined. */
function reportFlops(B, accelFile) {
  const r = bertc('report', model, '--config', 'base', '--set', sets(B), '--step', '--loss', 'probe', '-f', 'json', '--accel', accelFile);
  if (r.status !== 0) return undefined;
  const flops = JSON.parse(r.stdout)?.totals?.flops;
  return typeof flops === 'number' && flops > 0 ? flops : undefined;
}

function theirsStep(python, B, threads) {
  const r = run(python, [torchScript, '--batch', String(B), '--seq', String(S), '--threads', String(threads), '--steps', String(runs), '--layers', String(config.L), '--vocab', '1024']);
  if (r.status !== 0) throw new Error(fail(`train_step_torch.py --batch ${B}`, r));
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

const python = findPython();
console.log(`parameters (L=${config.L}, V=1024): ${compareParameters(python)}`);
const dir = mkdtempSync(join(tmpdir(), 'bertc-train-step-'));
try {
  const { file: accelFile, accel } = calibrated(dir);
  const peak = 2 * accel.matrix.macs_per_cycle.f32 * accel.clock_hz * accel.cores;
  console.log(`calibrated: f32 FMA peak ${(peak / 1e9).toFixed(1)} GFLOP/s on ${accel.cores} threads; PyTorch on ${accel.cores} threads; ${rounds} rounds per side of ${runs} steps after 3 warm-ups, medians of the rounds' medians`);
  const rows = [];
  let missing = false;
  for (const B of BATCHES) {
    const mine = [];
    const theirsRounds = [];
    let failed = missing ? { error: "this bertc has no 'bench --step' yet", missing } : undefined;
    for (let r = 0; r < rounds; r++) {
      const ours = failed ?? oursStep(B, accelFile);
      if (ours.error && !failed) console.log(`bertc, batch ${B}: ${ours.error}; measuring PyTorch only`);
      if (ours.error) failed = ours;
      else mine.push(ours);
      theirsRounds.push(theirsStep(python, B, accel.cores));
    }
    missing ||= Boolean(failed?.missing);
    const ours = failed ?? medianRound(mine);
    const theirs = { ...theirsRounds[0], median_ms: median(theirsRounds.map((t) => t.median_ms)) };
    const fromReport = ours.error ? undefined : reportFlops(B, accelFile);
    rows.push({ B, ours, theirs, rounds: { ours: mine.map((x) => x.median_ms), theirs: theirsRounds.map((t) => t.median_ms) }, flops: fromReport ?? stepGemmFlops(B), flopsFrom: fromReport ? 'bertc report --step' : 'GEMM formula' });
  }
  const t = rows[0].theirs;
  console.log(`PyTorch ${t.torch}: ${t.blas}; ${t.optimizer}`);
  const cells = ['B', 'bertc ms', 'PyTorch ms', 'ratio (goal <= 0.5)', 'bertc GFLOP/s', 'of peak (goal > 60%)', 'PyTorch GFLOP/s', 'step GFLOP'];
  const widths = cells.map((c) => Math.max(c.length, 9));
  const line = (xs) => xs.map((x, i) => String(x).padStart(widths[i])).join('  ');
  console.log(`\n${line(cells)}`);
  for (const { B, ours, theirs, flops, flopsFrom } of rows) {
    const has = !ours.error;
    const gf = (ms) => flops / ms / 1e6;
    console.log(line([
      B,
      has ? ours.median_ms.toFixed(2) : 'n/a',
      theirs.median_ms.toFixed(2),
      has ? `${(ours.median_ms / theirs.median_ms).toFixed(2)}x` : 'n/a',
      has ? gf(ours.median_ms).toFixed(1) : 'n/a',
      has ? `${((gf(ours.median_ms) * 1e9) / peak * 100).toFixed(0)}%` : 'n/a',
      gf(theirs.median_ms).toFixed(1),
      `${(flops / 1e9).toFixed(2)} (${flopsFrom})`,
    ]));
  }
  for (const { B, rounds: r } of rows) {
    console.log(`batch ${B}, each round's median (ms): bertc ${r.ours.map((x) => x.toFixed(2)).join(' ') || 'n/a'}; PyTorch ${r.theirs.map((x) => x.toFixed(2)).join(' ')}`);
  }
  for (const { B, ours } of rows) {
    if (ours.error) continue;
    console.log(`\nbertc's 5 slowest kernels of the step, batch ${B} (of ${ours.kernels.length}):`);
    console.log(`${'kernel'.padEnd(44)} ${'measured ms'.padStart(11)} ${'predicted ms'.padStart(12)} ${'of step'.padStart(7)} ${'GFLOP/s'.padStart(8)}`);
    for (const k of [...ours.kernels].sort((a, b) => b.measured_ms - a.measured_ms).slice(0, 5)) {
      const gf = k.matrix_flops > 0 ? (k.matrix_flops / k.measured_ms / 1e6).toFixed(1) : '';
      console.log(`${k.name.padEnd(44)} ${k.measured_ms.toFixed(3).padStart(11)} ${k.predicted_ms.toFixed(3).padStart(12)} ${`${((100 * k.measured_ms) / ours.median_ms).toFixed(0)}%`.padStart(7)} ${gf.padStart(8)}`);
    }
  }
  // The table is printed either way; a step bertc could not time fails the run.
  if (rows.some((r) => r.ours.error)) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
