/**
 * The safetensors format, over bytes in memory (no file system, so the compile core and a browser
 * page can use it; `safetensors.ts` adds files): an 8-byte little-endian header length N, N bytes of JSON
 * header (`name -> {dtype, shape, data_offsets}` plus an optional `__metadata__` string map), then
 * the little-endian tensor data, with offsets relative to the end of the header.
 *
 * Tensors come back in the runtime storage conventions of `Tensor` (see interp/tensor.ts). Every
 * failure on the reading side is a one-line `SafetensorsError` naming the file, because these
 * messages go straight to users of the CLI.
 */
import type { DType } from '../ir/dtype.js';
import { isFloat, isInteger } from '../ir/dtype.js';
import { formatShape, numel, shapeEquals } from '../ir/shape.js';
import type { Tensor, TensorData } from '../interp/tensor.js';
import { bf16BitsToF32, f16BitsToF32, f32ToBf16Bits, f32ToF16Bits } from './halfFloat.js';
import { formatBytes } from './bytes.js';
import type { DuplicateKey, LayoutProblem, SafetensorsDType } from './safetensorsLayout.js';
import { entryProblem, firstDuplicateKey, ITEM_BYTES, layoutProblem, MAX_HEADER_BYTES, readHeaderLength } from './safetensorsLayout.js';

export type { SafetensorsDType };

/** `code` is the diagnostic it becomes: E0027 for a file over the size limit, else E0025. */
export class SafetensorsError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly code: 'E0025' | 'E0027' = 'E0025',
  ) {
    super(message);
    this.name = 'SafetensorsError';
  }
}

export interface SafetensorInfo {
  dtype: SafetensorsDType;
  shape: number[];
}

export interface SafetensorsFile {
  readonly path: string;
  /** Tensor names in sorted order. */
  readonly names: readonly string[];
  readonly metadata: Record<string, string>;
  has(name: string): boolean;
  info(name: string): SafetensorInfo;
  /** A fresh copy of the tensor's data, so callers may mutate it. */
  get(name: string): Tensor;
}

const TO_DTYPE: Record<SafetensorsDType, DType> = { F32: 'f32', F16: 'f16', BF16: 'bf16', I32: 'i32', I64: 'i64', BOOL: 'bool' };
const FROM_DTYPE: Record<DType, SafetensorsDType> = { f32: 'F32', f16: 'F16', bf16: 'BF16', i32: 'I32', i64: 'I64', bool: 'BOOL' };
const ST_DTYPES = Object.keys(ITEM_BYTES) as SafetensorsDType[];

function isSafetensorsDType(s: unknown): s is SafetensorsDType {
  return typeof s === 'string' && Object.hasOwn(ITEM_BYTES, s);
}

/** i64 values are held in doubles, exact up to 2^53 in magnitude. */
const I64_LIMIT = 2n ** 53n;

interface Entry extends SafetensorInfo {
  /** Absolute byte range in the file. */
  begin: number;
  end: number;
}

// ---------------------------------------------------------------------------------------------
// Reading (the layout rules are in safetensorsLayout.js, shared with runtime.js; the words here)

/**
 * Validates the header completely (dtypes, shapes, sizes, bounds), so that after this only an
 * out-of-range I64 value can make `get` fail. `bytes` is kept, not copied; `file` names the source
 * in messages.
 */
