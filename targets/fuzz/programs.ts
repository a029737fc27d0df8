import type { DType } from '../../src/ir/dtype.js';
import { broadcastShapes, numel } from '../../src/ir/shape.js';
import { makeTensor, type Tensor } from '../../src/interp/tensor.js';
import { OPS } from '../../src/ir/ops.js';
import { rng } from '../../src/core/madeUp.js';

export { rng };

/**
 * Random well-typed programs over the whole op catalogue, for differential tests of the backends
 * against the interpreter: every reduction in both keepdims forms on any axis (negative ones too),
 * softmax on any axis, layernorm with several eps, both GELUs, unary and binary maths, comparisons
 * and `where`, casts between f32, i32 and bool, every movement op, batched and transposed matmuls,
 * dense layers of odd sizes with epilogues, gathers and scatter-adds, iota and dropout; results may
 * be an input, a weight or a view.
 *
 * Each program comes with its inputs and weights. Values stay finite and moderate (every value
 * carries a bound on its magnitude, and an op that could exceed it is not drawn), so f32 backends
 * match a float64 reference within a relative 1e-4. What feeds an integer or bool is computed
 * exactly in f32 and f64 alike (a value is `exact` when it is an input, a weight, or comes from
 * exact values by sign changes, max/min, scaling by a power of two, movement or selection), so
 * comparisons and casts never depend on rounding.
 *
 * A program can be asked to contain given ops (`cover`): after its random steps it draws, for each
 * op it lacks, the steps that make that op until one has, and all its unread values are results,
 * so that none of them is dead code. `coveringOps` deals the catalogue out over a run of seeds.
 */

type Kind = 'f32' | 'i32' | 'bool';

interface Val {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: Kind;
  /** An upper bound on |value|. */
  readonly bound: number;
  /** Computed without rounding, in f32 as in f64. */
  readonly exact: boolean;
}

/** The largest magnitude a value may reach; multiplicative ops take operands up to SMALL. */
const LIMIT = 64;
const SMALL = 8;

const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;

const INFIX: Readonly<Record<string, string>> = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge', '==': 'eq', '!=': 'ne' };

/**
 * The catalogue ops an expression of this generator uses: calls by name, infix operators (always
 * written between spaces), and numeric operands as `const` once the attributes are taken out.
 */
