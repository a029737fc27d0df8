import { computeDtype, isFloat, type DType } from '../../src/ir/dtype.js';
import type { Node } from '../../src/ir/node.js';
import type { CatalogueOp } from '../../src/ir/ops.js';
import { dropoutScale, dropoutThreshold } from '../../src/interp/rng.js';

/**
 * How a target holds and computes one dtype: each renderer's dtype table has one of these per
 * dtype it can spell. Loads and stores and buffer sizes use the storage form; locals and arithmetic
 * the compute form, which is the spelling of `computeDtype(d)` (f16 and bf16 compute in f32).
 */
export interface DTypeForm {
  /** The element type of a buffer holding the dtype. */
  readonly storage: string;
  /** Bytes one element takes in a buffer. */
  readonly bytes: number;
  /** The type its values are computed in. */
  readonly compute: string;
  /** Storage to compute on a load, and back on a store; absent where the two are the same type. */
  readonly load?: (x: string) => string;
  readonly store?: (x: string) => string;
  /**
   * Indexed access, for a storage form that is not one element per slot of the buffer's array
   * (WGSL's packed 16-bit floats, two to a u32): element `index` of `buffer` as a compute value, and
   * the statement storing the compute value `value` there. `written` says the kernel stores into
   * `buffer` too (a form may declare such a buffer otherwise, as `writable`). Absent where
   * `buffer[index]` is the element, converted by `load` and `store`.
   */
  readonly loadAt?: (r: CLikeRenderer, buffer: string, index: string, written: boolean) => string;
  readonly storeAt?: (r: CLikeRenderer, buffer: string, index: string, value: string) => string;
  /** The element type of a buffer that a kernel stores into, where it is not `storage` (WGSL's `atomic<u32>`). */
  readonly writable?: string;
  /** A language extension a program holding the dtype must enable (WGSL's `enable f16;`). */
  readonly enable?: string;
  /** The suffix of its literals (`1.0f`, `1LL`). */
  readonly suffix?: string;
}

export type DTypeTable = Readonly<Partial<Record<DType, DTypeForm>>>;

/**
 * C's dtypes. f16 and bf16 are held as their bits in uint16_t and computed in float, converted on
 * load and store by the runtime's bertc_f16_to_f32 / bertc_f32_to_f16 and bertc_bf16_to_f32 /
 * bertc_f32_to_bf16 (targets/c/runtime/bertc_runtime.h): src/io/halfFloat.ts's conversions bit for
 * bit, rounding to nearest even, branch-free so that loops over them vectorise.
 */
export const C_DTYPES: Readonly<Record<DType, DTypeForm>> = {
  f32: { storage: 'float', bytes: 4, compute: 'float', suffix: 'f' },
  f16: { storage: 'uint16_t', bytes: 2, compute: 'float', load: (x) => `bertc_f16_to_f32(${x})`, store: (x) => `bertc_f32_to_f16(${x})` },
  bf16: { storage: 'uint16_t', bytes: 2, compute: 'float', load: (x) => `bertc_bf16_to_f32(${x})`, store: (x) => `bertc_f32_to_bf16(${x})` },
  i32: { storage: 'int32_t', bytes: 4, compute: 'int32_t' },
  i64: { storage: 'int64_t', bytes: 8, compute: 'int64_t', suffix: 'LL' },
  bool: { storage: 'uint8_t', bytes: 1, compute: 'uint8_t' },
};

/** Operand expressions, one per operand of the op (an op reads as many as it has operands). */
export type Operands = readonly [string, string, string];

/** How the renderer spells one elementwise op, from its operand expressions; `n` gives attributes and dtypes. */
export type OpSpelling = (r: CLikeRenderer, a: Operands, n: Node) => string;

/** Spellings by op name; a renderer variant overrides the entries that differ. */
export type OpTable = Readonly<Partial<Record<CatalogueOp, OpSpelling>>>;

