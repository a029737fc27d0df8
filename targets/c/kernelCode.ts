import type { Accelerator } from '../../src/accel/accelerator.js';
import type { GemmSchedule } from '../../src/cost/gemm.js';
import { DiagnosticError, makeDiagnostic, type Diagnostic } from '../../src/diag/diagnostics.js';
import { isFloat, type DType } from '../../src/ir/dtype.js';
import { graphNodes } from '../../src/ir/graph.js';
import type { Node } from '../../src/ir/node.js';
import { numel, type Shape } from '../../src/ir/shape.js';
import { roundToHalf } from '../../src/io/halfFloat.js';
import { isMatmul, isMovement, isRowReduction, isScatter, reducedAxes } from '../../src/kernel/classify.js';
import type { Kernel } from '../../src/kernel/kernels.js';
import type { Module } from '../../src/kernel/module.js';
import { dropoutOps, kernelParams } from '../../src/kernel/signature.js';
import { affine, attentionAccess, gemmAccess, gemmBatchOffset, unravel, viewLayout, type GemmOperand, type Index } from '../common/indexing.js';
import { accumulatorOf, ElementValues, kernelHeader, parameterNames, rowResultType, type ValueEnv } from '../common/elementValues.js';
import { Writer, type Line } from '../common/writer.js';
import { scatterParts } from '../common/scatter.js';
import { SELECTING_OPS, type CLikeRenderer } from '../common/renderer.js';

/*
 * f16 and bf16 values are held as the interpreter holds them: every op's result is rounded to its
 * storage dtype, so a kernel rounds each 16-bit value it computes (in f32) before anything reads
 * it, not only where it is stored. A fused chain of bf16 ops gives the interpreter's values, not
 * those of the chain kept in f32.
 */

/** Whether `d` is stored narrower than it is computed (f16 and bf16 in float), so that computed values are rounded. */
function isNarrow(r: CLikeRenderer, d: DType): boolean {
  return isFloat(d) && r.storageType(d) !== r.type(d);
}

/** `x`, computed in `d`'s compute type, rounded to `d`'s storage: a store and a load. */
export function roundToStorage(r: CLikeRenderer, x: string, d: DType): string {
  return isNarrow(r, d) ? r.load(r.store(x, d), d) : x;
}

/** Whether `n`'s value needs no rounding: a select among operands of its own dtype, or dropout at inference. */
function exactInStorage(n: Node, train: boolean): boolean {
  const own = n.srcs.every((s) => !isFloat(s.type.dtype) || s.type.dtype === n.type.dtype);
  return (own && SELECTING_OPS.has(n.op)) || (n.op === 'dropout' && !train) || (n.op === 'cast' && n.srcs[0]!.type.dtype === n.type.dtype);
}


export interface KernelEnv extends ValueEnv {
  readonly accel: Accelerator;
  readonly schedules?: ReadonlyMap<Node, GemmSchedule>;
}

/**
 * The C function of one kernel and of every kernel that computes the same (`kernelClasses`): its
 * parameters are the dropout keys it draws from (`key0`, ..; `keys` of them) and the buffers it
 * reads and writes (`b0`, .. in `kernelParams` order), so that each instance is a call.
 */
export interface KernelFunction {
  readonly name: string;
  readonly params: readonly Node[];
  readonly keys: number;
  readonly lines: readonly Line[];
  readonly usesStatus: boolean;
  readonly usesSeed: boolean;
  /** Whether it takes its GEMM's B packed (a `pk` parameter; packedOperand). */
  readonly packed?: boolean;
  /**
   * Its loop over tasks, when it has one: the function then runs tasks [lo_, hi_) on pool thread
   * `thread_` (trailing parameters), and a call shares them out among the pool's threads when
   * `parallel` (there is work enough for more than one), else runs them all itself.
   */
  readonly tasks?: { readonly count: number; readonly parallel: boolean };
  /** The floats of m->gemm_ws each pool thread needs (a C expression), when it uses that workspace. */
  readonly workspace?: string;
}


/** The C kernel body: the shared element expressions, written into loops. */
class KernelBuilder extends ElementValues {
  readonly w = new Writer();
  /**
   * The 16-bit bits of members whose local holds them (`uint16_t t3 = bertc_f32_to_bf16(..)`, read
   * as `bertc_bf16_to_f32(t3)`): a store of such a value is the bits themselves, not a conversion
   * back and forth. They are a conversion's result, so a NaN among them is quiet and converting
   * them to f32 and back gives them unchanged.
   */
  private readonly bits = new Map<Node, string>();

  /** The loop over tasks that parallelFor opened. */
  tasks?: { count: number; parallel: boolean };

  constructor(k: Kernel, env: KernelEnv) {
    super(k, env);
  }

  /**
   * Opens the kernel's loop over its `count` tasks: the range [lo_, hi_) its caller gives it, so
   * that the thread pool can share the tasks out (when `parallel`) without the loop knowing.
   */
  parallelFor(v: string, count: number, parallel: boolean, span?: Line['span']): void {
    if (this.tasks) throw new Error(`internal: kernel ${this.k.name} opens two task loops`);
    this.tasks = { count, parallel: parallel && count > 1 };
    this.w.open(`for (ptrdiff_t ${v} = lo_; ${v} < hi_; ${v}++)`, span);
  }

  /** The pool thread running this task, to index per-thread workspaces. */
  get thread(): string {
    if (!this.tasks) throw new Error(`internal: kernel ${this.k.name} asks for its thread outside its task loop`);
    return 'thread_';
  }

  /** A 16-bit constant is its value rounded to the dtype, and an index (iota) too. */
  override value(n: Node, idx: Index): string {
    const d = n.type.dtype;
    const half = isNarrow(this.env.r, d);
    if (half && n.op === 'const') return this.env.r.literal(roundToHalf(n.attr<number>('value'), d), d);
    if (half && n.op === 'iota') return roundToStorage(this.env.r, super.value(n, idx), d);
    return super.value(n, idx);
  }

  /** An op's value, rounded to its storage dtype when that is 16 bits (roundToHalf). */
  override valueOfOp(n: Node, idx: Index): string {
    const v = super.valueOfOp(n, idx);
    return exactInStorage(n, this.env.train) ? v : roundToStorage(this.env.r, v, n.type.dtype);
  }

  /** Declares a member's value for the current row: an array over j, or a scalar. */
  compute(n: Node, rowVaries: (n: Node) => boolean, D: number): void {
    const r = this.env.r;
    const name = this.local(n);
    const t = r.type(n.type.dtype);
    // Along the row when its shape says so, or when it reads a value kept as a row array.
    if (rowVaries(n) || n.srcs.some((x) => this.locals.get(x)?.array)) {
      this.w.line(`${t} ${name}[${D}];`, n.meta.span);
      this.w.line(`${r.loop('j', D)} ${name}[j] = ${this.valueOfOp(n, this.here(n))};`, n.meta.span);
      this.locals.set(n, { name, array: true });
    } else {
      this.scalar(n);
    }
  }

  /** Declares each of `nodes` (movement ops aside) as a scalar local at the iteration point, in order. */
  scalars(nodes: readonly Node[]): void {
    for (const n of nodes) if (!isMovement(n)) this.scalar(n);
  }

