import { isFloat, isInteger, type DType } from '../ir/dtype.js';
import { normalizeAxis, numel, stridesOf } from '../ir/shape.js';
import { roundToHalf } from '../io/halfFloat.js';
import type { Node } from '../ir/node.js';
import type { Importer } from './translate.js';
import { broadcastDims, Dim, dimsEqual, formatDims, product, type Dims } from './sym.js';
import { allEqual, asDim, asNumber, broadcastIndex, constVal, elems, iotaAxis, normalizeElem, type ConstVal, type Elem, type TensorVal, type Value } from './values.js';

/*
 * One handler per ONNX operator: it reads the node's operands and attributes from the importer and
 * returns the values of the node's outputs (undefined for an output it does not produce). A fused
 * node (patterns.ts) may answer undefined to have the nodes it replaced translated instead.
 */
export type Handler = (imp: Importer, fused: boolean) => (Value | undefined)[] | undefined;

// ---- constants

/**
 * The most elements a constant folded at import may have: shape arithmetic and exporters' small
 * constants are far below it; a larger result is computed by the graph instead (or refused).
 */
const MAX_FOLDED = 1 << 20;

function fold(imp: Importer, dtype: DType, inputs: readonly ConstVal[], f: (xs: Elem[]) => Elem): ConstVal {
  let shape: number[] = [];
  for (const c of inputs) {
    const b = broadcastDims(shape.map(Dim.of), c.shape.map(Dim.of));
    if (!b) throw new Error('unreachable: checked by the caller');
    shape = b.map((d) => d.constant!);
  }
  const n = numel(shape);
  if (n > MAX_FOLDED) imp.fail(`folding its constant operands would make a constant of ${n} elements (bertc folds at most ${MAX_FOLDED})`);
  const data: Elem[] = new Array(n);
  const datas = inputs.map((c) => c.data as ArrayLike<Elem>);
  for (let i = 0; i < n; i++) data[i] = normalizeElem(f(inputs.map((c, k) => datas[k]![broadcastIndex(i, shape, c.shape)]!)));
  return constVal(dtype, shape, data);
}

function roundTo(dtype: DType, v: number): number {
  return dtype === 'f32' ? Math.fround(v) : dtype === 'f16' || dtype === 'bf16' ? roundToHalf(v, dtype) : v;
}

const allConst = (vs: readonly (Value | undefined)[]): vs is ConstVal[] => vs.every((v) => v?.kind === 'const');

function checkBroadcast(imp: Importer, shapes: readonly Dims[]): Dim[] {
  let out: Dim[] = [];
  for (const s of shapes) {
    const b = broadcastDims(out, s);
    if (!b) imp.fail(`cannot broadcast ${shapes.map(formatDims).join(' with ')}`);
    out = b;
  }
  return out;
}

const dimsOf = (v: Value): Dims => (v.kind === 'tensor' ? v.dims : v.shape.map(Dim.of));
const dtypeOf = (v: Value): DType => (v.kind === 'tensor' ? v.node.type.dtype : v.dtype);

/** The ONNX dtype of a value for type checks: tensors carry i32 where ONNX has INT64. */
const sameKind = (a: DType, b: DType) => a === b || (isInteger(a) && isInteger(b));

function num(imp: Importer, e: Elem, what: string): number {
  const v = asNumber(e);
  if (v === undefined) imp.fail(`${what} is the size ${e}, which is known only when the model runs`);
  return v;
}

// ---- tensors

/**
 * An elementwise op over tensors: a constant operand that is one value repeated, and whose shape
 * the other operands' broadcast covers, becomes a scalar, as hand-written IR has it.
 */
function elementwise(imp: Importer, op: string, vals: readonly Value[]): TensorVal {
  const dims = checkBroadcast(imp, vals.map(dimsOf));
  // Broadcasting commutes with elementwise ops: an expanded operand is read through its source and
  // the result expanded instead, which the next elementwise op or a broadcasting reader then drops
  // (the mask builders' [batch, 1, seq, seq] expand of a [batch, 1, 1, seq] mask).
  const stripped = vals.map((v) => (v.kind === 'tensor' && v.node.op === 'expand' ? sourceOf(imp, v) : v));
  const inner = checkBroadcast(imp, stripped.map(dimsOf));
  const tensors = stripped.map((v, i) => {
    if (v.kind === 'tensor') return v;
    const same = v.weight === undefined || numel(v.shape) === 1 ? allEqual(v) : undefined;
    const others = stripped.filter((_, k) => k !== i).map(dimsOf);
    const covered = others.length > 0 && dimsEqual(checkBroadcast(imp, others), inner);
    if (same !== undefined && covered) return typeof same === 'number' ? imp.scalar(same, v.dtype) : imp.sizeScalar(same, v.dtype);
    return imp.tensor(v);
  });
  const r = imp.op(op, tensors, {}, inner);
  return dimsEqual(inner, dims) ? r : imp.expand(r, dims);
}

function sourceOf(imp: Importer, v: TensorVal): TensorVal {
  const src = v.node.srcs[0]!;
  return { kind: 'tensor', node: src, dims: imp.dims.get(src)! };
}

/** The one value every element of `v` has, when the importer knows it (a constant, or a scalar constant expanded). */
function knownValue(v: Value): Elem | undefined {
  if (v.kind === 'const') return allEqual(v);
  let n = v.node;
  while (n.op === 'expand') n = n.srcs[0]!;
  return n.op === 'const' ? n.attr<number>('value') : undefined;
}

function unary(op: string): Handler {
  return (imp: Importer) => {
    imp.allowAttrs();
    const x = imp.tensorInput(0);
    return [imp.op(op, [x], {}, x.dims)];
  };
}

type Arith = (a: number, b: number) => number;
const ARITH: Record<string, { op: string; f: Arith; dim?: (a: Dim, b: Dim) => Dim | undefined }> = {
  Add: { op: 'add', f: (a, b) => a + b, dim: (a, b) => a.add(b) },
  Sub: { op: 'sub', f: (a, b) => a - b, dim: (a, b) => a.sub(b) },
  Mul: { op: 'mul', f: (a, b) => a * b, dim: (a, b) => a.mul(b) },
  Div: { op: 'div', f: (a, b) => a / b, dim: (a, b) => a.div(b) },
  Pow: { op: 'pow', f: (a, b) => Math.pow(a, b) },
  Max: { op: 'max', f: (a, b) => Math.max(a, b) },
  Min: { op: 'min', f: (a, b) => Math.min(a, b) },
  Sum: { op: 'add', f: (a, b) => a + b, dim: (a, b) => a.add(b) },
};

