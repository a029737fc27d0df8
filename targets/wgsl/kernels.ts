import type { Accelerator } from '../../src/accel/accelerator.js';
import type { GemmSchedule } from '../../src/cost/gemm.js';
import type { Node } from '../../src/ir/node.js';
import type { Span } from '../../src/diag/span.js';
import { numel, type Shape } from '../../src/ir/shape.js';
import { formatType } from '../../src/ir/types.js';
import { opDef } from '../../src/ir/ops.js';
import { isMatmul, isMovement, isRowReduction, isScatter, reducedAxes } from '../../src/kernel/classify.js';
import type { Kernel } from '../../src/kernel/kernels.js';
import type { DType } from '../../src/ir/dtype.js';
import { dropoutOps, kernelParams } from '../../src/kernel/signature.js';
import { computeDtype, isHalfFloat } from '../../src/ir/dtype.js';
import { accumulatorOf, ElementValues, kernelHeader, parameterNames, resultCopyValue, rowResultType, type ResultCopy, type ValueEnv } from '../common/elementValues.js';
import { Writer, type Line } from '../common/writer.js';
import { affine, attentionAccess, gemmAccess, gemmBatchOffset, unravel } from '../common/indexing.js';
import { scatterParts } from '../common/scatter.js';
import { paramsStruct, type WgslRenderer } from './renderer.js';

/** One compute shader: its bindings (in binding order), its dispatch, and its resource use. */
export interface WgslKernel {
  readonly name: string;
  readonly code: string;
  /**
   * Buffers by binding number: a node's buffer, 'params' (the uniform with the dropout seed), a
   * result's own buffer (a copy of a result that no kernel writes), or a scratch buffer of f32s (a
   * 16-bit scatter_add's partial sums).
   */
  readonly bindings: readonly Binding[];
  readonly dispatch: readonly [number, number, number];
  readonly workgroupBytes: number;
  readonly invocations: number;
  /** Source line of each line of `code` (for the source map). */
  readonly spans: readonly (Span | undefined)[];
  /** How many dropout ids the dispatch's uniform holds (its kernel's dropouts, by slot); 0 without one. */
  readonly dropouts: number;
}

/**
 * A plan that does not fit the device's WebGPU limits, said of the kernel at `span`. When
 * `sliceable`, a slice of the batch may fit (a binding's size, a dispatch's workgroups); a binding
 * count or a row's workgroup storage does not depend on the batch.
 */
export class LimitError extends Error {
  constructor(message: string, readonly span?: Span, readonly sliceable = true) {
    super(message);
  }
}

/** Where a kernel is in the IR, for a limit it exceeds: its first op that has a span. */
export function kernelSpan(k: Pick<Kernel, 'ops'>): Span | undefined {
  return k.ops.find((n) => n.meta.span)?.meta.span;
}

export type Binding = Node | 'params' | { readonly result: string } | Scratch;

/**
 * A buffer of `scratch` f32s that a shader uses for itself (its variable is `result`), whose
 * contents do not outlive a dispatch: every dispatch of the shader may share one.
 */
export interface Scratch {
  readonly result: string;
  readonly scratch: number;
}

export interface WgslEnv extends ValueEnv {
  readonly r: WgslRenderer;
  readonly accel: Accelerator;
  readonly schedules?: ReadonlyMap<Node, GemmSchedule>;
  readonly maxWorkgroupsPerDimension: number;
  readonly maxWorkgroupStorageBytes: number;
}

const ELEMENTWISE_WG = 256;
const ROW_WG = 64;
/** Query rows per workgroup of a fused attention, one per invocation. */
const ATTENTION_WG = 64;

/** Folds a 1-D count of workgroups into x and y so that neither passes the per-dimension limit. */
export function fold(workgroups: number, limit: number): [number, number] {
  if (workgroups <= limit) return [Math.max(1, workgroups), 1];
  return [limit, Math.ceil(workgroups / limit)];
}

class Body extends ElementValues {
  private readonly w = new Writer();

  get lines(): readonly Line[] {
    return this.w.lines;
  }

  line(text: string, span?: Span): void {
    this.w.line(text, span);
  }

  open(text: string, span?: Span): void {
    this.w.open(text, span);
  }

  close(): void {
    this.w.close();
  }

