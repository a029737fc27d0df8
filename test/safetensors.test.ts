import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Tensor } from '../src/interp/tensor.js';
import { bf16BitsToF32, f16BitsToF32, f32ToBf16Bits, f32ToF16Bits } from '../src/io/halfFloat.js';
import {
  encodeSafetensors,
  expectTensor,
  parseSafetensors,
  readSafetensors,
  SafetensorsError,
  type SafetensorsFile,
} from '../src/io/safetensors.js';
import { parseSafetensors as parseInRuntime } from '../targets/wgsl/runtime.js';
import { f32, MALFORMED, rawFile } from './support/malformedSafetensors.js';

const ref = (name: string) => fileURLToPath(new URL(`../../shared/reference/${name}`, import.meta.url));
const WEIGHTS = ref('bert_tiny.safetensors');
const REFERENCE = ref('bert_tiny_reference.safetensors');

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'bertc-safetensors-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

const t = (dtype: Tensor['dtype'], shape: number[], data: Tensor['data']): Tensor => ({ dtype, shape, data });

/** The error thrown by `f`, asserting that it is a SafetensorsError. */
function errorOf(f: () => unknown): SafetensorsError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SafetensorsError);
    return e as SafetensorsError;
  }
  throw new Error('expected a SafetensorsError, nothing was thrown');
}

function roundTrip(tensors: Record<string, Tensor>, storage?: Parameters<typeof encodeSafetensors>[2]): SafetensorsFile {
  return parseSafetensors(encodeSafetensors(tensors, undefined, storage), 'mem.safetensors');
}

describe('halfFloat', () => {
  it('encodes f16 with round-to-nearest-even, subnormals, inf and nan', () => {
    const cases: [number, number][] = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3c00],
      [-2, 0xc000],
      [65504, 0x7bff], // largest finite
      [65519, 0x7bff], // just under the overflow midpoint
      [65520, 0x7c00], // the midpoint ties to even, which is infinity
      [1e6, 0x7c00],
      [-Infinity, 0xfc00],
      [Infinity, 0x7c00],
      [2 ** -14, 0x0400], // smallest normal
      [1023 * 2 ** -24, 0x03ff], // largest subnormal
      [2 ** -24, 0x0001], // smallest subnormal
      [2 ** -25, 0x0000], // half of it ties to even (zero)
      [1.5 * 2 ** -25, 0x0001],
      [3 * 2 ** -25, 0x0002], // 1.5 subnormal ulps ties to 2
      [2 ** -26, 0x0000],
      [-(2 ** -24), 0x8001],
      [1 + 2 ** -11, 0x3c00], // tie, down to even
      [1 + 3 * 2 ** -11, 0x3c02], // tie, up to even
      [1 + 2 ** -11 + 2 ** -20, 0x3c01], // just above the tie
      [2049, 0x6800], // spacing 2 above 2048: tie to 2048
      [2051, 0x6802],
      [(2 ** -14) * (1 - 2 ** -11), 0x0400], // rounds up from subnormal into the smallest normal
    ];
    for (const [x, bits] of cases) expect([x, f32ToF16Bits(x)]).toEqual([x, bits]);
    expect(f32ToF16Bits(NaN) & 0x7e00).toBe(0x7e00);
  });

  it('decodes every f16 bit pattern exactly and inverts the encoder', () => {
    expect(f16BitsToF32(0x0001)).toBe(2 ** -24);
    expect(f16BitsToF32(0x7bff)).toBe(65504);
    expect(f16BitsToF32(0xfc00)).toBe(-Infinity);
    expect(Object.is(f16BitsToF32(0x8000), -0)).toBe(true);
    expect(f16BitsToF32(0x7e00)).toBeNaN();
    for (let h = 0; h < 0x10000; h++) {
      const x = f16BitsToF32(h);
      if (Number.isNaN(x)) continue;
      // Plain checks rather than 65536 expect() calls, which would dominate the run time.
      if (Math.fround(x) !== x || f32ToF16Bits(x) !== h) {
        expect.fail(`f16 0x${h.toString(16)} -> ${x} -> 0x${f32ToF16Bits(x).toString(16)}`);
      }
    }
  });

  it('encodes bf16 with round-to-nearest-even, inf and nan', () => {
    const cases: [number, number][] = [
      [1, 0x3f80],
      [-0, 0x8000],
      [1 + 2 ** -8, 0x3f80], // tie, down to even
      [1 + 3 * 2 ** -8, 0x3f82], // tie, up to even
      [1 + 2 ** -8 + 2 ** -20, 0x3f81],
      [Infinity, 0x7f80],
      [-Infinity, 0xff80],
      [3.4028234663852886e38, 0x7f80], // float32 max rounds past bf16 max
      [2 ** -149, 0x0000], // f32 subnormal below bf16 precision
      [2 ** -133, 0x0001], // smallest bf16 subnormal
    ];
    for (const [x, bits] of cases) expect([x, f32ToBf16Bits(x)]).toEqual([x, bits]);
    expect(bf16BitsToF32(f32ToBf16Bits(NaN))).toBeNaN();
    // A NaN whose payload sits only in the low 16 bits must not become infinity.
    const nan = new Float32Array(new Uint32Array([0x7f800001]).buffer)[0]!;
    expect(bf16BitsToF32(f32ToBf16Bits(nan))).toBeNaN();
    expect(bf16BitsToF32(0x3f81)).toBe(1 + 2 ** -7);
    expect(bf16BitsToF32(0x0001)).toBe(2 ** -133);
  });
});

