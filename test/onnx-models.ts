/**
 * ONNX models written by the tests, with protobufjs over ONNX's onnx.proto (the descriptor the
 * importer decodes with), and run through `importOnnx` and the reference interpreter.
 */
import protobuf from 'protobufjs/light.js';
import { interpret } from '../src/interp/interpret.js';
import { makeTensor, type Tensor } from '../src/interp/tensor.js';
import { f32ToBf16Bits, f32ToF16Bits } from '../src/io/halfFloat.js';
import type { DType } from '../src/ir/dtype.js';
import { importOnnx, type Imported } from '../src/onnx/import.js';
import { ONNX_SCHEMA } from '../src/onnx/onnxSchema.js';

const ROOT = protobuf.Root.fromJSON(ONNX_SCHEMA);
const MODEL = ROOT.lookupType('onnx.ModelProto');

export type OnnxType = DType | 'f64';
const CODES: Record<OnnxType, number> = { f32: 1, i32: 6, i64: 7, bool: 9, f16: 10, f64: 11, bf16: 16 };

export interface TensorSpec {
  readonly dtype: OnnxType;
  readonly dims: readonly number[];
  readonly values: readonly number[];
  /** Stored in raw_data (little-endian bytes) instead of the typed field. */
  readonly raw?: boolean;
  readonly name?: string;
}

export type AttrSpec =
  | { readonly i: number }
  | { readonly f: number }
  | { readonly s: string }
  | { readonly ints: readonly number[] }
  | { readonly floats: readonly number[] }
  | { readonly t: TensorSpec };

export interface NodeSpec {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs?: Readonly<Record<string, AttrSpec>>;
  readonly name?: string;
  readonly domain?: string;
}

export interface ValueSpec {
  readonly name: string;
  readonly dtype: OnnxType;
  /** Numbers, or names of dynamic axes. */
  readonly dims: readonly (number | string)[];
}

export interface ModelSpec {
  readonly opset?: number;
  readonly irVersion?: number;
  readonly inputs: readonly ValueSpec[];
  readonly outputs: readonly ValueSpec[];
  readonly nodes: readonly NodeSpec[];
  readonly initializers?: readonly (TensorSpec & { readonly name: string })[];
}

function rawBytes(t: TensorSpec): Uint8Array {
  const size = { f32: 4, i32: 4, i64: 8, bool: 1, f16: 2, bf16: 2, f64: 8 }[t.dtype];
  const out = new Uint8Array(t.values.length * size);
  const v = new DataView(out.buffer);
  t.values.forEach((x, i) => {
    switch (t.dtype) {
      case 'f32': return v.setFloat32(4 * i, x, true);
      case 'i32': return v.setInt32(4 * i, x, true);
      case 'i64': return v.setBigInt64(8 * i, BigInt(x), true);
      case 'bool': return v.setUint8(i, x ? 1 : 0);
      case 'f16': return v.setUint16(2 * i, f32ToF16Bits(x), true);
      case 'bf16': return v.setUint16(2 * i, f32ToBf16Bits(x), true);
      case 'f64': return v.setFloat64(8 * i, x, true);
    }
  });
  return out;
}

export function tensorProto(t: TensorSpec): Record<string, unknown> {
  const base = { name: t.name ?? '', dataType: CODES[t.dtype], dims: [...t.dims] };
  if (t.raw) return { ...base, rawData: rawBytes(t) };
  switch (t.dtype) {
    case 'f32': return { ...base, floatData: [...t.values] };
    case 'i64': return { ...base, int64Data: [...t.values] };
    case 'f64': return { ...base, doubleData: [...t.values] };
    case 'f16': return { ...base, int32Data: t.values.map(f32ToF16Bits) };
    case 'bf16': return { ...base, int32Data: t.values.map(f32ToBf16Bits) };
    default: return { ...base, int32Data: t.values.map((x) => (t.dtype === 'bool' ? (x ? 1 : 0) : x)) };
  }
}

function attrProto(name: string, a: AttrSpec): Record<string, unknown> {
  if ('i' in a) return { name, type: 2, i: a.i };
  if ('f' in a) return { name, type: 1, f: a.f };
  if ('s' in a) return { name, type: 3, s: new TextEncoder().encode(a.s) };
  if ('ints' in a) return { name, type: 7, ints: [...a.ints] };
  if ('floats' in a) return { name, type: 6, floats: [...a.floats] };
  return { name, type: 4, t: tensorProto(a.t) };
}

function valueInfo(v: ValueSpec): Record<string, unknown> {
  return { name: v.name, type: { tensorType: { elemType: CODES[v.dtype], shape: { dim: v.dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } } };
}

/** The model's bytes, as an exporter writes them. */
export function onnxModel(spec: ModelSpec): Uint8Array {
  const obj = {
    irVersion: spec.irVersion ?? 8,
    producerName: 'bertc tests',
    opsetImport: [{ domain: '', version: spec.opset ?? 17 }],
    graph: {
      name: 'test_graph',
      node: spec.nodes.map((n, i) => ({
        name: n.name ?? `${n.op}_${i}`, opType: n.op, domain: n.domain ?? '', input: [...n.inputs], output: [...n.outputs],
        attribute: Object.entries(n.attrs ?? {}).map(([k, a]) => attrProto(k, a)),
      })),
      initializer: (spec.initializers ?? []).map(tensorProto),
      input: spec.inputs.map(valueInfo),
      output: spec.outputs.map(valueInfo),
    },
  };
  const err = MODEL.verify(obj);
  if (err) throw new Error(`test model: ${err}`);
  return MODEL.encode(MODEL.fromObject(obj)).finish();
}

/** One node over the given graph inputs, with one output. */
export function singleOp(op: string, inputs: readonly ValueSpec[], output: ValueSpec, attrs: Readonly<Record<string, AttrSpec>> = {}, opts: { opset?: number; initializers?: ModelSpec['initializers']; extraInputs?: readonly string[] } = {}): Uint8Array {
  return onnxModel({
    opset: opts.opset,
    inputs,
    outputs: [output],
    initializers: opts.initializers,
    nodes: [{ op, inputs: [...inputs.map((i) => i.name), ...(opts.extraInputs ?? [])], outputs: [output.name], attrs }],
  });
}

/** Imports the model and runs it on the interpreter; sizes of dynamic axes come from `sizes`. */
export function runOnnx(bytes: Uint8Array, inputs: Readonly<Record<string, Tensor>>, sizes?: ReadonlyMap<string, number>): { outputs: Map<string, Tensor>; imported: Imported } {
  const imported = importOnnx(bytes, { file: 'test.onnx', sizes });
  const w = imported.translation.weights;
  const r = interpret(imported.translation.graph, new Map(Object.entries(inputs)), (name) => w.get(name)!);
  return { outputs: r.outputs, imported };
}

/** A deterministic tensor of values in [-2, 2) (integers in [0, hi) for integer dtypes). */
export function sample(dtype: DType, shape: readonly number[], seed: number, hi = 4): Tensor {
  const t = makeTensor(dtype, shape);
  let x = seed * 2654435761 >>> 0;
  for (let i = 0; i < t.data.length; i++) {
    x = (Math.imul(x ^ (x >>> 15), 2246822519) + 0x9e3779b9) >>> 0;
    const u = x / 4294967296;
    t.data[i] = dtype === 'bool' ? (u < 0.5 ? 1 : 0) : dtype === 'i32' || dtype === 'i64' ? Math.floor(u * hi) : Math.fround(u * 4 - 2);
  }
  return t;
}
