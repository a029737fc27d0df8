import type { Accelerator, MatrixDType, MemoryLevel } from '../accel/accelerator.js';
import { byteSize, type DType } from '../ir/dtype.js';
import type { Node } from '../ir/node.js';
import { numel } from '../ir/shape.js';

/**
 * GEMM tiling and its cost, following docs/cost-model.md.
 *
 * A GEMM computes `batch` products of [m x k] by [k x n]. Its schedule holds one tile per on-chip
 * memory level: the tile of C that stays resident at that level while the k dimension streams
 * through in chunks of `k`, with a loop order saying which operand panel is kept for reuse. Tail
 * rule: a dimension that the tile does not divide ends in one partial tile, which moves only the
 * bytes it holds but occupies the compute array as a full tile.
 */

export interface GemmProblem {
  readonly batch: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly dtype: DType;
  /** The accumulator's dtype (the matmul's `acc`): the output tile a level holds is kept in it. */
  readonly acc: DType;
  /** B is the same for every batch (weights); then batches are folded into m. */
  readonly weightsShared: boolean;
}

export type LoopOrder = 'mn' | 'nm';

export interface LevelTile {
  readonly level: string;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  /** 'mn': m tiles outer, the A panel is reused across the n tiles when it fits; 'nm' the reverse. */
  readonly order: LoopOrder;
  /** Bytes moved into this level from the level outside it (DRAM for the outermost). */
  readonly traffic: number;
  /** Bytes of the level one tile occupies, double buffering included. */
  readonly footprint: number;
}

export interface GemmSchedule {
  readonly problem: GemmProblem;
  /** Tiles per on-chip level, innermost first. */
  readonly levels: readonly LevelTile[];
  /** The second-best tile at the outermost level, for the report. */
  readonly runnerUp?: LevelTile;
  /** For WebGPU: invocations per workgroup as [x, y] and the outputs each computes as [rows, cols]. */
  readonly workgroup?: { readonly size: readonly [number, number]; readonly register: readonly [number, number] };
}

/** The GEMM a matmul node performs; a 2-D right operand is shared by every batch. */
export function gemmProblem(mm: Node): GemmProblem {
  const [a, b] = mm.srcs as [Node, Node];
  const out = mm.type.shape;
  const m = out[out.length - 2]!;
  const n = out[out.length - 1]!;
  const ash = a.type.shape;
  const k = mm.attr<boolean>('transpose_a') ? ash[ash.length - 2]! : ash[ash.length - 1]!;
  const batch = numel(out.slice(0, -2));
  const weightsShared = b.type.shape.length === 2;
  const acc = mm.attr<DType>('acc');
  return weightsShared ? { batch: 1, m: m * batch, n, k, dtype: mm.type.dtype, acc, weightsShared } : { batch, m, n, k, dtype: mm.type.dtype, acc, weightsShared };
}

function ceilDiv(a: number, b: number): number {
  return Math.ceil(a / b);
}

/**
 * Tile sizes to try along a dimension: the array alignment times powers of two and the whole
 * (aligned) dimension; and powers of two below the alignment, for buffers too small to hold a
 * full array tile (the array then runs partly idle, which the compute time already charges).
 */
function candidates(dim: number, align: number): number[] {
  const full = ceilDiv(dim, align) * align;
  const out = new Set<number>();
  for (let t = 1; t < Math.min(align, full); t *= 2) out.add(t);
  for (let t = align; t < full; t *= 2) out.add(t);
  out.add(full);
  return [...out].sort((x, y) => x - y);
}

export interface TilingConstraints {
  /** Bytes one core may use at the level. */
  readonly capacity: number;
  readonly alignM: number;
  readonly alignN: number;
}

