// The ONNX peer itself, imported: ../shared/reference/bert_base_layer.onnx (BERT-base shapes, one
// encoder layer, embeddings and pooler) through `bertc import`, compiled to C at -O2 for this
// machine (calibrated), against ONNX Runtime (CPU, same thread count) running the same file, at
// batch 1 and 8, sequence 128, all measured in this run. Before timing, both run the same padded
// inputs and their outputs must agree within 1e-4 (max abs), or the script exits 1.
//
// Usage, from the repository root (after `npm ci` or `npm run build`, which build ../dist):
//   cd bench && ONNXRUNTIME_NODE_INSTALL=skip npm ci && node onnx-import.mjs [--runs N]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { loadText, planProgram, runFile, Session } from '../dist/src/driver.js';
import { LEVELS } from '../dist/passes/registry.js';
import { benchC } from '../dist/targets/c/bench.js';
import { calibrate } from '../dist/src/calibrate.js';
import { encodeSafetensors, readSafetensors } from '../dist/src/io/safetensors.js';
import { makeTensor } from '../dist/src/interp/tensor.js';
import { importOnnx } from '../dist/src/onnx/import.js';
import { medianTime, positiveOption } from './options.mjs';

const USAGE = `usage: node onnx-import.mjs [--runs N]   (N timed runs per measurement, default 15)
Imports bert_base_layer.onnx with bertc import, compiles it to C and compares it with ONNX Runtime ${ort.env.versions.node} (CPU) running the same file, batch 1 and 8.`;
if (process.argv.includes('--help')) {
  console.log(USAGE);
  process.exit(0);
}
const runs = positiveOption('--runs', 15);
const S = 128;
const VOCAB = 1024;
const root = new URL('..', import.meta.url).pathname;
const onnxPath = join(root, '../shared/reference/bert_base_layer.onnx');
const tmp = mkdtempSync(join(tmpdir(), 'bertc-onnx-bench-'));

const imported = importOnnx(new Uint8Array(readFileSync(onnxPath)), { file: onnxPath, sizes: new Map([['batch', 1], ['seq', S]]) });
const modelPath = join(tmp, 'model.ir');
const weightsPath = join(tmp, 'weights.safetensors');
writeFileSync(modelPath, imported.text);
writeFileSync(weightsPath, imported.weights);

/** Token ids, token types and a mask whose rows after the first are padded from different positions. */
function inputs(B) {
  const ids = new BigInt64Array(B * S);
  const mask = new BigInt64Array(B * S);
  const types = new BigInt64Array(B * S);
  for (let b = 0; b < B; b++) {
    const len = b === 0 ? S : S - ((b * 37) % (S / 2));
    for (let s = 0; s < S; s++) {
      ids[b * S + s] = BigInt((b * S * 7919 + s * 104729) % VOCAB);
      mask[b * S + s] = s < len ? 1n : 0n;
      types[b * S + s] = s < S / 2 ? 0n : 1n;
    }
  }
  return { input_ids: ids, attention_mask: mask, token_type_ids: types };
}

async function ortSession(threads) {
  return ort.InferenceSession.create(onnxPath, { intraOpNumThreads: threads, interOpNumThreads: 1 });
}

function feeds(B) {
  return Object.fromEntries(Object.entries(inputs(B)).map(([k, v]) => [k, new ort.Tensor('int64', v, [B, S])]));
}

async function ortLatency(session, B) {
  const f = feeds(B);
  return medianTime(() => session.run(f), runs);
}

/** The imported model run by `bertc run --target c` on the same inputs, and the largest difference from ONNX Runtime's outputs. */
async function agreement(session, B, accel) {
  const inputsPath = join(tmp, `inputs-${B}.safetensors`);
  const tensors = new Map(Object.entries(inputs(B)).map(([k, v]) => [k, makeTensor('i64', [B, S], Float64Array.from(v, Number))]));
  writeFileSync(inputsPath, encodeSafetensors(tensors));
  const outPath = join(tmp, `out-${B}.safetensors`);
  await runFile(new Session(), modelPath, { weights: weightsPath, inputs: inputsPath, output: outPath }, { target: 'c', accel });
  const ours = readSafetensors(outPath);
  const theirs = await session.run(feeds(B));
  const diffs = {};
  for (const name of ['last_hidden_state', 'pooler_output']) {
    const a = ours.get(name).data;
    const b = theirs[name].data;
    let m = 0;
    for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
    diffs[name] = m;
  }
  return diffs;
}

function bertcLatency(B, accel) {
  const s = new Session();
  const p = planProgram(s, loadText(s, modelPath, imported.text), { config: 'onnx', sets: new Map([['batch', B], ['seq', S]]), train: false, pipeline: LEVELS.O2, accel });
  return benchC(p.module, accel, { runs });
}

const accel = calibrate({ seconds: 2 });
const session = await ortSession(accel.cores);
console.log(`imported ${imported.translation.graph.body.length} IR nodes, ${imported.translation.weights.size} weights (${imported.translation.fused.gelus} GELU recognised); ONNX Runtime ${ort.env.versions.node}, ${accel.cores} threads; medians of ${runs} runs`);
const rows = [];
let ok = true;
for (const B of [1, 8]) {
  const diffs = await agreement(session, B, accel);
  const agree = Object.values(diffs).every((d) => d <= 1e-4);
  ok &&= agree;
  const ours = bertcLatency(B, accel).median_ms;
  const theirs = await ortLatency(session, B);
  rows.push({ B, ours, theirs, diffs, agree });
}
console.log(`\n| batch x seq | bertc C (imported, -O2) ms | ONNX Runtime ms | ratio bertc/ORT | max abs diff last_hidden_state | max abs diff pooler_output |`);
console.log('| --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  console.log(`| ${r.B} x ${S} | ${r.ours.toFixed(2)} | ${r.theirs.toFixed(2)} | ${(r.ours / r.theirs).toFixed(2)} | ${r.diffs.last_hidden_state.toExponential(2)} | ${r.diffs.pooler_output.toExponential(2)}${r.agree ? '' : ' (over 1e-4)'} |`);
}
rmSync(tmp, { recursive: true, force: true });
if (!ok) {
  console.error('outputs differ from ONNX Runtime by more than 1e-4');
  process.exit(1);
}
