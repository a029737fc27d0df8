/**
 * The C runtime (targets/c/runtime/bertc_runtime.h): test/c/runtime_test.c is compiled under
 * several flag sets and its output is compared with the TypeScript implementations (the dropout
 * generator, the safetensors reader and its messages). Also runs `calibrate`.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peakMatrixFlops, peakVectorFlops } from '../src/accel/accelerator.js';
import { SPECIAL_FUNCTIONS, validateAccelerator } from '../src/accel/validate.js';
import { calibrate } from '../src/calibrate.js';
import { dropoutBits, dropoutKey } from '../src/interp/rng.js';
import { encodeSafetensors, parseSafetensors, readSafetensors, SafetensorsError } from '../src/io/safetensors.js';
import { formatShape } from '../src/ir/shape.js';
import { MALFORMED, rawFile, withHeaderLength } from './support/malformedSafetensors.js';

const execFileAsync = promisify(execFile);
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const RUNTIME = here('../targets/c/runtime');
const TEST_SOURCE = here('./c/runtime_test.c');
const WEIGHTS = here('../../shared/reference/bert_tiny.safetensors');

const HAVE_CC = spawnSync('cc', ['--version']).status === 0;
if (!HAVE_CC) console.warn('test/c-runtime.test.ts: skipped: no C compiler (`cc`) on PATH');

const WARNINGS = ['-std=c11', '-Wall', '-Wextra', '-Wpedantic', '-Werror'];
const cpuFlags = fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '';
/** Builds of the test, each a configuration generated code may be compiled in. */
const BUILDS: Record<string, string[]> = {
  native: ['-O3', '-march=native', '-fopenmp', '-pthread'],
  // The sanitizers at -O1 keep the stack traces useful; no recovery, so UB fails the run.
  asan: ['-O1', '-g', '-fno-omit-frame-pointer', '-fsanitize=address,undefined', '-fno-sanitize-recover=all', '-fopenmp', '-pthread'],
  // The thread pool's synchronisation under ThreadSanitizer (without OpenMP, which it cannot see into).
  tsan: ['-O1', '-g', '-fsanitize=thread', '-pthread'],
  // Baseline x86-64 / generic target without OpenMP: the vector kernels on split registers.
  portable: ['-O2'],
  // AVX2 with FMA but no AVX-512: the 256-bit FMA branch.
  ...(process.arch === 'x64' && /\bavx2\b/.test(cpuFlags) && /\bfma\b/.test(cpuFlags) ? { avx2: ['-O2', '-mavx2', '-mfma'] } : {}),
};

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bertc-c-runtime-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Binaries by build name, compiled concurrently; a test awaits the one it runs. */
const binaries = new Map<string, Promise<string>>();
beforeAll(() => {
  if (!HAVE_CC) return;
  for (const [name, flags] of Object.entries(BUILDS)) {
    const exe = path.join(tmp, `runtime_test_${name}`);
    const build = execFileAsync('cc', [...WARNINGS, ...flags, '-I', RUNTIME, TEST_SOURCE, '-o', exe, '-lm']).then(() => exe);
    build.catch(() => {}); // reported by the test that awaits it
    binaries.set(name, build);
  }
});

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

const ASAN_ENV = { ...process.env, ASAN_OPTIONS: 'detect_leaks=1', UBSAN_OPTIONS: 'print_stacktrace=1' };