function arithmetic(name: keyof typeof ARITH): Handler {
  const { op, f, dim } = ARITH[name]!;
  return (imp: Importer) => {
    imp.allowAttrs();
    const n = imp.node.inputs.length;
    if (n < 2 && name !== 'Max' && name !== 'Min' && name !== 'Sum') imp.fail(`needs two operands, got ${n}`);
    let acc = imp.required(0);
    for (let i = 1; i < n; i++) {
      let b = imp.required(i);
      const da = dtypeOf(acc);
      if (name === 'Pow' && dtypeOf(b) !== da) {
        // Pow's exponent may have its own type; the IR's pow takes the base's.
        b = b.kind === 'const' ? constVal(da, b.shape, elems(b).map((e) => num(imp, e, 'the exponent'))) : imp.cast(b, da);
      }
      if (!sameKind(da, dtypeOf(b))) imp.fail(`operands have different types: ${da} and ${dtypeOf(b)}`);
      if (allConst([acc, b])) {
        checkBroadcast(imp, [dimsOf(acc), dimsOf(b)]);
        const integer = !isFloat(da);
        acc = fold(imp, da, [acc as ConstVal, b as ConstVal], ([x, y]) => {
          if (integer && dim && (typeof x !== 'number' || typeof y !== 'number')) {
            const r = dim(asDim(x!), asDim(y!));
            if (!r) imp.fail(`cannot divide the size ${x} by ${y} exactly`);
            return r;
          }
          const xv = num(imp, x!, 'an operand');
          const yv = num(imp, y!, 'an operand');
          if (integer && name === 'Div') {
            if (yv === 0) imp.fail('divides an integer by zero');
            return Math.trunc(xv / yv);
          }
          return integer ? f(xv, yv) : roundTo(da, f(xv, yv));
        });
      } else {
        if (isInteger(da) && name === 'Div') imp.fail('integer division of tensors is not supported (only of sizes computed from shapes)');
        if (da === 'bool') imp.fail(`'${name}' of BOOL tensors is not supported`);
        acc = elementwise(imp, op, [acc, b]);
      }
    }
    return [acc];
  };
}

const COMPARE: Record<string, { op: string; f: (a: number, b: number) => boolean }> = {
  Equal: { op: 'eq', f: (a, b) => a === b },
  Less: { op: 'lt', f: (a, b) => a < b },
  LessOrEqual: { op: 'le', f: (a, b) => a <= b },
  Greater: { op: 'gt', f: (a, b) => a > b },
  GreaterOrEqual: { op: 'ge', f: (a, b) => a >= b },
};

function comparison(name: keyof typeof COMPARE): Handler {
  const { op, f } = COMPARE[name]!;
  return (imp: Importer) => {
    imp.allowAttrs();
    const a = imp.required(0);
    const b = imp.required(1);
    if (!sameKind(dtypeOf(a), dtypeOf(b))) imp.fail(`operands have different types: ${dtypeOf(a)} and ${dtypeOf(b)}`);
    if (allConst([a, b])) {
      checkBroadcast(imp, [dimsOf(a), dimsOf(b)]);
      return [fold(imp, 'bool', [a as ConstVal, b as ConstVal], ([x, y]) => {
        if (name === 'Equal' && (typeof x !== 'number' || typeof y !== 'number')) return asDim(x!).equals(asDim(y!)) ? 1 : 0;
        return f(num(imp, x!, 'an operand'), num(imp, y!, 'an operand')) ? 1 : 0;
      })];
    }
    if (nonNegativeIndex(a) && b.kind === 'const' && allEqual(b) === 0 && (name === 'GreaterOrEqual' || name === 'Less')) {
      // An index compared with 0 (the mask builders' bounds checks): known everywhere.
      const dims = checkBroadcast(imp, [dimsOf(a), dimsOf(b)]);
      return [constOrFilled(imp, name === 'GreaterOrEqual' ? 1 : 0, 'bool', dims)];
    }
    return [elementwise(imp, op, [a, b])];
  };
}

/** A tensor that counts positions (an iota, maybe reshaped or expanded): never negative. */
function nonNegativeIndex(v: Value): boolean {
  let n = v.kind === 'tensor' ? v.node : undefined;
  while (n && (n.op === 'reshape' || n.op === 'expand' || n.op === 'cast')) n = n.srcs[0];
  return n?.op === 'iota';
}

/** A constant of one value: folded when its shape is known, a filled tensor when it has dynamic sizes. */
function constOrFilled(imp: Importer, value: number, dtype: DType, dims: Dims): Value {
  if (dims.every((d) => d.constant !== undefined) && numel(dims.map((d) => d.constant!)) <= MAX_FOLDED) {
    const shape = dims.map((d) => d.constant!);
    return constVal(dtype, shape, new Array<Elem>(numel(shape)).fill(value));
  }
  return imp.filled(value, dtype, dims);
}

function logical(name: 'And' | 'Or' | 'Xor'): Handler {
  return (imp: Importer) => {
    imp.allowAttrs();
    const a = imp.required(0);
    const b = imp.required(1);
    if (dtypeOf(a) !== 'bool' || dtypeOf(b) !== 'bool') imp.fail('needs BOOL operands');
    const f = name === 'And' ? (x: number, y: number) => x && y : name === 'Or' ? (x: number, y: number) => x || y : (x: number, y: number) => (x ? 1 : 0) ^ (y ? 1 : 0);
    if (allConst([a, b])) {
      checkBroadcast(imp, [dimsOf(a), dimsOf(b)]);
      return [fold(imp, 'bool', [a as ConstVal, b as ConstVal], ([x, y]) => (f(x as number, y as number) ? 1 : 0))];
    }
    const dims = checkBroadcast(imp, [dimsOf(a), dimsOf(b)]);
    // A constant side that is all true or all false decides or passes through (the mask builders' `True & m`).
    for (const [k, o] of [[a, b], [b, a]] as const) {
      if (o.kind !== 'tensor') continue;
      const s = knownValue(k);
      if (s === undefined) continue;
      const passes = (name === 'And' && s === 1) || (name === 'Or' && s === 0) || (name === 'Xor' && s === 0);
      if (passes) return [dimsEqual(o.dims, dims) ? o : imp.expand(o, dims)];
      if ((name === 'And' && s === 0) || (name === 'Or' && s === 1)) return [constOrFilled(imp, s, 'bool', dims)];
    }
    if (name === 'Xor') return [elementwise(imp, 'ne', [a, b])];
    const ta = imp.tensor(a);
    const tb = imp.tensor(b);
    // The IR has no boolean ops: a and b is where(a, b, false); a or b is where(a, true, b).
    const args = name === 'And' ? [ta, tb, imp.scalar(0, 'bool')] : [ta, imp.scalar(1, 'bool'), tb];
    return [imp.op('where', args, {}, dims)];
  };
}

