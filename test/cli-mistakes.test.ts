/**
 * Every mistake a user or their environment can make ends in one diagnostic with exit 1 (bad
 * input) or 2 (bad usage), never in exit 3, a stack trace or a half-written result.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bertc } from './support/cli.js';
import { BERT_PATH, REFERENCE_PATH, WEIGHTS_PATH } from './support/reference.js';

const dir = mkdtempSync(join(tmpdir(), 'bertc-mistakes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One diagnostic line (plus the count line), no internals. */
function expectOneLine(r: { code: number; err: string }, code: number, text: string | RegExp): void {
  expect(r.code, r.err).toBe(code);
  expect(r.err).toMatch(text);
  expect(r.err).not.toMatch(/internal compiler error|\n\s+at .*:\d+:\d+|Please report/);
  expect(r.err.trim().split('\n').filter((l) => l !== '1 error generated.')).toHaveLength(1);
}

const SMALL = `model m(x: f32[2, 8], w: f32[4, 8]) -> f32[2, 4] {\n  return matmul(x, w, transpose_b=true);\n}\n`;
const small = join(dir, 'small.ir');
writeFileSync(small, SMALL);
const runTiny = (...more: string[]) => bertc('run', BERT_PATH, '--config', 'tiny', '--weights', WEIGHTS_PATH, '--inputs', REFERENCE_PATH, ...more);
const isRoot = process.getuid?.() === 0;

