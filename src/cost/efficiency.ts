import type { Accelerator, MatrixDType } from '../accel/accelerator.js';
import type { GemmProblem } from './gemm.js';

/**
 * Why a GEMM shape falls short of the matrix unit's peak (docs/cost-model.md, "Heterogeneous
 * GEMMs"). The compute time of gemmCompute is the product of these losses; memory and launch
 * losses come from the kernel's own times.
 */

export interface GemmLosses {
  /** Output tiles the array computes (batch x ceil(m/R) x ceil(n/C)). */
  readonly tiles: number;
  /** Rounds of tiles over the cores. */
  readonly waves: number;
  /** Useful outputs over the outputs of whole array tiles: partial tiles at the edges run as full ones. */
  readonly tile_quantisation: number;
  /** Tiles over the tile slots of all waves: the cores idle in a last partial wave, or never get a tile. */
  readonly core_fill: number;
  /** MAC cycles over MAC plus fill-and-drain cycles of one tile (systolic arrays; 1 otherwise). */
  readonly pipeline_fill: number;
}

export function gemmLosses(a: Accelerator, p: GemmProblem): GemmLosses {
  const { rows: R, cols: C } = a.matrix.array;
  const macs = a.matrix.macs_per_cycle[p.dtype as MatrixDType];
  const tiles = p.batch * Math.ceil(p.m / R) * Math.ceil(p.n / C);
  const waves = Math.ceil(tiles / a.cores);
  const macCycles = macs === undefined ? 1 : (R * C * p.k) / macs;
  const fill = macs !== undefined && a.matrix.systolic ? R + C : 0;
  return {
    tiles,
    waves,
    tile_quantisation: (p.m * p.n) / (Math.ceil(p.m / R) * R * Math.ceil(p.n / C) * C),
    core_fill: tiles / (waves * a.cores),
    pipeline_fill: macCycles / (macCycles + fill),
  };
}

/** A loss is worth a reason when it costs more than this fraction of the peak. */
const NOTABLE = 0.9;

export interface KernelTimes {
  readonly compute_s: number;
  readonly memory_s: number;
  readonly launch_s: number;
  readonly intensity: number;
}

/**
 * The reasons, biggest loss first, as one-line sentences; empty when the shape runs within 10% of
 * the peak. A matrix unit without the GEMM's dtype is a reason of its own.
 */
export function shortfallReasons(a: Accelerator, p: GemmProblem, t: KernelTimes): string[] {
  const { rows: R, cols: C } = a.matrix.array;
  const l = gemmLosses(a, p);
  const out: { loss: number; text: string }[] = [];
  if (a.matrix.macs_per_cycle[p.dtype as MatrixDType] === undefined) out.push({ loss: 0, text: `the matrix unit has no ${p.dtype}: runs on the vector unit` });
  if (l.tile_quantisation < NOTABLE) {
    out.push({ loss: l.tile_quantisation, text: `tile quantisation: ${p.m}x${p.n} outputs in ${R}x${C} tiles use ${pct(l.tile_quantisation)} of the array` });
  }
  if (l.core_fill < NOTABLE) {
    const text = l.tiles < a.cores
      ? `too few tiles to fill the cores: ${l.tiles} tiles for ${a.cores} cores (${pct(l.core_fill)} busy)`
      : `wave quantisation: ${l.tiles} tiles in ${l.waves} waves of ${a.cores} cores (${pct(l.core_fill)} busy)`;
    out.push({ loss: l.core_fill, text });
  }
  if (l.pipeline_fill < NOTABLE) out.push({ loss: l.pipeline_fill, text: `small inner dimension: k = ${p.k} against ${R + C} cycles of array fill and drain per tile (${pct(l.pipeline_fill)} busy)` });
  const busy = Math.max(t.compute_s, t.memory_s);
  if (t.memory_s > t.compute_s && t.compute_s / t.memory_s < NOTABLE) {
    const ridge = `${(t.intensity * (t.memory_s / t.compute_s)).toFixed(0)}`;
    const why = p.k <= Math.max(R, C) ? `small inner dimension: k = ${p.k} gives ${t.intensity.toFixed(1)} FLOP per DRAM byte` : `${t.intensity.toFixed(1)} FLOP per DRAM byte`;
    out.push({ loss: t.compute_s / t.memory_s, text: `memory-bound: ${why}, below the ${ridge} the unit needs` });
  }
  if (t.launch_s / (t.launch_s + busy) > 1 - NOTABLE) out.push({ loss: busy / (t.launch_s + busy), text: `launch overhead: ${pct(t.launch_s / (t.launch_s + busy))} of the kernel's time` });
  return out.sort((x, y) => x.loss - y.loss).map((r) => r.text);
}

function pct(x: number): string {
  return `${(100 * x).toFixed(0)}%`;
}