  /** Declares `n` as a scalar local at the iteration point: its value, or a 16-bit value's bits. */
  private scalar(n: Node): void {
    const r = this.env.r;
    const d = n.type.dtype;
    const name = this.local(n);
    if (isNarrow(r, d)) {
      this.w.line(`${r.storageType(d)} ${name} = ${r.store(super.valueOfOp(n, this.here(n)), d)};`, n.meta.span);
      this.setBits(n, name);
      return;
    }
    this.w.line(r.declare(name, d, this.valueOfOp(n, this.here(n))), n.meta.span);
    this.locals.set(n, { name, array: false });
  }

  /** Makes `n`'s local (a scalar) the 16-bit value whose bits are `bits`. */
  setBits(n: Node, bits: string): void {
    this.bits.set(n, bits);
    this.locals.set(n, { name: this.env.r.load(bits, n.type.dtype), array: false });
  }

  /** Stores output `o` at the iteration point (or per row, for a per-row scalar). */
  store(o: Node): void {
    const bits = this.bits.get(this.stored(o).v);
    const d = o.type.dtype;
    const statement = this.storeStatement(o);
    this.w.line(bits === undefined ? statement : statement.replace(this.env.r.store(this.env.r.load(bits, d), d), bits), o.meta.span);
  }
}

function header(k: Kernel, instances: readonly Kernel[]): string[] {
  return kernelHeader(k, instances).map((l, i, all) => `${i ? ' *' : '/*'} ${l}${i === all.length - 1 ? ' */' : ''}`);
}

function done(b: KernelBuilder, k: Kernel): KernelFunction {
  return { name: k.name, params: kernelParams(k), keys: b.usesSeed ? dropoutOps(k).length : 0, lines: b.w.lines, usesStatus: b.usesStatus, usesSeed: b.usesSeed, ...(b.tasks ? { tasks: b.tasks } : {}) };
}

/** Row kernels: elementwise chains, reductions with their prologue and epilogue, gathers, copies. */
function rowKernel(k: Kernel, env: KernelEnv, instances: readonly Kernel[], shared: boolean, inPlace: boolean): KernelFunction {
  const b = new KernelBuilder(k, env);
  const r = env.r;
  const reductions = k.ops.filter(isRowReduction);
  const computed = k.ops.filter((n) => !isMovement(n));
  const iterShape: Shape = reductions.length
    ? reductions[0]!.srcs[0]!.type.shape
    : computed.length
      ? computed.reduce((a, n) => (numel(n.type.shape) > numel(a.type.shape) ? n : a)).type.shape
      : k.outputs[0]!.type.shape;
  const rank = iterShape.length;
  const rowAxes = reductions.length ? reducedAxes(reductions[0]!) : rank ? [rank - 1] : [];
  const outerAxes = iterShape.map((_, i) => i).filter((i) => !rowAxes.includes(i));
  const D = rowAxes.reduce((s, a) => s * iterShape[a]!, 1);
  const ROWS = outerAxes.reduce((s, a) => s * iterShape[a]!, 1);
  const outerIdx = unravel('row', outerAxes.map((a) => iterShape[a]!));
  const rowIdx = unravel('j', rowAxes.map((a) => iterShape[a]!));
  const idx: string[] = new Array(rank);
  outerAxes.forEach((a, i) => (idx[a] = outerIdx[i]!));
  rowAxes.forEach((a, i) => (idx[a] = rowIdx[i]!));
  b.setIteration(idx);
  const rowVaries = (n: Node) => b.variesAlong(n, rowAxes);

  for (const line of header(k, instances)) b.w.line(line);
  if (!shared && isColumnSum(b, k, reductions, rowAxes, rank, rowVaries)) {
    columnSum(b, k, env, reductions, D, ROWS);
    return done(b, k);
  }
  // A segment's rows are always shared out: its kernel's one job holds every segment's tasks.
  b.parallelFor('row', ROWS, shared || ROWS * D >= 4096);
  if (elementByElement(k, iterShape)) {
    // Every op and every output is one element per point: one loop computes each element through
    // the whole chain in registers and stores it, rather than a loop per op through row arrays.
    // Written in place (a weight's update), it reads and writes one element of a buffer through two
    // parameters: no element depends on another, which `ivdep` tells the vectoriser.
    if (inPlace) b.w.line('#pragma GCC ivdep');
    b.w.open(r.loop('j', D));
    b.scalars(k.ops);
    for (const o of k.outputs) b.store(o);
    b.w.close();
    b.w.close();
    return done(b, k);
  }
  for (const n of k.ops) {
    if (isMovement(n)) continue;
    if (isRowReduction(n)) reduction(b, n, D, rowVaries);
    else b.compute(n, rowVaries, D);
  }
  const arrays = k.outputs.filter((o) => b.storedAlongRow(o, rowVaries));
  const scalars = k.outputs.filter((o) => !arrays.includes(o));
  for (const o of scalars) b.store(o);
  if (arrays.length) {
    b.w.open(r.loop('j', D));
    for (const o of arrays) b.store(o);
    b.w.close();
  }
  b.w.close();
  return done(b, k);
}

/**
 * Sums over leading axes only (a bias gradient: the sum over a batch's rows), whose outputs are one
 * value per column, or values of the prologue the sums read (an elementwise chain that other
 * kernels read too: GELU's backward, whose result also feeds the GEMMs): these walk the rows in
 * memory order, column by column within each row, rather than each column down the rows.
 */
function isColumnSum(b: KernelBuilder, k: Kernel, reductions: readonly Node[], rowAxes: readonly number[], rank: number, rowVaries: (n: Node) => boolean): boolean {
  const same = (n: Node) => reducedAxes(n).length === rowAxes.length && reducedAxes(n).every((a, i) => a === rowAxes[i]);
  const prologue = prologueOf(k, reductions);
  return (
    reductions.length > 0 &&
    !rowAxes.includes(rank - 1) &&
    reductions.every((n) => (n.op === 'reduce_sum' || n.op === 'reduce_mean') && same(n)) &&
    k.outputs.every((o) => !b.storedAlongRow(o, rowVaries) || prologue.has(b.stored(o).v))
  );
}

/** The members the sums read, computed per element inside the row walk. */
function prologueOf(k: Kernel, reductions: readonly Node[]): Set<Node> {
  const prologue = new Set<Node>();
  const visit = (n: Node): void => n.srcs.forEach((s) => {
    if (k.ops.includes(s) && !prologue.has(s)) {
      prologue.add(s);
      visit(s);
    }
  });
  reductions.forEach(visit);
  return prologue;
}

/**
 * A column sum (isColumnSum): each task owns a range of columns (the kept axes, `row` in the
 * iteration's names), holds one accumulator per column and reduction, and adds the rows (`j`) into
 * them in order, the inner loop over its columns contiguous in memory; then it finishes each column
 * (the mean's division, the epilogue) and stores it. Each column sums in row order, whatever the
 * thread count.
 */