describe('encode and parse', () => {
  it('round-trips every dtype', () => {
    const f = roundTrip({
      f32: t('f32', [2, 3], new Float32Array([1.5, -2, 0.1, Infinity, NaN, -0])),
      f16: t('f16', [5], new Float32Array([65504, -(2 ** -24), 2 ** -14, -Infinity, NaN])),
      bf16: t('bf16', [3], new Float32Array([1 + 2 ** -7, -3.3895313892515355e38, 2 ** -133])),
      i32: t('i32', [4], new Int32Array([0, -1, 2 ** 31 - 1, -(2 ** 31)])),
      i64: t('i64', [2, 2], new Float64Array([2 ** 53, -(2 ** 53), -1, 123456789012])),
      bool: t('bool', [4], new Uint8Array([0, 1, 7, 0])),
      scalar: t('f32', [], new Float32Array([42])),
      empty: t('i32', [0, 3], new Int32Array(0)),
    });
    expect(f.names).toEqual(['bf16', 'bool', 'empty', 'f16', 'f32', 'i32', 'i64', 'scalar']);
    expect(f.get('f32')).toEqual(t('f32', [2, 3], new Float32Array([1.5, -2, 0.1, Infinity, NaN, -0])));
    expect(Object.is(f.get('f32').data[5], -0)).toBe(true);
    expect(f.get('f16')).toEqual(t('f16', [5], new Float32Array([65504, -(2 ** -24), 2 ** -14, -Infinity, NaN])));
    expect(f.get('bf16')).toEqual(t('bf16', [3], new Float32Array([1 + 2 ** -7, -3.3895313892515355e38, 2 ** -133])));
    expect(f.get('i32')).toEqual(t('i32', [4], new Int32Array([0, -1, 2 ** 31 - 1, -(2 ** 31)])));
    expect(f.get('i64')).toEqual(t('i64', [2, 2], new Float64Array([2 ** 53, -(2 ** 53), -1, 123456789012])));
    expect(f.get('bool')).toEqual(t('bool', [4], new Uint8Array([0, 1, 1, 0])));
    expect(f.get('scalar')).toEqual(t('f32', [], new Float32Array([42])));
    expect(f.get('empty')).toEqual(t('i32', [0, 3], new Int32Array(0)));
    expect(f.info('i64')).toEqual({ dtype: 'I64', shape: [2, 2] });
  });

  it('rounds f32 to F16/BF16 storage when asked, and accepts f64-mode data', () => {
    const x = t('f32', [5], new Float64Array([1 + 2 ** -11, 1 + 3 * 2 ** -11, 65520, 2 ** -25, 3 * 2 ** -25]));
    const f = roundTrip({ a: x, b: x, c: x }, { a: 'F16', b: 'BF16' });
    expect(f.info('a').dtype).toBe('F16');
    expect(f.get('a')).toEqual(t('f16', [5], new Float32Array([1, 1 + 2 ** -9, Infinity, 0, 2 ** -23])));
    expect(f.get('b')).toEqual(t('bf16', [5], new Float32Array([1, 1, 65536, 2 ** -25, 3 * 2 ** -25])));
    expect(f.get('c')).toEqual(t('f32', [5], Float32Array.from(x.data)));
  });

  it('writes a deterministic, 8-byte aligned, space-padded header', () => {
    const a = t('f32', [1], new Float32Array([1]));
    const b = t('i32', [1], new Int32Array([2]));
    const bytes = encodeSafetensors({ b, a }, { z: '1', y: '2' });
    expect(encodeSafetensors(new Map([['a', a], ['b', b]]), { y: '2', z: '1' })).toEqual(bytes);
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const json =
      '{"__metadata__":{"y":"2","z":"1"},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},' +
      '"b":{"dtype":"I32","shape":[1],"data_offsets":[4,8]}}';
    expect(new TextDecoder().decode(bytes.subarray(8, 8 + n))).toBe(json.padEnd(n, ' '));
    expect(bytes.length).toBe(8 + n + 8);
    expect(parseSafetensors(bytes, 'm').metadata).toEqual({ y: '2', z: '1' });
  });

  it('rejects tensors it cannot store', () => {
    expect(() => encodeSafetensors({ x: t('f32', [2], new Float32Array(3)) })).toThrow(
      "tensor 'x' has 3 elements, shape [2] needs 2",
    );
    expect(() => encodeSafetensors({ x: t('f32', [1], new Float32Array(1)) }, {}, { x: 'I32' })).toThrow(
      "tensor 'x' has dtype f32, which cannot be stored as I32",
    );
    expect(() => encodeSafetensors({ x: t('f32', [1], new Float32Array(1)) }, {}, { y: 'F16' })).toThrow(
      "storage dtype given for 'y', which is not among the tensors",
    );
    expect(() => encodeSafetensors({ x: t('i64', [1], new Float64Array([2 ** 53 + 2])) })).toThrow(
      "tensor 'x' element 0 (9007199254740994) does not fit I64",
    );
    expect(() => encodeSafetensors({ x: t('i64', [1], new Float64Array([2 ** 31])) }, {}, { x: 'I32' })).toThrow(
      "tensor 'x' element 0 (2147483648) does not fit I32",
    );
  });

  it('accepts tensors whose data is not in header order, in both readers', () => {
    const bytes = rawFile(
      '{"a":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},"b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}',
      new Uint8Array(new Float32Array([1, 2, 3]).buffer),
    );
    const f = parseSafetensors(bytes, 'o.safetensors');
    expect(f.get('a').data).toEqual(new Float32Array([3]));
    expect(f.get('b').data).toEqual(new Float32Array([1, 2]));
    expect(parseInRuntime(bytes).get('a')!.data).toEqual(new Float32Array([3]));
  });
});