  /** A member's value at the iteration point, as a `let`. */
  compute(n: Node): void {
    this.line(this.env.r.declare(this.local(n), n.type.dtype, this.valueOfOp(n, this.here(n))), n.meta.span);
    this.locals.set(n, { name: this.local(n), array: false });
  }
}

/** Assembles the shader: bindings, helpers, workgroup variables, entry point around the body. */
function assemble(k: Kernel, env: WgslEnv, b: Body, size: readonly [number, number], shared: readonly string[], instances: readonly Kernel[], scratch?: Scratch): WgslKernel & { usesSeed: boolean } {
  const r = env.r;
  // Only what the code reads is bound: WebGPU rejects a binding the shader does not use (a gather
  // from a table of one row reads no index).
  const body = b.lines.map((l) => l.text).join('\n');
  const reads = kernelParams(k).filter((n) => k.inputs.includes(n) && new RegExp(`\\b${env.ptr(n)}\\[`).test(body));
  const writes = k.outputs.filter((o) => !reads.includes(o));
  const bindings: Binding[] = [...reads, ...writes];
  if (scratch) bindings.push(scratch);
  if (b.usesSeed) bindings.push('params');
  const dropouts = b.usesSeed ? dropoutOps(k).length : 0;
  const held = [...reads, ...writes].map((x) => x.type.dtype);
  const lines: { text: string; span?: Span }[] = [...r.enables(held), ...kernelHeader(k, instances).map((l) => `// ${l}`)].map((text) => ({ text }));
  if (b.usesSeed) lines.push({ text: paramsStruct(dropouts) });
  bindings.forEach((x, i) => {
    if (x === 'params') lines.push({ text: `@group(0) @binding(${i}) var<uniform> params: Params;` });
    else if ('result' in x) lines.push({ text: storageBinding(r, i, x.result, 'f32', true) });
    else lines.push({ text: storageBinding(r, i, env.ptr(x), x.type.dtype, writes.includes(x)) });
  });
  lines.push(...helperLines(r, `kernel ${k.name}`).map((text) => ({ text })));
  for (const s of shared) lines.push({ text: s });
  lines.push({ text: `@compute @workgroup_size(${size[0]}, ${size[1]}, 1)` });
  lines.push({ text: 'fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {' });
  lines.push(...b.lines);
  lines.push({ text: '}' });
  return {
    name: k.name,
    code: `${lines.map((l) => l.text).join('\n')}\n`,
    spans: lines.map((l) => l.span),
    bindings,
    dispatch: [0, 0, 0],
    workgroupBytes: 0,
    invocations: size[0] * size[1],
    usesSeed: b.usesSeed,
    dropouts,
  };
}

function storageBinding(r: WgslRenderer, i: number, name: string, dtype: DType, write: boolean): string {
  return `@group(0) @binding(${i}) var<storage, ${write ? 'read_write' : 'read'}> ${name}: array<${r.arrayElement(dtype, write)}>;`;
}

/** The helper functions the code used, in the order of the helper table. */
function helperLines(r: WgslRenderer, what: string): string[] {
  for (const h of r.used) if (!r.helpers[h]) throw new Error(`the WGSL backend cannot express ${h} (${what})`);
  return Object.keys(r.helpers).filter((h) => r.used.has(h)).flatMap((h) => r.helpers[h]!.split('\n'));
}

/**
 * A model result that no kernel writes (a model input, a weight, an iota, a view of one), copied
 * into its own buffer `out`: one invocation per element, reading through the views.
 */