function columnSum(b: KernelBuilder, k: Kernel, env: KernelEnv, reductions: readonly Node[], D: number, COLS: number): void {
  const r = env.r;
  const chunk = columnChunk(1, COLS, env.accel);
  const tasks = Math.ceil(COLS / chunk);
  const prologue = prologueOf(k, reductions);
  // Prologue values other kernels read are stored where they are computed: each element once, in
  // runs of the task's columns.
  const walked = k.outputs.filter((o) => prologue.has(b.stored(o).v));
  const columns = 'for (ptrdiff_t row = c0; row < c1; row++)';
  b.parallelFor('task', tasks, COLS * D >= 4096);
  b.w.line(`const ptrdiff_t c0 = task * ${chunk}, c1 = c0 + ${chunk} < ${COLS} ? c0 + ${chunk} : ${COLS};`);
  reductions.forEach((n, i) => {
    b.w.line(`${r.type(accumulatorOf(n))} acc${i}[${chunk}];`, n.meta.span);
    b.w.line(`${columns} acc${i}[row - c0] = ${r.literal(0, accumulatorOf(n))};`, n.meta.span);
  });
  b.w.open(r.loop('j', D));
  b.w.open(columns);
  b.scalars(k.ops.filter((n) => prologue.has(n)));
  for (const o of walked) b.store(o);
  reductions.forEach((n, i) => {
    const x = n.srcs[0]!;
    b.w.line(`acc${i}[row - c0] += ${r.cast(b.value(x, b.here(x)), x.type.dtype, accumulatorOf(n))};`, n.meta.span);
  });
  b.w.close();
  b.w.close();
  for (const n of prologue) b.locals.delete(n);
  b.w.open(columns);
  reductions.forEach((n, i) => {
    const acc = accumulatorOf(n);
    const total = n.op === 'reduce_mean' ? `acc${i}[row - c0] / ${r.literal(D, acc)}` : `acc${i}[row - c0]`;
    b.w.line(r.declare(b.local(n), n.type.dtype, roundToStorage(r, r.cast(total, acc, n.type.dtype), n.type.dtype)), n.meta.span);
    b.locals.set(n, { name: b.local(n), array: false });
  });
  b.scalars(k.ops.filter((n) => !prologue.has(n) && !reductions.includes(n)));
  for (const o of k.outputs) if (!walked.includes(o)) b.store(o);
  b.w.close();
  b.w.close();
}

/** No reductions, and every computed op and every output one element per point of the iteration. */
function elementByElement(k: Kernel, iterShape: Shape): boolean {
  const points = numel(iterShape);
  return !k.ops.some(isRowReduction) && k.ops.every((n) => isMovement(n) || numel(n.type.shape) === points) && k.outputs.every((o) => numel(o.type.shape) === points);
}

/**
 * softmax, layernorm and reduce_* over the row, accumulating in the op's accumulation dtype. The
 * row helpers (`bertc_row_sum`, `bertc_row_max`) take float rows: every float accumulator computes
 * in float in C (`computeDtype`).
 */
function reduction(b: KernelBuilder, n: Node, D: number, rowVaries: (n: Node) => boolean): void {
  const r = b.env.r;
  const x = n.srcs[0]!;
  const name = b.local(n);
  const span = n.meta.span;
  const w = b.w;
  const acc = accumulatorOf(n);
  const t = r.type(acc);
  const lit = (v: number) => r.literal(v, acc);
  // The operand, per element of the row, as an array (the prologue's result).
  const xs = `${name}_in`;
  w.line(`${t} ${xs}[${D}];`, span);
  w.line(`${r.loop('j', D)} ${xs}[j] = ${r.cast(b.value(x, b.here(x)), x.type.dtype, acc)};`, span);
  const sum = (arr: string) => r.call('bertc_row_sum', arr, String(D));
  switch (n.op) {
    case 'softmax': {
      const out = rowResultType(r, n);
      r.use('bertc_fmax');
      w.line(`const ${t} ${name}_max = ${r.call('bertc_row_max', xs, String(D))};`, span);
      w.line(`${out} ${name}[${D}];`, span);
      w.line(`${r.loop('j', D)} ${name}[j] = ${r.call('bertc_exp', `${xs}[j] - ${name}_max`)};`, span);
      w.line(`const ${t} ${name}_sum = ${sum(name)};`, span);
      w.line(`${r.loop('j', D)} ${name}[j] = ${roundToStorage(r, `${name}[j] / ${name}_sum`, n.type.dtype)};`, span);
      b.locals.set(n, { name, array: true });
      return;
    }
    case 'layernorm': {
      const [, g, bias] = n.srcs as [Node, Node, Node];
      const out = rowResultType(r, n);
      const col = b.iteration[b.iteration.length - 1]!;
      w.line(`const ${t} ${name}_mean = ${sum(xs)} / ${lit(D)};`, span);
      w.line(`${t} ${name}_sq[${D}];`, span);
      w.line(`${r.loop('j', D)} ${name}_sq[j] = (${xs}[j] - ${name}_mean) * (${xs}[j] - ${name}_mean);`, span);
      w.line(`const ${t} ${name}_inv = ${lit(1)} / ${r.math['sqrt']}(${sum(`${name}_sq`)} / ${lit(D)} + ${r.literal(n.attr<number>('eps'), acc)});`, span);
      w.line(`${out} ${name}[${D}];`, span);
      const normed = `(${xs}[j] - ${name}_mean) * ${name}_inv * ${b.value(g, [col])} + ${b.value(bias, [col])}`;
      w.line(`${r.loop('j', D)} ${name}[j] = ${roundToStorage(r, normed, n.type.dtype)};`, span);
      b.locals.set(n, { name, array: true });
      return;
    }
    default: {
      const isMax = n.op === 'reduce_max';
      if (isMax) r.use('bertc_fmax');
      const total = isMax ? r.call('bertc_row_max', xs, String(D)) : sum(xs);
      const result = r.cast(`${total}${n.op === 'reduce_mean' ? ` / ${lit(D)}` : ''}`, acc, n.type.dtype);
      w.line(r.declare(name, n.type.dtype, isMax ? result : roundToStorage(r, result, n.type.dtype)), span);
      b.locals.set(n, { name, array: rowVaries(n) });
    }
  }
}

/**
 * The dtype the runtime's packed GEMM accumulates in and writes (`bertc_sgemm`, `bertc_gemm`), and
 * the type of its workspace and scratch: its packed panels are f32 whatever the operands are.
 */
export const SGEMM_DTYPE: DType = 'f32';

/**
 * The operand dtypes `bertc_gemm` reads, each operand its own (converted to f32 as it is packed),
 * by the runtime's name for them. A matmul of f32 operands calls `bertc_sgemm`.
 */
const GEMM_OPERANDS: Readonly<Partial<Record<DType, string>>> = { f32: 'BERTC_F32', f16: 'BERTC_F16', bf16: 'BERTC_BF16' };

/** Why the runtime GEMM cannot run matmul `mm`, or undefined when it can. */
function gemmRefusal(mm: Node): string | undefined {
  const acc = accumulatorOf(mm);
  if (acc !== SGEMM_DTYPE) return `the C runtime's GEMM accumulates in ${SGEMM_DTYPE} only, and this matmul asks for acc=${acc} (use acc=${SGEMM_DTYPE}, the default)`;
  const operand = mm.srcs.find((s) => !GEMM_OPERANDS[s.type.dtype]);
  if (operand) return `the C runtime's GEMM multiplies f32, f16 and bf16 operands only, not ${operand.type.dtype}`;
  return undefined;
}

