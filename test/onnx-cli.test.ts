/**
 * `bertc import` as a command: what it writes, its options, its exit codes, external data, and
 * that nothing is written when it fails. Also that the committed protobufjs descriptor is ONNX's
 * onnx.proto as committed beside it.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSafetensors } from '../src/io/safetensors.js';
import { bertc } from './support/cli.js';
import { onnxModel, tensorProto } from './onnx-models.js';
// @ts-expect-error -- a plain .mjs script without declarations
import { schemaSource } from '../scripts/generate-onnx-schema.mjs';

const tmp = mkdtempSync(join(tmpdir(), 'bertc-onnx-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function write(name: string, bytes: Uint8Array): string {
  const path = join(tmp, name);
  writeFileSync(path, bytes);
  return path;
}

const linear = () =>
  onnxModel({
    inputs: [{ name: 'x', dtype: 'f32', dims: ['batch', 3] }],
    outputs: [{ name: 'y.out', dtype: 'f32', dims: ['batch', 2] }],
    initializers: [{ name: 'w', dtype: 'f32', dims: [3, 2], values: [1, 2, 3, 4, 5, 6], raw: true }],
    nodes: [{ op: 'MatMul', inputs: ['x', 'w'], outputs: ['y.out'] }],
  });

describe('bertc import', () => {
  it('writes model.ir and weights.safetensors, keeps an output name that is not an identifier, and sets axis defaults with --dim', async () => {
    const model = write('linear.onnx', linear());
    const out = join(tmp, 'linear');
    const r = await bertc('import', model, '--out', out, '--dim', 'batch=4');
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('dynamic axes: batch (x[0], default 4)');
    const text = readFileSync(join(out, 'model.ir'), 'utf8');
    expect(text).toContain('config onnx { batch = 4 }');
    expect(text).toContain('(x: f32[batch, 3]) -> (y_out: f32[batch, 2] = "y.out")');
    expect(readSafetensors(join(out, 'weights.safetensors')).names).toEqual(['w']);
  });

  it('reads initializers from an external data file beside the model', async () => {
    const dir = join(tmp, 'external');
    mkdirSync(dir);
    const data = new Uint8Array(new Float32Array([1, 2, 3, 4, 5, 6]).buffer);
    writeFileSync(join(dir, 'weights.bin'), new Uint8Array([0, 0, 0, 0, ...data]));
    const w = { ...tensorProto({ name: 'w', dtype: 'f32', dims: [3, 2], values: [] }), floatData: [], dataLocation: 1, externalData: [{ key: 'location', value: 'weights.bin' }, { key: 'offset', value: '4' }, { key: 'length', value: '24' }] };
    const bytes = onnxModel({
      inputs: [{ name: 'x', dtype: 'f32', dims: [1, 3] }], outputs: [{ name: 'y', dtype: 'f32', dims: [1, 2] }],
      nodes: [{ op: 'MatMul', inputs: ['x', 'w'], outputs: ['y'] }],
      initializers: [],
    });
    // The initializer is added here: the test helper writes values, not references to external files.
    const protobuf = (await import('protobufjs/light.js')).default;
    const { ONNX_SCHEMA } = await import('../src/onnx/onnxSchema.js');
    const M = protobuf.Root.fromJSON(ONNX_SCHEMA).lookupType('onnx.ModelProto');
    const m = M.toObject(M.decode(bytes)) as { graph: { initializer: unknown[] } };
    m.graph.initializer = [w];
    writeFileSync(join(dir, 'model.onnx'), M.encode(M.fromObject(m)).finish());
    const out = join(tmp, 'external-out');
    const r = await bertc('import', join(dir, 'model.onnx'), '--out', out);
    expect(r.code, r.err).toBe(0);
    expect(Array.from(readSafetensors(join(out, 'weights.safetensors')).get('w').data)).toEqual([1, 2, 3, 4, 5, 6]);
    rmSync(join(dir, 'weights.bin'));
    const missing = await bertc('import', join(dir, 'model.onnx'), '--out', join(tmp, 'external-missing'));
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('error[E0025]');
  });

  it('exits 1 with E0031 on an unsupported operator, naming node, op type and opset, and writes nothing', async () => {
    const bytes = onnxModel({ opset: 14, inputs: [{ name: 'x', dtype: 'f32', dims: [2] }], outputs: [{ name: 'y', dtype: 'f32', dims: [2] }], nodes: [{ op: 'HardSwish', name: 'act', inputs: ['x'], outputs: ['y'] }] });
    const out = join(tmp, 'never');
    const r = await bertc('import', write('hardswish.onnx', bytes), '--out', out);
    expect(r.code).toBe(1);
    expect(r.err).toContain("error[E0031]: ");
    expect(r.err).toContain("node 'act' (HardSwish, opset 14): operator 'HardSwish' is not supported");
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(tmp).filter((f) => f.startsWith('.never'))).toEqual([]);
  });

  it('exits 1 with E0030 on a file that is not ONNX, and E0025 on one that does not exist', async () => {
    const r = await bertc('import', write('not.onnx', new TextEncoder().encode('this is text, not a protobuf')), '--out', join(tmp, 'x1'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/error\[E0030\]: .*not\.onnx: not an ONNX ModelProto/);
    const gone = await bertc('import', join(tmp, 'nope.onnx'), '--out', join(tmp, 'x2'));
    expect(gone.code).toBe(1);
    expect(gone.err).toContain('error[E0025]');
  });

  it('exits 2 on bad usage: a malformed or unknown --dim, no --out', async () => {
    const model = write('linear2.onnx', linear());
    const bad = await bertc('import', model, '--out', join(tmp, 'y1'), '--dim', 'batch=zero');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--dim expects NAME=SIZE with a positive integer size, got 'batch=zero'");
    const unknown = await bertc('import', model, '--out', join(tmp, 'y2'), '--dim', 'seq=4');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("--dim seq: the model has no dynamic axis 'seq' (its axes: batch)");
    const noOut = await bertc('import', model);
    expect(noOut.code).toBe(2);
  });

  it('explains itself in --help, with the operators it translates', async () => {
    const r = await bertc('import', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('--dim <name=size>');
    expect(r.out).toContain('LayerNormalization');
    expect(r.out).toContain('E0031');
  });
});

describe('the ONNX schema', () => {
  it('is the protobufjs descriptor of the committed onnx.proto (node scripts/generate-onnx-schema.mjs regenerates it)', () => {
    const proto = readFileSync(join(import.meta.dirname, '../src/onnx/onnx.proto'), 'utf8');
    expect(readFileSync(join(import.meta.dirname, '../src/onnx/onnxSchema.ts'), 'utf8')).toBe(schemaSource(proto));
  });
});