describe('malformed files, in bertc and in runtime.js', () => {
  it.each(MALFORMED)('rejects $label', ({ bytes, ts, runtime }) => {
    expect(errorOf(() => parseSafetensors(bytes, 'm.safetensors')).message).toBe(ts);
    expect(() => parseInRuntime(bytes)).toThrow(runtime);
  });

  it('finds duplicates only among the keys of one object', () => {
    const header = `{"__metadata__":{"a":"x","b":"a"},${f32('a', [1], 0, 4)},${f32('b', [1], 4, 8)}}`;
    expect(parseSafetensors(rawFile(header, new Uint8Array(8)), 'm.safetensors').names).toEqual(['a', 'b']);
    const metadata = `{"__metadata__":{"k":"1","k":"2"},${f32('a', [1], 0, 4)}}`;
    expect(errorOf(() => parseSafetensors(rawFile(metadata, new Uint8Array(4)), 'm.safetensors')).message).toBe(
      "m.safetensors has an invalid header: __metadata__ has key 'k' twice",
    );
  });

  it('accepts an empty file with an empty header, and zero-sized tensors anywhere', () => {
    expect(parseSafetensors(rawFile('{}'), 'm.safetensors').names).toEqual([]);
    const header = `{${f32('e', [0], 4, 4)},${f32('a', [1], 0, 4)},${f32('z', [2, 0], 8, 8)},${f32('b', [1], 4, 8)}}`;
    expect(parseSafetensors(rawFile(header, new Uint8Array(8)), 'm.safetensors').names).toEqual(['a', 'b', 'e', 'z']);
    expect([...parseInRuntime(rawFile(header, new Uint8Array(8))).keys()].sort()).toEqual(['a', 'b', 'e', 'z']);
  });
});

