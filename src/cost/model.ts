import { peakMatrixFlops, peakVectorFlops, type Accelerator, type MatrixDType, type NearMemoryClass, type SpecialFunction } from '../accel/accelerator.js';
import { byteSize } from '../ir/dtype.js';
import { AUTODIFF, isBackward } from '../ir/autodiff.js';
import { graphNodes } from '../ir/graph.js';
import { describeOrigins, type Node } from '../ir/node.js';
import { specialUnitOf } from '../ir/ops.js';
import { isGather, isMatmul, isMovement, isRandom, isScatter, isWeightOrCast } from '../kernel/classify.js';
import { kernelsOf, type Kernel, type KernelKind } from '../kernel/kernels.js';
import type { Module } from '../kernel/module.js';
import { opFlops, totalFlops, type Flops } from './flops.js';
import { gemmCompute, gemmProblem, untiledSchedule, type GemmProblem, type GemmSchedule } from './gemm.js';

/**
 * The analytical cost of each kernel on an accelerator (docs/cost-model.md): FLOPs by unit, DRAM
 * bytes after tiling, on-chip traffic, and a roofline-style time in which the matrix unit, the
 * vector unit, the special-function unit and the memory system work in parallel and the slowest
 * decides (the first three in turn where they share pipelines, as on a CPU), plus a fixed launch
 * overhead.
 */

export const CATEGORIES = ['gemm', 'attention-gemm', 'softmax', 'layernorm', 'gelu', 'dropout', 'elementwise', 'embedding', 'casts', 'data-movement'] as const;
export type Category = (typeof CATEGORIES)[number];
export type Bound = 'compute' | 'memory' | 'latency';

export interface KernelCost {
  readonly name: string;
  readonly kind: KernelKind;
  readonly category: Category;
  readonly pattern: string;
  readonly flops: number;
  readonly flops_detail: Flops;
  /** DRAM traffic after tiling, re-reads included. */
  readonly bytes: number;
  /** Traffic between on-chip levels (into the innermost level). */
  readonly onchip_bytes: number;
  /** FLOPs per DRAM byte. */
  readonly intensity: number;
  readonly compute_s: number;
  readonly memory_s: number;
  readonly launch_s: number;
  readonly predicted_s: number;
  readonly bound: Bound;
  /** Achieved fraction of the matrix unit's peak (GEMM kernels; 0 otherwise). */
  readonly utilization: number;
  readonly schedule?: GemmSchedule;
  /**
   * A fused attention's two products (Q·Kᵀ, then P·V), each with its matrix-unit time: the GEMM
   * shapes the report rates, though no schedule tiles them through memory.
   */
  readonly products?: readonly { readonly problem: GemmProblem; readonly matrix_s: number }[];
  /**
   * With near-memory units that run the kernel's class: its time there and on the main array, and
   * where it was placed (the faster; the other times of this cost are the chosen unit's).
   */
  readonly near_memory?: { readonly placed: boolean; readonly near_s: number; readonly main_s: number };
  readonly source: readonly string[];
  readonly layers: readonly string[];
}

/**
 * Whether a kernel reads every operand in its own element order: through no view but reshapes
 * (which keep the order) and broadcasts (whose few values stay in cache), and moves nothing itself.
 * AdamW's update over 8.9 M parameters so ran at 50.6 GB/s on a machine whose copy reaches 52.8
 * and whose layernorm kernel 17.1 out of cache (2-core Zen 4, 2026-12-03).
 */
function readsInOrder(k: Kernel, views: ReadonlySet<Node>): boolean {
  const inOrder = (n: Node): boolean => !views.has(n) || ((n.op === 'reshape' || n.op === 'expand') && inOrder(n.srcs[0]!));
  return !k.ops.some(isMovement) && k.ops.every((n) => n.srcs.every(inOrder));
}

function resolveBuffer(n: Node, views: ReadonlySet<Node>): Node {
  return views.has(n) ? resolveBuffer(n.srcs[0]!, views) : n;
}

/** The forward node whose gradient rule made a backward node: its autodiff origin. */
export type ForwardOf = (n: Node) => Node | undefined;

/** Autodiff's nodes keep the id of the forward node they differentiate (derivedMeta); this finds it again. */
export function forwardOrigins(m: Module): ForwardOf {
  const byId = new Map(graphNodes(m.graph).map((n) => [n.id, n]));
  return (n) => (n.meta.backward && n.meta.origin?.kind === 'derived' && n.meta.origin.pass === AUTODIFF ? byId.get(n.meta.origin.from) : undefined);
}