const notHandler: Handler = (imp: Importer) => {
  imp.allowAttrs();
  const x = imp.required(0);
  if (dtypeOf(x) !== 'bool') imp.fail('needs a BOOL operand');
  if (x.kind === 'const') return [fold(imp, 'bool', [x], ([v]) => (v ? 0 : 1))];
  return [imp.op('eq', [x, imp.scalar(0, 'bool')], {}, x.dims)];
};

const whereHandler: Handler = (imp: Importer) => {
  imp.allowAttrs();
  const [c, x, y] = [imp.required(0), imp.required(1), imp.required(2)];
  if (dtypeOf(c) !== 'bool') imp.fail('needs a BOOL condition');
  if (!sameKind(dtypeOf(x), dtypeOf(y))) imp.fail(`its branches have different types: ${dtypeOf(x)} and ${dtypeOf(y)}`);
  if (allConst([c, x, y])) {
    checkBroadcast(imp, [dimsOf(c), dimsOf(x), dimsOf(y)]);
    return [fold(imp, (x as ConstVal).dtype, [c as ConstVal, x as ConstVal, y as ConstVal], ([k, a, b]) => (k ? a! : b!))];
  }
  {
    const s = knownValue(c);
    if (s !== undefined) {
      const pick = s ? x : y;
      const dims = checkBroadcast(imp, [dimsOf(c), dimsOf(x), dimsOf(y)]);
      const t = imp.tensor(pick);
      return [dimsEqual(t.dims, dims) ? t : imp.expand(t, dims)];
    }
  }
  return [elementwise(imp, 'where', [c, x, y])];
};

const castHandler: Handler = (imp: Importer) => {
  imp.allowAttrs('to', 'saturate');
  const to = imp.dtypeOf(imp.int('to'));
  const x = imp.required(0);
  if (x.kind === 'const') {
    const from = x.dtype;
    return [fold(imp, to, [x], ([v]) => {
      if (typeof v !== 'number') {
        if (isInteger(to)) return v;
        return num(imp, v, 'the value cast');
      }
      if (to === 'bool') return v !== 0 ? 1 : 0;
      if (isInteger(to)) return isFloat(from) ? Math.trunc(v) : v;
      return roundTo(to, v);
    })];
  }
  return [imp.cast(x, to)];
};

const castLikeHandler: Handler = (imp: Importer) => {
  imp.allowAttrs('saturate');
  const like = imp.input(1) ?? imp.fail('needs a target-type operand');
  // A tensor's dtype is the one it is computed in (INT64 as i32), which is what the cast must produce.
  const to = dtypeOf(like);
  const x = imp.required(0);
  if (x.kind === 'const') return [fold(imp, to, [x], ([v]) => (typeof v !== 'number' ? v : to === 'bool' ? (v !== 0 ? 1 : 0) : isInteger(to) ? Math.trunc(v) : roundTo(to, v)))];
  return [imp.cast(x, to)];
};

const identity: Handler = (imp: Importer) => {
  imp.allowAttrs();
  return [imp.input(0)];
};

const dropoutHandler: Handler = (imp: Importer) => {
  imp.allowAttrs('seed', 'ratio', 'is_test');
  if (imp.attr('is_test') && imp.int('is_test') === 0) imp.fail('training mode (is_test=0) is not supported: bertc imports models for inference');
  const training = imp.node.inputs[2] ? imp.constInput(2, 'training_mode') : undefined;
  if (training && elems(training).some((e) => e !== 0)) imp.fail('training_mode true is not supported: bertc imports models for inference');
  return [imp.input(0)];
};

// ---- shapes

const shapeHandler: Handler = (imp: Importer) => {
  imp.allowAttrs('start', 'end');
  const x = imp.required(0);
  const dims = dimsOf(x);
  const r = dims.length;
  const clamp = (v: number) => Math.max(0, Math.min(r, v < 0 ? v + r : v));
  const start = clamp(imp.int('start', 0));
  const end = clamp(imp.int('end', r));
  const picked = dims.slice(start, Math.max(start, end));
  return [constVal('i64', [picked.length], picked.map(normalizeElem))];
};

const sizeHandler: Handler = (imp: Importer) => {
  imp.allowAttrs();
  return [constVal('i64', [], [normalizeElem(product(dimsOf(imp.required(0))))])];
};

/** An axes list from the attribute (older opsets) or the constant input (newer ones). */
function axesFrom(imp: Importer, inputIndex: number, attrUntil: number): readonly number[] | undefined {
  if (imp.opset < attrUntil) return imp.ints('axes');
  if (imp.attr('axes')) imp.fail(`attribute 'axes' is an input from opset ${attrUntil} on`);
  const c = imp.constInput(inputIndex, 'axes');
  return c ? elems(c).map((e) => num(imp, e, 'an axis')) : undefined;
}

function normalizeAxes(imp: Importer, axes: readonly number[], rank: number): number[] {
  const out = axes.map((a) => {
    const n = normalizeAxis(a, rank);
    if (n === undefined) imp.fail(`axis ${a} is out of range for rank ${rank}`);
    return n;
  });
  if (new Set(out).size !== out.length) imp.fail(`axes [${axes.join(', ')}] name an axis twice`);
  return out;
}

/** A value given new dimensions with the same elements in the same order. */
function reshaped(imp: Importer, x: Value, dims: Dims): Value {
  if (x.kind === 'const' && dims.every((d) => d.constant !== undefined)) return constVal(x.dtype, dims.map((d) => d.constant!), x.data, x.weight);
  return imp.reshape(imp.tensor(x), dims);
}