export function exprOps(expr: string): Set<string> {
  const operands = expr.replace(/\w+=("[^"]*"|\[[^\]]*\]|[^,)\s]+)/g, '');
  const ops = new Set([...operands.matchAll(/\b([a-z_]+)\(/g)].map((m) => m[1]!));
  for (const m of operands.matchAll(/ ([-+*/<>=!]=?) /g)) ops.add(INFIX[m[1]!]!);
  if (/(^|[\s(,-])\d/.test(operands)) ops.add('const');
  return ops;
}

class Gen {
  readonly r: () => number;
  readonly lines: string[] = [];
  readonly values: Val[] = [];
  readonly inputs: { name: string; shape: number[]; dtype: Kind; lo: number; hi: number }[] = [];
  readonly params: { name: string; shape: number[] }[] = [];
  /** The ops of every expression and weight emitted so far (inputs always). */
  readonly used = new Set<string>(['input']);
  private counter = 0;

  constructor(seed: number) {
    this.r = rng(seed);
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.r() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.r() < p;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(0, xs.length - 1)]!;
  }

  /** A value passing `ok`, usually one of the latest, so that programs grow chains rather than fans. */
  operand(ok: (v: Val) => boolean = (v) => v.dtype === 'f32'): Val | undefined {
    const all = this.values.filter(ok);
    if (!all.length) return undefined;
    return this.chance(0.7) ? this.pick(all.slice(-3)) : this.pick(all);
  }

  emit(expr: string, shape: readonly number[], dtype: Kind, bound: number, exact = false): Val {
    const v = { name: `t${this.counter++}`, shape, dtype, bound, exact };
    this.lines.push(`  ${v.name} = ${expr};`);
    this.values.push(v);
    for (const op of exprOps(expr)) this.used.add(op);
    return v;
  }

  param(shape: readonly number[]): string {
    const name = `w${this.counter++}`;
    this.lines.push(`  param ${name}: f32${fmt(shape)};`);
    this.params.push({ name, shape: [...shape] });
    this.used.add('param');
    return name;
  }

  /** A weight that is also a value of the program (exact, within [-2, 2)). */
  paramValue(shape: readonly number[]): Val {
    const name = this.param(shape);
    const v = { name, shape, dtype: 'f32' as const, bound: 2, exact: true };
    this.values.push(v);
    return v;
  }

  axis(rank: number): number {
    const a = this.int(0, rank - 1);
    return this.chance(0.5) ? a - rank : a;
  }
}

const isF32 = (v: Val) => v.dtype === 'f32';
const small = (v: Val) => v.dtype === 'f32' && v.bound <= SMALL;
const ranked = (lo: number) => (v: Val) => v.dtype === 'f32' && v.shape.length >= lo;

/** Draws one step; with `want`, only forms that contain that op (or nothing). */
type Step = (g: Gen, want?: string) => void;

/** The forms of a step that contain `want`, or all of them without it. */
function wanted<T extends readonly [string, ...unknown[]]>(forms: readonly T[], want: string | undefined): T[] {
  return want === undefined ? [...forms] : forms.filter(([f]) => exprOps(f).has(want));
}

/** Unary maths, each form bounded whatever its operand. */
function unary(g: Gen, want?: string): void {
  const a = g.operand()!;
  const b = a.bound;
  const forms: [string, number, boolean?][] = [
    ['neg({})', b, true],
    ['abs({})', b, true],
    ['relu({})', b, true],
    ['tanh({})', 1],
    ['erf({})', 1],
    ['erf({} * 0.5)', 1],
    ['gelu({})', b],
    ['gelu({}, approximate="tanh")', b],
    ['exp(tanh({}))', 2.72],
    ['log(abs({}) + 1.0)', Math.log(b + 1)],
    ['sqrt(abs({}) + 0.5)', Math.sqrt(b + 0.5)],
    ['rsqrt(abs({}) + 1.0)', 1],
    ['recip(abs({}) + 1.0)', 1],
    ['{} * 0.5', b / 2, true],
  ];
  const [f, bound, exact] = g.pick(wanted(forms, want));
  g.emit(f.replaceAll('{}', a.name), a.shape, 'f32', bound, (exact ?? false) && a.exact);
}

function binary(g: Gen, want?: string): void {
  const a = g.operand()!;
  const b = g.pick(g.values.filter((v) => isF32(v) && broadcastShapes(a.shape, v.shape)));
  const shape = broadcastShapes(a.shape, b.shape)!;
  const forms: [string, number, boolean][] = [
    ['{a} + {b}', a.bound + b.bound, false],
    ['{a} - {b}', a.bound + b.bound, false],
    ['max({a}, {b})', Math.max(a.bound, b.bound), true],
    ['min({a}, {b})', Math.max(a.bound, b.bound), true],
    ['{a} / (abs({b}) + 1.0)', a.bound, false],
    ['pow(abs({a}) + 0.5, tanh({b}))', Math.max(2, a.bound + 0.5), false],
  ];
  if (small(a) && small(b)) forms.push(['{a} * {b}', a.bound * b.bound, false]);
  const fit = wanted(forms.filter(([, bd]) => bd <= LIMIT), want);
  if (!fit.length) return;
  const [f, bound, exact] = g.pick(fit);
  g.emit(f.replaceAll('{a}', a.name).replaceAll('{b}', b.name), shape, 'f32', bound, exact && a.exact && b.exact);
}

function scale(g: Gen): void {
  const a = g.operand()!;
  const [c, exact] = g.pick([['0.25', true], ['2.0', true], ['-1.25', false], ['3.0', false]] as const);
  const bound = a.bound * Math.abs(Number(c));
  if (bound <= LIMIT) g.emit(`${a.name} * ${c}`, a.shape, 'f32', bound, exact && a.exact);
}

/** A comparison of exact values: f32 against f32 or a constant, or i32 against i32. */
function compare(g: Gen, want?: string): void {
  const a = g.operand((v) => (v.dtype === 'f32' && v.exact) || v.dtype === 'i32');
  if (!a) return;
  const b = g.pick(g.values.filter((v) => v.dtype === a.dtype && (v.dtype === 'i32' || v.exact) && broadcastShapes(a.shape, v.shape)));
  const op = g.pick(wanted(['<', '<=', '>', '>=', '==', '!='].map((o) => [`x ${o} y`, o] as const), want))[1];
  const rhs = g.chance(0.3) ? (a.dtype === 'f32' ? g.pick(['0.0', '0.5', '-1.0']) : g.pick(['0', '1', '-2'])) : b.name;
  const shape = rhs === b.name ? broadcastShapes(a.shape, b.shape)! : a.shape;
  g.emit(`${a.name} ${op} ${rhs}`, shape, 'bool', 1, true);
}

function where(g: Gen, want?: string): void {
  if (want === 'where' && !g.values.some((v) => v.dtype === 'bool')) compare(g);
  const c = g.operand((v) => v.dtype === 'bool');
  if (!c) return;
  const kind: Kind = g.chance(0.7) ? 'f32' : 'i32';
  const fits = (v: Val) => v.dtype === kind && broadcastShapes(c.shape, v.shape) !== undefined;
  const a = g.operand(fits);
  const b = a && g.operand((v) => fits(v) && broadcastShapes(broadcastShapes(c.shape, a.shape)!, v.shape) !== undefined);
  if (!a || !b) return;
  const shape = broadcastShapes(broadcastShapes(c.shape, a.shape)!, b.shape)!;
  g.emit(`where(${c.name}, ${a.name}, ${b.name})`, shape, kind, Math.max(a.bound, b.bound), a.exact && b.exact);
}

/** Casts between f32, i32 and bool; f32 becomes an integer only from exact values. */
function cast(g: Gen): void {
  const a = g.operand((v) => v.dtype !== 'f32' || v.exact);
  if (!a) return;
  const to = g.pick((['f32', 'i32', 'bool'] as const).filter((d) => d !== a.dtype));
  if (a.dtype === 'f32' && to === 'i32') {
    if (a.bound * 4 <= LIMIT) g.emit(`cast(${a.name} * 4.0, to=i32)`, a.shape, 'i32', a.bound * 4, true);
    return;
  }
  g.emit(`cast(${a.name}, to=${to})`, a.shape, to, to === 'bool' ? 1 : a.bound, true);
}

/** Integer arithmetic on small values. */
function integer(g: Gen): void {
  const a = g.operand((v) => v.dtype === 'i32');
  if (!a) return;
  const b = g.pick(g.values.filter((v) => v.dtype === 'i32' && broadcastShapes(a.shape, v.shape)));
  const shape = broadcastShapes(a.shape, b.shape)!;
  const forms: [string, readonly number[], number][] = [
    [`${a.name} + ${b.name}`, shape, a.bound + b.bound],
    [`${a.name} - ${b.name}`, shape, a.bound + b.bound],
    [`max(${a.name}, ${b.name})`, shape, Math.max(a.bound, b.bound)],
    [`min(${a.name}, ${b.name})`, shape, Math.max(a.bound, b.bound)],
    [`${a.name} / (abs(${b.name}) + 1)`, shape, a.bound],
    [`neg(${a.name})`, a.shape, a.bound],
    [`abs(${a.name})`, a.shape, a.bound],
    [`relu(${a.name})`, a.shape, a.bound],
    [`${a.name} * ${b.name}`, shape, a.bound * b.bound],
  ];
  const [expr, sh, bound] = g.pick(forms.filter(([, , bd]) => bd <= 1000));
  g.emit(expr, sh, 'i32', bound, true);
}

function iota(g: Gen): void {
  const like = g.operand((v) => v.shape.length > 0) ?? g.values[0]!;
  if (!like.shape.length) return;
  const axis = g.axis(like.shape.length);
  const i = g.emit(`iota(shape=${fmt(like.shape)}, axis=${axis}, dtype=i32)`, like.shape, 'i32', Math.max(...like.shape), true);
  if (g.chance(0.5)) g.emit(`cast(${i.name}, to=f32) * 0.25`, i.shape, 'f32', i.bound / 4, true);
}

/** reduce_sum/max/mean over one or two axes, either keepdims form, axes given either way round. */
function reduce(g: Gen, want?: string): void {
  const draw = g.chance(0.8) ? 'f32' : 'i32';
  const kind = want === 'reduce_mean' ? 'f32' : draw;
  const a = g.operand((v) => v.dtype === kind && v.shape.length > 0);
  if (!a) return;
  const rank = a.shape.length;
  const axes = [g.axis(rank)];
  if (rank > 1 && g.chance(0.3)) {
    const other = g.axis(rank);
    if ((other + rank) % rank !== (axes[0]! + rank) % rank) axes.push(other);
  }
  const norm = axes.map((x) => (x + rank) % rank);
  const keep = g.chance(0.5);
  const ops = kind === 'i32' ? ['reduce_sum', 'reduce_max'] : ['reduce_sum', 'reduce_max', 'reduce_mean'];
  const op = g.pick(want && ops.includes(want) ? [want] : ops);
  const n = numel(norm.map((x) => a.shape[x]!));
  const bound = op === 'reduce_sum' ? a.bound * n : a.bound;
  if (bound > (kind === 'i32' ? 1000 : LIMIT)) return;
  const shape = keep ? a.shape.map((d, i) => (norm.includes(i) ? 1 : d)) : a.shape.filter((_, i) => !norm.includes(i));
  const attrs = `axes=${fmt(axes)}${keep ? ', keepdims=true' : g.chance(0.5) ? ', keepdims=false' : ''}`;
  g.emit(`${op}(${a.name}, ${attrs})`, shape, kind, bound, op === 'reduce_max' && a.exact);
}

function softmax(g: Gen): void {
  const a = g.operand(ranked(1))!;
  if (!a) return;
  const axis = g.axis(a.shape.length);
  g.emit(g.chance(0.2) && axis === -1 ? `softmax(${a.name})` : `softmax(${a.name}, axis=${axis})`, a.shape, 'f32', 1);
}

function layernorm(g: Gen): void {
  const a = g.operand(ranked(1));
  if (!a) return;
  const last = a.shape[a.shape.length - 1]!;
  // The default eps (1e-12) only on an input or a weight: a computed row may be constant up to
  // rounding (a softmax across equal rows, a broadcast), and its rounding noise over sqrt(1e-12)
  // would be all that the result says.
  const raw = g.inputs.some((x) => x.name === a.name) || g.params.some((p) => p.name === a.name);
  const drawn = g.pick(['', ', eps=1e-5', ', eps=1e-3']);
  const eps = drawn === '' && !raw ? ', eps=1e-3' : drawn;
  // (x - mean) / sqrt(var + eps) stays below sqrt(n); gamma and beta are below 2.
  g.emit(`layernorm(${a.name}, ${g.param([last])}, ${g.param([last])}${eps})`, a.shape, 'f32', 2 * Math.sqrt(last) + 2);
}

/** A dense layer of odd sizes with an epilogue: bias, activation, scale, residual. */
function dense(g: Gen): void {
  const a = g.operand((v) => small(v) && v.shape.length >= 2);
  if (!a) return;
  const k = a.shape[a.shape.length - 1]!;
  const n = g.pick([1, 3, 5, 7, 9, 13]);
  const tb = g.chance(0.6);
  const shape = [...a.shape.slice(0, -1), n];
  let expr = `matmul(${a.name}, ${g.param(tb ? [n, k] : [k, n])}${tb ? ', transpose_b=true' : ''})`;
  let bound = a.bound * 2 * k;
  if (g.chance(0.7)) {
    expr = `${expr} + ${g.param([n])}`;
    bound += 2;
  }
  const act = g.pick(['', 'gelu', 'relu', 'tanh', 'gelu_tanh']);
  if (act === 'gelu_tanh') expr = `gelu(${expr}, approximate="tanh")`;
  else if (act) expr = `${act}(${expr})`;
  if (act === 'tanh') bound = 1;
  if (g.chance(0.3)) {
    expr = `${expr} * 0.125`;
    bound /= 8;
  }
  if (bound > LIMIT) expr = `tanh(${expr})`;
  const v = g.emit(expr, shape, 'f32', Math.min(bound, LIMIT));
  const res = g.values.find((x) => x !== v && isF32(x) && x.shape.length === shape.length && x.shape.every((d, i) => d === shape[i]) && x.bound + v.bound <= LIMIT);
  if (res && g.chance(0.5)) g.emit(`${v.name} + ${res.name}`, shape, 'f32', v.bound + res.bound);
}

/** A batched matmul of two values, either transposed, batch dimensions broadcast. */
function batchedMatmul(g: Gen): void {
  const a = g.operand((v) => small(v) && v.shape.length >= 2);
  if (!a) return;
  const ta = g.chance(0.3);
  const r = a.shape.length;
  const k = ta ? a.shape[r - 2]! : a.shape[r - 1]!;
  const m = ta ? a.shape[r - 1]! : a.shape[r - 2]!;
  const tb = g.chance(0.5);
  const candidates = g.values.filter((v) => {
    if (!small(v) || v.shape.length < 2) return false;
    const q = v.shape.length;
    const vk = tb ? v.shape[q - 1] : v.shape[q - 2];
    return vk === k && broadcastShapes(a.shape.slice(0, -2), v.shape.slice(0, -2)) !== undefined;
  });
  const b = candidates.length ? g.pick(candidates) : g.paramValue(g.chance(0.5) ? (tb ? [g.int(1, 6), k] : [k, g.int(1, 6)]) : tb ? [1, g.int(1, 6), k] : [1, k, g.int(1, 6)]);
  const q = b.shape.length;
  const n = tb ? b.shape[q - 2]! : b.shape[q - 1]!;
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2))!;
  const bound = a.bound * b.bound * k;
  const attrs = `${ta ? ', transpose_a=true' : ''}${tb ? ', transpose_b=true' : ''}`;
  const expr = `matmul(${a.name}, ${b.name}${attrs})`;
  g.emit(bound > LIMIT ? `tanh(${expr})` : expr, [...batch, m, n], 'f32', Math.min(bound, LIMIT));
}

