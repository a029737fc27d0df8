/**
 * `bertc import` of the shared Hugging Face export ../shared/reference/bert_tiny.onnx: the imported
 * model against Hugging Face's outputs on every target, at several shapes with padding; the printed
 * IR against the imported graph at other sizes; the -O2 plan against models/bert.ir's; the other
 * commands on the imported model.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_CPU } from '../src/accel/presets.js';
import { build, loadText, planProgram, Session } from '../src/driver.js';
import { interpret } from '../src/interp/interpret.js';
import { makeTensor, type Tensor } from '../src/interp/tensor.js';
import { encodeSafetensors, parseSafetensors, readSafetensors, type SafetensorsFile } from '../src/io/safetensors.js';
import { canonicalForm } from '../src/ir/printer.js';
import { kernelsOf } from '../src/kernel/kernels.js';
import { importOnnx } from '../src/onnx/import.js';
import { LEVELS } from '../passes/registry.js';
import { bertc } from './support/cli.js';
import { browserAvailable, browserRequired, browserSkipReason } from './support/browser.js';
import { BERT_PATH, embeddedBatch, maxAbsDiff, reference, REFERENCE_DIR, REFERENCE_PATH } from './support/reference.js';

const ONNX_PATH = join(REFERENCE_DIR, 'bert_tiny.onnx');
const tmp = mkdtempSync(join(tmpdir(), 'bertc-onnx-bert-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const dir = join(tmp, 'tiny');
const modelIr = join(dir, 'model.ir');
const weightsPath = join(dir, 'weights.safetensors');
let text = '';
let weights: SafetensorsFile;

beforeAll(async () => {
  const r = await bertc('import', ONNX_PATH, '--out', dir);
  expect(r.code, r.err).toBe(0);
  text = readFileSync(modelIr, 'utf8');
  weights = readSafetensors(weightsPath);
});

function graphAt(sizes: Record<string, number>) {
  const s = new Session();
  return build(s, loadText(s, modelIr, text), { config: 'onnx', sets: new Map(Object.entries(sizes)) }).graph;
}

function runInterp(inputs: ReadonlyMap<string, Tensor>): Map<string, Tensor> {
  const ids = inputs.get('input_ids')!;
  const g = graphAt({ batch: ids.shape[0]!, seq: ids.shape[1]! });
  return interpret(g, inputs, (name) => weights.get(name)).outputs;
}

describe('bertc import of bert_tiny.onnx', () => {
  it('keeps the ONNX names of inputs and outputs, declares batch and seq as config constants and recognises both GELUs', async () => {
    expect(text).toContain('config onnx { batch = 8, seq = 8 }');
    expect(text).toMatch(/model \w+\(input_ids: i32\[batch, seq\], attention_mask: i32\[batch, seq\], token_type_ids: i32\[batch, seq\]\) -> \(last_hidden_state: f32\[batch, seq, 128\], pooler_output: f32\[batch, 128\]\)/);
    expect(text.match(/= gelu\(/g)).toHaveLength(2);
    expect(text.match(/= layernorm\(/g)).toHaveLength(5);
    expect(text).not.toMatch(/= erf\(/);
    // Shape subgraphs are folded: no reshape target is a number that depends on the sizes built at.
    expect(text).toContain('reshape(');
    expect(text).toMatch(/shape=\[batch, seq, 2, 64\]/);
  });

  it('binds the initializers by their names in the file, MatMul weights [in, out] as stored', () => {
    expect(weights.names).toContain('m.embeddings.word_embeddings.weight');
    expect(weights.names).toContain('onnx::MatMul_317');
    expect(weights.info('onnx::MatMul_328').shape).toEqual([128, 512]);
    expect(text).toContain('param onnx__MatMul_317: f32[128, 128] = "onnx::MatMul_317";');
  });

  it('prints IR that elaborates, at other sizes too, to the graph the importer builds at those sizes', () => {
    const bytes = new Uint8Array(readFileSync(ONNX_PATH));
    for (const [batch, seq] of [[3, 40], [1, 64]] as const) {
      const imported = importOnnx(bytes, { file: ONNX_PATH, sizes: new Map([['batch', batch], ['seq', seq]]) });
      expect(canonicalForm(graphAt({ batch, seq }))).toBe(canonicalForm(imported.translation.graph));
      expect(imported.text.replace(/batch = \d+, seq = \d+/, '')).toBe(text.replace(/batch = \d+, seq = \d+/, ''));
    }
  });

  it('reproduces Hugging Face on the interpreter at the reference shape, from the int32 reference inputs', () => {
    const inputs = new Map(['input_ids', 'token_type_ids', 'attention_mask'].map((n) => [n, reference.get(n)]));
    const out = runInterp(inputs);
    expect(maxAbsDiff(out.get('last_hidden_state')!, reference.get('last_hidden_state'))).toBeLessThan(1e-4);
    expect(maxAbsDiff(out.get('pooler_output')!, reference.get('pooler_output'))).toBeLessThan(1e-4);
  });

  it.each([[1, 64], [3, 40], [8, 64], [2, 12], [5, 23]])('reproduces Hugging Face on the interpreter at batch %i x sequence %i with padding', (B, S) => {
    const { inputs, worst } = embeddedBatch(B, S, B * 31 + S);
    expect(worst(runInterp(inputs))).toBeLessThan(1e-4);
  });
});

/** Runs `bertc run` on the imported model and returns its outputs. */
async function runCli(inputsPath: string, target: string): Promise<SafetensorsFile> {
  const out = join(tmp, `out-${target}-${Math.random().toString(36).slice(2)}.safetensors`);
  const r = await bertc('run', modelIr, '--weights', weightsPath, '--inputs', inputsPath, '--output', out, '--target', target);
  expect(r.code, r.err).toBe(0);
  return readSafetensors(out);
}