const unsqueezeHandler: Handler = (imp: Importer) => {
  imp.allowAttrs(...(imp.opset < 13 ? ['axes'] : []));
  const x = imp.required(0);
  const axes = axesFrom(imp, 1, 13) ?? imp.fail('needs axes');
  const dims = [...dimsOf(x)];
  const rank = dims.length + axes.length;
  const at = normalizeAxes(imp, axes, rank).sort((a, b) => a - b);
  for (const a of at) dims.splice(a, 0, Dim.of(1));
  return [reshaped(imp, x, dims)];
};

const squeezeHandler: Handler = (imp: Importer) => {
  imp.allowAttrs(...(imp.opset < 13 ? ['axes'] : []));
  const x = imp.required(0);
  const dims = dimsOf(x);
  const axes = axesFrom(imp, 1, 13);
  const at = axes ? normalizeAxes(imp, axes, dims.length) : dims.flatMap((d, i) => (d.constant === 1 ? [i] : []));
  for (const a of at) if (dims[a]!.constant !== 1) imp.fail(`cannot squeeze axis ${a} of size ${dims[a]}`);
  return [reshaped(imp, x, dims.filter((_, i) => !at.includes(i)))];
};

const flattenHandler: Handler = (imp: Importer) => {
  imp.allowAttrs('axis');
  const x = imp.required(0);
  const dims = dimsOf(x);
  const axis = imp.int('axis', 1);
  const a = axis < 0 ? axis + dims.length : axis;
  if (!(a >= 0 && a <= dims.length)) imp.fail(`axis ${axis} is out of range for rank ${dims.length}`);
  return [reshaped(imp, x, [product(dims.slice(0, a)), product(dims.slice(a))])];
};

const reshapeHandler: Handler = (imp: Importer) => {
  imp.allowAttrs('allowzero');
  const x = imp.required(0);
  const allowZero = imp.int('allowzero', 0) === 1;
  const shape = imp.constInput(1, 'shape') ?? imp.fail('needs a shape');
  const from = dimsOf(x);
  const want = elems(shape).map((e, i): Dim | undefined => {
    const v = asNumber(e);
    if (v === 0 && !allowZero) {
      if (i >= from.length) imp.fail(`shape entry ${i} is 0 (copy the input's dimension), but the input has rank ${from.length}`);
      return from[i]!;
    }
    if (v === -1) return undefined;
    if (v !== undefined && v < 0) imp.fail(`shape entry ${i} is ${v}`);
    return asDim(e);
  });
  const free = want.filter((d) => d === undefined).length;
  if (free > 1) imp.fail('its shape has -1 more than once');
  const total = product(from);
  if (free === 1) {
    const known = product(want.filter((d): d is Dim => d !== undefined));
    const rest = total.div(known);
    if (!rest) imp.fail(`cannot infer the -1 of shape ${formatDims(want.map((d) => d ?? Dim.of(-1)))}: ${total} elements do not divide by ${known}`);
    return [reshaped(imp, x, want.map((d) => d ?? rest))];
  }
  const dims = want as Dim[];
  if (!product(dims).equals(total)) imp.fail(`cannot reshape ${formatDims(from)} to ${formatDims(dims)}`);
  return [reshaped(imp, x, dims)];
};

const transposeHandler: Handler = (imp: Importer) => {
  imp.allowAttrs('perm');
  const x = imp.required(0);
  const dims = dimsOf(x);
  const perm = imp.ints('perm') ?? dims.map((_, i) => dims.length - 1 - i);
  if (perm.length !== dims.length || [...perm].sort((a, b) => a - b).some((p, i) => p !== i)) imp.fail(`perm [${perm.join(', ')}] is not a permutation of the ${dims.length} axes`);
  const out = perm.map((p) => dims[p]!);
  if (perm.every((p, i) => p === i)) return [x];
  if (x.kind === 'const') {
    const st = stridesOf(x.shape);
    const shape = out.map((d) => d.constant!);
    const ost = stridesOf(shape);
    const src = x.data as ArrayLike<Elem>;
    const data: Elem[] = new Array(numel(shape));
    for (let i = 0; i < data.length; i++) {
      let off = 0;
      for (let k = 0; k < shape.length; k++) off += (Math.floor(i / ost[k]!) % shape[k]!) * st[perm[k]!]!;
      data[i] = src[off]!;
    }
    return [constVal(x.dtype, shape, data)];
  }
  return [imp.op('transpose', [x], { perm: [...perm] }, out)];
};

const concatHandler: Handler = (imp: Importer) => {
  imp.allowAttrs('axis');
  const vals = imp.node.inputs.map((_, i) => imp.required(i));
  if (vals.length === 0) imp.fail('needs at least one operand');
  const rank = dimsOf(vals[0]!).length;
  const axis = normalizeAxis(imp.int('axis'), rank);
  if (axis === undefined) imp.fail(`axis ${imp.int('axis')} is out of range for rank ${rank}`);
  for (const v of vals) {
    const d = dimsOf(v);
    if (d.length !== rank || d.some((x, i) => i !== axis && !x.equals(dimsOf(vals[0]!)[i]!))) imp.fail(`cannot concatenate ${vals.map((v) => formatDims(dimsOf(v))).join(', ')} along axis ${axis}`);
    if (!sameKind(dtypeOf(v), dtypeOf(vals[0]!))) imp.fail('operands have different types');
  }
  const dims = dimsOf(vals[0]!).map((d, i) => (i === axis ? vals.reduce((s, v) => s.add(dimsOf(v)[i]!), Dim.of(0)) : d));
  if (allConst(vals)) {
    const shape = dims.map((d) => d.constant!);
    const outer = numel(shape.slice(0, axis));
    const data: Elem[] = [];
    for (let o = 0; o < outer; o++) {
      for (const v of vals) {
        const inner = numel(v.shape.slice(axis));
        const src = v.data as ArrayLike<Elem>;
        for (let j = 0; j < inner; j++) data.push(src[o * inner + j]!);
      }
    }
    return [constVal(vals[0]!.dtype, shape, data)];
  }
  const parts = vals.filter((v) => numel(dimsOf(v).map((d) => imp.concrete(d))) > 0 || v.kind === 'tensor');
  if (parts.length === 1) return [imp.tensor(parts[0]!)];
  return [imp.op('concat', parts.map((v) => imp.tensor(v)), { axis }, dims)];
};

const INT64_MAX = 9223372036854775807;

