import type { DType } from '../../src/ir/dtype.js';
import { computeDtype, isFloat, isHalfFloat } from '../../src/ir/dtype.js';
import type { Node } from '../../src/ir/node.js';
import { dropoutScale, dropoutThreshold } from '../../src/interp/rng.js';
import { roundToHalf } from '../../src/io/halfFloat.js';
import { C_OPS, CLikeRenderer, ERF_DENOMINATOR, ERF_NUMERATOR, floatLiteral, hornerLines, SELECTING_OPS, type DTypeForm, type DTypeTable, type OpSpelling, type OpTable } from '../common/renderer.js';

/**
 * How a shader holds f16 tensors: 'packed', two to a u32 (any device), or 'native', as
 * `array<f16>` behind `enable f16;` (a device with the shader-f16 feature). bf16 is always packed:
 * WGSL has no bf16 type. Both forms lay a buffer out alike (element i in bytes 2i and 2i + 1) and
 * convert alike, so they give the same bits: the runtime picks one from the device's features.
 */
export type F16Form = 'packed' | 'native';

/**
 * A packed 16-bit load: word `index / 2` of the u32 array, element `index` its low half when
 * `index` is even; `at` unpacks it. A buffer the shader stores into is an array of atomics
 * (packedStore says why), read with atomicLoad.
 */
function packedLoad(at: string): NonNullable<DTypeForm['loadAt']> {
  return (r, buffer, index, written) => {
    const word = `${buffer}[(${index}) >> 1u]`;
    return r.call(at, written ? `atomicLoad(&${word})` : word, index);
  };
}

/**
 * A packed 16-bit store of element `index`, rounded to nearest even by `bits`. Two invocations
 * may store the two halves of one word at the same time (neighbouring elements belong to
 * neighbouring invocations in every kernel kind), and a plain read-modify-write of the word would
 * lose one of them. So a shader declares each 16-bit buffer it stores into as
 * `array<atomic<u32>>` and stores a half with two atomics on the word: atomicAnd clears its half,
 * keeping the other, and atomicOr sets it. Atomics on disjoint bits commute, so whatever the
 * interleaving the word ends with both halves, and no invocation's store can undo another's.
 */
function packedStore(bits: string): NonNullable<DTypeForm['storeAt']> {
  return (r, buffer, index, value) => {
    const word = `&${buffer}[at16 >> 1u]`;
    return `{ let at16: i32 = ${index}; atomicAnd(${word}, ${r.call('bertc_half_keep', 'at16')}); atomicOr(${word}, ${r.call('bertc_half_put', r.call(bits, value), 'at16')}); }`;
  };
}

/** The packed forms of the 16-bit floats: u32 words of two elements, atomic where a shader stores. */
const PACKED = (at: string, bits: string): DTypeForm => ({ storage: 'u32', bytes: 2, compute: 'f32', writable: 'atomic<u32>', loadAt: packedLoad(at), storeAt: packedStore(bits) });

/**
 * WGSL's dtypes: no 64-bit integers; bools are held as i32 0 and 1 (WGSL has no bool storage);
 * f16 and bf16 are packed two to a u32 and computed in f32 (WGSL_NATIVE_F16 is f16's other form).
 */
export const WGSL_DTYPES: DTypeTable = {
  f32: { storage: 'f32', bytes: 4, compute: 'f32', suffix: 'f' },
  f16: PACKED('bertc_f16_at', 'bertc_f16_bits'),
  bf16: PACKED('bertc_bf16_at', 'bertc_bf16_bits'),
  i32: { storage: 'i32', bytes: 4, compute: 'i32', suffix: 'i' },
  bool: { storage: 'i32', bytes: 4, compute: 'bool', load: (x) => `(${x} != 0i)`, store: (x) => `select(0i, 1i, ${x})` },
};

/**
 * f16 as WGSL's own type (`enable f16;`, a device with shader-f16), computed in f32. A store rounds
 * with the packed form's integer arithmetic and bitcasts the bits, rather than convert with f16(),
 * whose rounding WGSL leaves to the implementation: the two forms store the same bits.
 */
export const WGSL_NATIVE_F16: DTypeForm = {
  storage: 'f16',
  bytes: 2,
  compute: 'f32',
  load: (x) => `f32(${x})`,
  storeAt: (r, buffer, index, value) => `${buffer}[${index}] = bitcast<vec2<f16>>(${r.call('bertc_f16_bits', value)}).x;`,
  enable: 'f16',
};

/** A WGSL built-in function applied to the operands. */
const builtin = (fn: string): OpSpelling => (_, a) => `${fn}(${a.join(', ')})`;