function writeInputs(name: string, tensors: ReadonlyMap<string, Tensor>): string {
  const path = join(tmp, name);
  writeFileSync(path, encodeSafetensors(tensors));
  return path;
}

const asI64 = (t: Tensor) => makeTensor('i64', t.shape, Float64Array.from(t.data));

describe('bertc run of the imported bert_tiny', () => {
  it('takes int64 inputs, as ONNX declares them, and int32 ones alike (interp)', async () => {
    const i64 = writeInputs('ref-i64.safetensors', new Map(['input_ids', 'token_type_ids', 'attention_mask'].map((n) => [n, asI64(reference.get(n))])));
    const a = await runCli(i64, 'interp');
    const b = await runCli(REFERENCE_PATH, 'interp');
    expect(maxAbsDiff(a.get('last_hidden_state'), reference.get('last_hidden_state'))).toBeLessThan(1e-4);
    expect(maxAbsDiff(a.get('last_hidden_state'), b.get('last_hidden_state'))).toBe(0);
  });

  it('reproduces Hugging Face on C at the reference shape and at batch 3 x sequence 40 with padding', async () => {
    const ref = await runCli(REFERENCE_PATH, 'c');
    expect(maxAbsDiff(ref.get('last_hidden_state'), reference.get('last_hidden_state'))).toBeLessThan(1e-4);
    expect(maxAbsDiff(ref.get('pooler_output'), reference.get('pooler_output'))).toBeLessThan(1e-4);
    const { inputs, worst } = embeddedBatch(3, 40, 77);
    const out = await runCli(writeInputs('b3s40.safetensors', inputs), 'c');
    expect(worst(new Map(out.names.map((n) => [n, out.get(n)])))).toBeLessThan(1e-4);
  });

  it.skipIf(!browserAvailable && !browserRequired)(`reproduces Hugging Face on WGSL at the reference shape and at batch 2 x sequence 64 with padding${browserSkipReason ? ` (${browserSkipReason})` : ''}`, async () => {
    const out = await runCli(REFERENCE_PATH, 'wgsl');
    expect(maxAbsDiff(out.get('last_hidden_state'), reference.get('last_hidden_state'))).toBeLessThan(1e-4);
    expect(maxAbsDiff(out.get('pooler_output'), reference.get('pooler_output'))).toBeLessThan(1e-4);
    const { inputs, worst } = embeddedBatch(2, 64, 64);
    const padded = await runCli(writeInputs('b2s64.safetensors', inputs), 'wgsl');
    expect(worst(new Map(padded.names.map((n) => [n, padded.get(n)])))).toBeLessThan(1e-4);
  });
});