function gemmCategory(mm: Node, views: ReadonlySet<Node>): Category {
  const b = resolveBuffer(mm.srcs[1]!, views);
  // A weight (or its cast), or the concatenation of weights (the fused QKV weight).
  const weight = isWeightOrCast(b) || (b.op === 'concat' && b.srcs.every(isWeightOrCast));
  return weight ? 'gemm' : 'attention-gemm';
}

/** The operator classes a kernel is named for by the op it holds, or, in the backward, by the op it differentiates. */
const ANCHORS = ['softmax', 'layernorm', 'gelu'] as const;

export function categoryOf(k: Kernel, views: ReadonlySet<Node>, forwardOf: ForwardOf = () => undefined): Category {
  const mm = k.ops.find(isMatmul);
  if (mm) {
    // A backward GEMM (an input's or a weight's gradient) belongs with the forward GEMM it differentiates.
    const forward = forwardOf(mm);
    if (forward && isMatmul(forward)) return gemmCategory(forward, views);
    // A backward GEMM a pass rewrote has lost its origin. Of two activations and with no batch
    // dimensions it contracts over the tokens into a weight's gradient; attention's are batched.
    if (isBackward(mm) && mm.type.shape.length === 2) return 'gemm';
    return gemmCategory(mm, views);
  }
  const origins = k.ops.map(forwardOf).filter((n): n is Node => n !== undefined);
  for (const anchor of ANCHORS) if (k.ops.some((n) => n.op === anchor)) return anchor;
  for (const anchor of ANCHORS) if (origins.some((n) => n.op === anchor)) return anchor;
  // Table lookups and their adjoint (the embedding tables' gradients): memory-bound row traffic by index.
  if (k.ops.some(isGather) || k.ops.some(isScatter)) return 'embedding';
  if (k.ops.every(isMovement)) return 'data-movement';
  // A precision change that found no kernel to ride along with.
  if (k.ops.every((n) => n.op === 'cast' || isMovement(n))) return 'casts';
  if (k.ops.some(isRandom) && k.ops.every((n) => isRandom(n) || isMovement(n))) return 'dropout';
  return 'elementwise';
}

export interface CostOptions {
  readonly train: boolean;
  /** GEMM schedules chosen by tile-gemm; GEMMs without one are costed untiled. */
  readonly schedules?: ReadonlyMap<Node, GemmSchedule>;
  readonly forwardOf?: ForwardOf;
}

function unitTimes(a: Accelerator, k: Kernel, train: boolean): { vector_s: number; special_s: number } {
  const vectorRate = a.vector.lanes * a.vector.ops_per_lane_per_cycle * a.clock_hz * a.cores;
  let vector = 0;
  const special = new Map<SpecialFunction, number>();
  for (const n of k.ops) {
    if (isMatmul(n)) continue;
    const f = opFlops(n, train);
    vector += f.vector;
    const fn: SpecialFunction | undefined = specialUnitOf(n);
    if (fn && f.special) special.set(fn, (special.get(fn) ?? 0) + f.special);
  }
  let special_s = 0;
  for (const [fn, count] of special) special_s += count / (a.vector.special_per_cycle[fn] * a.clock_hz * a.cores);
  return { vector_s: vector / vectorRate, special_s };
}

