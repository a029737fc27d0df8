import { diagnosticError } from '../diag/diagnostics.js';
import { GraphBuilder } from '../ir/builder.js';
import { isFloat, type DType } from '../ir/dtype.js';
import { topoOrder, type Graph, type NamedValue } from '../ir/graph.js';
import type { Attrs, Meta, Node } from '../ir/node.js';
import type { OpName } from '../ir/ops.js';
import { numel, shapeEquals } from '../ir/shape.js';
import { formatType, tensorType } from '../ir/types.js';
import { allocData, makeTensor, type Tensor } from '../interp/tensor.js';
import { ONNX_DTYPES, onnxDtypeName, type OnnxAttr, type OnnxModel, type OnnxNode } from './decode.js';
import { isFused, recognisePatterns } from './patterns.js';
import { Dim, formatDims, type Dims } from './sym.js';
import { allEqual, constVal, iotaAxis, type ConstVal, type TensorVal, type Value } from './values.js';
import { OP_TRANSLATIONS } from './opTable.js';

/** A dynamic axis of the model: the config constant it is printed as, and the size it is built at. */
export interface DynamicAxis {
  readonly name: string;
  /** Where it first appears, for the docs and the config comment: `input_ids[0]`. */
  readonly from: string;
  readonly size: number;
}

export interface Translation {
  readonly graph: Graph;
  readonly axes: readonly DynamicAxis[];
  /** Every node's dimensions over the dynamic axes, for printing. */
  readonly dims: ReadonlyMap<Node, Dims>;
  /** Shape-valued attributes spelled over the dynamic axes, by node and attribute. */
  readonly attrText: ReadonlyMap<Node, ReadonlyMap<string, string>>;
  /** The tensors the parameters bind, by name: initializers and constants that are not scalars. */
  readonly weights: ReadonlyMap<string, Tensor>;
  readonly fused: { readonly layernorms: number; readonly gelus: number };
}

export interface TranslateOptions {
  /** The file, as diagnostics name it. */
  readonly file: string;
  /** Sizes to build the graph at, by axis name (default 8 for each). */
  readonly sizes?: ReadonlyMap<string, number>;
  /**
   * Graph inputs given a value at import: they become constants (a shape or axes that a model
   * takes as an input, as ONNX's node tests do), and leave the model's inputs.
   */
  readonly fixedInputs?: ReadonlyMap<string, Tensor>;
}

export const DEFAULT_AXIS_SIZE = 8;

/** A size given for a dynamic axis the model does not have: the caller's usage mistake, not the model's. */
export class UnknownAxisError extends Error {}

const RESERVED = new Set(['true', 'false', 'inf', 'nan', 'pi', 'config', 'const', 'assert', 'layer', 'model', 'param', 'for', 'in', 'tap', 'return', 'kernel', 'loss']);

/** The IR's identifier for a dynamic axis name. */
function axisIdentifier(name: string, used: Set<string>): string {
  let base = name.replace(/[^A-Za-z0-9_]/g, '_');
  if (!/^[A-Za-z_]/.test(base)) base = `_${base}`;
  if (RESERVED.has(base)) base = `${base}_`;
  let id = base;
  for (let k = 1; used.has(id); k++) id = `${base}_${k}`;
  used.add(id);
  return id;
}

/**
 * Translates a decoded model node by node. Each handler in opTable.ts reads its operands as
 * constants or tensors, folds what it can (shape arithmetic), and builds IR nodes through the
 * graph builder otherwise; anything it cannot express is a diagnostic naming the node.
 */
export class Importer {
  readonly b = new GraphBuilder();
  private readonly values = new Map<string, Value>();
  /** Outputs a handler does not produce (Dropout's mask, LayerNormalization's statistics): why, for whoever reads them. */
  private readonly missing = new Map<string, { node: OnnxNode; detail: string }>();
  readonly dims = new Map<Node, Dims>();
  readonly attrText = new Map<Node, Map<string, string>>();
  readonly weights = new Map<string, Tensor>();
  /** Scalar constants whose value is a size over the dynamic axes (sizeScalar), with that size. */
  readonly sizeOf = new Map<Node, Dim>();
  private readonly materialized = new Map<ConstVal, TensorVal>();
  readonly sizes = new Map<string, number>();
  readonly axes: DynamicAxis[] = [];
  private current: OnnxNode | undefined;