/** Where WGSL spells an op otherwise than C: built-ins for max, min, abs, exp and rsqrt, and a clamped tanh. */
export const WGSL_OPS = {
  max: builtin('max'),
  min: builtin('min'),
  abs: builtin('abs'),
  exp: builtin('exp'),
  rsqrt: builtin('inverseSqrt'),
  relu: (r, [x], n) => `max(${x}, ${r.literal(0, n.type.dtype)})`,
  tanh: (r, [x]) => r.call('bertc_tanh', x),
} satisfies OpTable;

/**
 * The f32 bit patterns of the values WGSL has no literal for: the quiet NaN and the infinities. A
 * non-finite value of a constant expression is a shader-creation error (a float literal that
 * overflows, and `bitcast<f32>(0x7f800000u)` too: Tint says "value inf cannot be represented as
 * 'f32'"), so the bitcast happens in a helper, `bertc_f32_bits`, whose call is not a constant
 * expression.
 */
export const WGSL_NON_FINITE = { nan: '0x7fc00000u', inf: '0x7f800000u', negInf: '0xff800000u' } as const;

function nonFiniteBits(v: number): string | undefined {
  if (Number.isNaN(v)) return WGSL_NON_FINITE.nan;
  if (v === Infinity) return WGSL_NON_FINITE.inf;
  if (v === -Infinity) return WGSL_NON_FINITE.negInf;
  return undefined;
}

/**
 * WGSL as a variant of the C-like renderer: its dtype table, op spellings that differ, literals and
 * math functions, `select` for conditionals, and WGSL versions of the helpers. WGSL has no erf and
 * no literal for NaN or the infinities (they are bitcasts of their bit patterns).
 */
export class WgslRenderer extends CLikeRenderer {
  override readonly language = 'WGSL';
  override readonly ops: OpTable = { ...C_OPS, ...WGSL_OPS };
  override readonly indexType = 'i32';
  override readonly math = { pow: 'pow', abs: 'abs', log: 'log', sqrt: 'sqrt' };
  override readonly helpers = WGSL_HELPERS;
  override readonly helperCalls = HELPER_CALLS;

  override readonly dtypes: DTypeTable;

  /**
   * `batchSliced` is set when the shaders run on one slice of the batch at a time: dropout then
   * numbers elements across the whole batch (the slice index is a uniform), so masks equal the
   * whole-batch ones. `f16` is the form f16 buffers take (F16Form).
   */
  constructor(private readonly batchSliced = false, readonly f16: F16Form = 'packed') {
    super();
    this.dtypes = f16 === 'native' ? { ...WGSL_DTYPES, f16: WGSL_NATIVE_F16 } : WGSL_DTYPES;
  }

  /** A constant of a 16-bit float dtype is its value rounded to that dtype, as the interpreter holds it. */
  override literal(v: number, d: DType): string {
    const c = computeDtype(d);
    if (c === 'bool') return v ? 'true' : 'false';
    const suffix = this.form(c).suffix ?? '';
    if (!isFloat(c)) return `${Math.trunc(v)}${suffix}`;
    v = roundToHalf(v, d);
    // WGSL has no literal for them: NaN and the infinities are their f32 bit patterns (WGSL_NON_FINITE).
    const bits = nonFiniteBits(v);
    if (bits !== undefined) return this.call('bertc_f32_bits', bits);
    return floatLiteral(v, suffix);
  }

  override declare(name: string, d: DType, value: string): string {
    return `let ${name}: ${this.type(d)} = ${value};`;
  }

  override loop(v: string, n: number | string): string {
    return `for (var ${v}: ${this.indexType} = 0; ${v} < ${n}; ${v}++)`;
  }

  override select(c: string, a: string, b: string): string {
    return `select(${b}, ${a}, ${c})`;
  }

  /** A cast to a 16-bit float rounds to it (its value is held in f32 all the same). */
  override cast(x: string, from: DType, to: DType): string {
    if (from === to) return x;
    return this.rounded(this.convertCompute(x, from, to), to);
  }

  private convertCompute(x: string, from: DType, to: DType): string {
    const [f, t] = [computeDtype(from), computeDtype(to)];
    if (f === t) return x;
    if (f === 'bool') return `select(${this.literal(0, t)}, ${this.literal(1, t)}, ${x})`;
    if (t === 'bool') return `(${x} != ${this.literal(0, f)})`;
    return `${this.type(t)}(${x})`;
  }

  /**
   * An op of a 16-bit float result computes in f32 and rounds to the result's dtype, as the
   * interpreter rounds every f16 and bf16 value, so that a value a kernel keeps in a register equals
   * the one it would store; ops that return an operand (SELECTING_OPS) need no rounding.
   */
  override op(n: Node, a: readonly string[]): string {
    const v = super.op(n, a);
    return n.op === 'cast' || SELECTING_OPS.has(n.op) ? v : this.rounded(v, n.type.dtype);
  }

