import { didYouMean } from '../diag/suggest.js';
import { inputDimNames, type Program } from '../frontend/program.js';
import { isFloat, isInteger, type DType } from '../ir/dtype.js';
import type { Graph } from '../ir/graph.js';
import { params } from '../ir/graph.js';
import { inputRanges } from '../ir/inputRanges.js';
import { formatShape, shapeEquals } from '../ir/shape.js';
import { formatType } from '../ir/types.js';
import { makeTensor, type Tensor } from '../interp/tensor.js';
import { roundToHalf } from '../io/halfFloat.js';
import type { SafetensorsFile } from '../io/safetensorsFormat.js';
import type { Session } from './session.js';

/*
 * Binding a graph to tensors: config sizes from the inputs, weights by state-dict name, inputs by
 * name with their dtypes and value ranges. Over SafetensorsFile, so bytes from a file or from a
 * browser page bind alike.
 */

/**
 * Config overrides implied by the inputs: a model input declared `i32[B, S]` and given as a
 * [4, 40] tensor sets B = 4 and S = 40. An explicit --set that disagrees is an error.
 */
export function setsFromInputs(s: Session, p: Program, inputs: SafetensorsFile, explicit: ReadonlyMap<string, number>): Map<string, number> {
  const sets = new Map(explicit);
  const origin = new Map<string, string>();
  for (const { input, axis, name } of inputDimNames(p)) {
    if (!inputs.has(input)) continue;
    const shape = inputs.info(input).shape;
    if (axis >= shape.length) continue;
    const v = shape[axis]!;
    const prev = sets.get(name);
    if (prev !== undefined && prev !== v) {
      const from = origin.get(name) ?? '--set';
      s.diags.emit('E0023', { detail: `'${input}' in ${inputs.path} has ${name} = ${v} (axis ${axis} of ${formatShape(shape)}), but ${from} gives ${name} = ${prev}` });
      continue;
    }
    sets.set(name, v);
    origin.set(name, `'${input}'`);
  }
  s.check();
  return sets;
}

/** Binds every parameter to its tensor by name, checking shape and dtype; reports unused tensors. */
export function bindWeights(s: Session, g: Graph, w: SafetensorsFile): Map<string, Tensor> {
  const bound = new Map<string, Tensor>();
  const declared = params(g);
  for (const p of declared) {
    const name = p.attr<string>('name');
    if (!w.has(name)) {
      s.diags.emit('E0011', { name, file: w.path, hint: didYouMean(name, w.names) }, p.meta.span);
      continue;
    }
    const info = w.info(name);
    const dtype = info.dtype.toLowerCase() as DType;
    // Weights may come in any float precision: converted to the declared one (exactly when widening).
    const convertible = dtype === p.type.dtype || (isFloat(dtype) && isFloat(p.type.dtype));
    if (!convertible || !shapeEquals(info.shape, p.type.shape)) {
      s.diags.emit('E0022', { name, file: w.path, found: `${dtype}${formatShape(info.shape)}`, expected: formatType(p.type) }, p.meta.span);
      continue;
    }
    bound.set(name, convertFloat(w.get(name), p.type.dtype));
  }
  const names = new Set(declared.map((p) => p.attr<string>('name')));
  for (const name of w.names) if (!names.has(name)) s.diags.emit('E0012', { name, file: w.path });
  s.check();
  return bound;
}

/** `t` in float dtype `to`: widening is exact, narrowing rounds to nearest even. */
export function convertFloat(t: Tensor, to: DType): Tensor {
  if (t.dtype === to) return t;
  const r = makeTensor(to, t.shape);
  for (let i = 0; i < t.data.length; i++) r.data[i] = roundToHalf(t.data[i]!, to);
  return r;
}

/** The model's inputs from a safetensors file; integer inputs may come as i32 or i64. */
export function bindInputs(s: Session, g: Graph, f: SafetensorsFile): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  for (const n of g.inputs) {
    const name = n.attr<string>('name');
    if (!f.has(name)) {
      s.diags.emit('E0023', { detail: `input '${name}' (${formatType(n.type)}) is not in ${f.path}${didYouMean(name, f.names)}` });
      continue;
    }
    const t = f.get(name);
    const want = n.type.dtype;
    const compatible = t.dtype === want || (isInteger(t.dtype) && isInteger(want));
    if (!compatible || !shapeEquals(t.shape, n.type.shape)) {
      s.diags.emit('E0023', { detail: `input '${name}' in ${f.path} is ${t.dtype}${formatShape(t.shape)}, the model takes ${formatType(n.type)}` });
      continue;
    }
    out.set(name, t.dtype === want ? t : convertInteger(s, name, t, want));
  }
  s.check();
  return out;
}

function convertInteger(s: Session, name: string, t: Tensor, to: DType): Tensor {
  const r = makeTensor(to, t.shape);
  for (let i = 0; i < t.data.length; i++) {
    const v = t.data[i]!;
    if (to === 'i32' && (v < -2147483648 || v > 2147483647)) {
      s.diags.emit('E0023', { detail: `input '${name}' holds ${v} at element ${i}, which does not fit in i32` });
      s.fail();
    }
    r.data[i] = v;
  }
  return r;
}

/**
 * Every integer input within the values the model allows (declared, or implied by a gather),
 * checked here on the host so that every target refuses the same inputs with the same message.
 */
export function checkInputValues(s: Session, g: Graph, inputs: ReadonlyMap<string, Tensor>, file: string): void {
  for (const [name, range] of inputRanges(g)) {
    const t = inputs.get(name);
    if (!t) continue;
    const at = t.data.findIndex((v) => !(v >= range.lo && v < range.hi));
    if (at < 0) continue;
    const values = range.hi - range.lo === 2 ? `${range.lo} or ${range.hi - 1}` : `in ${range.lo} .. ${range.hi - 1}`;
    s.diags.emit('E0023', { detail: `input '${name}' in ${file} holds ${t.data[at]} at ${formatShape(unravel(at, t.shape))}; its values must be ${values} (${range.because})` });
  }
  s.check();
}

function unravel(flat: number, shape: readonly number[]): number[] {
  const pos = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    pos[i] = flat % shape[i]!;
    flat = Math.floor(flat / shape[i]!);
  }
  return pos;
}