/** Whether an op works on floats: its result or its first operand is a floating-point type. */
const floatOperands = (n: Node) => isFloat(n.type.dtype) || (n.srcs[0] !== undefined && isFloat(n.srcs[0].type.dtype));
const infix = (op: string): OpSpelling => (_, [x, y]) => `(${x} ${op} ${y})`;
/** The language's float math function for the op (`math`). */
const mathFn = (op: string): OpSpelling => (r, a) => `${r.math[op]}(${a.join(', ')})`;
const helper = (fn: string): OpSpelling => (r, a) => r.call(fn, ...a);
/** A float spelling, or an integer helper for integer operands. */
const floatOr = (float: OpSpelling, int: string): OpSpelling => (r, a, n) => (floatOperands(n) ? float(r, a, n) : helper(int)(r, a, n));
const reciprocal = (r: CLikeRenderer, x: string, n: Node) => `(${r.literal(1, n.type.dtype)} / ${x})`;

function cGelu(r: CLikeRenderer, [x]: Operands, n: Node): string {
  return r.call(n.attr<string>('approximate') === 'tanh' ? 'bertc_gelu_tanh' : 'bertc_gelu', x);
}

/** The C helpers each C helper calls (all of them, transitively). */
const C_HELPER_CALLS: Readonly<Record<string, readonly string[]>> = {
  bertc_exp: ['bertc_fmaf'],
  bertc_erf: ['bertc_fmaf'],
  bertc_tanh: ['bertc_exp', 'bertc_fmaf'],
  bertc_gelu: ['bertc_erf', 'bertc_fmaf'],
  bertc_gelu_tanh: ['bertc_tanh', 'bertc_exp', 'bertc_fmaf'],
};

/** The C definitions of helpers `names` and of the helpers they call, in C_HELPERS' order (callees first), as one source text. */
export function cHelperSource(names: readonly string[]): string {
  const wanted = new Set(names.flatMap((n) => [n, ...(C_HELPER_CALLS[n] ?? [])]));
  return Object.keys(C_HELPERS).filter((h) => wanted.has(h)).map((h) => C_HELPERS[h]!).join('\n');
}

/**
 * Ops whose result is one of their operands' values (or its negation, or a table's row): exact in
 * the dtype they share with it, so a 16-bit result needs no rounding.
 */
export const SELECTING_OPS: ReadonlySet<string> = new Set(['neg', 'abs', 'relu', 'max', 'min', 'where', 'gather']);

/** The C spelling of every elementwise op but dropout (`CLikeRenderer.dropout`, which needs the element's index and key). */
export const C_OPS = {
  neg: (_, [x]) => `(-${x})`,
  abs: floatOr(mathFn('abs'), 'bertc_iabs'),
  exp: helper('bertc_exp'),
  log: mathFn('log'),
  tanh: helper('bertc_tanh'),
  erf: helper('bertc_erf'),
  sqrt: mathFn('sqrt'),
  rsqrt: (r, a, n) => reciprocal(r, mathFn('sqrt')(r, a, n), n),
  recip: (r, [x], n) => reciprocal(r, x, n),
  relu: floatOr(helper('bertc_relu'), 'bertc_irelu'),
  gelu: cGelu,
  add: infix('+'),
  sub: infix('-'),
  mul: infix('*'),
  div: floatOr(infix('/'), 'bertc_idiv'),
  max: floatOr(helper('bertc_fmax'), 'bertc_imax'),
  min: floatOr(helper('bertc_fmin'), 'bertc_imin'),
  pow: mathFn('pow'),
  lt: infix('<'),
  le: infix('<='),
  gt: infix('>'),
  ge: infix('>='),
  eq: infix('=='),
  ne: infix('!='),
  where: (r, [c, a, b]) => r.select(c, a, b),
  cast: (r, [x], n) => r.cast(x, n.srcs[0]!.type.dtype, n.type.dtype),
} satisfies OpTable;

/** A finite float constant rounded to f32, with the language's suffix; negative ones in parentheses. */
export function floatLiteral(v: number, suffix: string): string {
  const f = Math.fround(v);
  const s = `${Number.isInteger(f) && Math.abs(f) < 1e15 ? `${f}.0` : String(f)}${suffix}`;
  return s.startsWith('-') ? `(${s})` : s;
}

/** Float to integer conversions, by target dtype: saturating, NaN giving 0. */
const FLOAT_TO_INT: Readonly<Partial<Record<DType, string>>> = { i32: 'bertc_f2i32', i64: 'bertc_f2i64' };