export function parseSafetensors(bytes: Uint8Array, file: string): SafetensorsFile {
  // Annotated so that TypeScript narrows after calls to it.
  const fail: (msg: string) => never = (msg) => {
    throw new SafetensorsError(msg, file);
  };
  const headerLength = readHeaderLength(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  switch (headerLength.problem) {
    case 'short':
      fail(`${file} is truncated: expected at least 8 bytes (the header length), found ${bytes.length}`);
    case 'over-limit':
      fail(`${file} is not a safetensors file: its header length is ${headerLength.length} bytes, more than the format's ${formatBytes(MAX_HEADER_BYTES)}`);
    case 'truncated':
      fail(`${file} is truncated: expected at least ${8n + headerLength.length} bytes (8 + a header of ${headerLength.length}), found ${bytes.length}`);
  }
  const dataStart = 8 + headerLength.length;

  let header: unknown;
  let headerText = '';
  try {
    headerText = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, dataStart));
    header = JSON.parse(headerText);
  } catch (e) {
    // V8's messages may quote the offending text, newlines included; keep the message on one line.
    fail(`${file} has an invalid JSON header: ${(e as Error).message.replace(/\s+/g, ' ')}`);
  }
  if (!isPlainObject(header)) fail(`${file} has an invalid header: expected a JSON object`);
  const dup = firstDuplicateKey(headerText);
  if (dup) fail(duplicateKeyMessage(dup, file));

  let metadata: Record<string, string> = {};
  const entries = new Map<string, Entry>();
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (!isPlainObject(value) || !Object.values(value).every((v) => typeof v === 'string')) {
        fail(`${file} has an invalid header: __metadata__ must map strings to strings`);
      }
      // fromEntries defines own properties, so even a '__proto__' key stays plain data.
      metadata = Object.fromEntries(Object.entries(value)) as Record<string, string>;
      continue;
    }
    entries.set(name, parseEntry(name, value, dataStart, file));
  }

  checkLayout(entries, dataStart, bytes.length, file);

  const names = [...entries.keys()].sort();
  const lookup = (name: string): Entry => entries.get(name) ?? fail(notFoundMessage(name, names, file));
  return {
    path: file,
    names,
    metadata,
    has: (name) => entries.has(name),
    info: (name) => {
      const e = lookup(name);
      return { dtype: e.dtype, shape: [...e.shape] };
    },
    get: (name) => decode(name, lookup(name), bytes, file),
  };
}

function parseEntry(name: string, value: unknown, dataStart: number, file: string): Entry {
  const bad: (what: string) => never = (what) => {
    throw new SafetensorsError(`tensor '${name}' in ${file} has an invalid header entry: ${what}`, file);
  };
  if (!isPlainObject(value)) bad('expected an object with dtype, shape and data_offsets');
  const { dtype, shape, data_offsets: offsets } = value;
  if (!isSafetensorsDType(dtype)) {
    throw new SafetensorsError(
      `tensor '${name}' in ${file} has unknown dtype ${JSON.stringify(dtype)} (supported: ${ST_DTYPES.join(', ')})`,
      file,
    );
  }
  const p = entryProblem(shape, offsets, ITEM_BYTES[dtype]);
  switch (p?.problem) {
    case 'shape':
      bad('shape must be an array of non-negative integers');
    case 'offsets':
      bad('data_offsets must be two non-negative integers');
    case 'reversed':
      bad(`data_offsets [${p.begin}, ${p.end}] end before they begin`);
    case 'size':
      throw new SafetensorsError(
        `tensor '${name}' in ${file} has data_offsets [${p.begin}, ${p.end}] (${p.end - p.begin} bytes), ` +
          `expected ${p.expected} bytes for ${dtype} ${formatShape(shape as number[])}`,
        file,
      );
  }
  const [begin, end] = offsets as [number, number];
  return { dtype, shape: shape as number[], begin: dataStart + begin, end: dataStart + end };
}

/**
 * The data section must be covered exactly (safetensorsLayout.js says how); checked after every
 * entry is known to be well formed, so the messages can give full sizes.
 */
function checkLayout(entries: ReadonlyMap<string, Entry>, dataStart: number, fileSize: number, file: string): void {
  const relative = [...entries].map(([name, e]) => ({ name, begin: e.begin - dataStart, end: e.end - dataStart }));
  const p = layoutProblem(relative, fileSize - dataStart);
  if (p) throw new SafetensorsError(layoutMessage(p, dataStart, fileSize, file), file);
}

function layoutMessage(p: LayoutProblem<{ name: string; begin: number; end: number }>, dataStart: number, fileSize: number, file: string): string {
  const at = (e: { begin: number; end: number }) => `[${e.begin}, ${e.end}]`;
  switch (p.problem) {
    case 'overlap':
      return `tensor '${p.tensor.name}' in ${file} has data_offsets ${at(p.tensor)}, overlapping tensor '${p.previous.name}' ${at(p.previous)}`;
    case 'gap': {
      const after = p.previous === undefined ? 'before the first tensor' : `after tensor '${p.previous.name}'`;
      return `tensor '${p.tensor.name}' in ${file} has data_offsets ${at(p.tensor)}, leaving bytes ${p.from} to ${p.tensor.begin} ${after} unused`;
    }
    case 'past-end':
      return `${file} is truncated: expected ${dataStart + p.end} bytes (tensor '${p.last.name}' ends there), found ${fileSize}`;
    case 'trailing': {
      const last = p.last === undefined ? 'the header, which declares no tensor' : `tensor '${p.last.name}'`;
      return `${file} has ${p.bytes} bytes after ${last}, which no tensor's data_offsets cover`;
    }
  }
}