describe('mistakes in the environment', () => {
  it('a C compiler that is not installed', async () => {
    const r = await runTiny('--output', join(dir, 'o.safetensors'), '--target', 'c', '--cc', 'no-such-cc');
    expectOneLine(r, 1, "the C compiler 'no-such-cc' was not found: install it, or name another with --cc");
  });

  it('run --output into a folder that does not exist, before any work', async () => {
    expectOneLine(await runTiny('--output', join(dir, 'missing', 'o.safetensors')), 1, /error\[E0028\]: cannot write the file .*o\.safetensors: the folder .*missing does not exist/);
  });

  it('run --output that is one of the inputs, leaving it intact', async () => {
    const copy = join(dir, 'weights-copy.safetensors');
    writeFileSync(copy, readFileSync(WEIGHTS_PATH));
    const r = await bertc('run', BERT_PATH, '--config', 'tiny', '--weights', copy, '--inputs', REFERENCE_PATH, '--output', copy);
    expectOneLine(r, 1, /--output .* is also an input of this command/);
    expect(readFileSync(copy).equals(readFileSync(WEIGHTS_PATH))).toBe(true);
  });

  it('compile --out at a file, under a file, and into a folder of foreign files', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'mine');
    expectOneLine(await bertc('compile', small, '--out', file), 1, /cannot write the folder .*a-file: it is a file/);
    expectOneLine(await bertc('compile', small, '--out', join(file, 'sub')), 1, /a-file is a file, not a folder/);
    const foreign = join(dir, 'foreign');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'notes.txt'), 'keep me');
    expectOneLine(await bertc('compile', small, '--out', foreign), 1, /will not replace .*foreign: it holds files bertc did not write \(notes\.txt\)/);
    expect(readdirSync(foreign)).toEqual(['notes.txt']);
    expect(readFileSync(file, 'utf8')).toBe('mine');
  });

  it.skipIf(isRoot)('compile --out in a folder without write permission', async () => {
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    expectOneLine(await bertc('compile', small, '--out', join(locked, 'out')), 1, /permission denied/);
  });

  it('compile --out on a read-only file system', async () => {
    expectOneLine(await bertc('compile', small, '--out', '/proc/bertc-out'), 1, /cannot write the folder \/proc\/bertc-out/);
  });

  it('replaces a previous compile whole, and leaves it exactly as it was when compiling fails', async () => {
    const out = join(dir, 'out');
    expect((await bertc('compile', small, '--out', out)).code).toBe(0);
    const before = readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')]);
    const bad = join(dir, 'bad.ir');
    writeFileSync(bad, SMALL.replace('transpose_b=true', 'transpose_b=false'));
    expect((await bertc('compile', bad, '--out', out)).code).toBe(1);
    expect(readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')])).toEqual(before);
    expect((await bertc('compile', small, '--out', out, '--target', 'wgsl')).code).toBe(0);
    expect(readdirSync(out)).toContain('model.webgpu.json');
    expect(readdirSync(out)).not.toContain('model.c');
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});

describe('mistakes in the input', () => {
  it('an accelerator whose buffers fit no tile: a located diagnostic naming the kernel', async () => {
    const r = await bertc('report', small, '--accel', join(import.meta.dirname, 'diagnostics/tiny-l1.accel.json'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/small\.ir:2:10: error\[E0029\]: kernel 'k0_gemm': no tile of the 2x4x8 GEMM fits level 'L1'/);
  });

  it('a WebGPU device whose limits no plan meets', async () => {
    const wide = join(dir, 'wide.ir');
    writeFileSync(wide, 'model m(x: f32[16, 32]) -> f32[16, 32] {\n  return tanh(x);\n}\n');
    const r = await bertc('compile', wide, '--target', 'wgsl', '--accel', join(import.meta.dirname, 'diagnostics/tiny-binding.accel.json'), '--out', join(dir, 'never'));
    expectOneLine(r, 1, /error\[E0029\]: .* over the 1024-byte binding limit on accelerator 'tiny-binding'/);
    expect(readdirSync(dir)).not.toContain('never');
  });

  /** A located E0029 (the kernel's first op, with its excerpt), exit 1, no internals. */
  const expectLocatedLimit = (r: { code: number; err: string }, text: RegExp) => {
    expect(r.code, r.err).toBe(1);
    expect(r.err).toMatch(text);
    expect(r.err).not.toMatch(/internal compiler error|\n\s+at .*:\d+:\d+|Please report|even with the batch run in slices/);
  };

  it('a kernel that binds more storage buffers than the device allows: located, naming the kernel; fusion stays within the limit', async () => {
    const three = join(dir, 'three.ir');
    // One op that reads three buffers and writes a fourth: no plan can bind fewer.
    writeFileSync(three, 'model m(x: f32[4, 8], g: f32[8], b: f32[8]) -> f32[4, 8] {\n  return layernorm(x, g, b);\n}\n');
    const accel = JSON.parse(readFileSync(join(import.meta.dirname, 'diagnostics/tiny-binding.accel.json'), 'utf8')) as { name: string; webgpu: Record<string, number> };
    accel.name = 'three-buffers';
    accel.webgpu['max_storage_buffers_per_stage'] = 3;
    accel.webgpu['max_storage_buffer_binding_bytes'] = 1 << 20;
    const file = join(dir, 'three-buffers.accel.json');
    writeFileSync(file, JSON.stringify(accel));
    const r = await bertc('compile', three, '--target', 'wgsl', '--accel', file, '--out', join(dir, 'never-bound'));
    expectLocatedLimit(r, /three\.ir:2:10: error\[E0029\]: kernel 'k0_\w+' binds 4 storage buffers, over the limit of 3 per shader stage on accelerator 'three-buffers'/);
    expect(readdirSync(dir)).not.toContain('never-bound');
    // x * y + z as one kernel would bind four buffers: fusion leaves the add in a kernel of its own.
    const split = join(dir, 'split.ir');
    writeFileSync(split, 'model m(x: f32[4, 8], y: f32[4, 8], z: f32[4, 8]) -> f32[4, 8] {\n  return x * y + z;\n}\n');
    const ok = await bertc('opt', split, '--accel', file, '--fusion-report');
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toMatch(/rejected fuse-elementwise\/binding-limit .* mul .* -> {2}add/);
  });

  it('rows too long for workgroup memory: located, naming the kernel', async () => {
    const rows = join(dir, 'rows.ir');
    writeFileSync(rows, 'model m(x: f32[2, 4096]) -> f32[2, 4096] {\n  return softmax(x, axis=-1);\n}\n');
    const r = await bertc('compile', rows, '--target', 'wgsl', '--accel', 'webgpu-generic', '--out', join(dir, 'never-rows'));
    expectLocatedLimit(r, /rows\.ir:2:10: error\[E0029\]: kernel 'k0_softmax': rows of 4096 floats need 33024 bytes of workgroup storage, over the limit of 16384 on accelerator 'webgpu-generic'/);
    expect(readdirSync(dir)).not.toContain('never-rows');
  });

  it('a bad accelerator file is bad input (1); an unknown accelerator name is bad usage (2)', async () => {
    const file = join(dir, 'accel.json');
    writeFileSync(file, '{"name": "x"');
    expect((await bertc('report', small, '--accel', file)).code).toBe(1);
    expect((await bertc('report', small, '--accel', 'h1000')).code).toBe(2);
  });
});

describe('mistakes on the command line', () => {
  it('a typo in --print-after names the pass it meant', async () => {
    const r = await bertc('opt', small, '--print-after', 'fuse-qvk');
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown pass 'fuse-qvk' (did you mean 'fuse-qkv'?)");
  });

  it('--seed without --train', async () => {
    const r = await runTiny('--output', join(dir, 's.safetensors'), '--seed', '3');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--seed sets the dropout seed, which only --train uses');
  });

  it('a constant given twice in --set', async () => {
    const r = await bertc('check', BERT_PATH, '--set', 'H=128,H=256');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--set gives H twice (128 and 256)');
  });

  it('one bad --set is reported once per config, not once per use', async () => {
    const r = await bertc('check', BERT_PATH, '--config', 'tiny', '--set', 'B=0');
    expect(r.code).toBe(2);
    expect(r.err.match(/error\[/g)).toHaveLength(1);
    expect(r.err).toContain('--set B: B = 0 is used as a dimension, which must be a positive integer');
  });

  it('check without --config names each config and says which passed', async () => {
    const file = join(dir, 'configs.ir');
    writeFileSync(file, `config ok { N = 4 }\nconfig bad { N = 0 }\nmodel m(x: f32[N]) -> f32[N] {\n  return relu(x);\n}\n`);
    const r = await bertc('check', file);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/configs\.ir: ok \(config ok\)/);
    expect(r.out).toMatch(/configs\.ir: \d+ errors? \(config bad\)/);
    expect(r.err).toMatch(/^In config 'bad':\n/);
  });

  it('report defaults --accel to host-cpu, as compile does', async () => {
    const r = await bertc('report', small);
    expect(r.code).toBe(0);
    expect(r.out).toContain('accelerator host-cpu');
  });

  it('the top-level help describes the compiler, not only the interpreter', async () => {
    const r = await bertc('--help');
    expect(r.out.replace(/\s+/g, ' ')).toMatch(/fusion passes -> .* C or WGSL kernels, with a cost report/);
    expect(r.out).toContain('bertc compile');
  });
});

describe('bertc explain', () => {
  const compiled = async (name: string) => {
    const ir = join(dir, `${name}.ir`);
    writeFileSync(ir, SMALL);
    const out = join(dir, name);
    expect((await bertc('compile', ir, '--out', out)).code).toBe(0);
    const model = join(out, 'model.c');
    // The first line the map ties to the IR: the matmul, the model's only op.
    const count = readFileSync(model, 'utf8').split('\n').length;
    for (let line = 1; line <= count; line++) {
      const r = await bertc('explain', `${model}:${line}`);
      if (r.out.includes('implements')) return { ir, model, line, count, answer: r.out };
    }
    throw new Error(`no line of ${model} implements an IR op`);
  };

  it('names the IR op a line implements, and says so when the IR file is gone', async () => {
    const { ir, model, line, answer } = await compiled('explained');
    expect(answer).toMatch(/implements .*explained\.ir:2:10: return matmul\(x, w, transpose_b=true\);/);
    rmSync(ir);
    const r = await bertc('explain', `${model}:${line}`);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/implements .*explained\.ir:2:10: \(cannot read .*explained\.ir: no such file or directory\)/);
  });

  it('a missing file, a directory, a device, a map that is not one: one line, exit 1', async () => {
    const { model } = await compiled('unmapped');
    expectOneLine(await bertc('explain', `${join(dir, 'none.c')}:1`), 1, /error\[E0025\]: cannot read .*none\.c: no such file or directory/);
    expectOneLine(await bertc('explain', `${dir}:1`), 1, /error\[E0025\]: cannot read .*: it is a directory, not a regular file/);
    expectOneLine(await bertc('explain', '/dev/zero:1'), 1, 'error[E0025]: cannot read /dev/zero: it is a character device, not a regular file');
    writeFileSync(`${model}.map`, '{"version": 3,');
    expectOneLine(await bertc('explain', `${model}:1`), 1, /error\[E0025\]: .*model\.c\.map is not a source map: /);
    writeFileSync(`${model}.map`, '[1, 2]');
    expectOneLine(await bertc('explain', `${model}:1`), 1, /error\[E0025\]: .*model\.c\.map is not a source map: /);
    rmSync(`${model}.map`);
    expectOneLine(await bertc('explain', `${model}:1`), 1, /error\[E0025\]: cannot read .*model\.c\.map: no such file or directory/);
  });

  it('a line out of range or no line at all: bad usage, exit 2', async () => {
    const { model, count } = await compiled('ranged');
    expectOneLine(await bertc('explain', `${model}:0`), 2, `model.c has ${count} lines, not 0`);
    expectOneLine(await bertc('explain', `${model}:${count + 1}`), 2, `model.c has ${count} lines, not ${count + 1}`);
    expectOneLine(await bertc('explain', `${model}:99999999999999999999`), 2, `model.c has ${count} lines, not 99999999999999999999`);
    expectOneLine(await bertc('explain', model), 2, `expected FILE.c:LINE, got '${model}'`);
  });
});