/** Traffic into a level with a given tile, per the reuse rules above. */
export function levelTraffic(p: GemmProblem, mt: number, nt: number, kt: number, order: LoopOrder, capacity: number): { traffic: number; footprint: number } | undefined {
  const e = byteSize(p.dtype);
  const accBytes = byteSize(p.acc);
  const footprint = 2 * (mt * kt + kt * nt) * e + mt * nt * accBytes;
  if (footprint > capacity) return undefined;
  const tm = ceilDiv(p.m, mt);
  const tn = ceilDiv(p.n, nt);
  const aBytes = p.m * p.k * e;
  const bBytes = p.k * p.n * e;
  const aPanelFits = mt * p.k * e + 2 * kt * nt * e + mt * nt * accBytes <= capacity;
  const bPanelFits = nt * p.k * e + 2 * mt * kt * e + mt * nt * accBytes <= capacity;
  const aReads = order === 'mn' && aPanelFits ? 1 : tn;
  const bReads = order === 'nm' && bPanelFits ? 1 : tm;
  const perBatch = aBytes * aReads + bBytes * bReads + p.m * p.n * e;
  return { traffic: p.batch * perBatch, footprint };
}

/**
 * All legal tiles at one level, best first: least traffic; among equals, tiles aligned to the array,
 * then fewer (larger) tiles, then deeper k chunks (fewer passes over the resident C tile), then the
 * smaller footprint.
 */
export function searchLevel(p: GemmProblem, level: string, c: TilingConstraints, extra?: (mt: number, nt: number, kt: number) => boolean): LevelTile[] {
  const ks = [...new Set([8, 16, 32, 64, 128, 256, 512, p.k].filter((k) => k <= p.k))].sort((x, y) => x - y);
  const out: LevelTile[] = [];
  for (const mt of candidates(p.m, c.alignM)) {
    for (const nt of candidates(p.n, c.alignN)) {
      for (const kt of ks) {
        if (extra && !extra(mt, nt, kt)) continue;
        for (const order of ['mn', 'nm'] as const) {
          const t = levelTraffic(p, mt, nt, kt, order, c.capacity);
          if (t) out.push({ level, m: mt, n: nt, k: kt, order, ...t });
        }
      }
    }
  }
  const misaligned = (t: LevelTile) => Number(t.m % c.alignM !== 0 || t.n % c.alignN !== 0);
  const tiles = (t: LevelTile) => ceilDiv(p.m, t.m) * ceilDiv(p.n, t.n);
  return out.sort(
    (x, y) =>
      x.traffic - y.traffic || misaligned(x) - misaligned(y) || tiles(x) - tiles(y) || y.k - x.k || x.footprint - y.footprint ||
      x.m - y.m || x.n - y.n || x.k - y.k || (x.order < y.order ? -1 : 1),
  );
}

/** Register tiles a WebGPU invocation may compute: small, so that the workgroup has many invocations. */
const REGISTER_TILES: readonly (readonly [number, number])[] = [
  [1, 1], [1, 2], [2, 2], [2, 4], [4, 4], [4, 8], [8, 8],
];

function workgroupFor(a: Accelerator, mt: number, nt: number): GemmSchedule['workgroup'] | undefined {
  const limits = a.webgpu;
  if (!limits) return undefined;
  for (const [rm, rn] of REGISTER_TILES) {
    if (mt % rm || nt % rn) continue;
    const x = nt / rn;
    const y = mt / rm;
    if (x * y <= limits.max_invocations_per_workgroup) return { size: [x, y], register: [rm, rn] };
  }
  return undefined;
}

/** The accelerator is valid but has no room for a GEMM: the user's description, not a bug. */
export class NoTileError extends Error {}

function noTileReason(a: Accelerator, p: GemmProblem, l: MemoryLevel, webgpu: boolean): string {
  const e = byteSize(p.dtype);
  const kt = Math.min(8, p.k);
  const smallest = 2 * (kt + kt) * e + byteSize(p.acc);
  const why = webgpu
    ? `within the WebGPU limits (${a.webgpu!.max_workgroup_storage_bytes} bytes of workgroup storage, ${a.webgpu!.max_invocations_per_workgroup} invocations per workgroup)`
    : `(${l.capacity_bytes} bytes; the smallest tile, 1x1 with a k chunk of ${kt} double-buffered, needs ${smallest})`;
  return `no tile of the ${p.m}x${p.n}x${p.k} GEMM fits level '${l.name}' of accelerator '${a.name}' ${why}`;
}