const sliceHandler: Handler = (imp: Importer) => {
  const x = imp.required(0);
  const dims = dimsOf(x);
  let starts: Elem[];
  let ends: Elem[];
  let axes: number[];
  let steps: number[];
  if (imp.opset < 10) {
    imp.allowAttrs('starts', 'ends', 'axes');
    starts = [...(imp.ints('starts') ?? imp.fail("attribute 'starts' is required"))];
    ends = [...(imp.ints('ends') ?? imp.fail("attribute 'ends' is required"))];
    axes = [...(imp.ints('axes') ?? starts.map((_, i) => i))];
    steps = starts.map(() => 1);
  } else {
    imp.allowAttrs();
    starts = elems(imp.constInput(1, 'starts') ?? imp.fail('needs starts'));
    ends = elems(imp.constInput(2, 'ends') ?? imp.fail('needs ends'));
    const ax = imp.constInput(3, 'axes');
    axes = ax ? elems(ax).map((e) => num(imp, e, 'an axis')) : starts.map((_, i) => i);
    const st = imp.constInput(4, 'steps');
    steps = st ? elems(st).map((e) => num(imp, e, 'a step')) : starts.map(() => 1);
  }
  if (ends.length !== starts.length || axes.length !== starts.length || steps.length !== starts.length) imp.fail('starts, ends, axes and steps differ in length');
  const at = normalizeAxes(imp, axes, dims.length);
  // Bounds as the spec clamps them; with a dynamic dimension, a constant bound within it is taken as given.
  const bound = (e: Elem, d: Dim, step: number, isEnd: boolean): Dim => {
    const v = asNumber(e);
    const dn = d.constant;
    if (v === undefined) return asDim(e);
    if (dn !== undefined) {
      const lo = step > 0 ? 0 : -1;
      const hi = step > 0 ? dn : dn - 1;
      const r = v < 0 ? v + dn : v;
      return Dim.of(Math.max(lo, Math.min(hi, r)));
    }
    if (v >= INT64_MAX / 2 || (isEnd && v >= 2147483647)) return d;
    if (v < 0) return d.add(Dim.of(v));
    return Dim.of(v);
  };
  const sl = at.map((a, i) => ({ axis: a, step: steps[i]!, start: bound(starts[i]!, dims[a]!, steps[i]!, false), end: bound(ends[i]!, dims[a]!, steps[i]!, true) }));
  for (const s of sl) if (s.step === 0) imp.fail('a step of 0');
  const allConcrete = sl.every((s) => s.start.constant !== undefined && s.end.constant !== undefined) && dims.every((d) => d.constant !== undefined);
  if (x.kind === 'const' && allConcrete) {
    // Folded elementwise, any step.
    const shape = [...x.shape];
    const picks = shape.map((d) => Array.from({ length: d }, (_, i) => i));
    for (const s of sl) {
      const idx: number[] = [];
      const b = s.start.constant!;
      const e = s.end.constant!;
      for (let i = b; s.step > 0 ? i < e : i > e; i += s.step) idx.push(i);
      picks[s.axis] = idx;
    }
    const out = picks.map((p) => p.length);
    const st = stridesOf(x.shape);
    const src = x.data as ArrayLike<Elem>;
    const data: Elem[] = new Array(numel(out));
    const ost = stridesOf(out);
    for (let i = 0; i < data.length; i++) {
      let off = 0;
      for (let k = 0; k < out.length; k++) off += picks[k]![Math.floor(i / ost[k]!) % out[k]!]! * st[k]!;
      data[i] = src[off]!;
    }
    return [constVal(x.dtype, out, data)];
  }
  for (const s of sl) if (s.step !== 1) imp.fail(`step ${s.step} on axis ${s.axis} is not supported for tensors computed at run time (only 1)`);
  if (x.kind === 'const' && sl.length === 1 && iotaAxis(x) === sl[0]!.axis && sl[0]!.start.constant === 0) {
    // A prefix of positions (position_ids[:, :seq]) is an iota of the dynamic length.
    const outDims = dims.map((d, i) => (i === sl[0]!.axis ? sl[0]!.end : d));
    return [iota(imp, outDims, sl[0]!.axis, x.dtype)];
  }
  let t = imp.tensor(x);
  for (const s of sl) {
    if (s.start.constant === 0 && s.end.equals(t.dims[s.axis]!)) continue;
    const outDims = t.dims.map((d, i) => (i === s.axis ? s.end.sub(s.start) : d));
    const len = imp.concrete(outDims[s.axis]!);
    if (!(len > 0)) imp.fail(`slice [${s.start}, ${s.end}) of axis ${s.axis} is empty`);
    t = imp.op('slice', [t], { axis: s.axis, start: imp.concrete(s.start), end: imp.concrete(s.end) }, outDims, { start: String(s.start), end: String(s.end) });
  }
  return [t];
};

function iota(imp: Importer, dims: Dims, axis: number, dtype: DType): TensorVal {
  return imp.op('iota', [], { shape: dims.map((d) => imp.concrete(d)), axis, dtype: dtype === 'i64' ? 'i32' : dtype }, dims, { shape: formatDims(dims) });
}

const rangeHandler: Handler = (imp: Importer) => {
  imp.allowAttrs();
  const need = (i: number, what: string) => imp.constInput(i, what) ?? imp.fail(`needs ${what}`);
  const [s, l, d] = [need(0, 'start'), need(1, 'limit'), need(2, 'delta')];
  const start = elems(s)[0]!;
  const limit = elems(l)[0]!;
  const delta = num(imp, elems(d)[0]!, 'delta');
  const sv = asNumber(start);
  const lv = asNumber(limit);
  if (sv !== undefined && lv !== undefined) {
    const n = Math.max(Math.ceil((lv - sv) / delta), 0);
    return [constVal(s.dtype, [n], Array.from({ length: n }, (_, i) => roundTo(s.dtype, sv + i * delta)))];
  }
  if (delta !== 1 || isFloat(s.dtype)) imp.fail('a range of dynamic length needs integer bounds and delta 1');
  const len = asDim(limit).sub(asDim(start));
  const r = iota(imp, [len], 0, s.dtype);
  return [sv === 0 ? r : imp.op('add', [r, imp.scalar(num(imp, start, 'start'), s.dtype)], {}, r.dims)];
};