/**
 * The one C-like renderer: how scalar values, ops, declarations and loops are spelled. The C backend
 * uses it as is; a WGSL renderer overrides the tables (dtypes, op spellings, math and helper
 * functions) and a few spellings (literals, declarations, casts), so the kernels' structure is
 * written once.
 */
export class CLikeRenderer {
  /** The language, for messages. */
  readonly language: string = 'C';
  readonly dtypes: DTypeTable = C_DTYPES;
  readonly ops: OpTable = C_OPS;
  readonly indexType: string = 'ptrdiff_t';
  /** The language's float math functions, by IR op. */
  readonly math: Readonly<Record<string, string>> = { pow: 'powf', abs: 'fabsf', log: 'logf', sqrt: 'sqrtf' };
  /** The definitions of `helpers` this language can call (only those used are emitted). */
  readonly helpers: Readonly<Record<string, string>> = C_HELPERS;
  /** The helpers each helper calls (all of them, transitively), which must be emitted with it. */
  readonly helperCalls: Readonly<Record<string, readonly string[]>> = C_HELPER_CALLS;
  /** Helper functions a kernel used, by name, so that only those are emitted. */
  readonly used = new Set<string>();

  /** The dtype's form in this language; a dtype it cannot spell is refused earlier (`checkTarget`). */
  form(d: DType): DTypeForm {
    const f = this.dtypes[d];
    if (!f) throw new Error(`internal: the ${this.language} renderer cannot spell ${d} tensors (checkTarget refuses them)`);
    return f;
  }

  /** The type a value of dtype `d` is computed in (locals, arithmetic). */
  type(d: DType): string {
    return this.form(d).compute;
  }

  /** The element type of a buffer holding `d`; `load` and `store` convert between the two. */
  storageType(d: DType): string {
    return this.form(d).storage;
  }

  /** Bytes one element of `d` takes in a buffer. */
  storageBytes(d: DType): number {
    return this.form(d).bytes;
  }

  /** A constant of dtype `d` as its compute type spells it. */
  literal(v: number, d: DType): string {
    const c = computeDtype(d);
    const suffix = this.form(c).suffix ?? '';
    if (c === 'bool') return v ? '1' : '0';
    if (!isFloat(c)) return `${Math.trunc(v)}${suffix}`;
    if (Number.isNaN(v)) return 'NAN';
    if (v === Infinity) return 'INFINITY';
    if (v === -Infinity) return '(-INFINITY)';
    return floatLiteral(v, suffix);
  }

  load(x: string, d: DType): string {
    return this.convert(x, d, 'load');
  }

  store(x: string, d: DType): string {
    return this.convert(x, d, 'store');
  }

  /** Buffers (their expressions) that the kernel being written stores into: `loadAt` reads them as `written`. */
  readonly written = new Set<string>();

  /** Element `index` of `buffer` (a dtype-`d` buffer) as a compute value. */
  loadAt(buffer: string, index: string, d: DType): string {
    const at = this.form(d).loadAt;
    return at ? at(this, buffer, index, this.written.has(buffer)) : this.load(`${buffer}[${index}]`, d);
  }

  /** The statement storing the compute value `value` as element `index` of `buffer`. */
  storeAt(buffer: string, index: string, value: string, d: DType): string {
    this.written.add(buffer);
    const at = this.form(d).storeAt;
    return at ? at(this, buffer, index, value) : `${buffer}[${index}] = ${this.store(value, d)};`;
  }

  private convert(x: string, d: DType, way: 'load' | 'store'): string {
    const f = this.form(d);
    const fn = f[way];
    if (fn) return fn(x);
    if (f.storage !== f.compute) throw new Error(`internal: the ${this.language} renderer has no ${way} conversion for ${d} (${f.storage} storage, ${f.compute} compute)`);
    return x;
  }

  declare(name: string, d: DType, value: string): string {
    return `${this.type(d)} ${name} = ${value};`;
  }

  loop(v: string, n: number | string): string {
    return `for (${this.indexType} ${v} = 0; ${v} < ${n}; ${v}++)`;
  }