  /** An f32 value rounded to dtype `d` (to nearest, ties to even) where `d` is a 16-bit float; else `x`. */
  rounded(x: string, d: DType): string {
    return isHalfFloat(d) ? this.call(`bertc_round_${d}`, x) : x;
  }

  /** WebGPU has no error channel from a shader: an out-of-range id reads the nearest valid row. */
  override checkedIndex(v: string, n: number): string {
    return `clamp(${v}, 0, ${n - 1})`;
  }

  /** The dispatch's uniform holds the ids of the dropouts its shader draws from, by slot (`dropoutIdField`). */
  override dropout(n: Node, slot: number, flat: string, x: string): string {
    const p = n.attr<number>('p');
    const d = n.type.dtype;
    this.used.add('bertc_fmix32');
    const index = this.batchSliced ? `u32(${flat}) + params.slice * ${n.type.shape.reduce((a, e) => a * e, 1)}u` : `u32(${flat})`;
    const bits = this.call('bertc_dropout_bits', this.call('bertc_dropout_key', 'params.seed', dropoutIdField(slot)), index);
    // The scale is an f32 constant whatever the dtype (rng.ts, dropoutScale); the product rounds to it.
    const kept = this.rounded(`${x} * ${this.literal(dropoutScale(p), computeDtype(d))}`, d);
    return `select(${kept}, ${this.literal(0, d)}, ${bits} < ${dropoutThreshold(p)}u)`;
  }

  /** The `enable` directives a shader holding buffers of these dtypes needs, in order. */
  enables(dtypes: Iterable<DType>): string[] {
    return [...new Set([...dtypes].flatMap((d) => this.form(d).enable ?? []))].sort().map((e) => `enable ${e};`);
  }

  /** The element type of a dtype-`d` buffer as a shader declares it; `write` when it stores into it. */
  arrayElement(d: DType, write: boolean): string {
    const f = this.form(d);
    return (write && f.writable) || f.storage;
  }
}

/**
 * Where a shader reads the id of its `slot`-th dropout: the uniform's `dropout` array of vec4s,
 * after the 16 bytes of seed and slice (the manifest's kernel entry lists the ids).
 */
export function dropoutIdField(slot: number): string {
  return `params.dropout[${Math.floor(slot / 4)}].${'xyzw'[slot % 4]}`;
}

/** The Params struct of a shader that draws from `slots` dropouts. */
export function paramsStruct(slots: number): string {
  return `struct Params { seed: u32, slice: u32, pad0: u32, pad1: u32, dropout: array<vec4<u32>, ${Math.max(1, Math.ceil(slots / 4))}> }`;
}