describe('the layout rules both readers share (src/io/safetensorsLayout.js)', () => {
  // The module is plain JavaScript typed by its JSDoc; the TypeScript reader sees it through
  // safetensorsLayout.d.ts, which must be what tsc makes of that JSDoc (as in dist/). Remake it with
  //   npx tsc --ignoreConfig --allowJs --declaration --emitDeclarationOnly --skipLibCheck \
  //     --target es2022 --module nodenext --outDir src/io src/io/safetensorsLayout.js
  it('has the .d.ts that tsc makes of its JSDoc', () => {
    const root = fileURLToPath(new URL('..', import.meta.url));
    const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const out = fs.mkdtempSync(path.join(tmpRoot, 'dts-'));
    const args = ['--ignoreConfig', '--allowJs', '--declaration', '--emitDeclarationOnly', '--skipLibCheck', '--target', 'es2022', '--module', 'nodenext'];
    execFileSync(process.execPath, [tsc, ...args, '--outDir', out, 'src/io/safetensorsLayout.js'], { cwd: root, encoding: 'utf8' });
    const made = fs.readFileSync(path.join(out, 'safetensorsLayout.d.ts'), 'utf8');
    expect(fs.readFileSync(path.join(root, 'src/io/safetensorsLayout.d.ts'), 'utf8')).toBe(made);
  }, 60_000);
});

describe('reference files', () => {
  it('reads the bert_tiny weights', () => {
    const f = readSafetensors(WEIGHTS);
    expect(f.path).toBe(WEIGHTS);
    expect(f.info('embeddings.word_embeddings.weight')).toEqual({ dtype: 'F32', shape: [512, 128] });
    const w = expectTensor(f, 'embeddings.word_embeddings.weight', { shape: [512, 128], dtypes: ['f32'] });
    expect(w.dtype).toBe('f32');
    expect(w.data).toBeInstanceOf(Float32Array);
    expect(w.data[w.data.length - 1]).toBe(Math.fround(-0.001077418914064765));
    let sum = 0;
    for (const v of w.data) sum += v;
    expect(sum).toBeCloseTo(5.026463211287137, 9);
    expect(f.has('pooler.dense.bias')).toBe(true);
    expect(JSON.parse(f.metadata.config!).hidden_size).toBe(128);
  });

  it('reads the reference inputs', () => {
    const f = readSafetensors(REFERENCE);
    const ids = expectTensor(f, 'input_ids', { shape: [2, 16], dtypes: ['i32', 'i64'] });
    expect(ids.dtype).toBe('i32');
    expect([...ids.data.subarray(0, 4)]).toEqual([175, 196, 25, 502]);
    const mask = f.get('attention_mask');
    expect([...mask.data.subarray(16)]).toEqual([...Array(11).fill(1), ...Array(5).fill(0)]);
    expect(f.info('last_hidden_state')).toEqual({ dtype: 'F32', shape: [2, 16, 128] });
  });

  it('re-encodes bert_tiny byte for byte', () => {
    // The file was written by the reference implementation with a single dtype, so its layout is
    // exactly ours: sorted names, metadata first, space padding.
    const bytes = fs.readFileSync(WEIGHTS);
    const f = parseSafetensors(bytes, WEIGHTS);
    const tensors = new Map(f.names.map((n) => [n, f.get(n)]));
    expect(Buffer.from(encodeSafetensors(tensors, f.metadata)).equals(bytes)).toBe(true);
  });
});

