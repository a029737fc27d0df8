// Compile-time speed: the -O2 pipeline and tile-gemm on BERT-large, in one process.
// Usage: npm run build && node bench/compile.mjs [--runs N]
// Prints per-stage medians of N runs after 2 warm-ups.
import { performance } from 'node:perf_hooks';
import { build, initialModule, loadFile, Session } from '../dist/src/driver.js';
import { parsePipeline, runPipeline } from '../dist/passes/pipeline.js';
import { LEVELS } from '../dist/passes/registry.js';
import { tileGemm } from '../dist/passes/tileGemm.js';
import { Statistics } from '../dist/passes/pass.js';
import { PRESETS } from '../dist/src/accel/presets.js';
import { costModule } from '../dist/src/cost/model.js';
import { median, positiveOption } from './options.mjs';

const runs = positiveOption('--runs', 10);
const file = new URL('../models/bert.ir', import.meta.url).pathname;

function once(accel) {
  const s = new Session();
  const t0 = performance.now();
  const built = build(s, loadFile(s, file), { config: 'large', sets: new Map([['B', 32], ['S', 512]]) });
  const t1 = performance.now();
  const { module } = runPipeline(initialModule(built, true), parsePipeline(LEVELS.O2));
  const t2 = performance.now();
  const tiled = tileGemm.run({ ...module, accel }, {}, new Statistics());
  const t3 = performance.now();
  const costs = costModule(tiled, accel);
  const t4 = performance.now();
  return { frontend: t1 - t0, passes: t2 - t1, tiling: t3 - t2, cost: t4 - t3, gemms: tiled.schedules.size, kernels: costs.length };
}

console.log(`bertc compile time, BERT-large (24 layers) at B=32 S=512, training-mode forward; median of ${runs} runs, node ${process.version}`);
console.log(`${'accelerator'.padEnd(16)} ${'front end'.padStart(10)} ${'-O2 passes'.padStart(11)} ${'tile-gemm'.padStart(10)} ${'cost'.padStart(8)}  (ms)   GEMMs  kernels`);
for (const [name, accel] of PRESETS) {
  for (let i = 0; i < 2; i++) once(accel);
  const rs = Array.from({ length: runs }, () => once(accel));
  const col = (k) => median(rs.map((r) => r[k])).toFixed(1);
  console.log(`${name.padEnd(16)} ${col('frontend').padStart(10)} ${col('passes').padStart(11)} ${col('tiling').padStart(10)} ${col('cost').padStart(8)}         ${String(rs[0].gemms).padStart(5)}  ${rs[0].kernels}`);
}