/**
 * The schedule that minimises predicted time. Compute time depends only on the array tile and
 * DRAM time only on the outermost level's traffic, so each level takes its least-traffic tile:
 * that is also the time-optimal choice, and a larger buffer or more bandwidth can only help.
 */
export function scheduleGemm(a: Accelerator, p: GemmProblem): GemmSchedule {
  const levels: LevelTile[] = [];
  let runnerUp: LevelTile | undefined;
  let workgroup: GemmSchedule['workgroup'];
  a.memory.forEach((l, i) => {
    const inner = i === 0;
    const limits = a.webgpu;
    const extra = inner && limits
      ? (mt: number, nt: number, kt: number) => (mt * kt + kt * nt) * byteSize(p.dtype) <= limits.max_workgroup_storage_bytes && workgroupFor(a, mt, nt) !== undefined
      : undefined;
    // A tile may use a level's whole capacity: a per-core level holds one core's tile, and a shared
    // level the panels all cores read together.
    const ranked = searchLevel(p, l.name, { capacity: l.capacity_bytes, alignM: Math.min(a.matrix.array.rows, p.m), alignN: Math.min(a.matrix.array.cols, p.n) }, extra);
    const best = ranked[0];
    if (!best) throw new NoTileError(noTileReason(a, p, l, limits !== undefined && inner));
    levels.push(best);
    if (i === a.memory.length - 1) runnerUp = ranked.find((t) => t.m !== best.m || t.n !== best.n || t.k !== best.k || t.order !== best.order);
    if (inner) workgroup = workgroupFor(a, best.m, best.n);
  });
  return { problem: p, levels, runnerUp, workgroup };
}

/** The schedule of an untiled GEMM: array-sized tiles, nothing reused beyond them. */
export function untiledSchedule(a: Accelerator, p: GemmProblem): GemmSchedule {
  const mt = Math.min(a.matrix.array.rows, p.m);
  const nt = Math.min(a.matrix.array.cols, p.n);
  const e = byteSize(p.dtype);
  const traffic = p.batch * (p.m * p.k * e * ceilDiv(p.n, nt) + p.k * p.n * e * ceilDiv(p.m, mt) + p.m * p.n * e);
  const tile: LevelTile = { level: 'none', m: mt, n: nt, k: p.k, order: 'mn', traffic, footprint: 0 };
  return { problem: p, levels: a.memory.map((l) => ({ ...tile, level: l.name })) };
}

export interface GemmCompute {
  readonly seconds: number;
  /** Useful MACs over the MACs the array spends, tails and fill/drain included. */
  readonly arrayEfficiency: number;
}

/**
 * Time on the compute array: the array tiles are spread over the cores; each costs its MACs at the
 * unit's rate, plus rows + cols cycles of fill and drain on a systolic array and the unit's fixed
 * cycles per tile. A dtype the matrix unit does not support runs on the vector unit.
 */
export function gemmCompute(a: Accelerator, p: GemmProblem): GemmCompute {
  const { rows: R, cols: C } = a.matrix.array;
  const macs = a.matrix.macs_per_cycle[p.dtype as MatrixDType];
  const useful = p.batch * p.m * p.n * p.k;
  if (macs === undefined) {
    const rate = a.vector.lanes * a.vector.ops_per_lane_per_cycle * a.clock_hz * a.cores;
    return { seconds: (2 * useful) / rate, arrayEfficiency: 1 };
  }
  const tiles = p.batch * ceilDiv(p.m, R) * ceilDiv(p.n, C);
  const cyclesPerTile = (R * C * p.k) / macs + (a.matrix.systolic ? R + C : 0) + (a.matrix.tile_overhead_cycles ?? 0);
  const waves = ceilDiv(tiles, a.cores);
  const seconds = (waves * cyclesPerTile) / a.clock_hz / (a.matrix.efficiency ?? 1);
  return { seconds, arrayEfficiency: useful / (waves * a.cores * cyclesPerTile * macs) };
}