describe('errors', () => {
  const P = 'model.safetensors';

  it('reports missing and unreadable files', () => {
    const missing = path.join(tmpRoot, 'missing.safetensors');
    expect(errorOf(() => readSafetensors(missing)).message).toBe(`cannot read ${missing}: no such file or directory`);
    expect(errorOf(() => readSafetensors(tmpRoot)).message).toBe(`cannot read ${tmpRoot}: it is a directory, not a regular file`);
    expect(errorOf(() => readSafetensors(missing)).file).toBe(missing);
  });

  it('refuses devices, FIFOs and files over the limit before reading them', () => {
    expect(errorOf(() => readSafetensors('/dev/zero')).message).toBe('cannot read /dev/zero: it is a character device, not a regular file');
    const fifo = path.join(tmpRoot, 'weights.fifo');
    execFileSync('mkfifo', [fifo]);
    expect(errorOf(() => readSafetensors(fifo)).message).toBe(`cannot read ${fifo}: it is a FIFO, not a regular file`);
    // Sparse: five gigabytes of nothing, created at once, refused by its size without a read.
    const sparse = path.join(tmpRoot, 'huge.safetensors');
    fs.closeSync(fs.openSync(sparse, 'w'));
    fs.truncateSync(sparse, 5 * 2 ** 30 + 1);
    const err = errorOf(() => readSafetensors(sparse));
    expect(err.message).toBe(`${sparse} is 5,368,709,121 bytes (5.0 GiB); bertc reads safetensors files of at most 4 GiB`);
    expect(err.code).toBe('E0027');
  });

  it('reports truncated files with expected and found sizes', () => {
    expect(errorOf(() => parseSafetensors(new Uint8Array(5), P)).message).toBe(
      `${P} is truncated: expected at least 8 bytes (the header length), found 5`,
    );
    const full = fs.readFileSync(WEIGHTS);
    expect(errorOf(() => parseSafetensors(full.subarray(0, 100), P)).message).toBe(
      `${P} is truncated: expected at least 4840 bytes (8 + a header of 4832), found 100`,
    );
    expect(errorOf(() => parseSafetensors(full.subarray(0, 1_000_000), P)).message).toBe(
      `${P} is truncated: expected 1954024 bytes (tensor 'pooler.dense.weight' ends there), found 1000000`,
    );
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 2n ** 64n - 1n, true);
    expect(errorOf(() => parseSafetensors(huge, P)).message).toBe(
      `${P} is not a safetensors file: its header length is 18446744073709551615 bytes, more than the format's 100,000,000 bytes (95.4 MiB)`,
    );
  });

  it('throws only SafetensorsError when a real file is cut anywhere', () => {
    const full = fs.readFileSync(REFERENCE);
    const headerEnd = 8 + Number(full.readBigUInt64LE(0));
    const cuts = [0, 1, 7, 8, 9, 64, headerEnd - 1, headerEnd, headerEnd + 1, headerEnd + 4096, full.length - 1];
    for (const cut of cuts) errorOf(() => parseSafetensors(full.subarray(0, cut), REFERENCE));
  });

  it('throws only SafetensorsError for corrupted bytes', () => {
    const small = encodeSafetensors(
      {
        a: t('i64', [2], new Float64Array([1, -1])),
        b: t('f16', [3], new Float32Array([1, 2, 3])),
        c: t('bool', [1], new Uint8Array([1])),
      },
      { k: 'v' },
    );
    const real = fs.readFileSync(REFERENCE);
    const realHeaderEnd = 8 + Number(real.readBigUInt64LE(0));
    // Every byte of a small file (header and data), and a sample of a real header.
    const cases: [Uint8Array, number][] = [];
    for (let i = 0; i < small.length; i++) cases.push([small, i]);
    for (let i = 0; i < realHeaderEnd; i += 37) cases.push([real, i]);
    for (const [file, i] of cases) {
      for (const byte of [0x00, 0x22, 0x39, 0x7d, 0xff]) {
        const bytes = new Uint8Array(file);
        bytes[i] = byte;
        try {
          const f = parseSafetensors(bytes, P);
          for (const n of f.names) f.get(n);
        } catch (e) {
          if (!(e instanceof SafetensorsError)) expect.fail(`byte ${i} = ${byte}: ${String(e)}`);
        }
      }
    }
  });

  it('reports an invalid JSON header', () => {
    const text = '{"a": {"dtype":\n}}';
    let reason = '';
    try {
      JSON.parse(text);
    } catch (e) {
      reason = (e as Error).message.replace(/\s+/g, ' ');
    }
    expect(errorOf(() => parseSafetensors(rawFile(text), P)).message).toBe(`${P} has an invalid JSON header: ${reason}`);
    expect(errorOf(() => parseSafetensors(rawFile('[1, 2]'), P)).message).toBe(
      `${P} has an invalid header: expected a JSON object`,
    );
    expect(errorOf(() => parseSafetensors(rawFile('{"__metadata__":{"a":1}}'), P)).message).toBe(
      `${P} has an invalid header: __metadata__ must map strings to strings`,
    );
    expect(errorOf(() => parseSafetensors(rawFile('{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}}'), P)).message).toBe(
      `tensor 'w' in ${P} has an invalid header entry: shape must be an array of non-negative integers`,
    );
    expect(errorOf(() => parseSafetensors(rawFile('{"w":{"dtype":"F32","shape":[1],"data_offsets":[4]}}'), P)).message).toBe(
      `tensor 'w' in ${P} has an invalid header entry: data_offsets must be two non-negative integers`,
    );
  });

  it('reports an unknown dtype', () => {
    const bytes = rawFile('{"w":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}', new Uint8Array(8));
    expect(errorOf(() => parseSafetensors(bytes, P)).message).toBe(
      `tensor 'w' in ${P} has unknown dtype "F64" (supported: F32, F16, BF16, I32, I64, BOOL)`,
    );
  });

  it('reports data_offsets that do not match the shape', () => {
    const bytes = rawFile('{"w":{"dtype":"F16","shape":[2,3],"data_offsets":[0,8]}}', new Uint8Array(8));
    expect(errorOf(() => parseSafetensors(bytes, P)).message).toBe(
      `tensor 'w' in ${P} has data_offsets [0, 8] (8 bytes), expected 12 bytes for F16 [2, 3]`,
    );
  });

  it('reports I64 values that a double cannot hold exactly', () => {
    const bytes = encodeSafetensors({ ids: t('i64', [2], new Float64Array([1, 2])) });
    const view = new DataView(bytes.buffer);
    view.setBigInt64(bytes.length - 8, -(2n ** 53n) - 1n, true);
    const f = parseSafetensors(bytes, P);
    expect(errorOf(() => f.get('ids')).message).toBe(
      `tensor 'ids' in ${P} holds I64 value -9007199254740993 at element 1, outside ±2^53 (the exactly representable range)`,
    );
  });

  it('reports missing tensors with a suggestion when one is close', () => {
    const f = readSafetensors(WEIGHTS);
    const q = 'encoder.layer.0.attention.self.query.weight';
    expect(errorOf(() => f.get('encoder.layer.0.attention.self.query.weigth')).message).toBe(
      `tensor 'encoder.layer.0.attention.self.query.weigth' not found in ${WEIGHTS} (did you mean '${q}'?)`,
    );
    expect(errorOf(() => f.info(`bert.${q}`)).message).toBe(
      `tensor 'bert.${q}' not found in ${WEIGHTS} (did you mean '${q}'?)`,
    );
    const g = parseSafetensors(encodeSafetensors({ [`bert.${q}`]: t('f32', [1], new Float32Array(1)) }), P);
    expect(errorOf(() => g.get(q)).message).toBe(`tensor '${q}' not found in ${P} (did you mean 'bert.${q}'?)`);
    expect(errorOf(() => g.get('decoder.lm_head.bias')).message).toBe(`tensor 'decoder.lm_head.bias' not found in ${P}`);
    expect(errorOf(() => expectTensor(g, 'nope', { shape: [1], dtypes: ['f32'] })).message).toBe(
      `tensor 'nope' not found in ${P}`,
    );
  });

  it('reports wrong shapes and dtypes in expectTensor', () => {
    const f = parseSafetensors(
      encodeSafetensors({ X: t('f32', [128, 64], new Float32Array(128 * 64)), H: t('f16', [2], new Float32Array(2)) }),
      P,
    );
    expect(errorOf(() => expectTensor(f, 'X', { shape: [128, 128], dtypes: ['f32'] })).message).toBe(
      `tensor 'X' in ${P} has shape [128, 64], expected [128, 128]`,
    );
    expect(errorOf(() => expectTensor(f, 'H', { shape: [2], dtypes: ['f32'] })).message).toBe(
      `tensor 'H' in ${P} has dtype F16, expected one of f32`,
    );
    expect(errorOf(() => expectTensor(f, 'H', { shape: [2], dtypes: ['f32', 'bf16'] })).message).toBe(
      `tensor 'H' in ${P} has dtype F16, expected one of f32, bf16`,
    );
    expect(expectTensor(f, 'H', { shape: [2], dtypes: ['f16'] }).dtype).toBe('f16');
  });
});