const constantHandler: Handler = (imp: Importer) => {
  const [name, a] = [...imp.node.attrs][0] ?? imp.fail('has no value attribute');
  if (imp.node.attrs.size !== 1) imp.fail('needs exactly one value attribute');
  switch (name) {
    case 'value':
      if (a.kind !== 'tensor') imp.fail("attribute 'value' must be a TENSOR");
      return [constVal(a.value.dtype, a.value.shape, a.value.data)];
    case 'value_float':
      return [constVal('f32', [], [imp.float('value_float', 0)])];
    case 'value_floats':
      if (a.kind !== 'floats') imp.fail("attribute 'value_floats' must be FLOATS");
      return [constVal('f32', [a.value.length], a.value)];
    case 'value_int':
      return [constVal('i64', [], [imp.int('value_int')])];
    case 'value_ints':
      return [constVal('i64', [imp.ints('value_ints')!.length], imp.ints('value_ints')!)];
    default:
      return imp.fail(`attribute '${name}' is not supported (bertc reads value, value_float(s) and value_int(s))`);
  }
};

const constantOfShapeHandler: Handler = (imp: Importer) => {
  imp.allowAttrs('value');
  const shape = imp.constInput(0, 'shape') ?? imp.fail('needs a shape');
  const a = imp.attr('value');
  if (a && a.kind !== 'tensor') imp.fail("attribute 'value' must be a TENSOR");
  const v = a?.kind === 'tensor' ? a.value : { dtype: 'f32' as DType, data: [0] };
  if (v.data.length !== 1) imp.fail("attribute 'value' must hold one element");
  const dims = elems(shape).map(asDim);
  return [constOrFilled(imp, v.data[0]!, v.dtype, dims)];
};

const expandHandler: Handler = (imp: Importer) => {
  imp.allowAttrs();
  const x = imp.required(0);
  const shape = imp.constInput(1, 'shape') ?? imp.fail('needs a shape');
  const dims = checkBroadcast(imp, [dimsOf(x), elems(shape).map(asDim)]);
  if (dimsEqual(dims, dimsOf(x))) return [x];
  if (x.kind === 'const') {
    const same = allEqual(x);
    if (same !== undefined && typeof same === 'number') return [constOrFilled(imp, same, x.dtype, dims)];
    const shape = dims.every((d) => d.constant !== undefined) ? dims.map((d) => d.constant!) : undefined;
    if (shape && numel(shape) <= MAX_FOLDED) return [fold(imp, x.dtype, [x, constVal(x.dtype, shape, new Array<Elem>(numel(shape)).fill(0))], ([v]) => v!)];
  }
  return [imp.expand(imp.tensor(x), dims)];
};

const gatherHandler: Handler = (imp: Importer) => {
  imp.allowAttrs('axis');
  const data = imp.required(0);
  const idx = imp.required(1);
  const dims = dimsOf(data);
  const axis = normalizeAxis(imp.int('axis', 0), dims.length);
  if (axis === undefined) imp.fail(`axis ${imp.int('axis', 0)} is out of range for rank ${dims.length}`);
  if (!isInteger(dtypeOf(idx))) imp.fail('needs integer indices');
  const extent = dims[axis]!;
  if (idx.kind === 'const') {
    const positions = elems(idx).map((e) => {
      const v = num(imp, e, 'an index');
      const n = extent.constant;
      if (n === undefined) {
        if (v < 0) imp.fail(`index ${v} counts from the end of the dynamic axis ${extent}`);
        return v;
      }
      if (v < -n || v >= n) imp.fail(`index ${v} is out of range for an axis of ${n}`);
      return v < 0 ? v + n : v;
    });
    if (data.kind === 'const') {
      const outShape = [...data.shape.slice(0, axis), ...idx.shape, ...data.shape.slice(axis + 1)];
      const inner = numel(data.shape.slice(axis + 1));
      const outer = numel(data.shape.slice(0, axis));
      const src = data.data as ArrayLike<Elem>;
      const out: Elem[] = [];
      for (let o = 0; o < outer; o++) for (const p of positions) for (let j = 0; j < inner; j++) out.push(src[(o * data.shape[axis]! + p) * inner + j]!);
      return [constVal(data.dtype, outShape, out)];
    }
    if (idx.shape.length === 0) {
      // One position (the pooler's first token): a slice, then the axis dropped.
      const p = positions[0]!;
      const t = data as TensorVal;
      const sliced = imp.op('slice', [t], { axis, start: p, end: p + 1 }, t.dims.map((d, i) => (i === axis ? Dim.of(1) : d)));
      return [imp.reshape(sliced, t.dims.filter((_, i) => i !== axis))];
    }
  }
  const table = imp.tensor(data);
  const indices = imp.tensor(idx);
  const out = [...table.dims.slice(0, axis), ...indices.dims, ...table.dims.slice(axis + 1)];
  if (axis === 0) {
    const view = flattenedLookup(imp, table, indices);
    if (view) return [imp.reshape(view, out)];
  }
  return [imp.op('gather', [table, indices], { axis }, out)];
};

/**
 * Index arithmetic over iotas, as `sum of coefficient * position along an axis` of the index
 * tensor (its dimensions `dims`), when `n` is built only of iotas, reshapes that add or drop unit
 * axes, integer casts, additions and multiplications by constant sizes.
 */
function affineTerms(imp: Importer, n: Node, dims: Dims): Map<number, Dim> | undefined {
  switch (n.op) {
    case 'iota': {
      const axis = n.attr<number>('axis');
      return new Map([[axis, Dim.of(1)]]);
    }
    case 'cast':
      return isInteger(n.srcs[0]!.type.dtype) ? affineTerms(imp, n.srcs[0]!, dims) : undefined;
    case 'reshape': {
      const src = n.srcs[0]!;
      const sd = imp.dims.get(src);
      const inner = sd && affineTerms(imp, src, sd);
      if (!sd || !inner) return undefined;
      const from = sd.flatMap((d, i) => (d.constant === 1 ? [] : [i]));
      const to = dims.flatMap((d, i) => (d.constant === 1 ? [] : [i]));
      if (from.length !== to.length || from.some((a, k) => !sd[a]!.equals(dims[to[k]!]!))) return undefined;
      const out = new Map<number, Dim>();
      for (const [a, c] of inner) {
        const k = from.indexOf(a);
        if (k < 0) return undefined;
        out.set(to[k]!, c);
      }
      return out;
    }
    case 'add':
    case 'mul': {
      const [a, b] = n.srcs as [Node, Node];
      if (n.op === 'mul') {
        const [x, c] = b.op === 'const' ? [a, b] : a.op === 'const' ? [b, a] : [undefined, undefined];
        const k = c ? imp.sizeOf.get(c) ?? Dim.of(c.attr<number>('value')) : undefined;
        const xd = x && imp.dims.get(x);
        const t = x && xd && affineTerms(imp, x, xd);
        if (!t || !k || xd!.length !== dims.length) return undefined;
        return new Map([...t].map(([ax, v]) => [ax, v.mul(k)]));
      }
      const out = new Map<number, Dim>();
      for (const s of [a, b]) {
        const sd = imp.dims.get(s);
        const t = sd && affineTerms(imp, s, sd);
        if (!t || sd!.length !== dims.length) return undefined;
        for (const [ax, v] of t) out.set(ax, (out.get(ax) ?? Dim.of(0)).add(v));
      }
      return out;
    }
    default:
      return undefined;
  }
}