/** Copies a tensor out of the file into its runtime representation. */
function decode(name: string, e: Entry, bytes: Uint8Array, file: string): Tensor {
  const n = (e.end - e.begin) / ITEM_BYTES[e.dtype];
  // The data need not be aligned within `bytes`, so read through a DataView rather than a typed
  // array view; this also makes the little-endian reading explicit.
  const view = new DataView(bytes.buffer, bytes.byteOffset + e.begin, e.end - e.begin);
  let data: TensorData;
  switch (e.dtype) {
    case 'F32':
      data = fill(new Float32Array(n), (i) => view.getFloat32(4 * i, true));
      break;
    case 'F16':
      data = fill(new Float32Array(n), (i) => f16BitsToF32(view.getUint16(2 * i, true)));
      break;
    case 'BF16':
      data = fill(new Float32Array(n), (i) => bf16BitsToF32(view.getUint16(2 * i, true)));
      break;
    case 'I32':
      data = fill(new Int32Array(n), (i) => view.getInt32(4 * i, true));
      break;
    case 'I64':
      data = fill(new Float64Array(n), (i) => {
        const v = view.getBigInt64(8 * i, true);
        if (v > I64_LIMIT || v < -I64_LIMIT) {
          throw new SafetensorsError(
            `tensor '${name}' in ${file} holds I64 value ${v} at element ${i}, outside ±2^53 (the exactly representable range)`,
            file,
          );
        }
        return Number(v);
      });
      break;
    case 'BOOL':
      // Any nonzero byte is true; normalise so that the runtime can rely on 0/1.
      data = fill(new Uint8Array(n), (i) => (view.getUint8(i) !== 0 ? 1 : 0));
      break;
  }
  return { dtype: TO_DTYPE[e.dtype], shape: [...e.shape], data };
}

/** Checks a tensor against an expectation and returns a Tensor; errors name the tensor. */
export function expectTensor(
  file: SafetensorsFile,
  name: string,
  expected: { shape: readonly number[]; dtypes: readonly DType[] },
): Tensor {
  const { dtype, shape } = file.info(name);
  if (!expected.dtypes.includes(TO_DTYPE[dtype])) {
    throw new SafetensorsError(
      `tensor '${name}' in ${file.path} has dtype ${dtype}, expected one of ${expected.dtypes.join(', ')}`,
      file.path,
    );
  }
  if (!shapeEquals(shape, expected.shape)) {
    throw new SafetensorsError(
      `tensor '${name}' in ${file.path} has shape ${formatShape(shape)}, expected ${formatShape(expected.shape)}`,
      file.path,
    );
  }
  return file.get(name);
}

// ---------------------------------------------------------------------------------------------
// Writing

/**
 * Serialises tensors deterministically: names sorted, data laid out in that order, and the header
 * padded with spaces to a multiple of 8 bytes (as the reference implementation does) so that the
 * data section starts aligned. `storage` overrides the file dtype per tensor, e.g. f32 as F16.
 * Encoding errors are caller bugs, so they are plain Errors naming the tensor.
 */
export function encodeSafetensors(
  tensors: ReadonlyMap<string, Tensor> | Record<string, Tensor>,
  metadata?: Record<string, string>,
  storage?: Record<string, SafetensorsDType>,
): Uint8Array {
  const map: ReadonlyMap<string, Tensor> = tensors instanceof Map ? tensors : new Map(Object.entries(tensors));
  const names = [...map.keys()].sort();
  if (names.includes('__metadata__')) throw new Error(`'__metadata__' is reserved and cannot name a tensor`);
  // A misspelt override would otherwise silently write the default dtype.
  for (const name of Object.keys(storage ?? {})) {
    if (!map.has(name)) throw new Error(`storage dtype given for '${name}', which is not among the tensors`);
  }

  // Built as entries and turned into an object with fromEntries, which defines own properties, so
  // a tensor named '__proto__' is serialised like any other.
  const header: [string, unknown][] = [];
  if (metadata && Object.keys(metadata).length > 0) {
    header.push(['__metadata__', Object.fromEntries(Object.keys(metadata).sort().map((k) => [k, metadata[k]]))]);
  }
  const plan: { name: string; t: Tensor; dtype: SafetensorsDType; begin: number }[] = [];
  let offset = 0;
  for (const name of names) {
    const t = map.get(name)!;
    const dtype = storage?.[name] ?? FROM_DTYPE[t.dtype];
    checkEncodable(name, t, dtype);
    const size = t.data.length * ITEM_BYTES[dtype];
    header.push([name, { dtype, shape: [...t.shape], data_offsets: [offset, offset + size] }]);
    plan.push({ name, t, dtype, begin: offset });
    offset += size;
  }

  const json = new TextEncoder().encode(JSON.stringify(Object.fromEntries(header)));
  const headerLen = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLen + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerLen), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLen);
  for (const p of plan) encodeData(p.name, p.t.data, p.dtype, view, 8 + headerLen + p.begin);
  return out;
}