/**
 * Refuses, as located diagnostics (E0007, exit 1), every matmul of `m` that the runtime GEMM
 * cannot run: an accumulator other than f32, or integer operands.
 */
export function checkGemms(m: Module): void {
  const diags: Diagnostic[] = [];
  for (const n of graphNodes(m.graph)) {
    const why = isMatmul(n) ? gemmRefusal(n) : undefined;
    if (why) diags.push(makeDiagnostic('E0007', { detail: `'${n.op}' of type ${n.srcs.map((s) => s.type.dtype).join(' x ')} -> ${n.type.dtype} cannot be compiled for the c target: ${why}` }, n.meta.span));
  }
  if (diags.length) throw new DiagnosticError(diags);
}

/**
 * The function of kernel `k`, shared by `instances` (the kernels with its signature, `k` first).
 * A `shared` function is a multi-tensor kernel's segment: its tasks are a range of the one job the
 * kernel gives the thread pool, which holds every segment's.
 */
export function kernelFunction(k: Kernel, env: Omit<KernelEnv, 'ptr'>, instances: readonly Kernel[] = [k], opts: { readonly shared?: boolean; readonly inPlace?: boolean; readonly packed?: PackedWhen } = {}): KernelFunction {
  const own = { ...env, ptr: parameterNames(k) };
  if (opts.shared && k.ops.some(isMatmul)) throw new Error(`internal: segment ${k.name} of a multi-tensor kernel holds a GEMM`);
  if (k.ops.some(isScatter)) {
    if (opts.shared) throw new Error(`internal: segment ${k.name} of a multi-tensor kernel holds a scatter_add`);
    return scatterKernel(k, own, instances);
  }
  if (opts.inPlace && (k.ops.some(isMatmul) || !elementByElement(k, k.outputs[0]!.type.shape))) throw new Error(`internal: ${k.name} writes in place but is not elementwise`);
  if (k.kind === 'attention') return attentionKernel(k, own, instances);
  return k.ops.some(isMatmul) ? gemmKernel(k, own, instances, opts.packed) : rowKernel(k, own, instances, opts.shared ?? false, opts.inPlace ?? false);
}

/**
 * How a fused attention splits its work: `rows` query rows per task (all of a (batch, head)'s
 * unless there are too few of those for the cores), walked `sub` at a time (a multiple of 16, so
 * that a block of scores stays in the second cache level and its rows are whole vectors), against
 * blocks of `keys` keys (a multiple of the micro-tile's height). `segments` lay out the workspace
 * one thread needs, 64-byte aligned each: K and V packed whole, then one sub-block's packed Q,
 * scores, packed weights, context and per-row statistics; `floats` is its size.
 */
export interface AttentionPlan {
  readonly rows: number;
  readonly sub: number;
  readonly keys: number;
  readonly mr: number;
  readonly nr: number;
  readonly segments: readonly (readonly [name: string, floats: number])[];
  readonly floats: number;
}

/** Floats of a K x N matrix packed whole by bertc_pack_b with micro-panels nr wide (bertc_packed_b_floats). */
export function packedBFloats(K: number, N: number, nr: number): number {
  return K * Math.ceil(N / nr) * nr;
}

const ATTENTION_SUB_ROWS = 96;
const ATTENTION_KEYS = 256;

export function attentionPlan(Sq: number, Sk: number, D: number, Dv: number, batches: number, a: Accelerator): AttentionPlan {
  const { rows: mr, cols: nr } = a.matrix.array;
  const up = (x: number, m: number) => Math.ceil(x / m) * m;
  const blocks = Math.max(1, Math.ceil(a.cores / batches));
  const rows = Math.min(Sq, up(Math.ceil(Sq / blocks), 16));
  const sub = up(Math.ceil(rows / Math.ceil(rows / ATTENTION_SUB_ROWS)), 16);
  // Blocks of equal size, as few as keep each at about ATTENTION_KEYS: a short last block costs an
  // online-softmax rescale and a context product a few keys deep for almost no work.
  const keys = up(Math.ceil(Sk / Math.ceil(Sk / ATTENTION_KEYS)), mr);
  const segments: [string, number][] = [
    ['kp', up(Sk, mr) * D],
    ['vp', packedBFloats(Sk, Dv, nr)],
    ['qp', D * up(sub, nr)],
    ['st', keys * sub],
    ['pp', up(sub, mr) * keys],
    ['acc', sub * Dv],
    ...['mx', 'bm', 'sum', 'scale'].map((n): [string, number] => [n, sub]),
  ];
  const aligned = segments.map(([n, f]) => [n, up(f, 16)] as const);
  // The thread's share starts anywhere; aligning it may take up to 15 floats.
  return { rows, sub, keys, mr, nr, segments: aligned, floats: aligned.reduce((t, [, n]) => t + n, 0) + 15 };
}

/**
 * Fused attention (fuse-attention): each task owns a block of query rows of one (batch, head). It
 * packs that head's K and V once into the micro-kernel's panels, then walks its rows a sub-block
 * at a time, and each sub-block the keys a block at a time with an online softmax. A block's
 * scores come transposed, keys by queries (K times Qᵀ on the packed panels, bertc_gemm_panels), so
 * that every step of the softmax runs along a row of queries: each score goes through the chain
 * (scale, and a mask read once per key); when a query's maximum grows, its running sum and context
 * are rescaled by exp(old - new); the weights exp(score - max) replace the scores, times the
 * dropout factor in training mode (the generator's draw for that element of the probabilities, as
 * unfused); they are the context product's A already laid out by key (packing them copies runs),
 * and V's packed block adds weights times values into the context. The context is divided by the
 * sum at the end and stored through the epilogue. Neither scores nor probabilities reach memory,
 * and no operand is packed twice.
 */
