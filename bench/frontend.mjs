// Front-end speed: parse + check + flatten of models/bert.ir, per config, in one process.
// Usage: npm run build && node bench/frontend.mjs [--runs N]
// Prints the median (and min / max) of N runs after 3 warm-up runs, per stage.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { build, loadText, Session } from '../dist/src/driver.js';
import { printGraph } from '../dist/src/ir/printer.js';
import { graphNodes } from '../dist/src/ir/graph.js';
import { median, positiveOption } from './options.mjs';

const runs = positiveOption('--runs', 30);
const file = new URL('../models/bert.ir', import.meta.url);
const text = readFileSync(file, 'utf8');

function once(config) {
  const t0 = performance.now();
  const s = new Session();
  const p = loadText(s, 'models/bert.ir', text);
  const t1 = performance.now();
  const { graph } = build(s, p, { config });
  const t2 = performance.now();
  const printed = printGraph(graph);
  const t3 = performance.now();
  return { parse: t1 - t0, check: t2 - t1, print: t3 - t2, total: t3 - t0, nodes: graphNodes(graph).length, bytes: printed.length };
}

const fmt = (x) => x.toFixed(1).padStart(8);

console.log(`bertc front end: parse + elaborate/check (+verify) + print, ${runs} runs after 3 warm-ups, node ${process.version}`);
console.log(`${'config'.padEnd(8)} ${'nodes'.padStart(6)} ${'parse ms'.padStart(9)} ${'check ms'.padStart(9)} ${'print ms'.padStart(9)} ${'total ms'.padStart(9)} ${'min'.padStart(8)} ${'max'.padStart(8)}`);
for (const config of ['tiny', 'base', 'large']) {
  for (let i = 0; i < 3; i++) once(config);
  const rs = Array.from({ length: runs }, () => once(config));
  const col = (k) => median(rs.map((r) => r[k]));
  const totals = rs.map((r) => r.total);
  console.log(`${config.padEnd(8)} ${String(rs[0].nodes).padStart(6)} ${fmt(col('parse'))}  ${fmt(col('check'))}  ${fmt(col('print'))}  ${fmt(col('total'))} ${fmt(Math.min(...totals))} ${fmt(Math.max(...totals))}`);
}

// A cold start is what a user waits for: one fresh process running `bertc check --config large`.
const { execFileSync } = await import('node:child_process');
const cold = Array.from({ length: 5 }, () => {
  const t = performance.now();
  execFileSync(process.execPath, [new URL('../bin/bertc.js', import.meta.url).pathname, 'check', file.pathname, '--config', 'large'], { stdio: 'ignore' });
  return performance.now() - t;
});
console.log(`cold process 'bertc check models/bert.ir --config large': median ${median(cold).toFixed(0)} ms of 5`);