/**
 * gather(reshape(t, [numel(t), 1, ..]), i) where the indices are t's own row-major offsets of
 * positions along axes of the index tensor (the mask builders' `mask[batch_idx, kv_idx]` spelled
 * as a lookup in the flattened mask): t itself, laid out along those axes. Undefined otherwise.
 */
function flattenedLookup(imp: Importer, table: TensorVal, indices: TensorVal): TensorVal | undefined {
  const flat = table.node;
  if (flat.op === 'cast') {
    const inner = flattenedLookup(imp, sourceOf(imp, table), indices);
    return inner && imp.cast(inner, flat.type.dtype);
  }
  if (flat.op !== 'reshape' || table.dims.slice(1).some((d) => d.constant !== 1)) return undefined;
  const t = flat.srcs[0]!;
  const td = imp.dims.get(t);
  if (!td || !product(td).equals(table.dims[0]!)) return undefined;
  const terms = affineTerms(imp, indices.node, indices.dims);
  if (!terms) return undefined;
  let stride = Dim.of(1);
  const placed: number[] = [];
  for (let j = td.length - 1; j >= 0; j--) {
    if (td[j]!.constant === 1) continue;
    const hit = [...terms].find(([ax, c]) => c.equals(stride) && indices.dims[ax]!.equals(td[j]!));
    if (!hit) return undefined;
    placed.unshift(hit[0]);
    terms.delete(hit[0]);
    stride = stride.mul(td[j]!);
  }
  if (terms.size || placed.some((a, k) => k > 0 && a <= placed[k - 1]!) || indices.dims.some((d, ax) => !placed.includes(ax) && d.constant !== 1)) return undefined;
  return { kind: 'tensor', node: t, dims: td };
}

// ---- compute

const matmulHandler: Handler = (imp: Importer) => {
  imp.allowAttrs();
  let a = imp.tensorInput(0);
  let b = imp.tensorInput(1);
  if (a.node.type.dtype !== b.node.type.dtype) imp.fail(`operands have different types: ${a.node.type.dtype} and ${b.node.type.dtype}`);
  // 1-D operands are promoted to matrices and the added axis is removed afterwards (numpy's matmul).
  const va = a.dims.length === 1;
  const vb = b.dims.length === 1;
  if (va) a = imp.reshape(a, [Dim.of(1), a.dims[0]!]);
  if (vb) b = imp.reshape(b, [b.dims[0]!, Dim.of(1)]);
  const batch = broadcastDims(a.dims.slice(0, -2), b.dims.slice(0, -2));
  if (!batch || !a.dims[a.dims.length - 1]!.equals(b.dims[b.dims.length - 2]!)) imp.fail(`cannot multiply ${formatDims(a.dims)} by ${formatDims(b.dims)}`);
  const dims = [...batch, a.dims[a.dims.length - 2]!, b.dims[b.dims.length - 1]!];
  let r = imp.op('matmul', [a, b], {}, dims);
  if (va || vb) r = imp.reshape(r, dims.filter((_, i) => !((va && i === dims.length - 2) || (vb && i === dims.length - 1))));
  return [r];
};

const gemmHandler: Handler = (imp: Importer) => {
  imp.allowAttrs('alpha', 'beta', 'transA', 'transB');
  const a = imp.tensorInput(0);
  const b = imp.tensorInput(1);
  if (a.dims.length !== 2 || b.dims.length !== 2) imp.fail('needs matrices');
  const ta = imp.int('transA', 0) === 1;
  const tb = imp.int('transB', 0) === 1;
  const m = a.dims[ta ? 1 : 0]!;
  const n = b.dims[tb ? 0 : 1]!;
  let r = imp.op('matmul', [a, b], { transpose_a: ta, transpose_b: tb }, [m, n]);
  const alpha = imp.float('alpha', 1);
  const beta = imp.float('beta', 1);
  if (alpha !== 1) r = imp.op('mul', [r, imp.scalar(alpha, r.node.type.dtype)], {}, r.dims);
  const c = imp.input(2);
  if (c && beta !== 0) {
    let cv: Value = c;
    if (beta !== 1) cv = c.kind === 'const' ? fold(imp, c.dtype, [c], ([v]) => roundTo(c.dtype, (v as number) * beta)) : imp.op('mul', [c, imp.scalar(beta, dtypeOf(c))], {}, c.dims);
    r = elementwise(imp, 'add', [r, cv]);
  }
  return [r];
};

const softmaxHandler: Handler = (imp: Importer) => {
  imp.allowAttrs('axis');
  const x = imp.tensorInput(0);
  const rank = x.dims.length;
  const axis = normalizeAxis(imp.int('axis', imp.opset < 13 ? 1 : -1), rank);
  if (axis === undefined) imp.fail(`axis ${imp.int('axis', -1)} is out of range for rank ${rank}`);
  if (imp.opset < 13 && axis !== rank - 1) {
    // Before opset 13 Softmax normalises over all axes from `axis` on, as one flattened row.
    const rows = imp.reshape(x, [...x.dims.slice(0, axis), product(x.dims.slice(axis))]);
    const s = imp.op('softmax', [rows], { axis: -1 }, rows.dims);
    return [imp.reshape(s, x.dims)];
  }
  return [imp.op('softmax', [x], { axis }, x.dims)];
};