function attentionKernel(k: Kernel, env: KernelEnv, instances: readonly Kernel[]): KernelFunction {
  const b = new KernelBuilder(k, env);
  const r = env.r;
  const { scores, chain, softmax, dropout, context, qk, pv, Sq, Sk, D, Dv } = attentionAccess(k.ops, env.views);
  const batches = numel(qk.batchShape);
  const plan = attentionPlan(Sq, Sk, D, Dv, batches, env.accel);
  const { rows, sub, keys, mr, nr } = plan;
  const blocks = Math.ceil(Sq / rows);
  const dvPad = Math.ceil(Dv / nr) * nr;
  const bi = unravel('bi', qk.batchShape);
  const t = r.type('f32');
  r.use('bertc_fmax');
  r.use('bertc_exp');
  for (const line of header(k, instances)) b.w.line(line);
  b.w.line(`/* ${rows} query rows a task, ${sub} at a time, against blocks of ${keys} keys; micro-tile ${mr}x${nr} */`);
  b.parallelFor('task', batches * blocks, true, scores.meta.span);
  b.w.line(`const ptrdiff_t bi = task / ${blocks}, i0 = (task % ${blocks}) * ${rows};`);
  b.w.line(`const int nq = (int)(${Sq} - i0 < ${rows} ? ${Sq} - i0 : ${rows});`);
  b.w.line(`${t} *w = (${t} *)(((uintptr_t)(m->gemm_ws + (size_t)${b.thread} * m->gemm_ws_floats) + 63) & ~(uintptr_t)63);`);
  let at = 'w';
  for (const [name, floats] of plan.segments) {
    b.w.line(`${t} *${name} = ${at};`);
    at = `${name} + ${floats}`;
  }
  b.w.line(`const ${t} *q = ${env.ptr(qk.a.buffer)} + ${gemmBatchOffset(qk.a, bi)} + i0 * ${qk.a.rowStride};`);
  // K as the scores' A operand (keys by D, mr keys a panel), V as the context's B (one K block per key block).
  b.w.line(`bertc_pack_a(${Sk}, ${D}, ${env.ptr(qk.b.buffer)} + ${gemmBatchOffset(qk.b, bi)}, ${qk.b.colStride}, ${qk.b.rowStride}, ${mr}, kp);`, scores.meta.span);
  b.w.line(`bertc_pack_b(${Sk}, ${Dv}, ${env.ptr(pv.b.buffer)} + ${gemmBatchOffset(pv.b, bi)}, BERTC_F32, ${pv.b.rowStride}, ${pv.b.colStride}, ${keys}, ${nr}, vp);`, context.meta.span);
  b.w.open(`for (int r0 = 0; r0 < nq; r0 += ${sub})`);
  b.w.line(`const int ns = nq - r0 < ${sub} ? nq - r0 : ${sub};`);
  b.w.line(`bertc_pack_b(${D}, ns, q + r0 * ${qk.a.rowStride}, BERTC_F32, ${qk.a.colStride}, ${qk.a.rowStride}, ${D}, ${nr}, qp);`, scores.meta.span);
  b.w.line(`for (int ri = 0; ri < ns; ri++) { mx[ri] = -INFINITY; sum[ri] = 0.0f; }`);
  b.w.open(`for (ptrdiff_t j0 = 0; j0 < ${Sk}; j0 += ${keys})`);
  b.w.line(`const int nk = (int)(${Sk} - j0 < ${keys} ? ${Sk} - j0 : ${keys});`);
  b.w.line(`bertc_gemm_panels(nk, ns, ${D}, kp + j0 * ${D}, qp, st, ${sub}, ${mr}, ${nr}, 0);`, scores.meta.span);
  // Each score through the chain (the softmax's input at [bi.., i, j]) and each query's maximum.
  b.w.line('for (int ri = 0; ri < ns; ri++) bm[ri] = mx[ri];');
  b.w.open('for (int jj = 0; jj < nk; jj++)');
  b.w.line(`const ptrdiff_t j = j0 + jj; (void)j;`);
  b.w.line(`${t} *s = st + jj * ${sub};`);
  b.w.open('for (int ri = 0; ri < ns; ri++)');
  // The query row's index, for what the chain and the dropout draw read at it (not every chain does).
  b.w.line('const ptrdiff_t i = i0 + r0 + ri; (void)i;');
  b.setIteration([...bi, 'i', 'j']);
  b.locals.set(scores, { name: 's[ri]', array: false });
  b.scalars(chain);
  const x = softmax.srcs[0]!;
  b.w.line(`s[ri] = ${b.value(x, b.here(x))};`, softmax.meta.span);
  b.w.line('bm[ri] = bertc_fmax(bm[ri], s[ri]);', softmax.meta.span);
  b.w.close();
  b.w.close();
  for (const n of chain) b.locals.delete(n);
  // A larger maximum rescales what was summed under the smaller one.
  b.w.line('for (int ri = 0; ri < ns; ri++) { scale[ri] = bertc_exp(mx[ri] - bm[ri]); mx[ri] = bm[ri]; sum[ri] *= scale[ri]; }', softmax.meta.span);
  b.w.open('for (int jj = 0; jj < nk; jj++)');
  b.w.line(`${t} *s = st + jj * ${sub};`);
  b.w.line('for (int ri = 0; ri < ns; ri++) { s[ri] = bertc_exp(s[ri] - mx[ri]); sum[ri] += s[ri]; }', softmax.meta.span);
  if (dropout) {
    // The dropout factor at each element: the dropout of a probability of 1 (its keep mask and scale).
    b.locals.set(softmax, { name: '1.0f', array: false });
    b.w.line('const ptrdiff_t j = j0 + jj;');
    b.w.open('for (int ri = 0; ri < ns; ri++)');
    b.w.line('const ptrdiff_t i = i0 + r0 + ri;');
    b.w.line(`s[ri] *= ${b.valueOfOp(dropout, b.here(dropout))};`, dropout.meta.span);
    b.w.close();
  }
  b.w.close();
  // The first block's product starts the context (nothing to rescale); later ones add to it.
  b.w.line(`if (j0 > 0) for (int ri = 0; ri < ns; ri++) for (int e = 0; e < ${Dv}; e++) acc[ri * ${Dv} + e] *= scale[ri];`, context.meta.span);
  b.w.line(`bertc_pack_a(ns, nk, st, 1, ${sub}, ${mr}, pp);`, context.meta.span);
  b.w.line(`bertc_gemm_panels(ns, ${Dv}, nk, pp, vp + j0 * ${dvPad}, acc, ${Dv}, ${mr}, ${nr}, j0 > 0);`, context.meta.span);
  b.w.close();
  // Each row's context, divided by its sum and stored through the epilogue.
  b.w.open('for (int ri = 0; ri < ns; ri++)');
  b.w.line('const ptrdiff_t i = i0 + r0 + ri;');
  b.w.line('const float inv = 1.0f / sum[ri];', context.meta.span);
  b.w.open(r.loop('e', Dv));
  b.setIteration([...bi, 'i', 'e']);
  b.locals.set(context, { name: `acc[ri * ${Dv} + e] * inv`, array: false });
  for (const o of k.outputs) b.store(o);
  b.w.close();
  b.w.close();
  b.w.close();
  b.w.close();
  return { ...done(b, k), workspace: String(plan.floats) };
}

/**
 * Columns one task owns, of `post` columns under each of `pre` independent elements (a scatter_add's
 * post-axis elements; a column sum's kept elements, pre = 1): enough tasks for the cores, in
 * multiples of 16 so that each task's rows stay vector-aligned.
 */
export function columnChunk(pre: number, post: number, a: Accelerator): number {
  const split = Math.max(1, Math.ceil(a.cores / pre));
  return Math.min(post, Math.ceil(Math.ceil(post / split) / 16) * 16);
}

/**
 * scatter_add: each task owns a range of columns (a pre-axis element and a range of post-axis
 * ones) of every row, zeroes it, then walks the indices in order adding each one's update row into
 * the row it names, the inner loop over the columns vectorised. No two tasks write one element and
 * each element sums in index order, so the result is deterministic without atomics. An index out
 * of range sets the status (the run fails with BERTC_ERR_INDEX) and adds into row 0, the row C's
 * gather reads for it, so nothing outside the result is written.
 */
