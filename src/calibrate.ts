/**
 * Measures this machine and returns the `host-cpu` preset adjusted to the measurements, so that
 * cost reports for the C backend use this machine's real peak and bandwidth. The probes are C
 * programs (targets/c/probes/bertc_probe.c, built on the runtime in targets/c/runtime) compiled
 * with the given compiler; each reports the best of repeated timed runs.
 *
 * What changes (and why this way):
 * - clock_hz: the all-core FMA peak divided by 2 FLOP x macs_per_cycle.f32 x cores. The preset's
 *   16 f32 FMAs per cycle is the architecture's rate; the clock is the unknown (the VM reports a
 *   nominal one), so scaling the clock makes the matrix peak equal the measurement and keeps
 *   the per-cycle figures of the preset meaningful.
 * - cores: the threads the probe ran on (OpenMP's default, the online CPUs).
 * - matrix.macs_per_cycle.bf16 and .f16: the f32 rate scaled by how fast bertc's GEMM multiplies
 *   operands of that type, measured: bertc_gemm on bf16 (f16) operands against bertc_sgemm, at the
 *   chosen register blocking. The runtime converts 16-bit operands to f32 as it packs them and
 *   multiplies in f32 (no native bf16 dot product), so on a CPU this is about the f32 rate (less
 *   the conversion, plus what packing half the bytes saves), not the preset's hardware figure
 *   (Zen 4's VDPBF16PS, which the runtime does not use).
 * - memory levels: the preset's bytes per cycle per core, at the derived clock and these cores.
 * - dram: bandwidth from a copy between two 256 MiB arrays (bytes read plus bytes written),
 *   capacity from os.totalmem().
 * - vector.ops_per_lane_per_cycle: from the rate at which the generated C does a row kernel's
 *   FLOPs (bias + residual + layernorm, written as the C backend emits it), so that the cost
 *   model's vector rate (lanes x ops x clock x cores) equals it. The row kernels reach a fraction of
 *   the FMA peak (separate loops through stack arrays, loads and stores between them, reductions),
 *   and the model's vector time is FLOPs over this one rate; the hardware's 2 ops per lane would
 *   predict them several times too fast. Lanes stay 16, so that the figure reads as effective
 *   FLOPs per lane per cycle.
 * - vector.special_per_cycle: exp, erf, tanh and rsqrt evaluated as generated code evaluates
 *   them (bertc_exp, bertc_gelu, bertc_tanh, 1.0f / sqrtf) over arrays in cache: evaluations per
 *   second / (clock x cores). They can differ by an order of magnitude, by whether the loop
 *   vectorises.
 * These are the generated code's effective rates, not the hardware's peaks; they change when the
 * C backend's code or the compiler flags change, so the probe copies the backend's helpers and
 * is compiled with the generated Makefile's flags.
 * - matrix.pack_elements_per_s: the C runtime packing a fused attention's operands (Q, K, V and the
 *   probabilities of BERT-base's heads at S=128) on all threads, elements per second.
 * - launch_overhead_s and dram.stream_bandwidth_bytes_per_s: the stream probe (a row kernel as one
 *   pool job, on data out of cache, and an empty pool job).
 * Cache capacities stay the preset's.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repositoryFile } from '../targets/common/files.js';
import { cHelperSource } from '../targets/common/renderer.js';
import { CRunError } from '../targets/c/compile.js';
import { DEFAULT_CFLAGS, REQUIRED_CFLAGS } from '../targets/c/module.js';
import type { Accelerator, SpecialFunction } from './accel/accelerator.js';
import { HOST_CPU } from './accel/presets.js';
import { SPECIAL_FUNCTIONS, validateAccelerator } from './accel/validate.js';

export interface CalibrateOptions {
  /** The C compiler (default `cc`); it must accept GCC's flags, -fopenmp included. */
  cc?: string;
  /** Rough total time for the measurements, in seconds (default 4). */
  seconds?: number;
}

const PROBE = 'targets/c/probes/bertc_probe.c';
const RUNTIME = 'targets/c/runtime';
const COPY_MIB = 256;
const GEMM_SIZE = 1024;
/** The depth of attention's products in BERT (the head size), for the tile-overhead probe. */
const SHALLOW_K = 64;
/** Turns of the FMA probe, spread over the calibration. */
const FMA_TURNS = 3;
/** Turns of the register-blocking probes and of the f32, bf16 and f16 GEMM probes at the chosen blocking. */
const GEMM_TURNS = 3;
/** Rows of 768 floats for the layernorm probe: input, residual and output are 3 x 448 x 3 KiB =
 * 3.9 MiB, within L3, so that the code's arithmetic and its in-cache traffic decide the rate, not
 * DRAM (the cost model charges DRAM traffic separately). */