async function runTest(build: string, args: string[], input = ''): Promise<Run> {
  const exe = await binaries.get(build)!;
  let r = spawnSync(exe, args, { input, encoding: 'utf8', env: ASAN_ENV, maxBuffer: 1 << 26 });
  // LeakSanitizer cannot run in some containers (it needs ptrace-like access); check the rest then.
  if (/LeakSanitizer has encountered a fatal error/.test(r.stderr)) {
    r = spawnSync(exe, args, { input, encoding: 'utf8', env: { ...ASAN_ENV, ASAN_OPTIONS: 'detect_leaks=0' }, maxBuffer: 1 << 26 });
  }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs and expects success: a failure shows the program's own report. */
async function runOk(build: string, args: string[], input = ''): Promise<string> {
  const r = await runTest(build, args, input);
  expect(r.stdout + r.stderr).not.toMatch(/FAIL|ERROR: AddressSanitizer|runtime error:|WARNING: ThreadSanitizer/);
  expect(r.status, r.stdout + r.stderr).toBe(0);
  return r.stdout;
}

/** The message the TypeScript reader gives for a file, or undefined when it accepts it. */
function tsError(bytes: Uint8Array, file: string): string | undefined {
  try {
    parseSafetensors(bytes, file);
    return undefined;
  } catch (e) {
    if (!(e instanceof SafetensorsError)) throw e;
    return e.message;
  }
}

/** The C reader's listing in the runtime_test format, computed from the TypeScript reader. */
function tsListing(bytes: Uint8Array, file: string): string[] {
  const f = parseSafetensors(bytes, file);
  return f.names.map((name) => {
      const { dtype, shape } = f.info(name);
      const t = f.get(name);
      // Rebuild the stored bytes: the TypeScript reader widens F16/BF16 to f32 and I64 to doubles.
      const stored = encodeSafetensors({ x: t }, undefined, { x: dtype });
      const start = 8 + Number(new DataView(stored.buffer).getBigUint64(0, true));
      const data = stored.subarray(start);
      const hex = Buffer.from(data.subarray(0, 16)).toString('hex');
      return `tensor\t${name}\t${dtype}\t${formatShape(shape)}\t${data.length}\t1\t${hex}`;
  });
}

/** Output lines; a line may end in a tab (an empty tensor's data), so no trimming. */
function lines(out: string): string[] {
  return out.split('\n').filter((l) => l !== '');
}

let fileCount = 0;
function writeTemp(bytes: Uint8Array): string {
  const file = path.join(tmp, `case${fileCount++}.safetensors`);
  fs.writeFileSync(file, bytes);
  return file;
}

/** The builds every runtime test runs on; ThreadSanitizer's build runs the thread pool's test alone, as the rest is single-threaded. */
const BUILD_NAMES = Object.keys(BUILDS).filter((b) => b !== 'tsan');

describe.skipIf(!HAVE_CC)('C runtime', () => {
  describe.each(BUILD_NAMES)('%s build', (build) => {
    it('compiles warning-free with -Wall -Wextra -Wpedantic -Werror', async () => {
      await expect(binaries.get(build)).resolves.toBeTypeOf('string');
    });

    it('bertc_sgemm matches a double-precision triple loop on every layout and blocking', async () => {
      const out = await runOk(build, ['gemm']);
      expect(out).toMatch(/^gemm: \d+ products checked$/m);
    });

    it('allocates aligned zeroed memory, splits ranges and formats errors', async () => {
      expect(await runOk(build, ['misc'])).toContain('misc: ok');
    });

    it('runs every task of every job exactly once on its thread pool, whether the workers spin or sleep', async () => {
      expect(await runOk(build, ['pool'])).toContain('pool: ok');
    });
  });

  it('has no data race in its thread pool (ThreadSanitizer)', async () => {
    expect(await runOk('tsan', ['pool'])).toContain('pool: ok');
  });

  it('the dropout generator matches src/interp/rng.ts bit for bit', async () => {
    const edges = [0, 1, 2, 42, 0x7fffffff, 0x80000000, 0x9e3779b9, 0xffffffff];
    const triples: [number, number, number][] = [];
    for (const seed of edges) for (const id of edges) for (const i of edges) triples.push([seed, id, i]);
    let x = 12345;
    const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
    for (let k = 0; k < 2000; k++) triples.push([next(), next() % 64, next()]);
    const out = await runOk('native', ['rng'], triples.map((t) => t.join(' ')).join('\n') + '\n');
    const expected = triples.map(([seed, id, i]) => {
      const key = dropoutKey(seed, id);
      return `${key} ${dropoutBits(key, i)}`;
    });
    expect(out.trim().split('\n')).toEqual(expected);
  });

  describe('safetensors', () => {
    const weights = fs.readFileSync(WEIGHTS);

    it.each(['native', 'asan'])('reads bert_tiny like the TypeScript reader (%s), every tensor 64-byte aligned', async (build) => {
      const out = await runOk(build, ['st-list', WEIGHTS]);
      expect(lines(out)).toEqual(tsListing(weights, WEIGHTS));
      const first = readSafetensors(WEIGHTS).get('encoder.layer.0.attention.self.query.weight').data;
      const hex = Buffer.from(new Float32Array(first.slice(0, 4) as Float32Array).buffer).toString('hex');
      expect(out).toContain(`encoder.layer.0.attention.self.query.weight\tF32\t[128, 128]\t65536\t1\t${hex}`);
    });

    const Q = 'encoder.layer.0.attention.self.query.weight';
    // The expected output; null: the TypeScript reader's not-found message (hint included), code 3.
    const lookups: [string, string, string, string, string | null][] = [
      ['accepts a matching dtype and shape', Q, 'F32', '128,128', 'ok'],
      ['a missing tensor, with a hint', 'encoder.layer.0.attention.self.querry.weight', 'F32', '128,128', null],
      ['a missing tensor differing by a prefix', 'bert.pooler.dense.bias', 'F32', '128', null],
      ['a missing tensor, no hint', 'nothing.like.it', 'F32', '1', null],
      ['a wrong shape', Q, 'F32', '128,64', `error 4 tensor '${Q}' in ${WEIGHTS} has shape [128, 128], expected [128, 64]`],
      ['a wrong rank', Q, 'F32', '-', `error 4 tensor '${Q}' in ${WEIGHTS} has shape [128, 128], expected []`],
      ['a wrong dtype (before the shape)', Q, 'F16', '1', `error 5 tensor '${Q}' in ${WEIGHTS} has dtype F32, expected F16`],
    ];
    it.each(lookups)('bertc_st_tensor: %s', async (_, name, dtype, dims, expected) => {
      const want = expected ?? `error 3 ${errorOf(() => readSafetensors(WEIGHTS).info(name))}`;
      for (const build of ['native', 'asan']) expect((await runOk(build, ['st-get', WEIGHTS, name, dtype, dims])).trim()).toBe(want);
    });

    /** Malformed and unusual files: the C reader must accept what the TypeScript reader accepts, with the same content, and refuse the rest with the same message. */
    const hlen = Number(weights.readBigUInt64LE(0));
    const f32 = (n: number) => new Uint8Array(4 * n).map((_, i) => i * 7 + 1);
    const entry = (dtype: string, shape: string, offsets: string) => `{"dtype":${dtype},"shape":${shape},"data_offsets":${offsets}}`;
    const hugeLength = new Uint8Array(16);
    new DataView(hugeLength.buffer).setBigUint64(0, 0xffffffffffffffffn, true);
    const cases: [string, Uint8Array][] = [
      ...[0, 7, 8, 100, 8 + hlen - 1, 8 + hlen, 8 + hlen + 1000, weights.length - 1].map(
        (n): [string, Uint8Array] => [`bert_tiny truncated to ${n} bytes`, weights.subarray(0, n)],
      ),
      ['a header length near 2^64', hugeLength],
      ['an empty header object', rawFile('{}')],
      ['only metadata', rawFile('{"__metadata__":{"a":"b","c":"\\u00e9"}}')],
      ['metadata with a number', rawFile('{"__metadata__":{"a":1}}')],
      ['metadata that is a string', rawFile('{"__metadata__":"x"}')],
      ['an unknown dtype', rawFile(`{"a":${entry('"F8"', '[1]', '[0,1]')}}`, f32(1))],
      ['a numeric dtype', rawFile(`{"a":${entry('5', '[1]', '[0,4]')}}`, f32(1))],
      ['an object dtype', rawFile(`{"a":${entry('{"x":[1,2]}', '[1]', '[0,4]')}}`, f32(1))],
      ['a dtype with escapes', rawFile(`{"a":${entry('"F\\u0033\\u0032"', '[1]', '[0,4]')}}`, f32(1))],
      ['a dtype needing quotes', rawFile(`{"a":${entry('"F\\"\\n\\u0001"', '[1]', '[0,4]')}}`, f32(1))],
      ['a missing dtype', rawFile('{"a":{"shape":[1],"data_offsets":[0,4]}}', f32(1))],
      ['a negative dimension', rawFile(`{"a":${entry('"F32"', '[-1]', '[0,4]')}}`, f32(1))],
      ['a fractional dimension', rawFile(`{"a":${entry('"F32"', '[1.5]', '[0,4]')}}`, f32(1))],
      ['integral numbers written as 1.0 and 4e0', rawFile(`{"a":${entry('"F32"', '[1.0, 0.1e1]', '[0, 4e0]')}}`, f32(1))],
      ['a dimension past 2^53', rawFile(`{"a":${entry('"F32"', '[9007199254740993]', '[0,4]')}}`, f32(1))],
      ['a shape that is not an array', rawFile(`{"a":${entry('"F32"', '"1"', '[0,4]')}}`, f32(1))],
      ['one data offset', rawFile(`{"a":${entry('"F32"', '[1]', '[4]')}}`, f32(1))],
      ['offsets ending before they begin', rawFile(`{"a":${entry('"F32"', '[1]', '[4,0]')}}`, f32(1))],
      ['offsets of the wrong size', rawFile(`{"a":${entry('"F32"', '[2, 3]', '[0,8]')}}`, f32(2))],
      ['a size overflowing 64 bits', rawFile(`{"a":${entry('"F32"', '[4294967296, 4294967296]', '[0,8]')}}`, f32(2))],
      ['an entry that is not an object', rawFile('{"a":3}')],
      ['a header that is an array', rawFile('[1, 2]')],
      ['an unterminated header', rawFile('{"a":')],
      ['a missing colon', rawFile('{"a" 1}')],
      ['text after the object', rawFile('{} x')],
      ['an empty header', rawFile('')],
      ['a header that is not UTF-8', rawFile(new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]))],
      ['a byte order mark', rawFile('\ufeff{}')],
      ['unknown keys and nesting in entries', rawFile(`{"a":{"x":{"y":[null,true,false,-1.5e-3]},"dtype":"I32","shape":[],"data_offsets":[0,4]}}`, f32(1))],
      ['escaped names', rawFile(`{"a\\"b\\\\c\\u00e9\\ud83d\\ude00\\/":${entry('"F32"', '[1]', '[0,4]')}}`, f32(1))],
      ['every dtype, unaligned after an odd F16', encodeSafetensors(
        {
          a: { dtype: 'f32', shape: [3], data: new Float32Array([1, -2, 3.5]) },
          b: { dtype: 'f32', shape: [2, 2], data: new Float32Array([0.1, 0.2, 0.3, 0.4]) },
          c: { dtype: 'f32', shape: [2], data: new Float32Array([-1.5, 2.25]) },
          d: { dtype: 'i32', shape: [2], data: new Int32Array([-7, 9]) },
          e: { dtype: 'i64', shape: [2], data: new Float64Array([-3, 2 ** 40]) },
          f: { dtype: 'bool', shape: [3], data: new Uint8Array([1, 0, 1]) },
          g: { dtype: 'f32', shape: [0, 4], data: new Float32Array(0) },
        },
        { note: 'x' },
        { a: 'F16', c: 'BF16' },
      )],
      ['data in another order than the names', rawFile(`{"a":${entry('"F32"', '[1]', '[4,8]')},"b":${entry('"F32"', '[1]', '[0,4]')}}`, f32(2))],
      ['empty tensors where others begin and end', rawFile(`{"a":${entry('"F32"', '[0]', '[0,0]')},"b":${entry('"F32"', '[1]', '[0,4]')},"c":${entry('"I32"', '[0, 3]', '[4,4]')}}`, f32(1))],
      ['a tensor past the end of the file', rawFile(`{"a":${entry('"F32"', '[2]', '[0,8]')}}`, f32(1))],
    ];
    /**
     * Runs the C reader on `bytes` in both builds: it must list what the TypeScript reader reads, or
     * give its message. `refused`: the file is one the TypeScript reader must refuse.
     */
    async function expectLikeTypeScript(bytes: Uint8Array, refused = false): Promise<void> {
      const file = writeTemp(bytes);
      const want = tsError(bytes, file);
      if (refused) expect(want).toBeDefined();
      for (const build of ['native', 'asan']) {
        const out = await runOk(build, ['st-list', file]);
        if (want === undefined) {
          expect(lines(out)).toEqual(tsListing(bytes, file));
        } else if (want.startsWith(`${file} has an invalid JSON header: `)) {
          // JSON syntax errors: the TypeScript reader quotes V8's wording, which C cannot match.
          expect(out.trim()).toMatch(new RegExp(`^error 2 ${escapeRegExp(file)} has an invalid JSON header: .+ at byte \\d+$`));
        } else {
          expect(out.trim()).toBe(`error 2 ${want}`);
        }
      }
    }

    it.each(cases)('%s', async (_, bytes) => expectLikeTypeScript(bytes));

    it.each(MALFORMED)("refuses $label with the TypeScript reader's message", async ({ bytes }) => expectLikeTypeScript(bytes, true));

    /** More files the format forbids, for what the order of the checks decides: which problem, and which tensor, is named first. */
    const layout = (names: string, data: Uint8Array) => rawFile(`{${names}}`, data);
    const refused: [string, Uint8Array][] = [
      ['a repeated name after an entry with a bad dtype', layout(`"a":${entry('"F8"', '[1]', '[0,4]')},"b":${entry('"F32"', '[1]', '[4,8]')},"a":${entry('"F32"', '[1]', '[0,4]')}`, f32(2))],
      ['a repeated __metadata__', layout(`"__metadata__":{},"a":${entry('"F32"', '[1]', '[0,4]')},"__metadata__":{"x":"y"}`, f32(1))],
      ['a key repeated in __metadata__', layout(`"__metadata__":{"k":"1","j":"2","k":"3"},"a":${entry('"F32"', '[1]', '[0,4]')}`, f32(1))],
      ['a key repeated deep inside an entry', layout(`"a":{"x":{"y":[{"z":1,"z":2}]},"dtype":"F32","shape":[1],"data_offsets":[0,4]}`, f32(1))],
      ['an inner repeat after an outer one', layout(`"a":${entry('"F32"', '[1]', '[0,4]')},"a":{"x":{"q":1,"q":2}}`, f32(1))],
      ['an outer repeat after an inner one', layout(`"a":{"x":{"q":1,"q":2}},"a":${entry('"F32"', '[1]', '[0,4]')}`, f32(1))],
      ['a name repeated three times', layout('"b":1,"a":1,"b":2,"a":2,"b":3', f32(1))],
      ['an empty tensor inside another', layout(`"a":${entry('"F32"', '[2]', '[0,8]')},"e":${entry('"F32"', '[0]', '[4,4]')}`, f32(2))],
      ['two tensors on the same bytes, named by numbers', layout(`"b":${entry('"F32"', '[1]', '[0,4]')},"10":${entry('"I32"', '[1]', '[0,4]')},"9":${entry('"I32"', '[1]', '[0,4]')}`, f32(1))],
      ['bad entries where a numeric name is checked first', layout(`"b":${entry('"F8"', '[1]', '[0,4]')},"07":${entry('"F9"', '[1]', '[0,4]')},"3":${entry('"F7"', '[1]', '[0,4]')}`, f32(1))],
      ['a name past the largest array index', layout(`"b":${entry('"F8"', '[1]', '[0,4]')},"4294967295":${entry('"F9"', '[1]', '[0,4]')}`, f32(1))],
      ['a gap and a tensor past the end of the file', layout(`"a":${entry('"F32"', '[1]', '[0,4]')},"b":${entry('"F32"', '[2]', '[8,16]')}`, f32(2))],
      ['a gap before an overlap', layout(`"a":${entry('"F32"', '[1]', '[4,8]')},"b":${entry('"F32"', '[1]', '[4,8]')}`, f32(2))],
      ['bytes after a header of no tensor', layout('', f32(1))],
      ['metadata only, and bytes after it', layout('"__metadata__":{"a":"b"}', f32(1))],
      ['the largest header length the format allows, past the end of the file', withHeaderLength(100_000_000n, 16)],
      ['one byte more than the largest header length', withHeaderLength(100_000_001n, 16)],
    ];
    it.each(refused)("refuses %s with the TypeScript reader's message", async (_, bytes) => expectLikeTypeScript(bytes, true));

    it('refuses a tensor past the end of the file and a header longer than the file, naming both', async () => {
      const short = rawFile(`{"a":${entry('"F32"', '[2]', '[0,8]')}}`, f32(1));
      const past = writeTemp(short);
      expect((await runOk('native', ['st-list', past])).trim()).toBe(`error 2 ${past} is truncated: expected ${short.length + 4} bytes (tensor 'a' ends there), found ${short.length}`);
      const long = writeTemp(weights.subarray(0, 8 + hlen - 1));
      expect((await runOk('native', ['st-list', long])).trim()).toBe(`error 2 ${long} is truncated: expected at least ${8 + hlen} bytes (8 + a header of ${hlen}), found ${8 + hlen - 1}`);
    });

    it('reports a missing file, a directory, a device and a FIFO like the TypeScript reader, without reading them', async () => {
      const fifo = path.join(tmp, 'weights.fifo');
      execFileSync('mkfifo', [fifo]);
      for (const file of [path.join(tmp, 'no-such.safetensors'), path.join(tmp, 'no-such', 'w.safetensors'), tmp, '/dev/zero', fifo]) {
        const want = errorOf(() => readSafetensors(file));
        expect((await runOk('native', ['st-list', file])).trim()).toBe(`error 1 ${want}`);
      }
    });
  });

  it('calibrate measures this machine into a valid host-cpu-calibrated description', () => {
    // The probe measures generated code through the backend's own helpers, never a copy of them.
    const probe = fs.readFileSync(here('../targets/c/probes/bertc_probe.c'), 'utf8');
    expect(probe).toContain('#include "bertc_helpers.h"');
    for (const helper of ['bertc_row_sum', 'bertc_erf', 'bertc_exp', 'bertc_tanh', 'bertc_gelu']) expect(probe).not.toContain(`float ${helper}(`);
    const a = calibrate({ seconds: 0.5 });
    expect(validateAccelerator(a, 'test')).toEqual(a);
    expect(a.name).toBe('host-cpu-calibrated');
    // Rates are measurements on a machine that may be busy (other tests run beside this one), so
    // only their form is checked here; bench/ is where their values are looked at.
    const rates = [peakMatrixFlops(a, 'f32')!, a.dram.bandwidth_bytes_per_s, peakVectorFlops(a), ...SPECIAL_FUNCTIONS.map((fn) => a.vector.special_per_cycle[fn])];
    for (const r of rates) expect(Number.isFinite(r) && r > 0, String(r)).toBe(true);
    expect(a.sources.some((s) => s.includes(new Date().toISOString().slice(0, 10)))).toBe(true);
    console.log(`calibrate: ${a.sources.slice(0, 2).join(' ')} ${a.sources[4]} ${a.sources.filter((s) => s.startsWith('vector')).join(' ')}`);
  });
});

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof SafetensorsError) return e.message;
    throw e;
  }
  throw new Error('expected a SafetensorsError');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
