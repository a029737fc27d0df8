// Differential fuzzing of the backends: catalogue programs (targets/fuzz/programs.ts) on the
// float64 interpreter, as C and as WGSL in headless Chromium, compared within 1e-4 relative.
// Usage: npm run build && node bench/fuzz-targets.mjs [--seconds N | --count N] [--seed S] [--batch B]
// Runs batches of B seeds from S on until N seconds have passed or N programs have run; prints a
// table of programs, ops covered and failures per target, and for each mismatch the seed, how it
// was compiled and the program text. Exits 1 when anything failed.
import { performance } from 'node:perf_hooks';
import { OPS } from '../dist/src/ir/ops.js';
import { catalogueProgram } from '../dist/targets/fuzz/programs.js';
import { makeCases, opsOf, runC, runWgsl } from '../dist/targets/fuzz/differential.js';
import { chromiumAvailable, chromiumMissing } from '../dist/targets/wgsl/chromium.js';
import { option, positiveOption } from './options.mjs';

const seconds = option('--seconds') === undefined ? undefined : positiveOption('--seconds', 60);
const count = option('--count') === undefined ? (seconds === undefined ? 100 : Infinity) : positiveOption('--count', 100);
const first = Number(option('--seed', '1'));
if (!Number.isInteger(first)) throw new Error(`--seed wants an integer, got '${option('--seed')}'`);
const batch = positiveOption('--batch', 24);
if (!chromiumAvailable) console.log(`WGSL skipped: ${chromiumMissing}`);

const start = performance.now();
const ops = new Set();
const stats = { c: { programs: 0, failures: 0, ms: 0 }, wgsl: { programs: 0, failures: 0, ms: 0 } };
const failures = [];
let next = first;
let programs = 0;
while (programs < count && (seconds === undefined || performance.now() - start < seconds * 1000)) {
  const n = Math.min(batch, count - programs);
  const { cases, broken } = makeCases(next, n);
  next += n;
  programs += n;
  for (const b of broken) failures.push({ seed: b.seed, target: 'front end', how: '', failure: b.failure, text: '' });
  for (const c of cases) for (const op of opsOf(c)) ops.add(op);
  const targets = [['c', async () => runC(cases)], ...(chromiumAvailable ? [['wgsl', () => runWgsl(cases)]] : [])];
  for (const [target, run] of targets) {
    const t0 = performance.now();
    const outcomes = await run();
    stats[target].ms += performance.now() - t0;
    stats[target].programs += outcomes.length;
    for (const o of outcomes.filter((x) => x.failure)) {
      stats[target].failures++;
      failures.push({ seed: o.seed, target, how: `-${o.level}${o.train ? ' --train' : ''}`, failure: o.failure, text: catalogueProgram(o.seed).text });
    }
  }
}

for (const f of failures) console.log(`\nMISMATCH seed ${f.seed} on ${f.target} ${f.how}: ${f.failure}\n${f.text}`);
const all = [...OPS.keys()];
console.log(`\nseeds ${first}..${next - 1}, ${((performance.now() - start) / 1000).toFixed(1)} s; ops covered ${all.filter((o) => ops.has(o)).length} of ${all.length}${all.some((o) => !ops.has(o)) ? ` (missing: ${all.filter((o) => !ops.has(o)).join(', ')})` : ''}`);
console.log('target  programs  failures  seconds');
for (const [target, s] of Object.entries(stats)) console.log(`${target.padEnd(6)}  ${String(s.programs).padStart(8)}  ${String(s.failures).padStart(8)}  ${(s.ms / 1000).toFixed(1).padStart(7)}`);
process.exitCode = failures.length ? 1 : 0;
