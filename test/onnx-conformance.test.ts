/**
 * A bounded sample of ONNX's own node tests (test/fixtures/onnx-conformance/README.md says which
 * and from where): each model imported and run on the reference interpreter against the expected
 * outputs of its test_data_set_0. At least 90% must pass; every one that does not must fail with a
 * diagnostic naming the unsupported form, and the failures are pinned below so that a change in
 * either direction shows.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CompileError, DiagnosticError } from '../src/diag/diagnostics.js';
import { bindInputs, bindWeights, build, checkInputValues, loadText, Session, setsFromInputs } from '../src/driver.js';
import { interpret } from '../src/interp/interpret.js';
import { encodeSafetensors, parseSafetensors } from '../src/io/safetensors.js';
import { decodeModel, decodeTensorBytes, type OnnxTensor } from '../src/onnx/decode.js';
import { importOnnx } from '../src/onnx/import.js';

const DIR = join(import.meta.dirname, 'fixtures/onnx-conformance');
const TESTS = readdirSync(DIR).filter((d) => d.startsWith('test_')).sort();

/** The sample's failures and the text of the diagnostic each must give. */
const EXPECTED_FAILURES: Readonly<Record<string, string>> = {
  test_cast_DOUBLE_to_FLOAT: "E0030: test/fixtures/onnx-conformance/test_cast_DOUBLE_to_FLOAT/model.onnx: graph input 'input' has data type DOUBLE, which bertc does not read",
  test_cast_DOUBLE_to_FLOAT16: "E0030: test/fixtures/onnx-conformance/test_cast_DOUBLE_to_FLOAT16/model.onnx: graph input 'input' has data type DOUBLE, which bertc does not read",
  test_cast_FLOAT16_to_DOUBLE: "E0031: test/fixtures/onnx-conformance/test_cast_FLOAT16_to_DOUBLE/model.onnx: node 'Cast_0' (Cast, opset 25): data type DOUBLE is not supported",
  test_cast_FLOAT_to_DOUBLE: "E0031: test/fixtures/onnx-conformance/test_cast_FLOAT_to_DOUBLE/model.onnx: node 'Cast_0' (Cast, opset 25): data type DOUBLE is not supported",
  // Negative indices computed at run time: bertc's gather takes 0 .. n-1, and `run` checks the input first.
  test_gather_negative_indices: "E0023: input 'indices' in inputs.safetensors holds -9 at [1]; its values must be in 0 .. 9",
  test_reduce_max_bool_inputs: "E0031: test/fixtures/onnx-conformance/test_reduce_max_bool_inputs/model.onnx: node 'ReduceMax_0' (ReduceMax, opset 20): 'reduce_max' needs a numeric operand, got bool[4, 2]",
  test_reduce_max_empty_set: "graph input 'data' has a dimension of size 0; bertc has no empty tensors",
  test_reduce_sum_empty_set: "graph input 'data' has a dimension of size 0; bertc has no empty tensors",
  test_reduce_sum_empty_set_non_reduced_axis_zero: "graph input 'data' has a dimension of size 0; bertc has no empty tensors",
  test_reshape_allowzero_reordered: "graph input 'data' has a dimension of size 0; bertc has no empty tensors",
};

/**
 * Operands that exporters write as constants and the node tests feed as graph inputs: these are
 * fixed to their test data at import (ImportOptions.fixedInputs), as a user fixes such an input.
 */
const IMPORT_TIME_OPERANDS: Readonly<Record<string, readonly number[]>> = {
  Reshape: [1], Unsqueeze: [1], Squeeze: [1], ReduceSum: [1], ReduceMean: [1], ReduceMax: [1], Expand: [1], Slice: [1, 2, 3, 4],
};

/** |got - want| <= 1e-4 (1 + |want|): relative for large values, absolute near zero. */
const close = (got: number, want: number) => (Number.isNaN(want) ? Number.isNaN(got) : got === want || Math.abs(got - want) <= 1e-4 * (1 + Math.abs(want)));

type Outcome = { ok: true } | { ok: false; diagnostic: string } | { ok: false; mismatch: string };