export function copyKernel(c: ResultCopy, name: string, out: string, env: WgslEnv): WgslKernel {
  const r = env.r;
  const { dtype, shape } = c.result.type;
  const total = numel(shape);
  const [x, y] = fold(Math.ceil(total / ELEMENTWISE_WG), env.maxWorkgroupsPerDimension);
  const value = resultCopyValue(c, env, 'flat');
  const store = r.storeAt(out, 'flat', value, dtype);
  const reads = c.buffer ? [c.buffer] : [];
  const lines: { text: string; span?: Span }[] = [
    ...r.enables([...reads.map((b) => b.type.dtype), dtype]).map((text) => ({ text })),
    { text: `// ${name} (data-movement): the result ${formatType(c.result.type)}, which no kernel writes` },
    ...reads.map((b, i) => ({ text: storageBinding(r, i, env.ptr(b), b.type.dtype, false) })),
    { text: storageBinding(r, reads.length, out, dtype, true) },
    ...helperLines(r, name).map((text) => ({ text })),
    { text: `@compute @workgroup_size(${ELEMENTWISE_WG}, 1, 1)` },
    { text: 'fn main(@builtin(global_invocation_id) gid: vec3<u32>) {' },
    { text: `  let flat = i32(gid.x) + i32(gid.y) * ${x * ELEMENTWISE_WG};` },
    { text: `  if (flat >= ${total}) { return; }` },
    { text: `  ${store}`, span: c.result.meta.span },
    { text: '}' },
  ];
  return {
    name,
    code: `${lines.map((l) => l.text).join('\n')}\n`,
    spans: lines.map((l) => l.span),
    bindings: [...reads, { result: out }],
    dispatch: [x, y, 1],
    workgroupBytes: 0,
    invocations: ELEMENTWISE_WG,
    dropouts: 0,
  };
}

/** Kernels with no reduction: one invocation per element. */
function elementwise(k: Kernel, env: WgslEnv, instances: readonly Kernel[]): WgslKernel {
  const b = new Body(k, env);
  const computed = k.ops.filter((n) => !isMovement(n));
  const shape: Shape = computed.length ? computed.reduce((a, n) => (numel(n.type.shape) > numel(a.type.shape) ? n : a)).type.shape : k.outputs[0]!.type.shape;
  const total = numel(shape);
  const [x, y] = fold(Math.ceil(total / ELEMENTWISE_WG), env.maxWorkgroupsPerDimension);
  b.line(`let flat = i32(gid.x) + i32(gid.y) * ${x * ELEMENTWISE_WG};`);
  b.line(`if (flat >= ${total}) { return; }`);
  b.iteration = unravel('flat', shape);
  for (const n of computed) b.compute(n);
  for (const o of k.outputs) b.line(b.storeStatement(o), o.meta.span);
  return { ...assemble(k, env, b, [ELEMENTWISE_WG, 1], [], instances), dispatch: [x, y, 1], workgroupBytes: 0 };
}

/**
 * scatter_add: one invocation per column (a pre-axis and a post-axis element), which owns that
 * column of every row: it zeroes it, then walks the indices in order adding each one's update into
 * the row it names. No two invocations write one element and each element sums in index order, so
 * the result is deterministic without atomics (WGSL has no float atomics). An index out of range
 * adds into the nearest valid row, the row WGSL's gather reads for it: nothing outside the result
 * is written (the host checks the ids before a run). A 16-bit result sums in an f32 scratch buffer
 * laid out like it and is rounded once at the end, as the interpreter rounds a sum: partial sums
 * rounded to 16 bits would drift with every repeated index.
 */
function scatterKernel(k: Kernel, env: WgslEnv, instances: readonly Kernel[]): WgslKernel {
  const b = new Body(k, env);
  const r = env.r;
  const s = scatterParts(b, k);
  const dtype = s.node.type.dtype;
  const span = s.node.meta.span;
  const columns = s.pre * s.post;
  const [x, y] = fold(Math.ceil(columns / ELEMENTWISE_WG), env.maxWorkgroupsPerDimension);
  b.line(`let col = i32(gid.x) + i32(gid.y) * ${x * ELEMENTWISE_WG};`);
  b.line(`if (col >= ${columns}) { return; }`);
  if (s.pre > 1) b.line(`let p = ${s.post > 1 ? `col / ${s.post}` : 'col'};`);
  if (s.post > 1) b.line(`let q = ${s.pre > 1 ? `col % ${s.post}` : 'col'};`);
  const p = s.pre > 1 ? 'p' : '0';
  const scratch: Scratch | undefined = isHalfFloat(dtype) ? { result: 'scratch', scratch: numel(s.node.type.shape) } : undefined;
  // The sums' buffer and dtype, and the offset of (p, row, q) in it: the scratch is [pre, rows, post].
  const sums = scratch ? { buffer: scratch.result, dtype: 'f32' as const, at: (row: string) => affine([[p, s.rows * s.post], [row, s.post], [s.post > 1 ? 'q' : '0', 1]]) } : { buffer: s.out, dtype, at: (row: string) => s.offset(p, row, 'q') };
  b.open(r.loop('zr', s.rows), span);
  b.line(r.storeAt(sums.buffer, sums.at('zr'), r.literal(0, sums.dtype), sums.dtype), span);
  b.close();
  b.open(r.loop('i', s.count), span);
  b.line(`let row = ${r.checkedIndex(s.index('i'), s.rows)};`, span);
  if (s.padding !== undefined) b.line(`if (row == ${s.padding}) { continue; }`, span);
  const at = sums.at('row');
  b.line(r.storeAt(sums.buffer, at, `${r.loadAt(sums.buffer, at, sums.dtype)} + ${s.update(p, 'i', 'q')}`, sums.dtype), span);
  b.close();
  if (scratch) {
    b.open(r.loop('zr', s.rows), span);
    b.line(r.storeAt(s.out, s.offset(p, 'zr', 'q'), r.loadAt(scratch.result, sums.at('zr'), 'f32'), dtype), span);
    b.close();
  }
  return { ...assemble(k, env, b, [ELEMENTWISE_WG, 1], [], instances, scratch), dispatch: [x, y, 1], workgroupBytes: 0 };
}