function checkEncodable(name: string, t: Tensor, dtype: SafetensorsDType): void {
  if (!isSafetensorsDType(dtype)) throw new Error(`tensor '${name}': unknown storage dtype ${JSON.stringify(dtype)}`);
  if (t.data.length !== numel(t.shape)) {
    throw new Error(`tensor '${name}' has ${t.data.length} elements, shape ${formatShape(t.shape)} needs ${numel(t.shape)}`);
  }
  // Only conversions within a kind: storing a float tensor as integers would silently truncate.
  const to = TO_DTYPE[dtype];
  const sameKind = isFloat(t.dtype) ? isFloat(to) : isInteger(t.dtype) ? isInteger(to) : to === 'bool';
  if (!sameKind) throw new Error(`tensor '${name}' has dtype ${t.dtype}, which cannot be stored as ${dtype}`);
}

function encodeData(name: string, data: TensorData, dtype: SafetensorsDType, view: DataView, at: number): void {
  // DataView's integer setters wrap silently, so range-check before writing.
  const int = (i: number, lo: number, hi: number): number => {
    const v = data[i]!;
    if (!Number.isInteger(v) || v < lo || v > hi) throw new Error(`tensor '${name}' element ${i} (${v}) does not fit ${dtype}`);
    return v;
  };
  for (let i = 0; i < data.length; i++) {
    switch (dtype) {
      case 'F32':
        view.setFloat32(at + 4 * i, data[i]!, true);
        break;
      case 'F16':
        view.setUint16(at + 2 * i, f32ToF16Bits(data[i]!), true);
        break;
      case 'BF16':
        view.setUint16(at + 2 * i, f32ToBf16Bits(data[i]!), true);
        break;
      case 'I32':
        view.setInt32(at + 4 * i, int(i, -(2 ** 31), 2 ** 31 - 1), true);
        break;
      case 'I64':
        view.setBigInt64(at + 8 * i, BigInt(int(i, -(2 ** 53), 2 ** 53)), true);
        break;
      case 'BOOL':
        view.setUint8(at + i, data[i]! !== 0 ? 1 : 0);
        break;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

function fill<T extends TensorData>(out: T, value: (i: number) => number): T {
  for (let i = 0; i < out.length; i++) out[i] = value(i);
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function duplicateKeyMessage(d: DuplicateKey, file: string): string {
  if (d.parent === undefined) return `tensor '${d.key}' appears twice in the header of ${file}; the format forbids duplicate names`;
  if (d.parent === '__metadata__') return `${file} has an invalid header: __metadata__ has key '${d.key}' twice`;
  return `tensor '${d.parent}' in ${file} has an invalid header entry: key '${d.key}' appears twice`;
}

function notFoundMessage(name: string, names: readonly string[], file: string): string {
  const hint = closestName(name, names);
  return `tensor '${name}' not found in ${file}` + (hint === undefined ? '' : ` (did you mean '${hint}'?)`);
}

/** A name within edit distance 3, else one that differs only by a dotted prefix such as 'bert.'. */
function closestName(name: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDist = 4;
  for (const n of names) {
    const d = editDistance(name, n, bestDist - 1);
    if (d < bestDist) [best, bestDist] = [n, d];
  }
  if (best !== undefined) return best;
  const sameSuffix = names.filter((n) => n.endsWith('.' + name) || name.endsWith('.' + n));
  return sameSuffix.sort((a, b) => a.length - b.length)[0];
}

/** Levenshtein distance, or max + 1 once it is known to exceed `max` (names can be long). */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    if (Math.min(...cur) > max) return max + 1;
    prev = cur;
  }
  return Math.min(prev[b.length]!, max + 1);
}
