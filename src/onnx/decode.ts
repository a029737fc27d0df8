import protobuf from 'protobufjs/light.js';
import { diagnosticError } from '../diag/diagnostics.js';
import type { DType } from '../ir/dtype.js';
import { numel } from '../ir/shape.js';
import { bf16BitsToF32, f16BitsToF32 } from '../io/halfFloat.js';
import { allocData, type Tensor, type TensorData } from '../interp/tensor.js';
import { ONNX_SCHEMA } from './onnxSchema.js';

/*
 * An ONNX ModelProto decoded by protobufjs over ONNX's own onnx.proto, turned into the plain
 * structures the translator reads: tensors as numbers with bertc dtypes, attributes by kind.
 */

const ROOT = protobuf.Root.fromJSON(ONNX_SCHEMA);
const MODEL = ROOT.lookupType('onnx.ModelProto');
const TENSOR = ROOT.lookupType('onnx.TensorProto');
/** The oldest IR version whose models keep opsets and graph inputs apart as the translator expects. */
export const MIN_IR_VERSION = 3;

/** TensorProto.DataType codes and the bertc dtype each is read as. */
export const ONNX_DTYPES: Readonly<Record<number, DType>> = { 1: 'f32', 6: 'i32', 7: 'i64', 9: 'bool', 10: 'f16', 16: 'bf16' };
const ONNX_DTYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'UNDEFINED', 1: 'FLOAT', 2: 'UINT8', 3: 'INT8', 4: 'UINT16', 5: 'INT16', 6: 'INT32', 7: 'INT64', 8: 'STRING', 9: 'BOOL',
  10: 'FLOAT16', 11: 'DOUBLE', 12: 'UINT32', 13: 'UINT64', 14: 'COMPLEX64', 15: 'COMPLEX128', 16: 'BFLOAT16',
};

export function onnxDtypeName(code: number): string {
  return ONNX_DTYPE_NAMES[code] ?? `data type ${code}`;
}

/** A tensor known when the model is read: an initializer, a Constant's value, an attribute. */
export interface OnnxTensor extends Tensor {
  readonly name: string;
}

export type OnnxAttr =
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'tensor'; readonly value: OnnxTensor }
  | { readonly kind: 'floats'; readonly value: readonly number[] }
  | { readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly kind: 'strings'; readonly value: readonly string[] }
  | { readonly kind: 'other'; readonly type: number };

export interface OnnxNode {
  readonly name: string;
  readonly opType: string;
  readonly domain: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs: ReadonlyMap<string, OnnxAttr>;
}

/** A dimension of a graph input or output: a number, a named dynamic axis, or an unnamed one. */
export type OnnxDim = { readonly value: number } | { readonly param: string } | { readonly unknown: true };

export interface OnnxValueInfo {
  readonly name: string;
  /** TensorProto.DataType code (0 when the type is not a tensor or not given). */
  readonly elemType: number;
  /** Undefined when the file gives no shape. */
  readonly dims?: readonly OnnxDim[];
}

export interface OnnxModel {
  readonly irVersion: number;
  /** The default domain's opset (ai.onnx). */
  readonly opset: number;
  readonly graphName: string;
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  readonly initializers: ReadonlyMap<string, OnnxTensor>;
  readonly nodes: readonly OnnxNode[];
}

/** Reads `length` bytes (all to the end when undefined) at `offset` of an external data file named relative to the model. */
export type ExternalReader = (location: string, offset: number, length: number | undefined) => Uint8Array;

/* eslint-disable @typescript-eslint/no-explicit-any -- protobufjs's decoded messages are untyped objects */
type Msg = any;

/** protobufjs gives 64-bit integers as numbers, or as Long-like objects where long.js is installed. */
function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object' && 'low' in v && 'high' in v) {
    const { low, high, unsigned } = v as { low: number; high: number; unsigned?: boolean };
    return (unsigned ? high >>> 0 : high) * 4294967296 + (low >>> 0);
  }
  return Number(v ?? 0);
}