/**
 * Row kernels: one workgroup per row. Reductions over the same rows run one after the other: each
 * one's input is computed per element into workgroup memory (`xs`), reduced across the workgroup,
 * and its result kept per element (`rv<i>`) for what follows; then the rest of the kernel runs per
 * element and stores its results.
 */
function rowKernel(k: Kernel, env: WgslEnv, instances: readonly Kernel[]): WgslKernel {
  const r = env.r;
  const reductions = k.ops.filter(isRowReduction);
  const first = reductions[0]!;
  const shape = first.srcs[0]!.type.shape;
  const rowAxes = reducedAxes(first);
  const outerAxes = shape.map((_, i) => i).filter((i) => !rowAxes.includes(i));
  const D = rowAxes.reduce((s, a) => s * shape[a]!, 1);
  const ROWS = outerAxes.reduce((s, a) => s * shape[a]!, 1);
  const rowArrays = reductions.filter((n) => opDef(n.op).group !== 'reduce').length;
  // The row and the partial results are held in the accumulator's type, one for all the kernel's reductions.
  const accs = [...new Set(reductions.map((n) => computeDtype(accumulatorOf(n))))];
  if (accs.length !== 1) throw new Error(`internal: kernel '${k.name}' has reductions accumulating in ${accs.join(' and ')}`);
  const acc = accs[0]!;
  const accType = r.type(acc);
  const lit = (v: number) => r.literal(v, acc);
  // Plain reductions compute each element inside their reduction loop; softmax and layernorm pass
  // over the row several times, so they stage it in workgroup memory (`xs`).
  const staged = reductions.some((n) => opDef(n.op).group !== 'reduce');
  const bytes = r.storageBytes(acc) * (D * ((staged ? 1 : 0) + rowArrays) + ROW_WG);
  const limit = env.maxWorkgroupStorageBytes;
  if (bytes > limit) {
    throw new LimitError(`kernel '${k.name}': rows of ${D} floats need ${bytes} bytes of workgroup storage, over the limit of ${limit}`, kernelSpan(k), false);
  }
  const idx: string[] = new Array(shape.length);
  const outer = unravel('row', outerAxes.map((a) => shape[a]!));
  const inner = unravel('j', rowAxes.map((a) => shape[a]!));
  outerAxes.forEach((a, i) => (idx[a] = outer[i]!));
  rowAxes.forEach((a, i) => (idx[a] = inner[i]!));
  const b = new Body(k, env);
  b.iteration = idx;
  const [wx, wy] = fold(ROWS, env.maxWorkgroupsPerDimension);
  b.line(`let row = i32(wid.x) + i32(wid.y) * ${wx};`);
  b.line(`if (row >= ${ROWS}) { return; }`);
  b.line('let lid = i32(lid3.x);');
  const stride = (body: () => void) => {
    b.open(`for (var j: i32 = lid; j < ${D}; j += ${ROW_WG})`);
    body();
    b.close();
  };
  /** Reduces the invocations' partial results across the workgroup; the result is `name`. */
  const reduce = (name: string, init: string, step: (acc: string, v: string) => string, elem: string | (() => string), span: Node['meta']['span'], assign?: string) => {
    b.line(`var ${name}_part = ${init};`, span);
    stride(() => {
      if (assign) b.line(assign, span);
      b.line(`${name}_part = ${step(`${name}_part`, typeof elem === 'string' ? elem : elem())};`, span);
    });
    b.line(`partial[lid] = ${name}_part;`, span);
    b.line('workgroupBarrier();');
    b.open(`for (var s: i32 = ${ROW_WG / 2}; s > 0; s = s >> 1u)`);
    b.line(`if (lid < s) { partial[lid] = ${step('partial[lid]', 'partial[lid + s]')}; }`, span);
    b.line('workgroupBarrier();');
    b.close();
    b.line(`let ${name} = partial[0];`, span);
    b.line('workgroupBarrier();');
  };
  const sum = (a: string, v: string) => `${a} + ${v}`;
  const mx = (a: string, v: string) => `max(${a}, ${v})`;
  const shared = [...(staged ? [`var<workgroup> xs: array<${accType}, ${D}>;`] : []), `var<workgroup> partial: array<${accType}, ${ROW_WG}>;`];
  const done = new Set<Node>();
  /** The members a node needs within this kernel that are not computed yet, producers first. */
  const pending = (n: Node): Node[] => {
    const out: Node[] = [];
    const seen = new Set<Node>();
    const visit = (x: Node) => x.srcs.forEach((s) => {
      if (!k.ops.includes(s) || done.has(s) || seen.has(s)) return;
      seen.add(s);
      visit(s);
      out.push(s);
    });
    visit(n);
    return k.ops.filter((x) => out.includes(x));
  };
  const perElement = (nodes: readonly Node[]) => {
    for (const n of nodes) if (!isMovement(n) && !isRowReduction(n)) b.compute(n);
  };
  reductions.forEach((red, i) => {
    const span = red.meta.span;
    const x = red.srcs[0]!;
    const needed = pending(red);
    const element = () => {
      perElement(needed);
      return r.cast(b.value(x, b.here(x)), x.type.dtype, acc);
    };
    const forget = () => {
      for (const n of needed) if (!isRowReduction(n)) b.locals.delete(n);
    };
    if (staged) {
      stride(() => b.line(`xs[j] = ${element()};`, span));
      forget();
      b.line('workgroupBarrier();');
    }
    const name = b.local(red);
    const rv = `rv${i}`;
    switch (red.op) {
      case 'softmax':
        reduce(`${name}_max`, lit(-Infinity), mx, 'xs[j]', span);
        reduce(`${name}_sum`, lit(0), sum, 'xs[j]', span, `xs[j] = exp(xs[j] - ${name}_max);`);
        shared.push(`var<workgroup> ${rv}: array<${rowResultType(r, red)}, ${D}>;`);
        stride(() => b.line(`${rv}[j] = ${r.rounded(`xs[j] / ${name}_sum`, red.type.dtype)};`, span));
        b.locals.set(red, { name: `${rv}[j]`, array: false });
        break;
      case 'layernorm': {
        const [, g, bias] = red.srcs as [Node, Node, Node];
        reduce(`${name}_total`, lit(0), sum, 'xs[j]', span);
        b.line(`let ${name}_mean = ${name}_total / ${lit(D)};`, span);
        reduce(`${name}_sq`, lit(0), sum, `(xs[j] - ${name}_mean) * (xs[j] - ${name}_mean)`, span);
        b.line(`let ${name}_inv = inverseSqrt(${name}_sq / ${lit(D)} + ${r.literal(red.attr<number>('eps'), acc)});`, span);
        const col = idx[idx.length - 1]!;
        shared.push(`var<workgroup> ${rv}: array<${rowResultType(r, red)}, ${D}>;`);
        stride(() => b.line(`${rv}[j] = ${r.rounded(`(xs[j] - ${name}_mean) * ${name}_inv * ${b.value(g, [col])} + ${b.value(bias, [col])}`, red.type.dtype)};`, span));
        b.locals.set(red, { name: `${rv}[j]`, array: false });
        break;
      }
      default: {
        const isMax = red.op === 'reduce_max';
        reduce(`${name}_r`, lit(isMax ? -Infinity : 0), isMax ? mx : sum, staged ? 'xs[j]' : element, span);
        b.line(r.declare(name, red.type.dtype, r.cast(red.op === 'reduce_mean' ? `${name}_r / ${lit(D)}` : `${name}_r`, acc, red.type.dtype)), span);
        b.locals.set(red, { name, array: false });
      }
    }
    // Values computed in a loop go out of scope with it; later uses recompute them.
    forget();
    b.line('workgroupBarrier();');
    done.add(red);
  });
  // Results that do not vary along the row (reduce_* without the row axis) are stored once per row.
  // Decided from shapes, as in the C row kernel: a prologue value that other kernels read too is an
  // output whose element the reduction loops computed and then let go out of scope.
  const rowVaries = (n: Node) => b.variesAlong(n, rowAxes);
  const rowResults = new Set(k.outputs.filter((o) => {
    const { v } = b.stored(o);
    return rowVaries(v) || isMovement(v);
  }));
  const perRow = k.outputs.filter((o) => !rowResults.has(o));
  if (perRow.length) {
    b.open('if (lid == 0)');
    // A row of one element (a softmax over a size-1 axis) does not vary along it, yet its values are
    // held per element (`rv<i>[j]`, `xs[j]`): here outside any loop, `j` is that one element.
    if (D === 1) b.line('let j: i32 = 0;');
    const needed = new Set(perRow.flatMap(pending));
    perElement(k.ops.filter((n) => needed.has(n) && !rowResults.has(n) && !rowVaries(n)));
    for (const o of perRow) b.line(b.storeStatement(o), o.meta.span);
    b.close();
  }
  stride(() => {
    perElement(k.ops.filter((n) => !done.has(n)));
    for (const o of k.outputs) if (rowResults.has(o)) b.line(b.storeStatement(o), o.meta.span);
  });
  return { ...assemble(k, env, b, [ROW_WG, 1], shared, instances), dispatch: [wx, wy, 1], workgroupBytes: bytes };
}