const LAYERNORM_ROWS = 448;
const LAYERNORM_D = 768;
/** The packing probe's heads: BERT-base's at sequence 128. */
const PACK_S = 128;
const PACK_D = 64;

/** Floats per special-function array: 256 KiB in and 256 KiB out, in L2 or L3. */
const SPECIAL_N = 65536;
/** The stream probe: the layernorm kernel of a BERT-base layer at batch 1 (128 rows), on inputs and
 * outputs cycling through twice a 32 MiB L3, so that every call finds its rows out of cache. */
const STREAM_ROWS = 128;
const STREAM_MIB = 64;

/** Runs a command, turning a failure into one Error that carries the tool's own message. */
function run(what: string, file: string, args: readonly string[]): string {
  try {
    return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') throw new CRunError(`calibrate: ${what} failed: '${file}' was not found; install a C compiler or name one with --cc`);
    throw new Error(`calibrate: ${what} failed: ${(err.stderr ?? '').trim() || err.message}`);
  }
}

/** The `key value` lines a probe prints. */
function parseProbe(output: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of output.split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined && Number.isFinite(Number(value))) values.set(key, Number(value));
  }
  return values;
}

function need(values: Map<string, number>, key: string): number {
  const v = values.get(key);
  if (v === undefined || !(v > 0)) throw new Error(`calibrate: the probe reported no positive ${key}`);
  return v;
}

const fmt = (x: number, digits = 3): string => Number(x.toPrecision(digits)).toString();
/** Derived per-cycle rates keep 4 significant digits: the measurements vary by more between runs. */
const round4 = (x: number): number => Number(x.toPrecision(4));

/** Runs one probe command: `what` names it in a failure, `args` are its command line. */
export type Probe = (what: string, args: readonly (string | number)[]) => Map<string, number>;

/**
 * The flags generated models are built with (REQUIRED_CFLAGS and DEFAULT_CFLAGS of
 * targets/c/module.ts, as its Makefile and buildC use them): what vectorises in the row-kernel and
 * special-function probes depends on them.
 */
const PROBE_FLAGS = [...REQUIRED_CFLAGS, ...DEFAULT_CFLAGS, '-fopenmp'];

/** The generated code's helpers the probe measures, from their one definition. */
const PROBE_HELPERS = ['bertc_row_sum', 'bertc_erf', 'bertc_exp', 'bertc_tanh', 'bertc_gelu'];

/** Compiles the probe program into `dir` with `cc` and PROBE_FLAGS, beside the helpers' header. */
export function buildProbe(cc: string, dir: string): Probe {
  const exe = path.join(dir, 'bertc_probe');
  fs.writeFileSync(path.join(dir, 'bertc_helpers.h'), `${cHelperSource(PROBE_HELPERS)}\n`);
  run(`compiling ${PROBE}`, cc, [...PROBE_FLAGS, '-I', dir, '-I', repositoryFile(RUNTIME), repositoryFile(PROBE), '-o', exe, '-lm']);
  return (what, args) => parseProbe(run(what, exe, args.map(String)));
}

/** The register blockings (mr x nr) that bertc_sgemm runs vectorised (bertc_runtime.h, bertc_ukr). */
export const MICRO_TILES: readonly (readonly [number, number])[] = [[8, 32], [6, 32], [8, 16], [6, 16], [4, 16]];