  /** A scalar op on operand expressions, spelled by the `ops` table. */
  op(n: Node, a: readonly string[]): string {
    const spell = this.ops[n.op as CatalogueOp];
    if (!spell) throw new Error(`internal: no scalar form for '${n.op}'`);
    return spell(this, a as Operands, n);
  }

  select(c: string, a: string, b: string): string {
    return `(${c} ? ${a} : ${b})`;
  }

  /** Converts a value computed as `from` to `to` (compute dtypes: f16 and bf16 values are f32 already). */
  cast(x: string, from: DType, to: DType): string {
    const [f, t] = [computeDtype(from), computeDtype(to)];
    if (f === t) return x;
    if (isFloat(t)) return `((${this.type(t)})(${x}))`;
    if (t === 'bool') return `((${x}) != 0)`;
    const saturating = FLOAT_TO_INT[t];
    if (isFloat(f) && saturating) return this.call(saturating, x);
    return `((${this.type(t)})(${x}))`;
  }

  /** An index read from a tensor, checked: out of range sets the kernel's status and reads row 0. */
  checkedIndex(v: string, n: number): string {
    return this.call('bertc_checked_index', v, String(n), 'status');
  }

  /**
   * Dropout of `x` at flat element `flat` (docs/dropout-rng.md) with the kernel's `slot`-th key: a
   * kernel function takes its keys as parameters `key0`, `key1`, .. (derived from the seed per run).
   */
  dropout(n: Node, slot: number, flat: string, x: string): string {
    const p = n.attr<number>('p');
    const d = n.type.dtype;
    const bits = this.call('bertc_dropout_bits', `key${slot}`, `(uint32_t)${flat}`);
    return `(${bits} < ${dropoutThreshold(p)}u ? ${this.literal(0, d)} : ${x} * ${this.literal(dropoutScale(p), d)})`;
  }

  /** Marks a helper used, and the helpers it calls (`helperCalls`) too. */
  use(fn: string): void {
    this.used.add(fn);
    for (const dep of this.helperCalls[fn] ?? []) this.used.add(dep);
  }

  /** A call of a helper, which marks it used (`use`). */
  call(fn: string, ...args: string[]): string {
    this.use(fn);
    return `${fn}(${args.join(', ')})`;
  }
}

/**
 * erf(x) ~ x P(x^2) / Q(x^2) on [-4, 4] (erf is +-1 within f32 beyond): max abs error 4.2e-7. The
 * coefficients, highest power first, are shared by the C and WGSL helpers.
 */
export const ERF_NUMERATOR = [
  -2.72614225801306e-10, 2.77068142495902e-8, -2.10102402082508e-6, -5.69250639462346e-5, -7.34990630326855e-4, -2.95459980854025e-3,
  -1.60960333262415e-2,
] as const;
export const ERF_DENOMINATOR = [-1.45660718464996e-5, -2.13374055278905e-4, -1.68282697438203e-3, -7.37332916720468e-3, -1.42647390514189e-2] as const;

/**
 * Horner's rule in x2 as statements: `<decl> v = c0; v = v * x2 + c1; ...` (C `float`, WGSL `var`),
 * or with `fma` each step that multiply-add function: `v = fma(v, x2, c1)`.
 */
export function hornerLines(decl: string, v: string, coefficients: readonly number[], fma?: string): string {
  const lit = (c: number) => `${Math.abs(c).toExponential().replace(/e([+-])(\d)$/, 'e$10$2')}f`;
  const [first, ...rest] = coefficients as [number, ...number[]];
  const step = (c: number) => (fma ? `${fma}(${v}, x2, ${c < 0 ? '-' : ''}${lit(c)})` : `${v} * x2 ${c < 0 ? '-' : '+'} ${lit(c)}`);
  return [`  ${decl} ${v} = ${first < 0 ? '-' : ''}${lit(first)};`, ...rest.map((c) => `  ${v} = ${step(c)};`)].join('\n');
}