/** The WGSL helpers; the same numerics as the C ones (src/ir/scalar.ts, docs/dropout-rng.md). */
export const WGSL_HELPERS: Readonly<Record<string, string>> = {
  // A call is never a constant expression, so NaN and the infinities are not refused (WGSL_NON_FINITE).
  bertc_f32_bits: 'fn bertc_f32_bits(bits: u32) -> f32 { return bitcast<f32>(bits); }',
  bertc_fmax: 'fn bertc_fmax(a: f32, b: f32) -> f32 { return max(a, b); }',
  bertc_fmin: 'fn bertc_fmin(a: f32, b: f32) -> f32 { return min(a, b); }',
  // Integer division by zero is 0, as in the C helper and the interpreter.
  bertc_idiv: 'fn bertc_idiv(a: i32, b: i32) -> i32 { return select(a / b, 0i, b == 0i); }',
  bertc_erf: `// The rational approximation of erf of the C helpers (ERF_NUMERATOR): WGSL has no erf.
fn bertc_erf(v: f32) -> f32 {
  let x = clamp(v, -4.0f, 4.0f);
  let x2 = x * x;
${hornerLines('var', 'p', ERF_NUMERATOR)}
${hornerLines('var', 'q', ERF_DENOMINATOR)}
  return x * p / q;
}`,
  bertc_gelu: 'fn bertc_gelu(x: f32) -> f32 { return 0.5f * x * (1.0f + bertc_erf(x * 0.70710678118654752f)); }',
  // SwiftShader computes tanh through exp and gives NaN (inf / inf) past |x| = 44; tanh is +-1
  // within f32 beyond 9.1, so the argument is clamped there.
  bertc_tanh: 'fn bertc_tanh(x: f32) -> f32 { return tanh(clamp(x, -10.0f, 10.0f)); }',
  bertc_gelu_tanh: 'fn bertc_gelu_tanh(x: f32) -> f32 { return 0.5f * x * (1.0f + bertc_tanh(0.79788456080286536f * (x + 0.044715f * x * x * x))); }',
  bertc_fmix32: `fn bertc_fmix32(v: u32) -> u32 {
  var h = v;
  h = h ^ (h >> 16u);
  h = h * 0x85ebca6bu;
  h = h ^ (h >> 13u);
  h = h * 0xc2b2ae35u;
  h = h ^ (h >> 16u);
  return h;
}`,
  bertc_dropout_key: 'fn bertc_dropout_key(seed: u32, id: u32) -> u32 { return bertc_fmix32(bertc_fmix32(seed + 0x9e3779b9u) ^ (id * 0x85ebca77u)); }',
  bertc_dropout_bits: 'fn bertc_dropout_bits(key: u32, i: u32) -> u32 { return bertc_fmix32(i * 0x9e3779b9u + key); }',
  // 16-bit floats (WGSL_DTYPES): element i of a buffer is the low half of word i / 2 when i is even.
  bertc_f16_at: 'fn bertc_f16_at(w: u32, i: i32) -> f32 { return unpack2x16float(w)[i & 1]; }',
  bertc_bf16_at: 'fn bertc_bf16_at(w: u32, i: i32) -> f32 { return bitcast<f32>(select(w << 16u, w & 0xffff0000u, (i & 1) == 1)); }',
  bertc_half_keep: 'fn bertc_half_keep(i: i32) -> u32 { return select(0xffff0000u, 0x0000ffffu, (i & 1) == 1); }',
  bertc_half_put: 'fn bertc_half_put(bits: u32, i: i32) -> u32 { return bits << (u32(i & 1) * 16u); }',
  // Conversions to 16 bits in integer arithmetic, step for step those of src/io/halfFloat.ts: WGSL
  // leaves the rounding of f16() and pack2x16float to the implementation (the CTS accepts either
  // neighbour) and makes a value out of f16's range indeterminate, where IEEE and the interpreter
  // round to nearest, ties to even, overflowing to infinity.
  bertc_round_even: `// m >> s rounded to nearest, ties to even (1 <= s <= 31).
fn bertc_round_even(m: u32, s: u32) -> u32 {
  let q = m >> s;
  let rem = m & ((1u << s) - 1u);
  let mid = 1u << (s - 1u);
  return select(q, q + 1u, rem > mid || (rem == mid && (q & 1u) == 1u));
}`,
  bertc_f16_bits: `fn bertc_f16_bits(x: f32) -> u32 {
  let b = bitcast<u32>(x);
  let s16 = (b >> 16u) & 0x8000u;
  let mag = b & 0x7fffffffu;
  // NaN stays NaN: the quiet bit set, the payload's top bits kept.
  if (mag > 0x7f800000u) { return s16 | 0x7e00u | ((b & 0x7fffffu) >> 13u); }
  let e = i32(mag >> 23u) - 112;
  if (e >= 31) { return s16 | 0x7c00u; }
  if (e <= 0) {
    // Below half the smallest subnormal everything is zero; subnormals count units of 2^-24.
    if (e < -10) { return s16; }
    return s16 | bertc_round_even((b & 0x7fffffu) | 0x800000u, u32(14 - e));
  }
  // Exponent and mantissa round together: a carry bumps the exponent, up to infinity.
  return s16 | bertc_round_even(mag - 0x38000000u, 13u);
}`,
  bertc_bf16_bits: `fn bertc_bf16_bits(x: f32) -> u32 {
  let b = bitcast<u32>(x);
  if ((b & 0x7fffffffu) > 0x7f800000u) { return (b >> 16u) | 0x40u; }
  return (b + 0x7fffu + ((b >> 16u) & 1u)) >> 16u;
}`,
  bertc_round_f16: 'fn bertc_round_f16(x: f32) -> f32 { return unpack2x16float(bertc_f16_bits(x)).x; }',
  bertc_round_bf16: 'fn bertc_round_bf16(x: f32) -> f32 { return bitcast<f32>(bertc_bf16_bits(x) << 16u); }',
};

/** The helpers each WGSL helper calls (all of them, transitively), which a shader must define with it. */
const HELPER_CALLS: Readonly<Record<string, readonly string[]>> = {
  bertc_dropout_key: ['bertc_fmix32'],
  bertc_dropout_bits: ['bertc_fmix32'],
  bertc_f16_bits: ['bertc_round_even'],
  bertc_round_f16: ['bertc_f16_bits', 'bertc_round_even'],
  bertc_round_bf16: ['bertc_bf16_bits'],
  bertc_gelu: ['bertc_erf'],
  bertc_gelu_tanh: ['bertc_tanh'],
};