function scatterKernel(k: Kernel, env: KernelEnv, instances: readonly Kernel[]): KernelFunction {
  const b = new KernelBuilder(k, env);
  const r = env.r;
  const s = scatterParts(b, k);
  const dtype = s.node.type.dtype;
  const chunk = columnChunk(s.pre, s.post, env.accel);
  const chunks = Math.ceil(s.post / chunk);
  const tasks = s.pre * chunks;
  const span = s.node.meta.span;
  const p = s.pre > 1 ? 'p' : '0';
  const columns = 'for (ptrdiff_t q = q0; q < q1; q++)';
  // A 16-bit result sums in f32, in a zeroed array of the task's columns of every row, and is
  // rounded once when each column is done (the interpreter's one rounding): adding into the 16-bit
  // result itself would round every partial sum.
  const narrow = isNarrow(r, dtype);
  const acc = (row: string) => `acc[${row} * ${chunk} + (q - q0)]`;
  for (const line of header(k, instances)) b.w.line(line);
  b.parallelFor('task', tasks, s.pre * s.rows * s.post >= 4096, span);
  if (s.pre > 1) b.w.line(`const ptrdiff_t p = ${chunks > 1 ? `task / ${chunks}` : 'task'};`);
  if (chunks > 1) {
    b.w.line(`const ptrdiff_t q0 = (task % ${chunks}) * ${chunk};`);
    b.w.line(`const ptrdiff_t q1 = q0 + ${chunk} < ${s.post} ? q0 + ${chunk} : ${s.post};`);
  } else {
    b.w.line(`const ptrdiff_t q0 = 0, q1 = ${s.post};`);
  }
  if (narrow) {
    b.w.line(`${r.type(dtype)} *acc = bertc_alloc(sizeof(${r.type(dtype)}) * ${s.rows * chunk});`, span);
    b.w.line('if (!acc) { *status = BERTC_ERR_MEMORY; return; }', span);
  }
  if (!narrow) b.w.line(`${r.loop('row', s.rows)} ${columns} ${s.target(p, 'row', 'q')} = ${r.store(r.literal(0, dtype), dtype)};`, span);
  b.w.open(r.loop('i', s.count), span);
  b.usesStatus = true;
  b.w.line(`const ptrdiff_t row = ${r.checkedIndex(s.index('i'), s.rows)};`, span);
  if (s.padding !== undefined) b.w.line(`if (row == ${s.padding}) continue;`, span);
  const at = s.target(p, 'row', 'q');
  if (narrow) b.w.line(`${columns} ${acc('row')} += ${s.update(p, 'i', 'q')};`, span);
  else b.w.line(`${columns} ${at} = ${r.store(`${r.load(at, dtype)} + ${s.update(p, 'i', 'q')}`, dtype)};`, span);
  b.w.close();
  if (narrow) {
    b.w.line(`${r.loop('row', s.rows)} ${columns} ${at} = ${r.store(acc('row'), dtype)};`, span);
    b.w.line('bertc_free_aligned(acc);');
  }
  b.w.close();
  return done(b, k);
}

/**
 * The blocking the runtime GEMM uses, from the schedule tile-gemm chose and the accelerator
 * (docs/backend-c.md): the micro-tile is the array tile; kc is as deep as the innermost level holds
 * one A and one B micro-panel (capacity / ((mr + nr) x 4 bytes), a multiple of 16), but no deeper
 * than the outermost tile's k; mc is the m of the second level's tile and nc the n of the outermost.
 * A GEMM that packs its own B (`packsB`: none packed for it at load or per call) packs it in blocks
 * of kc x nc, and nc is then at most what fills half the second level, so that each block is
 * multiplied while it is there rather than written out to L3 and read back.
 */
export function blockingOf(s: GemmSchedule | undefined, a: Accelerator, packsB = false): { mc: number; nc: number; kc: number; mr: number; nr: number } {
  const { rows: mr, cols: nr } = a.matrix.array;
  const levels = s?.levels ?? [];
  const l2 = levels[1] ?? levels[0];
  const outer = levels[levels.length - 1];
  const roundUp = (x: number, m: number) => Math.max(m, Math.ceil(x / m) * m);
  const panels = Math.max(16, Math.floor(a.memory[0]!.capacity_bytes / ((mr + nr) * 4) / 16) * 16);
  const kc = Math.min(panels, Math.max(16, outer?.k ?? panels));
  const second = a.memory[1];
  const fits = packsB && second ? Math.max(nr, Math.floor(second.capacity_bytes / 2 / (kc * 4) / nr) * nr) : Infinity;
  return { mc: roundUp(l2?.m ?? 128, mr), nc: Math.min(fits, roundUp(outer?.n ?? 1024, nr)), kc, mr, nr };
}

/**
 * The rows and columns of C one GEMM task computes: a task per core at least. A batch is not split
 * when there are batches enough; else its rows are (in whole micro-tiles), each task packing only
 * its own rows of A while every task reads all of B: more, smaller tasks would balance better
 * beside another process but read B more often, which measured slower at B=1 quiet or not. Too few
 * rows for that (the pooler's one per sequence), and its columns are split (in whole micro-panels).
 * So are they where B is a weight (`weight`: of weights only) wider than the copies of A the tasks
 * would pack: each task then reads only its own columns of B, and each of B's micro-panels meets
 * all the rows. A weight packed at load is read from DRAM once rather than once per task: BERT-base's
 * dense products in inference at B=1 ran 4-6% faster so (best and median of six alternations,
 * 2-core Zen 4, 2026-12-04). One that is not (a weight a training step updates, or one held in 16
 * bits, which the f32 packing at load does not take) is packed by each task, its own columns only,
 * in blocks that stay in L2 (blockingOf), where rows would need B packed once per call, written out
 * and read back: that made the step's forward and dX GEMMs at B=1 7-13% faster (2026-12-03), and
 * bf16 inference's FFN products 4-5% by their best of three. The dW products, whose B is an
 * activation of K = 128 rows, ran 8% slower so, and keep their rows. The scratch each thread needs
 * for the epilogue is `rows` rows of C.
 */
export function gemmSplit(M: number, N: number, batches: number, a: Accelerator, weight: boolean): { rows: number; cols: number } {
  const { rows: mr, cols: nr } = a.matrix.array;
  if (batches >= a.cores) return { rows: M, cols: N };
  const parts = Math.ceil(a.cores / batches);
  const split = (n: number, grain: number) => Math.min(n, Math.max(grain, Math.ceil(Math.ceil(n / parts) / grain) * grain));
  if (M >= parts * mr * 2 && !(weight && M * parts <= N)) return { rows: split(M, mr), cols: N };
  return { rows: M, cols: split(N, nr) };
}

/** Rows a task of a flattened GEMM takes at least (gemmTasks). */
const FLAT_TASK_ROWS = 256;

/** How a GEMM kernel's product is shared out: each task's rows and columns, and how many tasks. */
export interface GemmTasks {
  readonly rows: number;
  readonly cols: number;
  /** Whether the batches are one tall product (flattens): a task's rows may span batches. */
  readonly flat: boolean;
  readonly count: number;
}

/**
 * The tasks of GEMM `mm` (gemmSplit), except where its batches multiply one B and A's batches
 * follow one another at the row stride (a dense layer's [B, S, H] activations): then they are one
 * product of batches x M rows, shared out in tasks of FLAT_TASK_ROWS rows or more, a task per core
 * at least. Per batch, a task of 128 rows takes each micro-panel of B from L3 for 21 micro-tiles;
 * 256-row tasks ran BERT-base's FFN GEMMs at B=8 6-7% faster on two threads (medians of 9 turns of
 * 10 runs, 2-core Zen 3, 2026-12-02).
 */