export function decodeModel(bytes: Uint8Array, file: string, readExternal?: ExternalReader): OnnxModel {
  const bad = (detail: string) => diagnosticError('E0030', { file, detail });
  let m: Msg;
  try {
    m = MODEL.decode(bytes);
  } catch (e) {
    throw bad(`not an ONNX ModelProto (${(e as Error).message})`);
  }
  const irVersion = toNumber(m.irVersion);
  if (!m.graph) throw bad('the model has no graph');
  if (irVersion < MIN_IR_VERSION) throw bad(`IR version ${irVersion} is older than ${MIN_IR_VERSION}, the first that bertc reads`);
  const opsets = (m.opsetImport ?? []) as Msg[];
  const onnxOpset = opsets.find((o) => !o.domain || o.domain === 'ai.onnx');
  if (!onnxOpset) throw bad('the model imports no opset of the default (ai.onnx) domain');
  const g = m.graph;
  const tensor = (t: Msg, what: string) => decodeTensor(t, what, file, readExternal);
  const initializers = new Map<string, OnnxTensor>();
  for (const t of g.initializer ?? []) initializers.set(t.name, tensor(t, `initializer '${t.name}'`));
  if ((g.sparseInitializer ?? []).length) throw bad(`sparse initializers are not supported ('${g.sparseInitializer[0].values?.name ?? ''}')`);
  const nodes = ((g.node ?? []) as Msg[]).map((n, i): OnnxNode => {
    const name = n.name || `${n.opType}_${i}`;
    const attrs = new Map<string, OnnxAttr>();
    for (const a of n.attribute ?? []) attrs.set(a.name, decodeAttr(a, (t) => tensor(t, `attribute '${a.name}' of node '${name}'`), (detail) => {
      throw bad(`node '${name}': ${detail}`);
    }));
    return { name, opType: n.opType ?? '', domain: n.domain ?? '', inputs: [...(n.input ?? [])], outputs: [...(n.output ?? [])], attrs };
  });
  // Before IR version 4 initializers were also listed among the inputs; they are weights, not inputs.
  const inputs = ((g.input ?? []) as Msg[]).filter((v) => !initializers.has(v.name)).map(valueInfo);
  return { irVersion, opset: toNumber(onnxOpset.version), graphName: g.name ?? '', inputs, outputs: ((g.output ?? []) as Msg[]).map(valueInfo), initializers, nodes };
}

function valueInfo(v: Msg): OnnxValueInfo {
  const t = v.type?.tensorType;
  const shape = t?.shape;
  // protobufjs names the member of Dimension's `value` oneof that the file sets; neither is an unknown size.
  const dim = (d: Msg): OnnxDim => (d.value === 'dimParam' && d.dimParam ? { param: d.dimParam } : d.value === 'dimValue' ? { value: toNumber(d.dimValue) } : { unknown: true });
  const dims = shape ? ((shape.dim ?? []) as Msg[]).map(dim) : undefined;
  return { name: v.name, elemType: t?.elemType ?? 0, dims };
}

const ATTR_TYPES = { 1: 'float', 2: 'int', 3: 'string', 4: 'tensor', 6: 'floats', 7: 'ints', 8: 'strings' } as const;

/** UTF-8 text of a bytes field (protobufjs gives an empty array, not bytes, for an absent one). */
const text = (b: unknown) => new TextDecoder().decode(b instanceof Uint8Array ? b : new Uint8Array());

function decodeAttr(a: Msg, tensor: (t: Msg) => OnnxTensor, bad: (detail: string) => never): OnnxAttr {
  const kind = ATTR_TYPES[a.type as keyof typeof ATTR_TYPES];
  switch (kind) {
    case 'float':
      return { kind, value: a.f ?? 0 };
    case 'int':
      return { kind, value: toNumber(a.i) };
    case 'string':
      return { kind, value: text(a.s) };
    case 'tensor':
      if (!a.t) bad(`attribute '${a.name}' is a TENSOR without a tensor`);
      return { kind, value: tensor(a.t) };
    case 'floats':
      return { kind, value: [...(a.floats ?? [])] };
    case 'ints':
      return { kind, value: (a.ints ?? []).map(toNumber) };
    case 'strings':
      return { kind, value: (a.strings ?? []).map(text) };
    default:
      return { kind: 'other', type: a.type ?? 0 };
  }
}