/** GEMM kernels: workgroup tiles of A and B in workgroup memory, a register tile per invocation. */
function gemmKernel(k: Kernel, env: WgslEnv, instances: readonly Kernel[]): WgslKernel {
  const mm = k.ops.find(isMatmul)!;
  const { M, N, K, batchShape, a, b: bv } = gemmAccess(mm, env.views);
  const batches = numel(batchShape);
  const s = env.schedules?.get(mm);
  const tile = s?.levels[0];
  const [rm, rn] = s?.workgroup?.register ?? [1, 1];
  const tm = Math.min(tile?.m ?? 16, Math.ceil(M / rm) * rm);
  const tn = Math.min(tile?.n ?? 16, Math.ceil(N / rn) * rn);
  const tk = Math.min(tile?.k ?? 16, K);
  const [sx, sy] = [Math.ceil(tn / rn), Math.ceil(tm / rm)];
  const bi = unravel('bz', batchShape);
  const b = new Body(k, env);
  const r = env.r;
  const acc = computeDtype(accumulatorOf(mm));
  const accType = r.type(acc);
  /** An operand element in the accumulator's type, 0 outside the matrix. */
  const tileLoad = (o: typeof a, at: string, inside: string) => `select(${r.literal(0, acc)}, ${r.cast(r.loadAt(env.ptr(o.buffer), at, o.buffer.type.dtype), o.buffer.type.dtype, acc)}, ${inside})`;
  const threads = sx * sy;
  b.line(`let tx = i32(lid3.x);`);
  b.line(`let ty = i32(lid3.y);`);
  b.line(`let tid = ty * ${sx} + tx;`);
  b.line(`let n0 = i32(wid.x) * ${tn};`);
  b.line(`let m0 = i32(wid.y) * ${tm};`);
  b.line(`let bz = i32(wid.z);`);
  b.line(`let abase = ${gemmBatchOffset(a, bi)};`);
  b.line(`let bbase = ${gemmBatchOffset(bv, bi)};`);
  b.line(`var acc: array<${accType}, ${rm * rn}>;`);
  b.open(`for (var k0: i32 = 0; k0 < ${K}; k0 += ${tk})`, mm.meta.span);
  b.open(`for (var i: i32 = tid; i < ${tm * tk}; i += ${threads})`);
  b.line(`let ar = m0 + i / ${tk};`);
  b.line(`let ac = k0 + i % ${tk};`);
  b.line(`As[i] = ${tileLoad(a, `abase + ar * ${a.rowStride} + ac * ${a.colStride}`, `ar < ${M} && ac < ${K}`)};`, mm.meta.span);
  b.close();
  b.open(`for (var i: i32 = tid; i < ${tk * tn}; i += ${threads})`);
  b.line(`let br = k0 + i / ${tn};`);
  b.line(`let bc = n0 + i % ${tn};`);
  b.line(`Bs[i] = ${tileLoad(bv, `bbase + br * ${bv.rowStride} + bc * ${bv.colStride}`, `br < ${K} && bc < ${N}`)};`, mm.meta.span);
  b.close();
  b.line('workgroupBarrier();');
  b.open(`for (var kk: i32 = 0; kk < ${tk}; kk++)`);
  b.open(`for (var i: i32 = 0; i < ${rm}; i++)`);
  b.line(`let av = As[(ty * ${rm} + i) * ${tk} + kk];`);
  b.open(`for (var jj: i32 = 0; jj < ${rn}; jj++)`);
  b.line(`acc[i * ${rn} + jj] += av * Bs[kk * ${tn} + tx * ${rn} + jj];`, mm.meta.span);
  b.close();
  b.close();
  b.close();
  b.line('workgroupBarrier();');
  b.close();
  b.open(`for (var i: i32 = 0; i < ${rm}; i++)`);
  b.open(`for (var jj: i32 = 0; jj < ${rn}; jj++)`);
  b.line(`let m = m0 + ty * ${rm} + i;`);
  b.line(`let n = n0 + tx * ${rn} + jj;`);
  b.open(`if (m < ${M} && n < ${N})`);
  b.iteration = [...bi, 'm', 'n'];
  // A 16-bit product is its f32 sum rounded, as it would be stored.
  const sum = `acc[i * ${rn} + jj]`;
  const product = r.rounded(sum, mm.type.dtype);
  if (product !== sum) b.line(r.declare('mmv', mm.type.dtype, product), mm.meta.span);
  b.locals.set(mm, { name: product === sum ? sum : 'mmv', array: false });
  for (const n of k.ops) if (n !== mm && !isMovement(n)) b.compute(n);
  for (const o of k.outputs) b.line(b.storeStatement(o), o.meta.span);
  b.close();
  b.close();
  b.close();
  if (batches > env.maxWorkgroupsPerDimension) {
    throw new LimitError(`kernel '${k.name}' dispatches ${batches} batches, over ${env.maxWorkgroupsPerDimension} workgroups per dimension`, kernelSpan(k));
  }
  const shared = [`var<workgroup> As: array<${accType}, ${tm * tk}>;`, `var<workgroup> Bs: array<${accType}, ${tk * tn}>;`];
  return { ...assemble(k, env, b, [sx, sy], shared, instances), dispatch: [Math.ceil(N / tn), Math.ceil(M / tm), batches], workgroupBytes: r.storageBytes(acc) * (tm * tk + tk * tn) };
}