export function calibrate(opts: CalibrateOptions = {}): Accelerator {
  const cc = opts.cc ?? 'cc';
  const seconds = opts.seconds ?? 4;
  if (!(seconds > 0)) throw new Error(`calibrate: seconds must be positive, got ${seconds}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bertc-calibrate-'));
  try {
    const probe = buildProbe(cc, dir);
    // Shares of the time: the FMA probe (one thread, then all) sets the clock that every other
    // rate is divided by, so it keeps the largest share; the sgemm rate is only reported; the
    // special probe runs four times (one function each). The FMA probe runs in turns spread over
    // the calibration, the best of each rate kept: once, on a shared host, a single all-thread
    // measurement came out at one thread's rate, and every prediction was then twice the time.
    const fmaRates = { one: 0, all: 0, threads: 0 };
    const fmaTurn = () => {
      const f = probe('the FMA probe', ['fma', (seconds * 0.35) / FMA_TURNS]);
      fmaRates.one = Math.max(fmaRates.one, need(f, 'fma_gflops_1') * 1e9);
      fmaRates.all = Math.max(fmaRates.all, need(f, 'fma_gflops_all') * 1e9);
      fmaRates.threads = need(f, 'threads');
    };
    fmaTurn();
    // Each register blocking the runtime vectorises, on one thread: the fastest is the micro-tile
    // (matrix.array) the C backend will use, since the best one depends on the vector ISA (8x32 for
    // AVX-512's 32 registers, 6x16 for AVX2's 16). In turns, the best of each kept: on Zen 4,
    // 8x32 and 6x32 come within 2% of each other here, and one measurement each let a burst of
    // load elsewhere pick either (6x32 runs BERT's 2-thread products 3-7% faster).
    const blockings = MICRO_TILES.map(([mr, nr]) => ({ mr, nr, rate: 0 }));
    for (let turn = 0; turn < GEMM_TURNS; turn++) {
      for (const b of blockings) {
        const r = probe(`the sgemm probe (${b.mr}x${b.nr})`, ['sgemm', GEMM_SIZE, GEMM_SIZE, GEMM_SIZE, 'nn', 1, 1, (seconds * 0.15) / (MICRO_TILES.length * GEMM_TURNS), b.mr, b.nr]);
        b.rate = Math.max(b.rate, need(r, 'sgemm_gflops') * 1e9);
      }
    }
    const best = blockings.reduce((a, b) => (b.rate > a.rate ? b : a));
    fmaTurn();
    // The 16-bit operand GEMMs at that blocking, the f32 one again beside them, and the f32 one at
    // the depth of attention's products (what each micro-tile pays besides its multiply-adds shows
    // in that shallow product's rate): in turns, the best of each kept, so that a burst of load
    // elsewhere does not skew their ratios.
    const gemmAt = (type: 'f32' | 'bf16' | 'f16', key: string, k = GEMM_SIZE) =>
      need(probe(`the ${type} GEMM probe (${best.mr}x${best.nr}, depth ${k})`, ['sgemm', GEMM_SIZE, GEMM_SIZE, k, 'nn', 1, 1, (seconds * 0.15) / (4 * GEMM_TURNS), best.mr, best.nr, type]), key) * 1e9;
    let [f32Rate, shallowRate, half] = [0, 0, { bf16: 0, f16: 0 }];
    for (let turn = 0; turn < GEMM_TURNS; turn++) {
      f32Rate = Math.max(f32Rate, gemmAt('f32', 'sgemm_gflops'));
      shallowRate = Math.max(shallowRate, gemmAt('f32', 'sgemm_gflops', SHALLOW_K));
      half = { bf16: Math.max(half.bf16, gemmAt('bf16', 'gemm_bf16_gflops')), f16: Math.max(half.f16, gemmAt('f16', 'gemm_f16_gflops')) };
    }
    fmaTurn();
    const copy = probe('the copy probe', ['copy', COPY_MIB, seconds * 0.13]);
    const ln = probe('the layernorm probe', ['layernorm', LAYERNORM_ROWS, seconds * 0.1]);
    const special = probe('the special-function probe', ['special', SPECIAL_N, seconds * 0.15]);
    const stream = probe('the stream probe', ['stream', STREAM_ROWS, STREAM_MIB, seconds * 0.05]);
    const pack = probe(`the packing probe (${best.mr}x${best.nr})`, ['pack', PACK_S, PACK_D, best.mr, best.nr, seconds * 0.05]);

    const { one: peak1, all: peakAll, threads } = fmaRates;
    const sgemm = best.rate;
    // What the micro-kernel sustains of the FMA peak on one thread: every GEMM's time is divided by it.
    const efficiency = round4(Math.min(1, sgemm / peak1));
    const bandwidth = need(copy, 'copy_bytes_per_s');
    const streamBandwidth = need(stream, 'stream_bytes_per_s');
    const launch = need(stream, 'launch_s');
    const packRate = need(pack, 'pack_elements_per_s');
    const rowFlops = need(ln, 'layernorm_flops_per_s');
    const specialRates = Object.fromEntries(SPECIAL_FUNCTIONS.map((fn) => [fn, need(special, `${fn}_per_s`)])) as Record<SpecialFunction, number>;

    const macs = HOST_CPU.matrix.macs_per_cycle.f32!;
    // A tile of depth k costs (mr x nr x k / macs + overhead) / efficiency cycles (gemmCompute);
    // the shallow product's rate relative to the deep one's gives the overhead.
    const shallowCycles = (best.mr * best.nr * SHALLOW_K) / macs;
    const tileOverhead = Math.round(Math.max(0, shallowCycles * (f32Rate / shallowRate - 1)));
    // Scaled by the f32 rate timed in turn with them (not the sweep's, which ran apart, earlier).
    const halfMacs = { bf16: round4((macs * half.bf16) / f32Rate), f16: round4((macs * half.f16) / f32Rate) };
    const clock = peakAll / (2 * macs * threads);
    // The preset's level bandwidths are bytes/cycle/core x its cores x its clock.
    const scale = (clock / HOST_CPU.clock_hz) * (threads / HOST_CPU.cores);
    const date = new Date().toISOString().slice(0, 10);
    // The cost model's vector rate is lanes x ops x clock x cores: with lanes, clock and cores as
    // above, ops carries the measured rate.
    const lanes = HOST_CPU.vector.lanes;
    const ops = round4(rowFlops / (lanes * clock * threads));
    const specialPerCycle = Object.fromEntries(
      SPECIAL_FUNCTIONS.map((fn) => [fn, round4(specialRates[fn] / (clock * threads))]),
    ) as Record<SpecialFunction, number>;
    const lnMiB = (3 * LAYERNORM_ROWS * LAYERNORM_D * 4) / 2 ** 20;
    const specialKiB = (SPECIAL_N * 4) / 1024;
    const measured = `measured ${date} (${cc} ${PROBE_FLAGS.join(' ')}, the generated Makefile's flags) on ${threads} threads`;
    const calibrated: Accelerator = {
      ...HOST_CPU,
      name: 'host-cpu-calibrated',
      description:
        `The machine bertc calibrate ran on (${date}): the host-cpu preset with clock, cores and DRAM bandwidth ` +
        'from measurements, and vector and special-function rates measured on code written as the C backend ' +
        "generates it (that code's effective rates, not the hardware's peaks), the GEMM register blocking that runs fastest here, and the " +
        'bf16 and f16 matrix rates of bertc\'s GEMM on 16-bit operands; one thread per core.',
      sources: [
        `measured ${date} by bertc calibrate with ${PROBE} (${cc} ${PROBE_FLAGS.join(' ')}): f32 FMA peak ${fmt(peak1 / 1e9)} GFLOP/s ` +
          `on 1 thread, ${fmt(peakAll / 1e9)} GFLOP/s on ${threads} threads (best of ${FMA_TURNS} turns).`,
        `clock_hz ${fmt(clock / 1e9)} GHz: derived, not read: the ${threads}-thread FMA peak / (2 x ${macs} f32 FMAs per cycle x ${threads} cores), ` +
          'so that the matrix peak equals the measured one.',
        `cores ${threads}: the threads the probe ran on (OpenMP default, the online CPUs).`,
        `macs_per_cycle f32 ${macs}: Zen 4 AVX-512 rate, kept from host-cpu. bf16 ${halfMacs.bf16} and f16 ${halfMacs.f16}: measured, ` +
          `f32's ${macs} x (bertc_gemm on bf16 / f16 operands over bertc_sgemm, ${GEMM_SIZE}x${GEMM_SIZE}x${GEMM_SIZE} at ${best.mr}x${best.nr} on 1 thread: ` +
          `${fmt(half.bf16 / 1e9)} and ${fmt(half.f16 / 1e9)} against ${fmt(f32Rate / 1e9)} GFLOP/s); the runtime converts 16-bit operands ` +
          `to f32 as it packs them and multiplies in f32 (no native bf16 dot product is used), replacing host-cpu's bf16 ${HOST_CPU.matrix.macs_per_cycle.bf16} (VDPBF16PS).`,
        `matrix.array ${best.mr}x${best.nr}: the fastest register blocking of bertc_sgemm ${GEMM_SIZE}x${GEMM_SIZE}x${GEMM_SIZE} on 1 thread, best of ${GEMM_TURNS} turns ` +
          `(${blockings.map((b) => `${b.mr}x${b.nr} ${fmt(b.rate / 1e9)}`).join(', ')} GFLOP/s); ${fmt(sgemm / 1e9)} GFLOP/s is ` +
          `${fmt((100 * sgemm) / peak1)}% of the 1-thread FMA peak, which is matrix.efficiency (${efficiency}).`,
        `matrix.tile_overhead_cycles ${tileOverhead}: bertc_sgemm ${GEMM_SIZE}x${GEMM_SIZE}x${SHALLOW_K} at ${fmt(shallowRate / 1e9)} GFLOP/s against ` +
          `${GEMM_SIZE}x${GEMM_SIZE}x${GEMM_SIZE} at ${fmt(f32Rate / 1e9)} on 1 thread, timed in turn: a ${best.mr}x${best.nr} tile ${SHALLOW_K} deep is ` +
          `${fmt(shallowCycles)} cycles of multiply-adds, and the shallow product's rate makes it ${tileOverhead} cycles more per tile (0 when it is no slower).`,
        `dram bandwidth ${fmt(bandwidth / 1e9)} GB/s: copy between two ${COPY_MIB} MiB arrays on ${threads} threads, bytes read + written, best run; the DRAM rate of GEMMs and of elementwise kernels reading in order.`,
        `dram stream bandwidth ${fmt(streamBandwidth / 1e9)} GB/s: the layernorm probe's kernel over ${STREAM_ROWS} rows as one pool job ` +
          `(bertc_parallel, as a model calls it) on inputs and outputs cycling through ${STREAM_MIB} MiB, out of cache as a model's row kernels ` +
          'find them, bytes read + written, best batch of calls; the DRAM time of row kernels (all but GEMMs and elementwise kernels reading in order) is divided by it.',
        `dram capacity: os.totalmem() on the measured machine.`,
        'memory levels: capacities kept from host-cpu (lscpu); bandwidths are host-cpu\'s bytes per cycle per core at the derived clock and cores.',
        `vector.ops_per_lane_per_cycle ${ops}: the generated code's effective rate, not the hardware's (2 with FMA): ` +
          `${measured}: bias + residual + layernorm over ${LAYERNORM_ROWS} rows x ${LAYERNORM_D} f32 (${fmt(lnMiB)} MiB in and out, ` +
          'cache-resident) written as the C backend emits it (a loop per op through stack arrays, bertc_row_sum reductions), ' +
          `${fmt(rowFlops / 1e9)} GFLOP/s counting 9 FLOP per element as src/cost/flops.ts does (2 adds + layernorm 7), ` +
          `${fmt((100 * rowFlops) / peakAll)}% of the FMA peak; divided by ${lanes} lanes (kept from host-cpu) x clock x cores.`,
        `vector.special_per_cycle: the generated code's effective rates, not the hardware's: ${measured}, each function over ` +
          `${SPECIAL_N} f32 (${fmt(specialKiB)} KiB in and out, cache-resident), evaluations/s / (clock x cores): ` +
          `exp ${fmt(specialRates.exp / 1e9)} G/s (bertc_exp), erf ${fmt(specialRates.erf / 1e9)} G/s (bertc_gelu, its arithmetic included), ` +
          `tanh ${fmt(specialRates.tanh / 1e9)} G/s (bertc_tanh), rsqrt ${fmt(specialRates.rsqrt / 1e9)} G/s (1.0f / sqrtf).`,
        `launch_overhead_s ${fmt(launch * 1e6)} us: an empty pool job (bertc_parallel, one task per thread), best batch of jobs.`,
        'matrix.shared_pipelines: kept from host-cpu (the FMA units run the GEMMs, the elementwise work and the special functions alike).',
        `matrix.pack_elements_per_s ${fmt(packRate / 1e9)} G/s: the fused attention's packing as the C runtime does it (bertc_pack_a of K and of the ` +
          `${PACK_S}x${PACK_S} probabilities in ${best.mr}-row panels, bertc_pack_b of Q transposed and of V in ${best.nr}-wide panels), ` +
          `for 8 sequences x 12 heads of ${PACK_S} rows x ${PACK_D} out of one QKV buffer, as one pool job on ${threads} threads, elements packed per second, best batch.`,
      ],
      clock_hz: clock,
      cores: threads,
      matrix: { ...HOST_CPU.matrix, array: { ...HOST_CPU.matrix.array, rows: best.mr, cols: best.nr }, macs_per_cycle: { ...HOST_CPU.matrix.macs_per_cycle, ...halfMacs }, efficiency, tile_overhead_cycles: tileOverhead, pack_elements_per_s: packRate },
      vector: { lanes, ops_per_lane_per_cycle: ops, special_per_cycle: specialPerCycle },
      memory: HOST_CPU.memory.map((level) => ({ ...level, bandwidth_bytes_per_s: level.bandwidth_bytes_per_s * scale })),
      dram: { capacity_bytes: os.totalmem(), bandwidth_bytes_per_s: bandwidth, stream_bandwidth_bytes_per_s: streamBandwidth },
      launch_overhead_s: launch,
    };
    return validateAccelerator(calibrated, 'bertc calibrate');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