/** The C definitions of the helpers `CLikeRenderer.call` may reference (numerics match src/ir/scalar.ts). */
export const C_HELPERS: Readonly<Record<string, string>> = {
  // a * b + c, fused where the target has FMA (the polynomials of bertc_exp and bertc_erf): ISO C's
  // -ffp-contract=off fuses nothing by itself, and fmaf without the instruction is a library call,
  // many times slower than the two operations. math.h says which (FP_FAST_FMAF), GCC too.
  bertc_fmaf: `static inline float bertc_fmaf(float a, float b, float c) {
#if defined(FP_FAST_FMAF) || defined(__FP_FAST_FMAF)
  return fmaf(a, b, c);
#else
  return a * b + c;
#endif
}`,
  bertc_fmax: 'static inline float bertc_fmax(float a, float b) { return (a != a || a > b) ? a : b; }',
  bertc_fmin: 'static inline float bertc_fmin(float a, float b) { return (a != a || a < b) ? a : b; }',
  // Row reductions with 16 partial results: the order changes (not the precision: f32 throughout),
  // and the loop vectorises, which a single running sum under strict IEEE order does not.
  bertc_row_sum: `static inline float bertc_row_sum(const float *x, ptrdiff_t n) {
  float acc[16] = { 0.0f };
  const ptrdiff_t whole = n - n % 16;
  for (ptrdiff_t j = 0; j < whole; j += 16) for (int l = 0; l < 16; l++) acc[l] += x[j + l];
  float s = 0.0f;
  for (ptrdiff_t j = whole; j < n; j++) s += x[j];
  for (int l = 0; l < 16; l++) s += acc[l];
  return s;
}`,
  bertc_row_max: `static inline float bertc_row_max(const float *x, ptrdiff_t n) {
  float acc[16];
  for (int l = 0; l < 16; l++) acc[l] = -INFINITY;
  const ptrdiff_t whole = n - n % 16;
  for (ptrdiff_t j = 0; j < whole; j += 16) for (int l = 0; l < 16; l++) acc[l] = bertc_fmax(acc[l], x[j + l]);
  float s = -INFINITY;
  for (ptrdiff_t j = whole; j < n; j++) s = bertc_fmax(s, x[j]);
  for (int l = 0; l < 16; l++) s = bertc_fmax(s, acc[l]);
  return s;
}`,
  bertc_imax: 'static inline int64_t bertc_imax(int64_t a, int64_t b) { return a > b ? a : b; }',
  bertc_imin: 'static inline int64_t bertc_imin(int64_t a, int64_t b) { return a < b ? a : b; }',
  bertc_iabs: 'static inline int64_t bertc_iabs(int64_t a) { return a < 0 ? -a : a; }',
  bertc_idiv: 'static inline int64_t bertc_idiv(int64_t a, int64_t b) { return b == 0 ? 0 : a / b; }',
  bertc_relu: 'static inline float bertc_relu(float a) { return a > 0.0f ? a : (a != a ? a : 0.0f); }',
  bertc_irelu: 'static inline int64_t bertc_irelu(int64_t a) { return a > 0 ? a : 0; }',
  // A rational approximation of erf on [-4, 4] (erf is +-1 within f32 beyond): max abs error 4.2e-7,
  // and free of calls and branches, so that loops over it vectorise (libm's erff does not). |x| is
  // clamped on its bits, NaNs (above infinity's bits) passing through: a float select with a constant
  // arm lets GCC's PRE fold the arithmetic after it on that arm alone, and under -ftrapping-math
  // arithmetic left conditional blocks if-conversion, so the loop would stay scalar.
  bertc_erf: `static inline float bertc_erf(float x) {
  union { float f; uint32_t u; } a = { .f = x };
  const uint32_t mag = a.u & 0x7FFFFFFFu;
  a.u = (a.u & 0x80000000u) | (mag > 0x7F800000u || mag < 0x40800000u ? mag : 0x40800000u);
  x = a.f;
  const float x2 = x * x;
${hornerLines('float', 'p', ERF_NUMERATOR, 'bertc_fmaf')}
${hornerLines('float', 'q', ERF_DENOMINATOR, 'bertc_fmaf')}
  return x * p / q;
}`,
  // exp by range reduction to [-ln2/2, ln2/2] and a degree-6 polynomial (Cephes' expf, about 1 ulp),
  // scaled by 2^n through the exponent bits: no calls and no conversion. n is rounded by adding and
  // subtracting 1.5 x 2^23, and its bits minus that constant's are n itself, so that every input,
  // NaN and the infinities included, goes through defined arithmetic (unsigned bits, no float-to-int
  // conversion out of range) and no clamp is needed first; the two selects at the end give the
  // inputs outside [-87.3, ln(FLT_MAX)] their results (0 below, as for masked attention scores,
  // infinity above), and a NaN comes out of the arithmetic as NaN. With bertc_fmaf, 1.8x the rate
  // of the clamped, unfused version this replaced on Zen 4 (2026-12-04), at the same accuracy
  // (8.3e-8 relative at most on a sweep). A third select for NaN, nested with the others, made GCC
  // mask the whole computation under -ftrapping-math: 0.70-0.86 exps a cycle on one Zen 4 core
  // against 0.94-1.05 without it.
  bertc_exp: `static inline float bertc_exp(float x) {
  const union { float value; uint32_t bits; } shifted = { .value = x * 1.44269504088896341f + 12582912.0f };
  const float n = shifted.value - 12582912.0f;
  const float r = bertc_fmaf(n, 2.12194440e-4f, bertc_fmaf(n, -0.693359375f, x));
  float p = 1.9875691500e-4f;
  p = bertc_fmaf(p, r, 1.3981999507e-3f);
  p = bertc_fmaf(p, r, 8.3334519073e-3f);
  p = bertc_fmaf(p, r, 4.1665795894e-2f);
  p = bertc_fmaf(p, r, 1.6666665459e-1f);
  p = bertc_fmaf(p, r, 5.0000001201e-1f);
  p = bertc_fmaf(p * r, r, r) + 1.0f;
  const union { uint32_t bits; float value; } scale = { .bits = (shifted.bits - 0x4B400000u + 127u) << 23 };
  const float y = p * scale.value;
  const float low = x < -87.3f ? 0.0f : y;
  return x > 88.72283172607422f ? INFINITY : low;
}`,
  // tanh from bertc_exp(-2|x|) as (1 - e) / (1 + e), and below |x| = 0.625, where that cancels,
  // from Cephes' odd polynomial (tanhf's, degree 11): within 1 ulp of tanh in double on every
  // 97th positive float, 17x libm's tanhf on one core of the Zen 4 of 2026-12-03 (tanhf does not
  // vectorise). exp of -2|x| never overflows, so the quotient needs no select of its own: a select
  // between the quotient and a constant would leave the division conditional (see bertc_erf) and the
  // loop scalar. NaN takes the polynomial's arm and stays NaN; the sign of zero is kept.
  bertc_tanh: `static inline float bertc_tanh(float x) {
  const float a = fabsf(x);
  const float e = bertc_exp(-(a + a));
  const float far = (1.0f - e) / (1.0f + e);
  const float z = x * x;
  float p = -5.70498872745e-3f;
  p = p * z + 2.06390887954e-2f;
  p = p * z - 5.37397155531e-2f;
  p = p * z + 1.33314422036e-1f;
  p = p * z - 3.33332819422e-1f;
  const float near = x + x * z * p;
  return copysignf(a > 0.625f ? far : near, x);
}`,
  bertc_gelu: 'static inline float bertc_gelu(float x) { return 0.5f * x * (1.0f + bertc_erf(x * 0.70710678118654752f)); }',
  bertc_gelu_tanh: 'static inline float bertc_gelu_tanh(float x) { return 0.5f * x * (1.0f + bertc_tanh(0.79788456080286536f * (x + 0.044715f * x * x * x))); }',
  bertc_f2i32: 'static inline int32_t bertc_f2i32(float x) { return x != x ? 0 : x >= 2147483647.0f ? INT32_MAX : x <= -2147483648.0f ? INT32_MIN : (int32_t)x; }',
  bertc_f2i64: 'static inline int64_t bertc_f2i64(float x) { return x != x ? 0 : x >= 9.2233720e18f ? INT64_MAX : x <= -9.2233720e18f ? INT64_MIN : (int64_t)x; }',
};