export function gemmTasks(mm: Node, views: ReadonlySet<Node>, a: Accelerator): GemmTasks {
  const { M, N, batchShape, a: A, b: B } = gemmAccess(mm, views);
  const batches = numel(batchShape);
  if (batches > 1 && flattens(A, B, batchShape, M)) {
    const total = batches * M;
    const parts = a.cores * Math.max(1, Math.floor(total / (a.cores * FLAT_TASK_ROWS)));
    const mr = a.matrix.array.rows;
    const rows = Math.min(total, Math.ceil(Math.ceil(total / parts) / mr) * mr);
    return { rows, cols: N, flat: true, count: Math.ceil(total / rows) };
  }
  const { rows, cols } = gemmSplit(M, N, batches, a, ofWeightsOnly(B.buffer));
  return { rows, cols, flat: false, count: batches * Math.ceil(M / rows) * Math.ceil(N / cols) };
}

/** Whether a value is a weight or computed from weights alone (a weight transform's, the fused QKV matrix), never from the run's inputs. */
function ofWeightsOnly(n: Node): boolean {
  let known = WEIGHTS_ONLY.get(n);
  if (known === undefined) {
    known = n.op === 'param' || n.op === 'constant' || (n.op !== 'input' && n.srcs.length > 0 && n.srcs.every(ofWeightsOnly));
    WEIGHTS_ONLY.set(n, known);
  }
  return known;
}
/** Nodes are immutable, so what ofWeightsOnly found for one holds for good; shared subgraphs are walked once. */
const WEIGHTS_ONLY = new WeakMap<Node, boolean>();

/** Whether a GEMM operand is one matrix for every batch (its batch dimensions all 1). */
function oneMatrix(op: GemmOperand): boolean {
  return op.layout.shape.slice(0, -2).every((d) => d === 1);
}

/** Whether B is one matrix for every batch and A's batch dimensions step by M rows each. */
function flattens(A: GemmOperand, B: GemmOperand, batchShape: readonly number[], M: number): boolean {
  if (!oneMatrix(B)) return false;
  const dims = A.layout.shape.slice(0, -2);
  if (dims.length !== batchShape.length || dims.some((d, i) => d !== batchShape[i])) return false;
  let step = M * A.rowStride;
  for (let i = dims.length - 1; i >= 0; i--) {
    if (dims[i] !== 1 && A.layout.strides[i] !== step) return false;
    step *= dims[i]!;
  }
  return true;
}

/** When a GEMM kernel's B gets packed for it: once at bertc_init (packedOperand), or before each call (callPackedOperand). */
export type PackedWhen = 'at load' | 'per call';

/**
 * A GEMM's B operand packed into the runtime GEMM's micro-panels (bertc_pack_b), once at load or
 * once per call (PackedWhen), the same matrix for every batch. `key` names one packed copy per
 * distinct matrix and blocking; `offset` is the matrix's element offset into its buffer.
 */
export interface PackedOperand {
  readonly key: string;
  readonly buffer: Node;
  readonly offset: string;
  readonly K: number;
  readonly N: number;
  readonly rowStride: number;
  readonly colStride: number;
  readonly kc: number;
  readonly nr: number;
}

/** The B of GEMM kernel `k` to pack at load, when it is one `fixed` reports (a weight no step changes) stored in f32. */
export function packedOperand(k: Kernel, env: Omit<KernelEnv, 'ptr'>, fixed: (n: Node) => boolean): PackedOperand | undefined {
  const p = sharedOperand(k, env);
  return p && fixed(p.buffer) && p.buffer.type.dtype === SGEMM_DTYPE ? p : undefined;
}

/**
 * The B of GEMM kernel `k` to pack once per call, into the model's m->gemm_packed, before its tasks
 * run (bertc_pack_b_parallel): one matrix for every batch, read by more than one task, each of which
 * would otherwise pack all of it again. In a training step these are the weights (which the step
 * updates, so they cannot be packed at load) and a dW product's activations. `type` is its element
 * type's BERTC_ constant.
 */
export function callPackedOperand(k: Kernel, env: Omit<KernelEnv, 'ptr'>): (PackedOperand & { readonly type: string }) | undefined {
  const p = sharedOperand(k, env);
  const mm = k.ops.find(isMatmul);
  if (!p || !mm) return undefined;
  const { count, cols } = gemmTasks(mm, env.views, env.accel);
  return count > 1 && cols === p.N ? { ...p, type: GEMM_OPERANDS[p.buffer.type.dtype]! } : undefined;
}

/** B of GEMM kernel `k` as a packable operand, when it is the same matrix for every batch. */
function sharedOperand(k: Kernel, env: Omit<KernelEnv, 'ptr'>): PackedOperand | undefined {
  if (k.kind === 'attention') return undefined;
  const mm = k.ops.find(isMatmul);
  if (!mm) return undefined;
  const { N, K, b } = gemmAccess(mm, env.views);
  if (!oneMatrix(b) || !GEMM_OPERANDS[b.buffer.type.dtype]) return undefined;
  const { kc, nr } = blockingOf(env.schedules?.get(mm), env.accel);
  const offset = String(b.layout.offset);
  return { key: [b.buffer.id, offset, b.rowStride, b.colStride, K, N, kc, nr].join('_'), buffer: b.buffer, offset, K, N, rowStride: b.rowStride, colStride: b.colStride, kc, nr };
}

/**
 * Where a GEMM kernel's whole epilogue is `result = product + bias`, the bias a vector along the
 * columns that the kernel reads (a weight, or a vector computed at load), in f32 with unit stride,
 * and the result the kernel's one output, in f32: a pointer to the bias's first element, which
 * bertc_gemm_packed adds as it stores each tile (the sum first, as the epilogue would).
 */
function fusedBias(k: Kernel, mm: Node, epilogue: readonly Node[], env: KernelEnv): string | undefined {
  const [add, ...others] = epilogue;
  if (!add || others.length > 0 || add.op !== 'add' || k.outputs.length !== 1 || k.outputs[0] !== add) return undefined;
  if (add.type.dtype !== SGEMM_DTYPE || mm.type.dtype !== SGEMM_DTYPE || add.type.shape.join() !== mm.type.shape.join()) return undefined;
  const [x, y] = add.srcs as [Node, Node];
  const v = x === mm ? y : y === mm ? x : undefined;
  if (!v || k.ops.includes(v) || v.type.dtype !== SGEMM_DTYPE) return undefined;
  const N = mm.type.shape[mm.type.shape.length - 1]!;
  const dims = v.type.shape;
  if (dims[dims.length - 1] !== N || dims.slice(0, -1).some((d) => d !== 1)) return undefined;
  const { buffer, layout } = viewLayout(v, env.views);
  if (N > 1 && layout.strides[layout.strides.length - 1] !== 1) return undefined;
  return layout.offset ? `${env.ptr(buffer)} + ${layout.offset}` : env.ptr(buffer);
}

/**
 * GEMM kernels: the runtime's GEMM per task (gemmTasks: a batch's row chunk and column chunk, or a
 * row chunk of the flattened batches), then the epilogue and stores. With `packed`, B comes
 * already packed (the function's `pk` parameter: packedOperand at load, callPackedOperand per call).
 */
