import type { DType } from '../../src/ir/dtype.js';
import { computeDtype, isFloat } from '../../src/ir/dtype.js';
import type { Node } from '../../src/ir/node.js';
import { dropoutScale, dropoutThreshold } from '../../src/interp/rng.js';
import { C_OPS, CLikeRenderer, ERF_DENOMINATOR, ERF_NUMERATOR, floatLiteral, hornerLines, type DTypeTable, type OpSpelling, type OpTable, type Operands } from '../common/renderer.js';

/**
 * WGSL's dtypes: no 64-bit integers and no bf16; bools are held as i32 0 and 1 (WGSL has no bool
 * storage); f16 needs `enable f16;` (and the device's shader-f16 feature) and computes in f32.
 */
export const WGSL_DTYPES: DTypeTable = {
  f32: { storage: 'f32', bytes: 4, compute: 'f32', suffix: 'f' },
  f16: { storage: 'f16', bytes: 2, compute: 'f32', load: (x) => `f32(${x})`, store: (x) => `f16(${x})`, enable: 'f16' },
  i32: { storage: 'i32', bytes: 4, compute: 'i32', suffix: 'i' },
  bool: { storage: 'i32', bytes: 4, compute: 'bool', load: (x) => `(${x} != 0i)`, store: (x) => `select(0i, 1i, ${x})` },
};

/** A WGSL built-in function applied to the operands. */
const builtin = (fn: string): OpSpelling => (_, a) => `${fn}(${a.join(', ')})`;

function wgslGelu(r: CLikeRenderer, a: Operands, n: Node): string {
  if (n.attr<string>('approximate') === 'tanh') r.used.add('bertc_tanh');
  return C_OPS.gelu(r, a, n);
}

/** Where WGSL spells an op otherwise than C: built-ins for max, min, abs, exp and rsqrt, and a clamped tanh. */
export const WGSL_OPS = {
  max: builtin('max'),
  min: builtin('min'),
  abs: builtin('abs'),
  exp: builtin('exp'),
  rsqrt: builtin('inverseSqrt'),
  relu: (r, [x], n) => `max(${x}, ${r.literal(0, n.type.dtype)})`,
  tanh: (r, [x]) => r.call('bertc_tanh', x),
  gelu: wgslGelu,
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
  override readonly dtypes = WGSL_DTYPES;
  override readonly ops: OpTable = { ...C_OPS, ...WGSL_OPS };
  override readonly indexType = 'i32';
  override readonly math = { pow: 'pow', abs: 'abs', log: 'log', tanh: 'tanh', sqrt: 'sqrt' };
  override readonly helpers = WGSL_HELPERS;

  /**
   * Set when the shaders run on one slice of the batch at a time: dropout then numbers elements
   * across the whole batch (the slice index is a uniform), so masks equal the whole-batch ones.
   */
  constructor(private readonly batchSliced = false) {
    super();
  }

  override literal(v: number, d: DType): string {
    const c = computeDtype(d);
    if (c === 'bool') return v ? 'true' : 'false';
    const suffix = this.form(c).suffix ?? '';
    if (!isFloat(c)) return `${Math.trunc(v)}${suffix}`;
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

  override cast(x: string, from: DType, to: DType): string {
    const [f, t] = [computeDtype(from), computeDtype(to)];
    if (f === t) return x;
    if (f === 'bool') return `select(${this.literal(0, t)}, ${this.literal(1, t)}, ${x})`;
    if (t === 'bool') return `(${x} != ${this.literal(0, f)})`;
    return `${this.type(t)}(${x})`;
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
    return `select(${x} * ${this.literal(dropoutScale(p), d)}, ${this.literal(0, d)}, ${bits} < ${dropoutThreshold(p)}u)`;
  }

  /** The `enable` directives a shader holding buffers of these dtypes needs, in order. */
  enables(dtypes: Iterable<DType>): string[] {
    return [...new Set([...dtypes].flatMap((d) => this.form(d).enable ?? []))].sort().map((e) => `enable ${e};`);
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
};