const EXTERNAL = 1;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function externalBytes(t: Msg, what: string, file: string, read: ExternalReader | undefined): Uint8Array {
  const bad = (detail: string) => diagnosticError('E0030', { file, detail: `${what}: ${detail}` });
  const entries = new Map<string, string>(((t.externalData ?? []) as Msg[]).map((e) => [e.key, e.value]));
  const location = entries.get('location');
  if (!location) throw bad("external data without a 'location'");
  if (!read) throw bad(`its data is in the external file '${location}', which cannot be read here`);
  const offset = Number(entries.get('offset') ?? 0);
  const length = entries.has('length') ? Number(entries.get('length')) : undefined;
  if (!(Number.isInteger(offset) && offset >= 0) || (length !== undefined && !(Number.isInteger(length) && length >= 0))) {
    throw bad(`external data of '${location}' has offset ${entries.get('offset')} and length ${entries.get('length')}`);
  }
  return read(location, offset, length);
}

/** The values of a TensorProto, from raw little-endian bytes or from the typed field its type uses. */
export function decodeTensor(t: Msg, what: string, file: string, read?: ExternalReader): OnnxTensor {
  const bad = (detail: string) => diagnosticError('E0030', { file, detail: `${what}: ${detail}` });
  const code = t.dataType ?? 0;
  const dtype = ONNX_DTYPES[code];
  if (!dtype) throw bad(`data type ${onnxDtypeName(code)} is not supported (bertc reads FLOAT, FLOAT16, BFLOAT16, INT32, INT64 and BOOL)`);
  const shape = ((t.dims ?? []) as unknown[]).map(toNumber);
  if (shape.some((d) => !(Number.isInteger(d) && d >= 0))) throw bad(`invalid dimensions [${shape.join(', ')}]`);
  const n = numel(shape);
  const raw: Uint8Array | undefined = t.dataLocation === EXTERNAL ? externalBytes(t, what, file, read) : t.rawData?.length ? t.rawData : undefined;
  let data: TensorData;
  if (raw) {
    const size = { f32: 4, i32: 4, i64: 8, bool: 1, f16: 2, bf16: 2 }[dtype];
    if (raw.length !== n * size) throw bad(`holds ${raw.length} bytes, its shape [${shape.join(', ')}] of ${onnxDtypeName(code)} needs ${n * size}`);
    // Float32 weights are the bulk of a model: viewed in place where aligned (safetensors and ONNX are both little-endian).
    if (dtype === 'f32' && LITTLE_ENDIAN) {
      // protobufjs may hand out a Node Buffer, whose slice() is a view: an unaligned one is copied into its own array.
      const aligned = raw.byteOffset % 4 === 0 ? raw : new Uint8Array(raw);
      return { name: t.name ?? '', dtype, shape, data: new Float32Array(aligned.buffer, aligned.byteOffset, n) };
    }
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    data = allocData(dtype, n, false);
    for (let i = 0; i < n; i++) {
      switch (dtype) {
        case 'f32':
          data[i] = view.getFloat32(4 * i, true);
          break;
        case 'i32':
          data[i] = view.getInt32(4 * i, true);
          break;
        case 'i64':
          data[i] = Number(view.getBigInt64(8 * i, true));
          break;
        case 'bool':
          data[i] = view.getUint8(i) ? 1 : 0;
          break;
        case 'f16':
          data[i] = f16BitsToF32(view.getUint16(2 * i, true));
          break;
        case 'bf16':
          data[i] = bf16BitsToF32(view.getUint16(2 * i, true));
          break;
      }
    }
  } else {
    // The typed fields: float_data for FLOAT, int64_data for INT64, int32_data for the rest (16-bit floats as their bits).
    const field: unknown[] = dtype === 'f32' ? t.floatData ?? [] : dtype === 'i64' ? t.int64Data ?? [] : t.int32Data ?? [];
    const values = field.map(toNumber);
    if (values.length !== n) throw bad(`holds ${values.length} values, its shape [${shape.join(', ')}] needs ${n}`);
    data = allocData(dtype, n, false);
    for (let i = 0; i < n; i++) data[i] = dtype === 'f16' ? f16BitsToF32(values[i]!) : dtype === 'bf16' ? bf16BitsToF32(values[i]!) : dtype === 'bool' ? (values[i] ? 1 : 0) : values[i]!;
  }
  return { name: t.name ?? '', dtype, shape, data };
}

/** A serialized TensorProto on its own (the .pb files of ONNX's test data). */
export function decodeTensorBytes(bytes: Uint8Array, file: string): OnnxTensor {
  let t: Msg;
  try {
    t = TENSOR.decode(bytes);
  } catch (e) {
    throw diagnosticError('E0030', { file, detail: `not an ONNX TensorProto (${(e as Error).message})` });
  }
  return decodeTensor(t, `tensor '${t.name ?? ''}'`, file);
}