export function costKernel(k: Kernel, a: Accelerator, views: ReadonlySet<Node>, opts: CostOptions): KernelCost {
  const { vector_s, special_s } = unitTimes(a, k, opts.train);
  let matrix_s = 0;
  let bytes = k.bytesRead + k.bytesWritten;
  let onchip = 0;
  let utilization = 0;
  const mm = k.ops.find(isMatmul);
  let schedule: GemmSchedule | undefined;
  let products: KernelCost['products'];
  if (k.kind === 'attention') {
    // Both products run on the matrix unit; the scores and probabilities never leave the chip, so
    // the kernel moves its inputs (Q, K, V, the mask) and its context once.
    products = k.ops.filter(isMatmul).map((n) => ({ problem: gemmProblem(n), matrix_s: gemmCompute(a, gemmProblem(n)).seconds }));
    matrix_s = products.reduce((t, x) => t + x.matrix_s, 0);
    // Where the matrix unit has no data path of its own, both products' operands are repacked
    // into its panels on every call (docs/cost-model.md).
    const pack = a.matrix.pack_elements_per_s;
    if (pack) matrix_s += products.reduce((t, { problem: p }) => t + (p.batch * p.k * (p.m + p.n)) / pack, 0);
  } else if (mm) {
    const p = gemmProblem(mm);
    schedule = opts.schedules?.get(mm) ?? untiledSchedule(a, p);
    const outer = schedule.levels[schedule.levels.length - 1]!;
    const e = byteSize(p.dtype);
    // Operands come from the schedule (re-reads included); other inputs and outputs move once.
    const operands = new Set(mm.srcs.map((s) => resolveBuffer(s, views)));
    const others = k.inputs.filter((i) => !operands.has(i)).reduce((s, i) => s + numelBytes(i), 0);
    bytes = outer.traffic - p.batch * p.m * p.n * e + others + k.bytesWritten;
    onchip = schedule.levels.length > 1 ? schedule.levels[0]!.traffic : 0;
    matrix_s = gemmCompute(a, p).seconds;
  }
  // On a CPU the three kinds of work take turns on the same pipelines; separate units overlap.
  const compute_s = a.matrix.shared_pipelines ? matrix_s + vector_s + special_s : Math.max(matrix_s, vector_s, special_s);
  // Row kernels (reductions, movement, gathers) take several passes over each row or index
  // through views: out of cache they reach the stream rate. A GEMM's operands, and the operands of
  // an elementwise kernel that reads them in order, go through once, as a copy's do.
  const streams = mm || (k.kind === 'elementwise' && readsInOrder(k, views));
  const dram_s = bytes / (streams ? a.dram.bandwidth_bytes_per_s : (a.dram.stream_bandwidth_bytes_per_s ?? a.dram.bandwidth_bytes_per_s));
  const onchip_s = a.memory.length > 1 ? onchip / a.memory[1]!.bandwidth_bytes_per_s : 0;
  const memory_s = Math.max(dram_s, onchip_s);
  const launch_s = a.launch_overhead_s;
  const predicted_s = launch_s + Math.max(compute_s, memory_s);
  const bound: Bound = launch_s >= Math.max(compute_s, memory_s) ? 'latency' : compute_s >= memory_s ? 'compute' : 'memory';
  if (mm) {
    // A dtype the matrix unit lacks runs on the vector unit (gemmCompute).
    const peak = peakMatrixFlops(a, mm.type.dtype as MatrixDType) ?? peakVectorFlops(a);
    utilization = k.flops.matrix / (peak * predicted_s);
  }
  const flops = totalFlops(k.flops);
  const category = categoryOf(k, views, opts.forwardOf);
  const main = { compute_s, memory_s, launch_s, predicted_s, bound };
  const near = mm ? undefined : nearMemoryTimes(a, category, k.flops, bytes);
  const placed = near !== undefined && near.predicted_s < predicted_s;
  const chosen = placed ? near : main;
  return {
    name: k.name,
    kind: k.kind,
    category,
    pattern: k.pattern,
    flops,
    flops_detail: k.flops,
    bytes,
    onchip_bytes: onchip,
    intensity: bytes ? flops / bytes : 0,
    ...chosen,
    utilization,
    schedule,
    ...(products && { products }),
    ...(near && { near_memory: { placed, near_s: near.predicted_s, main_s: predicted_s } }),
    source: describeOrigins(k.ops),
    layers: k.scopes.filter(Boolean),
  };
}

/**
 * A kernel's time on the near-memory units, when they run its class: their vector and special
 * rates and internal bandwidth overlap like the main array's units, plus the hand-off.
 */
function nearMemoryTimes(a: Accelerator, category: Category, f: Flops, bytes: number): { compute_s: number; memory_s: number; launch_s: number; predicted_s: number; bound: Bound } | undefined {
  const n = a.near_memory;
  const rate = n?.flops_per_s[category as NearMemoryClass];
  if (!n || rate === undefined) return undefined;
  const compute_s = Math.max(f.vector / rate, f.special / n.special_per_s);
  const memory_s = bytes / n.bandwidth_bytes_per_s;
  const busy = Math.max(compute_s, memory_s);
  const bound: Bound = n.handoff_s >= busy ? 'latency' : compute_s >= memory_s ? 'compute' : 'memory';
  return { compute_s, memory_s, launch_s: n.handoff_s, predicted_s: n.handoff_s + busy, bound };
}

function numelBytes(n: Node): number {
  return n.type.shape.reduce((s, d) => s * d, 1) * byteSize(n.type.dtype);
}

/** Costs of the kernels that run on every forward pass (weight transforms run once, at load). */
export function costModule(m: Module, a: Accelerator): KernelCost[] {
  const forwardOf = forwardOrigins(m);
  return kernelsOf(m)
    .filter((k) => !k.init)
    .map((k) => costKernel(k, a, m.partition.views, { train: m.train, schedules: m.schedules, forwardOf }));
}