const layerNormHandler: Handler = (imp: Importer, fused: boolean) => {
  if (!fused) imp.allowAttrs('axis', 'epsilon', 'stash_type');
  const x = imp.tensorInput(0);
  const rank = x.dims.length;
  const axis = normalizeAxis(imp.int('axis', -1), rank);
  if (axis === undefined) imp.fail(`axis ${imp.int('axis', -1)} is out of range for rank ${rank}`);
  const eps = imp.float('epsilon', 1e-5);
  const tail = x.dims.slice(axis);
  if (fused && axis !== rank - 1) return undefined;
  const width = product(tail);
  const dtype = x.node.type.dtype;
  // Scale and bias broadcast to the normalised axes; flattened to the one axis the IR normalises.
  const param = (i: number, dflt: number): TensorVal | undefined => {
    const v = imp.input(i);
    if (!v) return imp.filled(dflt, dtype, [width]);
    const d = dimsOf(v);
    if (d.length > tail.length || !dimsEqual(checkBroadcast(imp, [d, tail]), tail)) {
      if (fused) return undefined;
      imp.fail(`its ${i === 1 ? 'scale' : 'bias'} ${formatDims(d)} does not broadcast to the normalised axes ${formatDims(tail)}`);
    }
    if (v.kind === 'const') {
      const same = allEqual(v);
      if (same !== undefined && typeof same === 'number' && v.weight === undefined) return imp.filled(same, dtype, [width]);
    }
    const t = imp.tensor(v);
    const full = dimsEqual(d, tail) ? t : imp.expand(t, tail);
    return imp.reshape(full, [width]);
  };
  const gamma = param(1, 1);
  const beta = param(2, 0);
  if (!gamma || !beta) return undefined;
  const rows = imp.reshape(x, [...x.dims.slice(0, axis), width]);
  const y = imp.op('layernorm', [rows, gamma, beta], { eps }, rows.dims);
  if (fused) return [imp.reshape(y, x.dims)];
  // Mean and InvStdDev, the optional outputs, over the normalised axes kept as 1s (left dead when unread).
  const r = rows.dims.length - 1;
  const stat = [...x.dims.slice(0, axis), ...tail.map(() => Dim.of(1))];
  const kept = [...rows.dims.slice(0, -1), Dim.of(1)];
  const mean = imp.op('reduce_mean', [rows], { axes: [r], keepdims: true }, kept);
  const d = imp.op('sub', [rows, mean], {}, rows.dims);
  const variance = imp.op('reduce_mean', [imp.op('mul', [d, d], {}, rows.dims)], { axes: [r], keepdims: true }, kept);
  const inv = imp.op('rsqrt', [imp.op('add', [variance, imp.scalar(eps, dtype)], {}, kept)], {}, kept);
  return [imp.reshape(y, x.dims), imp.reshape(mean, stat), imp.reshape(inv, stat)];
};

const geluHandler: Handler = (imp: Importer, fused: boolean) => {
  if (!fused) imp.allowAttrs('approximate');
  const approximate = fused ? 'none' : imp.string('approximate', 'none');
  if (approximate !== 'none' && approximate !== 'tanh') imp.fail(`approximate="${approximate}" is not supported (none or tanh)`);
  const x = imp.tensorInput(0);
  return [imp.op('gelu', [x], approximate === 'tanh' ? { approximate } : {}, x.dims)];
};

function reduction(op: 'reduce_sum' | 'reduce_mean' | 'reduce_max', axesInputFrom: number): Handler {
  return (imp: Importer) => {
    imp.allowAttrs('keepdims', 'noop_with_empty_axes', ...(imp.opset < axesInputFrom ? ['axes'] : []));
    const x = imp.tensorInput(0);
    const keep = imp.int('keepdims', 1) === 1;
    const given = axesFrom(imp, 1, axesInputFrom);
    const rank = x.dims.length;
    if ((!given || given.length === 0) && imp.int('noop_with_empty_axes', 0) === 1) return [x];
    const axes = given && given.length ? normalizeAxes(imp, given, rank) : x.dims.map((_, i) => i);
    if (rank === 0) return [x];
    if (op === 'reduce_mean' && !isFloat(x.node.type.dtype)) imp.fail('ReduceMean of an integer tensor is not supported');
    const dims = keep ? x.dims.map((d, i) => (axes.includes(i) ? Dim.of(1) : d)) : x.dims.filter((_, i) => !axes.includes(i));
    return [imp.op(op, [x], { axes: [...axes].sort((a, b) => a - b), keepdims: keep }, dims)];
  };
}

export const OP_TRANSLATIONS: Readonly<Record<string, Handler>> = {
  Add: arithmetic('Add'), Sub: arithmetic('Sub'), Mul: arithmetic('Mul'), Div: arithmetic('Div'), Pow: arithmetic('Pow'), Max: arithmetic('Max'), Min: arithmetic('Min'), Sum: arithmetic('Sum'),
  Equal: comparison('Equal'), Less: comparison('Less'), LessOrEqual: comparison('LessOrEqual'), Greater: comparison('Greater'), GreaterOrEqual: comparison('GreaterOrEqual'),
  And: logical('And'), Or: logical('Or'), Xor: logical('Xor'), Not: notHandler, Where: whereHandler,
  Sqrt: unary('sqrt'), Erf: unary('erf'), Tanh: unary('tanh'), Relu: unary('relu'), Exp: unary('exp'), Log: unary('log'), Neg: unary('neg'), Abs: unary('abs'), Reciprocal: unary('recip'),
  Cast: castHandler, CastLike: castLikeHandler, Identity: identity, Dropout: dropoutHandler,
  Shape: shapeHandler, Size: sizeHandler, Unsqueeze: unsqueezeHandler, Squeeze: squeezeHandler, Flatten: flattenHandler, Reshape: reshapeHandler,
  Transpose: transposeHandler, Concat: concatHandler, Slice: sliceHandler, Range: rangeHandler, Constant: constantHandler, ConstantOfShape: constantOfShapeHandler,
  Expand: expandHandler, Gather: gatherHandler,
  MatMul: matmulHandler, Gemm: gemmHandler, Softmax: softmaxHandler, LayerNormalization: layerNormHandler, Gelu: geluHandler,
  ReduceSum: reduction('reduce_sum', 13), ReduceMean: reduction('reduce_mean', 18), ReduceMax: reduction('reduce_max', 18),
};

/** The operators the importer translates, for the docs and `bertc import --help`. */
export const SUPPORTED_OPS: readonly string[] = Object.keys(OP_TRANSLATIONS).sort();