  constructor(readonly model: OnnxModel, readonly opts: TranslateOptions) {}

  get opset(): number {
    return this.model.opset;
  }

  get node(): OnnxNode {
    return this.current!;
  }

  /** A diagnostic about the node being translated. */
  fail(detail: string): never {
    const n = this.current;
    throw diagnosticError('E0031', { file: this.opts.file, node: n?.name ?? '', op: n?.opType ?? '', opset: this.opset, detail });
  }

  invalid(detail: string): never {
    throw diagnosticError('E0030', { file: this.opts.file, detail });
  }

  meta(hint = ''): Meta {
    const n = this.current;
    if (!n) return { scope: '', hint };
    const path = n.name.replace(/^\//, '').split('/');
    const scope = path.slice(0, -1).join('.');
    return { scope, hint: hint || (n.outputs[0] ?? '').replace(/^\//, '').replace(/_output_0$/, '').replace(/^.*\//, ''), origin: { kind: 'onnx', node: n.name } };
  }

  // ---- building

  /** Builds an IR op; its dimensions over the axes must evaluate to the type the builder inferred. */
  op(op: OpName, srcs: readonly TensorVal[], attrs: Attrs, dims: Dims, spelled?: Readonly<Record<string, string>>): TensorVal {
    const r = this.b.tryOp(op, srcs.map((s) => s.node), attrs, this.meta());
    if ('error' in r) this.fail(`${r.error.attr ? `attribute '${r.error.attr}' ` : ''}${r.error.detail}`);
    return this.record(r.node, dims, spelled);
  }

  record(node: Node, dims: Dims, spelled?: Readonly<Record<string, string>>): TensorVal {
    const concrete = dims.map((d) => d.evaluate(this.sizes));
    if (!shapeEquals(concrete, node.type.shape)) throw new Error(`internal: onnx node '${this.current?.name}' built ${formatType(node.type)}, its dimensions say ${formatDims(dims)}`);
    this.dims.set(node, dims);
    if (spelled && Object.keys(spelled).length) this.attrText.set(node, new Map(Object.entries(spelled)));
    return { kind: 'tensor', node, dims };
  }

  concrete(d: Dim): number {
    return d.evaluate(this.sizes);
  }

  scalar(value: number, dtype: DType): TensorVal {
    return this.record(this.b.constant(value, irDtype(dtype), this.meta('c')), []);
  }

  /** A scalar constant whose value is a size over the dynamic axes, printed as that expression. */
  sizeScalar(value: Dim, dtype: DType): TensorVal {
    if (value.constant !== undefined) return this.scalar(value.constant, dtype);
    const t = this.record(this.b.constant(this.concrete(value), irDtype(dtype), this.meta(value.symbols.join('_'))), [], { value: String(value) });
    this.sizeOf.set(t.node, value);
    return t;
  }

  /** Broadcasts a scalar constant to `dims` (an expand of the scalar). */
  filled(value: number | Dim, dtype: DType, dims: Dims): TensorVal {
    const c = typeof value === 'number' ? this.scalar(value, dtype) : this.sizeScalar(value, dtype);
    return dims.length === 0 ? c : this.expand(c, dims);
  }

  expand(x: TensorVal, dims: Dims): TensorVal {
    return this.op('expand', [x], { shape: dims.map((d) => this.concrete(d)) }, dims, { shape: formatDims(dims) });
  }

  reshape(x: TensorVal, dims: Dims): TensorVal {
    if (x.dims.length === dims.length && x.dims.every((d, i) => d.equals(dims[i]!))) return x;
    // A reshape of a reshape is one reshape, and a cast commutes with reshaping: exporters' chains of
    // Unsqueeze, Flatten and Reshape over a cast mask become one view of the input, cast where read.
    const src = x.node.srcs[0];
    if (src && (x.node.op === 'reshape' || x.node.op === 'cast')) {
      const inner = this.reshape({ kind: 'tensor', node: src, dims: this.dims.get(src)! }, dims);
      return x.node.op === 'reshape' ? inner : this.cast(inner, x.node.type.dtype);
    }
    return this.op('reshape', [x], { shape: dims.map((d) => this.concrete(d)) }, dims, { shape: formatDims(dims) });
  }

  cast(x: TensorVal, to: DType): TensorVal {
    const t = irDtype(to);
    return x.node.type.dtype === t ? x : this.op('cast', [x], { to: t }, x.dims);
  }

  // ---- values

  value(name: string): Value {
    const v = this.values.get(name);
    if (v) return v;
    const m = this.missing.get(name);
    if (m) {
      this.current = m.node;
      this.fail(m.detail);
    }
    this.fail(`input '${name}' is not defined by an earlier node, an initializer or a graph input`);
  }

  /** Operand `i`, or undefined when the node leaves that optional input out. */
  input(i: number): Value | undefined {
    const name = this.node.inputs[i];
    return name ? this.value(name) : undefined;
  }

  /** Operand `i`, which the operator cannot do without. */
  required(i: number): Value {
    return this.input(i) ?? this.fail(`input ${i} is required, and the node ${this.node.inputs.length > i ? 'leaves it empty' : `has ${this.node.inputs.length}`}`);
  }

  tensorInput(i: number, what = `input ${i}`): TensorVal {
    const v = this.input(i);
    if (!v) this.fail(`${what} is required`);
    return this.tensor(v);
  }

  /** Operand `i` as a constant: the node needs its value when the model is imported. */
  constInput(i: number, what: string): ConstVal | undefined {
    const v = this.input(i);
    if (!v) return undefined;
    if (v.kind !== 'const') this.fail(`its ${what} (input ${i}, '${this.node.inputs[i]}') must be known when the model is imported (a constant, or computed from shapes), but it is computed from the model's inputs`);
    return v;
  }

  /** A constant as a tensor of the graph: a scalar, an expanded scalar, an iota, or a parameter holding its values. */
  tensor(v: Value): TensorVal {
    if (v.kind === 'tensor') return v;
    const hit = this.materialized.get(v);
    if (hit) return hit;
    const made = this.materialize(v);
    this.materialized.set(v, made);
    return made;
  }

  private materialize(c: ConstVal): TensorVal {
    const dims = c.shape.map((d) => Dim.of(d));
    const n = numel(c.shape);
    const same = n > 0 ? allEqual(c) : undefined;
    if (same !== undefined && (c.weight === undefined || n === 1)) {
      if (typeof same !== 'number') return this.filled(same, c.dtype, dims);
      return this.filled(this.checkValue(same, c.dtype), c.dtype, dims);
    }
    const axis = c.dtype !== 'bool' && !isFloat(c.dtype) && c.weight === undefined ? iotaAxis(c) : undefined;
    if (axis !== undefined) return this.op('iota', [], { shape: [...c.shape], axis, dtype: irDtype(c.dtype) }, dims);
    const name = c.weight ?? this.freshWeightName();
    const t = irDtype(c.dtype);
    if (c.weight !== undefined && t === c.dtype && !Array.isArray(c.data)) {
      // An initializer's values as decoded (a view of the file where aligned): [in, out] MatMul weights are not copied.
      this.weights.set(name, makeTensor(t, c.shape, c.data as Tensor['data']));
    } else {
      const data = c.data as ArrayLike<number | Dim>;
      const stored = allocData(t, n, false);
      for (let i = 0; i < n; i++) {
        const x = data[i]!;
        const v = typeof x === 'number' ? x : x.constant;
        if (v === undefined) this.fail(`a constant holding the size ${x} cannot be a tensor of the graph: sizes are known only when the model runs`);
        stored[i] = this.checkValue(v, c.dtype);
      }
      this.weights.set(name, makeTensor(t, c.shape, stored));
    }
    const p = this.b.param(name, tensorType(t, c.shape), { ...this.meta(), hint: name });
    return this.record(p, dims);
  }

  private freshWeightName(): string {
    const base = this.node.outputs[0] || this.node.name;
    let name = base;
    for (let k = 1; this.weights.has(name) || this.model.initializers.has(name); k++) name = `${base}_${k}`;
    return name;
  }

  /** Integers are computed in i32 (WGSL has no 64-bit integers): a value that does not fit is refused. */
  private checkValue(v: number, dtype: DType): number {
    if (dtype === 'i64' && !(v >= -2147483648 && v <= 2147483647)) this.fail(`the INT64 value ${v} does not fit in i32, which bertc computes integer tensors in`);
    return v;
  }

  define(name: string, v: Value): void {
    if (name) this.values.set(name, v);
  }

  // ---- attributes

  attr(name: string): OnnxAttr | undefined {
    return this.node.attrs.get(name);
  }

  int(name: string, dflt?: number): number {
    const a = this.attr(name);
    if (a === undefined) {
      if (dflt === undefined) this.fail(`attribute '${name}' is required`);
      return dflt;
    }
    if (a.kind !== 'int') this.fail(`attribute '${name}' must be an INT, got ${a.kind}`);
    return a.value;
  }

  float(name: string, dflt: number): number {
    const a = this.attr(name);
    if (a === undefined) return dflt;
    if (a.kind !== 'float') this.fail(`attribute '${name}' must be a FLOAT, got ${a.kind}`);
    return a.value;
  }

  ints(name: string): readonly number[] | undefined {
    const a = this.attr(name);
    if (a === undefined) return undefined;
    if (a.kind !== 'ints') this.fail(`attribute '${name}' must be INTS, got ${a.kind}`);
    return a.value;
  }

  string(name: string, dflt: string): string {
    const a = this.attr(name);
    if (a === undefined) return dflt;
    if (a.kind !== 'string') this.fail(`attribute '${name}' must be a STRING, got ${a.kind}`);
    return a.value;
  }

  /** The attributes a handler understands; any other is an unsupported form. */
  allowAttrs(...names: string[]): void {
    for (const k of this.node.attrs.keys()) if (!names.includes(k)) this.fail(`attribute '${k}' is not supported${names.length ? ` (bertc reads ${names.map((n) => `'${n}'`).join(', ')})` : ''}`);
  }

  dtypeOf(code: number): DType {
    const d = ONNX_DTYPES[code];
    if (!d) this.fail(`data type ${onnxDtypeName(code)} is not supported (bertc computes in FLOAT, FLOAT16, BFLOAT16, INT32, INT64 as INT32, and BOOL)`);
    return d;
  }

  // ---- the whole graph

  private declareInputs(): Node[] {
    const used = new Set<string>();
    const byParam = new Map<string, Dim>();
    const nodes: Node[] = [];
    for (const vi of this.model.inputs) {
      const fixed = this.opts.fixedInputs?.get(vi.name);
      if (fixed) {
        this.define(vi.name, constVal(fixed.dtype, fixed.shape, fixed.data));
        continue;
      }
      const dtype = ONNX_DTYPES[vi.elemType];
      if (!dtype) this.invalid(`graph input '${vi.name}' has data type ${onnxDtypeName(vi.elemType)}, which bertc does not read`);
      if (!vi.dims) this.invalid(`graph input '${vi.name}' has no shape; bertc needs its rank`);
      const dims = vi.dims.map((d, k) => {
        if ('value' in d && d.value === 0) this.invalid(`graph input '${vi.name}' has a dimension of size 0; bertc has no empty tensors`);
        if ('value' in d) return Dim.of(d.value);
        const key = 'param' in d ? d.param : `${vi.name}_dim${k}`;
        let sym = byParam.get(key);
        if (!sym) {
          const id = axisIdentifier(key, used);
          const size = this.opts.sizes?.get(id) ?? DEFAULT_AXIS_SIZE;
          this.sizes.set(id, size);
          this.axes.push({ name: id, from: `${vi.name}[${k}]`, size });
          sym = Dim.sym(id);
          byParam.set(key, sym);
        }
        return sym;
      });
      const t = irDtype(dtype);
      const n = this.b.input(vi.name, tensorType(t, dims.map((d) => this.concrete(d))), { scope: '', hint: vi.name, origin: { kind: 'onnx', node: vi.name } });
      this.record(n, dims);
      this.define(vi.name, { kind: 'tensor', node: n, dims });
      nodes.push(n);
    }
    for (const name of this.opts.fixedInputs?.keys() ?? []) if (!this.model.inputs.some((i) => i.name === name)) this.invalid(`the model has no input '${name}' to fix`);
    for (const s of this.opts.sizes?.keys() ?? []) if (!this.sizes.has(s)) throw new UnknownAxisError(`--dim ${s}: the model has no dynamic axis '${s}' (its axes: ${[...this.sizes.keys()].join(', ') || 'none'})`);
    return nodes;
  }

  translate(): Translation {
    const inputs = this.declareInputs();
    for (const [name, t] of this.model.initializers) this.define(name, constVal(t.dtype, t.shape, t.data, name));
    const { nodes, layernorms, gelus } = recognisePatterns(this.model);
    for (const n of nodes) this.translateNode(n);
    this.current = undefined;
    const outputs: NamedValue[] = this.model.outputs.map((o) => {
      const v = this.values.get(o.name) ?? (this.missing.has(o.name) ? this.value(o.name) : undefined);
      if (!v) this.invalid(`graph output '${o.name}' is computed by no node`);
      return { name: o.name, node: this.tensor(v).node };
    });
    const live = topoOrder([...outputs.map((o) => o.node), ...inputs]);
    const body = [...inputs, ...live.filter((n) => n.op !== 'input')];
    const graph: Graph = { ctx: this.b.ctx, name: modelName(this.model.graphName), body, inputs, outputs, taps: [] };
    const used = new Set(graph.body.filter((n) => n.op === 'param').map((n) => n.attr<string>('name')));
    const weights = new Map([...this.weights].filter(([k]) => used.has(k)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return { graph, axes: this.axes, dims: this.dims, attrText: this.attrText, weights, fused: { layernorms, gelus } };
  }

  private translateNode(n: OnnxNode): void {
    this.current = n;
    if (n.domain !== '' && n.domain !== 'ai.onnx') this.fail(`operators of domain '${n.domain}' are not supported (only the default ONNX domain)`);
    if (isFused(n)) {
      const h = OP_TRANSLATIONS[n.opType]!;
      const out = h(this, true);
      if (out) {
        this.define(n.outputs[0]!, out[0]!);
        return;
      }
      for (const m of n.fusedFrom) this.translateNode(m);
      return;
    }
    const h = OP_TRANSLATIONS[n.opType];
    if (!h) this.fail(`operator '${n.opType}' is not supported`);
    const outs = h(this, false)!;
    n.outputs.forEach((name, i) => {
      if (!name) return;
      const v = outs[i];
      if (v) this.define(name, v);
      else this.missing.set(name, { node: n, detail: `its output ${i} ('${name}') is not supported, only ${outs.length === 1 ? 'the first' : `the first ${outs.length}`}` });
    });
  }
}

/** The IR dtype a tensor of an ONNX dtype is computed in: INT64 as i32. */
export function irDtype(d: DType): DType {
  return d === 'i64' ? 'i32' : d;
}

function modelName(graphName: string): string {
  const id = graphName.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(id) && !RESERVED.has(id) ? id : 'onnx_model';
}

export function translateModel(model: OnnxModel, opts: TranslateOptions): Translation {
  return new Importer(model, opts).translate();
}