function reshape(g: Gen): void {
  const a = g.operand((v) => v.shape.length > 0)!;
  if (!a) return;
  const n = numel(a.shape);
  const r = a.shape.length;
  const forms: number[][] = [[n]];
  if (r >= 2) forms.push([numel(a.shape.slice(0, -2)), a.shape[r - 2]! * a.shape[r - 1]!]);
  if (a.shape[r - 1]! % 2 === 0 && r < 5) forms.push([...a.shape.slice(0, -1), 2, a.shape[r - 1]! / 2]);
  if (r < 5) forms.push([1, ...a.shape]);
  const shape = g.pick(forms);
  const text = g.chance(0.3) && shape.length > 1 ? fmt(shape.map((d, i) => (i === 0 ? -1 : d))) : fmt(shape);
  g.emit(`reshape(${a.name}, shape=${text})`, shape, a.dtype, a.bound, a.exact);
}

function transpose(g: Gen): void {
  const a = g.operand((v) => v.shape.length >= 2);
  if (!a) return;
  const perm = a.shape.map((_, i) => i);
  for (let i = perm.length - 1; i > 0; i--) {
    const j = g.int(0, i);
    [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  }
  g.emit(`transpose(${a.name}, perm=${fmt(perm)})`, perm.map((p) => a.shape[p]!), a.dtype, a.bound, a.exact);
}

function slice(g: Gen): void {
  const a = g.operand((v) => v.shape.some((d) => d > 1));
  if (!a) return;
  const axes = a.shape.map((d, i) => (d > 1 ? i : -1)).filter((i) => i >= 0);
  const axis = g.pick(axes);
  const d = a.shape[axis]!;
  const start = g.int(0, d - 1);
  const end = g.int(start + 1, d);
  const s = g.chance(0.3) ? start - d : start;
  const e = g.chance(0.3) && end < d ? end - d : end;
  const ax = g.chance(0.3) ? axis - a.shape.length : axis;
  g.emit(`slice(${a.name}, axis=${ax}, start=${s}, end=${e})`, a.shape.map((x, i) => (i === axis ? end - start : x)), a.dtype, a.bound, a.exact);
}

function concat(g: Gen): void {
  const a = g.operand((v) => v.shape.length > 0);
  if (!a) return;
  const axis = g.int(0, a.shape.length - 1);
  const same = g.values.filter((v) => v.dtype === a.dtype && v.shape.length === a.shape.length && v.shape.every((d, i) => i === axis || d === a.shape[i]));
  const parts = [a, g.pick(same), ...(g.chance(0.3) ? [g.pick(same)] : [])];
  const shape = a.shape.map((d, i) => (i === axis ? parts.reduce((s, p) => s + p.shape[axis]!, 0) : d));
  const ax = g.chance(0.4) ? axis - a.shape.length : axis;
  g.emit(`concat(${parts.map((p) => p.name).join(', ')}, axis=${ax})`, shape, a.dtype, Math.max(...parts.map((p) => p.bound)), parts.every((p) => p.exact));
}

/** Broadcasts size-1 dimensions to a size and may add leading dimensions. */
function expand(g: Gen): void {
  const a = g.operand((v) => v.shape.length < 4);
  if (!a) return;
  const shape = [...(g.chance(0.5) ? [g.int(2, 3)] : []), ...a.shape.map((d) => (d === 1 ? g.int(1, 4) : d))];
  if (!shape.length) shape.push(3);
  g.emit(`expand(${a.name}, shape=${fmt(shape)})`, shape, a.dtype, a.bound, a.exact);
}

/** An embedding lookup: ids from the id input, from iota, or rows of a computed table. */
function gather(g: Gen): void {
  const ids = g.values.filter((v) => v.name === 'ids');
  if (ids.length && g.chance(0.6)) {
    const e = g.int(1, 6);
    const table = g.param([VOCAB, e]);
    g.emit(`gather(${table}, ids)`, [...ids[0]!.shape, e], 'f32', 2, true);
    return;
  }
  const t = g.operand((v) => v.shape.length >= 1 && v.shape.length <= 3);
  if (!t) return;
  const axis = g.int(0, t.shape.length - 1);
  const rows = t.shape[axis]!;
  const n = g.int(1, 4);
  const index = g.emit(`iota(shape=[${n}], dtype=i32) * ${g.int(0, 3)} / ${g.int(1, 3)}`, [n], 'i32', rows, true);
  const clamped = g.emit(`min(${index.name}, ${rows - 1})`, [n], 'i32', rows, true);
  const shape = [...t.shape.slice(0, axis), n, ...t.shape.slice(axis + 1)];
  g.emit(`gather(${t.name}, ${clamped.name}, axis=${axis})`, shape, t.dtype, t.bound, t.exact);
}

/**
 * gather's adjoint: an operand's rows added into a few rows by repeated indices (from iota, as the
 * gather step makes them), sometimes skipping a padding_idx row; or the rows of a value over the id
 * input scattered back into the vocabulary, as an embedding's gradient is.
 */
function scatter(g: Gen): void {
  const ids = g.values.find((v) => v.name === 'ids');
  const count = ids ? numel(ids.shape) : 0;
  const overIds = ids ? g.values.filter((v) => isF32(v) && v.bound * count <= LIMIT && ids.shape.every((d, i) => v.shape[i] === d)) : [];
  if (overIds.length && g.chance(0.6)) {
    const u = g.pick(overIds);
    g.emit(`scatter_add(${u.name}, ids, rows=${VOCAB})`, [VOCAB, ...u.shape.slice(ids!.shape.length)], 'f32', u.bound * count);
    return;
  }
  const t = g.operand((v) => isF32(v) && v.shape.length >= 1 && v.shape.length <= 3);
  if (!t) return;
  const axis = g.int(0, t.shape.length - 1);
  const n = t.shape[axis]!;
  if (t.bound * n > LIMIT) return;
  const rows = g.int(1, 5);
  const index = g.emit(`iota(shape=[${n}], dtype=i32) * ${g.int(0, 3)} / ${g.int(1, 3)}`, [n], 'i32', rows, true);
  const clamped = g.emit(`min(${index.name}, ${rows - 1})`, [n], 'i32', rows, true);
  const pad = g.chance(0.4) ? `, padding_idx=${g.int(0, rows - 1)}` : '';
  const ax = g.chance(0.3) ? axis - t.shape.length : axis;
  const shape = t.shape.map((d, i) => (i === axis ? rows : d));
  g.emit(`scatter_add(${t.name}, ${clamped.name}, rows=${rows}, axis=${ax}${pad})`, shape, 'f32', t.bound * n, n === 1 && t.exact);
}

function dropout(g: Gen): void {
  const a = g.operand()!;
  const p = g.pick([0.1, 0.5]);
  const bound = a.bound / (1 - p);
  if (bound <= LIMIT) g.emit(`dropout(${a.name}, p=${p})`, a.shape, 'f32', bound);
}

const VOCAB = 11;

/** Steps with weights: how often each is drawn. */
const STEPS: readonly [Step, number][] = [
  [unary, 5],
  [binary, 4],
  [scale, 1],
  [compare, 3],
  [where, 2],
  [cast, 2],
  [integer, 2],
  [iota, 1],
  [reduce, 4],
  [softmax, 2],
  [layernorm, 2],
  [dense, 3],
  [batchedMatmul, 2],
  [reshape, 2],
  [transpose, 2],
  [slice, 2],
  [concat, 1],
  [expand, 1],
  [gather, 1],
  [dropout, 1],
];

function step(g: Gen): Step {
  const total = STEPS.reduce((s, [, w]) => s + w, 0);
  let x = g.r() * total;
  for (const [f, w] of STEPS) if ((x -= w) < 0) return f;
  return STEPS[0]![0];
}

/** The steps that make each op of the catalogue, for programs that must contain it. */
const MAKERS: Readonly<Record<string, readonly Step[]>> = {
  ...Object.fromEntries(['neg', 'abs', 'relu', 'tanh', 'erf', 'gelu', 'exp', 'log', 'sqrt', 'rsqrt', 'recip'].map((op) => [op, [unary]])),
  ...Object.fromEntries(['add', 'sub', 'max', 'min', 'div', 'pow'].map((op) => [op, [binary]])),
  ...Object.fromEntries(['lt', 'le', 'gt', 'ge', 'eq', 'ne'].map((op) => [op, [compare]])),
  ...Object.fromEntries(['reduce_sum', 'reduce_max', 'reduce_mean'].map((op) => [op, [reduce]])),
  mul: [binary, scale],
  const: [scale],
  param: [layernorm, dense],
  matmul: [dense, batchedMatmul],
  where: [where],
  cast: [cast],
  iota: [iota],
  softmax: [softmax],
  layernorm: [layernorm],
  reshape: [reshape],
  transpose: [transpose],
  slice: [slice],
  concat: [concat],
  expand: [expand],
  gather: [gather],
  scatter_add: [scatter],
  dropout: [dropout],
};

/** Tries a step drawn again is allowed before a program gives up on an op it must contain. */
const COVER_TRIES = 64;

/** Draws the steps that make `op` until the program has it; throws when it cannot. */
function cover(g: Gen, op: string): void {
  if (g.used.has(op)) return;
  const makers = MAKERS[op];
  if (!makers) throw new Error(`catalogue programs: no step makes '${op}'`);
  for (let i = 0; i < COVER_TRIES && !g.used.has(op); i++) g.pick(makers)(g, op);
  if (!g.used.has(op)) throw new Error(`catalogue program: no '${op}' after ${COVER_TRIES} tries`);
}

export interface ProgramOptions {
  /** The fewest and most random steps (default 4 and 16). */
  readonly steps?: readonly [number, number];
  /** Ops the program must contain (see `cover`); with any, every unread value is a result. */
  readonly cover?: readonly string[];
}

/**
 * The ops of the catalogue dealt out over `count` programs in turn, for `cover`: together the
 * programs contain every op, each drawn in one of them on purpose.
 */
export function coveringOps(count: number): string[][] {
  const out = Array.from({ length: count }, (): string[] => []);
  [...OPS.keys()].forEach((op, i) => out[i % count]!.push(op));
  return out;
}

export interface CatalogueProgram {
  readonly seed: number;
  readonly text: string;
  readonly inputs: Map<string, Tensor>;
  readonly params: Map<string, Tensor>;
}

/** A random program over the whole catalogue with its inputs and weights, from a seed alone. */
export function catalogueProgram(seed: number, options: ProgramOptions = {}): CatalogueProgram {
  const g = new Gen(seed);
  const [fewest, most] = options.steps ?? [4, 16];
  const covering = (options.cover ?? []).length > 0;
  const sizes = [1, 2, 3, 4, 5, 7];
  for (let i = 0, n = g.int(1, 3); i < n; i++) {
    const shape = Array.from({ length: g.int(1, 4) }, () => g.pick(sizes));
    g.inputs.push({ name: `x${i}`, shape, dtype: 'f32', lo: -2, hi: 2 });
    g.values.push({ name: `x${i}`, shape, dtype: 'f32', bound: 2, exact: true });
  }
  if (g.chance(0.3)) {
    const shape = [g.int(1, 3), g.int(1, 5)];
    g.inputs.push({ name: 'ids', shape, dtype: 'i32', lo: 0, hi: VOCAB - 1 });
    g.values.push({ name: 'ids', shape, dtype: 'i32', bound: VOCAB, exact: true });
  }
  if (covering) {
    // An input every step can take: rank 3, every dimension above 1, within [-2, 2).
    const shape = [g.int(2, 3), g.int(2, 4), g.int(2, 5)];
    const name = `x${g.inputs.length}`;
    g.inputs.push({ name, shape, dtype: 'f32', lo: -2, hi: 2 });
    g.values.push({ name, shape, dtype: 'f32', bound: 2, exact: true });
  }
  for (let i = 0, n = g.int(fewest, most); i < n; i++) step(g)(g);
  for (const op of options.cover ?? []) cover(g, op);
  // The results are the values nothing reads (up to four, the latest; all of them in a program that
  // must contain given ops), so that little (or nothing) is dead code.
  const body = g.lines.join('\n');
  const read = (v: Val) => new RegExp(`\\b${v.name}\\b`, 'g').exec(body.slice(body.indexOf(`${v.name} =`) + v.name.length + 2)) !== null;
  const unread = g.values.filter((v) => v.name.startsWith('t') && !read(v));
  const outs = covering ? unread : unread.slice(-4);
  if (!outs.length) outs.push(g.values[0]!);
  // Sometimes a result that no kernel computes: an input, a weight, or a view of one.
  const extra = g.int(0, 5);
  if (extra === 0) outs.push(g.values[0]!);
  else if (extra === 1) outs.push(g.paramValue([g.int(1, 4), g.int(1, 4)]));
  else if (extra === 2) {
    const x = g.values[0]!;
    outs.push(g.emit(`reshape(${x.name}, shape=[${numel(x.shape)}])`, [numel(x.shape)], x.dtype, x.bound, true));
  } else if (extra === 3 && g.values[0]!.shape.length >= 2) {
    const x = g.values[0]!;
    const perm = x.shape.map((_, i) => i).reverse();
    outs.push(g.emit(`transpose(${x.name}, perm=${fmt(perm)})`, perm.map((p) => x.shape[p]!), x.dtype, x.bound, true));
  }
  const unique = [...new Set(outs)];
  const inputs = g.inputs.map((x) => `${x.name}: ${x.dtype}${fmt(x.shape)}`);
  const text = [
    `// catalogue program, seed ${seed}`,
    `model random(${inputs.join(', ')}) -> (${unique.map((o, i) => `out${i}: ${o.dtype}${fmt(o.shape)}`).join(', ')}) {`,
    ...g.lines,
    `  return ${unique.map((o) => o.name).join(', ')};`,
    '}',
    '',
  ].join('\n');
  const r = rng(seed ^ 0x5bd1e995);
  const fill = (dtype: DType, shape: readonly number[], lo: number, hi: number) => {
    const t = makeTensor(dtype, shape);
    for (let i = 0; i < t.data.length; i++) t.data[i] = dtype === 'f32' ? lo + r() * (hi - lo) : lo + Math.floor(r() * (hi - lo + 1));
    return t;
  };
  return {
    seed,
    text,
    inputs: new Map(g.inputs.map((x) => [x.name, fill(x.dtype, x.shape, x.lo, x.hi)])),
    params: new Map(g.params.map((p) => [p.name, fill('f32', p.shape, -2, 2)])),
  };
}