/**
 * Fused attention (fuse-attention): one invocation per query row of one (batch, head), walking the
 * keys with an online softmax: each key's score (a dot product over the head) goes through the
 * chain (scale, mask); a larger maximum rescales the running sum and the context held in the
 * invocation's private array; the key's value row is added with weight exp(score - max), times the
 * dropout factor in training mode. The context is divided by the sum and stored through the
 * epilogue. The scores and probabilities never reach memory. The running maximum starts at the
 * lowest f32 (WGSL has no infinity literal): the additive mask is that value too, so a key masked
 * before any unmasked one weighs exp(0) until the first unmasked key rescales it to 0.
 */
function attentionKernel(k: Kernel, env: WgslEnv, instances: readonly Kernel[]): WgslKernel {
  const r = env.r;
  const { scores, chain, softmax, dropout, context, qk, pv, Sq, Sk, D, Dv } = attentionAccess(k.ops, env.views);
  const total = numel(qk.batchShape) * Sq;
  const bi = unravel('bi', qk.batchShape);
  const f = (v: number) => r.literal(v, 'f32');
  const load = (o: typeof qk.a, at: string) => r.loadAt(env.ptr(o.buffer), at, o.buffer.type.dtype);
  const b = new Body(k, env);
  const [x, y] = fold(Math.ceil(total / ATTENTION_WG), env.maxWorkgroupsPerDimension);
  b.line(`let flat = i32(gid.x) + i32(gid.y) * ${x * ATTENTION_WG};`);
  b.line(`if (flat >= ${total}) { return; }`);
  b.line(`let bi = flat / ${Sq};`);
  b.line(`let i = flat % ${Sq};`);
  b.line(`let qbase = ${gemmBatchOffset(qk.a, bi)} + i * ${qk.a.rowStride};`);
  b.line(`let kbase = ${gemmBatchOffset(qk.b, bi)};`);
  b.line(`let vbase = ${gemmBatchOffset(pv.b, bi)};`);
  b.line(`var acc: array<f32, ${Dv}>;`);
  b.line(`var mx: f32 = ${f(-3.4028234663852886e38)};`);
  b.line(`var total: f32 = ${f(0)};`);
  b.open(`for (var j: i32 = 0; j < ${Sk}; j++)`, scores.meta.span);
  b.line(`var s: f32 = ${f(0)};`);
  b.open(`for (var d: i32 = 0; d < ${D}; d++)`);
  b.line(`s += ${load(qk.a, `qbase + d * ${qk.a.colStride}`)} * ${load(qk.b, `kbase + d * ${qk.b.rowStride} + j * ${qk.b.colStride}`)};`, scores.meta.span);
  b.close();
  b.iteration = [...bi, 'i', 'j'];
  b.locals.set(scores, { name: 's', array: false });
  for (const n of chain) b.compute(n);
  const input = softmax.srcs[0]!;
  b.line(`let x = ${b.value(input, b.here(input))};`, softmax.meta.span);
  b.line('let m1 = max(mx, x);', softmax.meta.span);
  b.line('let rescale = exp(mx - m1);', softmax.meta.span);
  b.line('let p = exp(x - m1);', softmax.meta.span);
  b.line('total = total * rescale + p;', softmax.meta.span);
  // The dropout factor at this element: the dropout of a probability of 1 (its keep mask and scale).
  b.locals.set(softmax, { name: f(1), array: false });
  b.line(`let w = p * ${dropout ? b.valueOfOp(dropout, b.here(dropout)) : f(1)};`, (dropout ?? softmax).meta.span);
  b.open(`for (var e: i32 = 0; e < ${Dv}; e++)`);
  b.line(`acc[e] = acc[e] * rescale + w * ${load(pv.b, `vbase + j * ${pv.b.rowStride} + e * ${pv.b.colStride}`)};`, context.meta.span);
  b.close();
  b.line('mx = m1;');
  b.close();
  for (const n of chain) b.locals.delete(n);
  b.line(`let inv = ${f(1)} / total;`, context.meta.span);
  b.open(`for (var e: i32 = 0; e < ${Dv}; e++)`);
  b.iteration = [...bi, 'i', 'e'];
  b.locals.set(context, { name: 'acc[e] * inv', array: false });
  for (const o of k.outputs) b.line(b.storeStatement(o), o.meta.span);
  b.close();
  return { ...assemble(k, env, b, [ATTENTION_WG, 1], [], instances), dispatch: [x, y, 1], workgroupBytes: 0 };
}

/**
 * The shader of kernel `k`, shared by `instances` (the kernels with its signature, `k` first): its
 * storage variables are named by parameter position (`kernelParams`), so that a dispatch of any
 * instance binds that instance's buffers, and dropout ids come from the dispatch's uniform.
 */
export function wgslKernel(k: Kernel, env: Omit<WgslEnv, 'ptr'>, instances: readonly Kernel[] = [k]): WgslKernel {
  const own = { ...env, ptr: parameterNames(k) };
  // Known before any load: a packed buffer the shader stores into is read otherwise (packedLoad).
  for (const o of k.outputs) env.r.written.add(own.ptr(o));
  if (k.ops.some(isScatter)) return scatterKernel(k, own, instances);
  if (k.kind === 'attention') return attentionKernel(k, own, instances);
  if (k.ops.some(isMatmul)) return gemmKernel(k, own, instances);
  if (k.ops.some(isRowReduction)) return rowKernel(k, own, instances);
  return elementwise(k, own, instances);
}