function runOne(name: string): Outcome {
  const dir = join(DIR, name);
  const file = `test/fixtures/onnx-conformance/${name}/model.onnx`;
  const data = join(dir, 'test_data_set_0');
  const pbs = readdirSync(data).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const load = (f: string) => decodeTensorBytes(new Uint8Array(readFileSync(join(data, f))), f);
  try {
    const bytesOfModel = new Uint8Array(readFileSync(join(dir, 'model.onnx')));
    const model = decodeModel(bytesOfModel, file);
    const fileOf = new Map(pbs.filter((f) => f.startsWith('input_')).map((f, i) => [model.inputs[i]!.name, f]));
    const fixed = new Set(model.nodes.flatMap((n) => (IMPORT_TIME_OPERANDS[n.opType] ?? []).map((i) => n.inputs[i]!).filter((x) => fileOf.has(x))));
    const imported = importOnnx(bytesOfModel, { file, fixedInputs: new Map([...fixed].map((n) => [n, load(fileOf.get(n)!)])) });
    const byName = new Map<string, OnnxTensor>([...fileOf].map(([n, f]) => [n, load(f)]));
    // Then as `bertc run` runs model.ir: sizes of the dynamic axes from the inputs, weights and inputs bound and checked.
    const s = new Session();
    const program = loadText(s, 'model.ir', imported.text);
    const names = imported.translation.graph.inputs.map((n) => n.attr<string>('name'));
    const inputsFile = parseSafetensors(encodeSafetensors(new Map(names.map((n) => [n, byName.get(n)!]))), 'inputs.safetensors');
    const sets = setsFromInputs(s, program, inputsFile, new Map());
    const g = build(s, program, { config: imported.translation.axes.length ? 'onnx' : undefined, sets }).graph;
    const weights = bindWeights(s, g, parseSafetensors(imported.weights, 'weights.safetensors'));
    const inputs = bindInputs(s, g, inputsFile);
    checkInputValues(s, g, inputs, inputsFile.path);
    const r = interpret(g, inputs, (n) => weights.get(n)!);
    for (const [i, f] of pbs.filter((f) => f.startsWith('output_')).entries()) {
      const want = load(f);
      const got = r.outputs.get(g.outputs[i]!.name)!;
      if (got.shape.join() !== want.shape.join()) return { ok: false, mismatch: `${f}: shape [${got.shape}] against [${want.shape}]` };
      const bad = Array.from(want.data).findIndex((v, k) => !close(got.data[k]!, v));
      if (bad >= 0) return { ok: false, mismatch: `${f}: element ${bad} is ${got.data[bad]}, expected ${want.data[bad]}` };
    }
    return { ok: true };
  } catch (e) {
    if (e instanceof DiagnosticError || e instanceof CompileError) return { ok: false, diagnostic: e.diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n') };
    throw e;
  }
}

describe('ONNX node conformance sample', () => {
  const outcomes = new Map(TESTS.map((t) => [t, runOne(t)] as const));

  it('holds the sample the README describes', () => {
    expect(TESTS.length).toBeGreaterThanOrEqual(120);
    for (const family of ['layer_normalization', 'gelu', 'softmax', 'matmul', 'gather', 'where', 'transpose', 'reshape', 'unsqueeze', 'cast', 'add', 'sub', 'mul', 'div', 'pow', 'reduce_mean', 'reduce_sum', 'reduce_max']) {
      expect(TESTS.some((t) => t.startsWith(`test_${family}`)), family).toBe(true);
    }
  });

  it('imports and runs at least 90% of the models within 1e-4 of their expected outputs', () => {
    const passed = [...outcomes.values()].filter((o) => o.ok).length;
    expect(passed / TESTS.length).toBeGreaterThanOrEqual(0.9);
  });

  it.each(TESTS)('%s', (name) => {
    const o = outcomes.get(name)!;
    const expected = EXPECTED_FAILURES[name];
    if (expected === undefined) {
      expect(o).toEqual({ ok: true });
      return;
    }
    // A failure is a diagnostic naming the unsupported form, never a wrong result.
    expect(o.ok).toBe(false);
    expect('diagnostic' in o ? o.diagnostic : (o as { mismatch: string }).mismatch).toContain(expected);
    expect('diagnostic' in o && /^E00(30|31|23): /.test(o.diagnostic)).toBe(true);
  });
});