describe('the imported bert_tiny in the other commands', () => {
  /** Kernel kinds and how many of each, for kernels run per forward pass and those run once at load. */
  function kinds(file: string, textOf: string, opts: { config: string; sets: Record<string, number> }) {
    const s = new Session();
    const p = planProgram(s, loadText(s, file, textOf), { config: opts.config, sets: new Map(Object.entries(opts.sets)), train: false, pipeline: LEVELS.O2!, accel: HOST_CPU });
    const count = (init: boolean) => {
      const m = new Map<string, number>();
      for (const k of kernelsOf(p.module).filter((k) => Boolean(k.init) === init)) m.set(k.kind, (m.get(k.kind) ?? 0) + 1);
      return Object.fromEntries([...m].sort());
    };
    return { run: count(false), load: count(true), fused: kernelsOf(p.module).filter((k) => !k.init).map((k) => k.name.replace(/^k\d+_/, '')).sort() };
  }

  it('plans at -O2 into the kernels models/bert.ir --config tiny gets: the same kinds, counts and fusions', () => {
    const imported = kinds(modelIr, text, { config: 'onnx', sets: { batch: 2, seq: 16 } });
    const written = kinds(BERT_PATH, readFileSync(BERT_PATH, 'utf8'), { config: 'tiny', sets: { B: 2, S: 16 } });
    expect(imported.run).toEqual(written.run);
    expect(imported.load).toEqual(written.load);
    // The mask: Hugging Face's ONNX export selects with where, models/bert.ir computes (1 - mask) * lowest.
    const rename = (names: string[]) => names.map((n) => (n === 'where' || n === 'sub_scale' ? 'mask bias' : n));
    expect(rename(imported.fused)).toEqual(rename(written.fused));
    expect(imported.fused).toContain('embedding_add_layernorm');
    expect(imported.fused.filter((n) => n === 'gemm_bias_gelu')).toHaveLength(2);
  });

  it('reports, compiles to C and WGSL, and differentiates like any IR model', async () => {
    const report = await bertc('report', modelIr, '--set', 'batch=2,seq=16');
    expect(report.code, report.err).toBe(0);
    expect(report.out).toContain('gemm_bias_gelu');
    for (const target of ['c', 'wgsl']) {
      const r = await bertc('compile', modelIr, '--target', target, '--out', join(tmp, `compiled-${target}`));
      expect(r.code, r.err).toBe(0);
    }
    // A loss block appended to the imported model: the reference's probe, over its ONNX names.
    const withLoss = join(tmp, 'with-loss.ir');
    writeFileSync(withLoss, `${text}\nloss probe(R: f32[batch, seq, 128], R2: f32[batch, 128]) {\n  return reduce_sum(last_hidden_state * R, axes=[0, 1, 2]) + reduce_sum(pooler_output * R2, axes=[0, 1]);\n}\n`);
    const out = join(tmp, 'grads.safetensors');
    const g = await bertc('grad', withLoss, '--loss', 'probe', '--weights', weightsPath, '--inputs', REFERENCE_PATH, '--output', out);
    expect(g.code, g.err).toBe(0);
    const grads = parseSafetensors(new Uint8Array(readFileSync(out)), out);
    const rel = (a: Tensor, b: Tensor, pick?: (i: number) => boolean) => maxAbsDiff(a, b, pick) / Math.max(...Array.from(b.data, Math.abs));
    // Row 0 is the padding token's: nn.Embedding(padding_idx=0) gives it no gradient, and an ONNX
    // export, being for inference, does not record padding_idx, so the imported lookup trains it.
    const words = [grads.get('grad.m.embeddings.word_embeddings.weight'), reference.get('grad.embeddings.word_embeddings.weight')] as const;
    expect(rel(...words, (i) => i >= 128)).toBeLessThan(1e-4);
    expect(maxAbsDiff(...words, (i) => i < 128)).toBeGreaterThan(0);
    expect(rel(grads.get('grad.m.pooler.dense.weight'), reference.get('grad.pooler.dense.weight'))).toBeLessThan(1e-4);
    // The query weight is stored [in, out] in the export, [out, in] in Hugging Face's state dict.
    const q = grads.get('grad.onnx::MatMul_317');
    const qt = makeTensor('f32', [128, 128]);
    for (let i = 0; i < 128; i++) for (let j = 0; j < 128; j++) qt.data[j * 128 + i] = q.data[i * 128 + j]!;
    expect(rel(qt, reference.get('grad.encoder.layer.0.attention.self.query.weight'))).toBeLessThan(1e-4);
  });
});
