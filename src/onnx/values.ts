import type { DType } from '../ir/dtype.js';
import type { Node } from '../ir/node.js';
import { numel, stridesOf } from '../ir/shape.js';
import type { TensorData } from '../interp/tensor.js';
import { Dim, type Dims } from './sym.js';

/*
 * What an ONNX value is while the graph is translated: a constant the importer knows (an
 * initializer, a Constant, or something folded from shapes), or a tensor of the IR graph with its
 * dimensions over the model's dynamic axes.
 */

/** An element of a constant: a number, or a symbolic size (only in integer tensors computed from shapes). */
export type Elem = number | Dim;

export interface ConstVal {
  readonly kind: 'const';
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: readonly Elem[] | TensorData;
  /** Set on initializers: the weight name a parameter made of it binds. */
  readonly weight?: string;
}

export interface TensorVal {
  readonly kind: 'tensor';
  readonly node: Node;
  readonly dims: Dims;
}

export type Value = ConstVal | TensorVal;

export function constVal(dtype: DType, shape: readonly number[], data: readonly Elem[] | TensorData, weight?: string): ConstVal {
  return weight === undefined ? { kind: 'const', dtype, shape, data } : { kind: 'const', dtype, shape, data, weight };
}

/** The element as a symbolic size (numbers become constant sizes). */
export function asDim(e: Elem): Dim {
  return typeof e === 'number' ? Dim.of(e) : e;
}

/** The element as a number, undefined when it is symbolic. */
export function asNumber(e: Elem): number | undefined {
  return typeof e === 'number' ? e : e.constant;
}

/** Symbolic sizes that turned out constant are stored as numbers, so equal constants compare equal. */
export function normalizeElem(e: Elem): Elem {
  return typeof e === 'number' ? e : e.constant ?? e;
}

export function elems(c: ConstVal): Elem[] {
  return Array.from(c.data as ArrayLike<Elem>);
}

export function allEqual(c: ConstVal): Elem | undefined {
  const d = c.data as ArrayLike<Elem>;
  if (d.length === 0) return undefined;
  const first = d[0]!;
  for (let i = 1; i < d.length; i++) {
    const x = d[i]!;
    if (typeof x === 'number' && typeof first === 'number' ? x !== first && !(Number.isNaN(x) && Number.isNaN(first)) : !asDim(x).equals(asDim(first))) return undefined;
  }
  return first;
}

/** The axis along which the constant counts 0, 1, 2, ... (an iota), if it is one. */
export function iotaAxis(c: ConstVal): number | undefined {
  const n = numel(c.shape);
  if (n < 2) return undefined;
  const strides = stridesOf(c.shape);
  const d = c.data as ArrayLike<Elem>;
  for (let axis = 0; axis < c.shape.length; axis++) {
    if (c.shape[axis]! < 2) continue;
    let ok = true;
    for (let i = 0; i < n && ok; i++) ok = d[i] === Math.floor(i / strides[axis]!) % c.shape[axis]!;
    if (ok) return axis;
  }
  return undefined;
}

/** Index of the element of a tensor of shape `from` that broadcasting reads for flat position `i` of shape `to`. */
export function broadcastIndex(i: number, to: readonly number[], from: readonly number[]): number {
  const st = stridesOf(from);
  let idx = 0;
  let rest = i;
  for (let k = to.length - 1; k >= 0; k--) {
    const coord = rest % to[k]!;
    rest = Math.floor(rest / to[k]!);
    const j = k - (to.length - from.length);
    if (j >= 0 && from[j] !== 1) idx += coord * st[j]!;
  }
  return idx;
}