function gemmKernel(k: Kernel, env: KernelEnv, instances: readonly Kernel[], packed: PackedWhen | undefined): KernelFunction {
  const b = new KernelBuilder(k, env);
  const r = env.r;
  const mm = k.ops.find(isMatmul)!;
  const { M, N, K, batchShape, a, b: bv } = gemmAccess(mm, env.views);
  const batches = numel(batchShape);
  const blk = blockingOf(env.schedules?.get(mm), env.accel, !packed);
  const { rows: chunk, cols, flat, count: tasks } = gemmTasks(mm, env.views, env.accel);
  // A flattened product's rows run through all its batches.
  const rowsOf = flat ? batches * M : M;
  const chunks = Math.ceil(rowsOf / chunk);
  const colChunks = Math.ceil(N / cols);
  const epilogue = k.ops.filter((n) => n !== mm);
  // A bias the packed GEMM adds as it stores its tiles (bertc_gemm_packed): the pointer to it.
  const bias = packed ? fusedBias(k, mm, epilogue, env) : undefined;
  // Written straight into the result when that is the GEMM's own f32, or its f32 plus such a bias;
  // else through the scratch, which the epilogue stores in the result's dtype.
  const direct = bias !== undefined || (epilogue.length === 0 && k.outputs.length === 1 && k.outputs[0] === mm && mm.type.dtype === SGEMM_DTYPE);
  const result = bias !== undefined ? epilogue[0]! : mm;
  const why = gemmRefusal(mm);
  if (why) throw new Error(`internal: matmul #${mm.id} reached the C backend, which cannot run it (checkGemms refuses it): ${why}`);
  const gemmType = r.type(SGEMM_DTYPE);
  const [aType, bType] = [a.buffer.type.dtype, bv.buffer.type.dtype].map((d) => GEMM_OPERANDS[d]!) as [string, string];
  const width = colChunks > 1 ? 'cols' : String(N);
  const n0 = colChunks > 1 ? 'n0' : '0';
  /** The call computing this task's rows and columns into `c`: on packed B, bertc_sgemm on f32 operands, else bertc_gemm with each operand's type. */
  const gemmCall = (aBase: string, bBase: string, c: string) => {
    const cAt = colChunks > 1 ? `${c} + n0` : c;
    const biasAt = bias === undefined ? 'NULL' : colChunks > 1 ? `${bias} + n0` : bias;
    if (packed) return `bertc_gemm_packed(rows, ${width}, ${K}, ${aBase}, ${aType}, ${a.rowStride}, ${a.colStride}, pk, ${n0}, ${Math.ceil(N / blk.nr) * blk.nr}, ${cAt}, ${N}, &blk, ws, ${biasAt});`;
    const bAt = colChunks > 1 ? `${bBase} + n0 * ${bv.colStride}` : bBase;
    return aType === GEMM_OPERANDS.f32 && bType === GEMM_OPERANDS.f32
      ? `bertc_sgemm(rows, ${width}, ${K}, ${aBase}, ${a.rowStride}, ${a.colStride}, ${bAt}, ${bv.rowStride}, ${bv.colStride}, ${cAt}, ${N}, &blk, ws);`
      : `bertc_gemm(rows, ${width}, ${K}, ${aBase}, ${aType}, ${a.rowStride}, ${a.colStride}, ${bAt}, ${bType}, ${bv.rowStride}, ${bv.colStride}, ${cAt}, ${N}, &blk, ws);`;
  };

  for (const line of header(k, instances)) b.w.line(line);
  b.w.line(`/* schedule (tile-gemm): ${(env.schedules?.get(mm)?.levels ?? []).map((t) => `${t.level} ${t.m}x${t.n}x${t.k} ${t.order}`).join(', ') || 'untiled'}; blocking mc=${blk.mc} nc=${blk.nc} kc=${blk.kc} mr=${blk.mr} nr=${blk.nr}${packed ? `; B packed ${packed}` : ''} */`);
  b.w.line(`static const bertc_blocking blk = { ${blk.mc}, ${blk.nc}, ${blk.kc}, ${blk.mr}, ${blk.nr} };`);
  b.parallelFor('task', tasks, true, mm.meta.span);
  if (flat) b.w.line(`const ptrdiff_t m0 = task * ${chunk};`);
  else if (colChunks > 1) b.w.line(`const ptrdiff_t bi = task / ${chunks * colChunks}, m0 = (task / ${colChunks} % ${chunks}) * ${chunk};`);
  else b.w.line(`const ptrdiff_t bi = task / ${chunks}, m0 = (task % ${chunks}) * ${chunk};`);
  if (!flat) b.w.line('(void)bi;');
  b.w.line(`const int rows = (int)(${rowsOf} - m0 < ${chunk} ? ${rowsOf} - m0 : ${chunk});`);
  if (colChunks > 1) {
    b.w.line(`const ptrdiff_t n0 = (task % ${colChunks}) * ${cols};`);
    b.w.line(`const int cols = (int)(${N} - n0 < ${cols} ? ${N} - n0 : ${cols});`);
  }
  b.w.line(`${gemmType} *ws = m->gemm_ws + (size_t)${b.thread} * m->gemm_ws_floats;`);
  const bi = unravel('bi', batchShape);
  // A flattened product's task starts at row m0 of batch 0; its batches follow at the row stride.
  const aBase = flat ? `${env.ptr(a.buffer)} + ${affine([['m0', a.rowStride]], a.layout.offset)}` : `${env.ptr(a.buffer)} + ${gemmBatchOffset(a, bi)} + m0 * ${a.rowStride}`;
  const bBase = `${env.ptr(bv.buffer)} + ${gemmBatchOffset(bv, flat ? batchShape.map(() => '0') : bi)}`;
  if (packed) b.w.line(`(void)${env.ptr(bv.buffer)};`);
  if (direct) {
    const cBase = `${env.ptr(result)} + ${flat ? affine([['m0', N]]) : affine([['bi', M * N], ['m0', N]])}`;
    b.w.line(gemmCall(aBase, bBase, cBase), mm.meta.span);
  } else {
    b.w.line(`${gemmType} *c = m->gemm_scratch + (size_t)${b.thread} * m->gemm_scratch_floats;`);
    b.w.line(gemmCall(aBase, bBase, 'c'), mm.meta.span);
    b.w.open('for (int mi = 0; mi < rows; mi++)');
    if (flat) b.w.line(`const ptrdiff_t bi = (m0 + mi) / ${M}, mb = (m0 + mi) % ${M};`);
    b.w.open(colChunks > 1 ? 'for (ptrdiff_t n = n0; n < n0 + cols; n++)' : r.loop('n', N));
    const idx: Index = [...bi, flat ? 'mb' : '(m0 + mi)', 'n'];
    b.setIteration(idx);
    // A 16-bit product is rounded to its dtype before the epilogue reads it, as the interpreter holds it.
    const product = `c[mi * ${N} + n]`;
    if (isNarrow(r, mm.type.dtype)) b.setBits(mm, r.store(product, mm.type.dtype));
    else b.locals.set(mm, { name: product, array: false });
    b.scalars(epilogue);
    for (const o of k.outputs) b.store(o);
    b.w.close();
    b.w.close();
  }
  b.w.close();
  return { ...done(b, k), packed: packed !== undefined, workspace: `bertc_sgemm_workspace_floats(&(const bertc_blocking){ ${blk.mc}, ${blk.nc}, ${blk.kc}, ${blk.mr}, ${blk.nr} })` };
}
