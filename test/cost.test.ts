import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Accelerator } from '../src/accel/accelerator.js';
import { HOST_CPU, PRESETS } from '../src/accel/presets.js';
import { gemmCompute, gemmProblem, scheduleGemm, type GemmProblem } from '../src/cost/gemm.js';
import { costModule } from '../src/cost/model.js';
import { byteSize } from '../src/ir/dtype.js';
import { graphNodes } from '../src/ir/graph.js';
import { build, initialModule, loadText, Session } from '../src/driver.js';
import { buildUnitMs } from './support/pace.js';
import { parsePipeline, runPipeline } from '../passes/pipeline.js';
import { LEVELS } from '../passes/registry.js';
import { tileGemm } from '../passes/tileGemm.js';
import { Statistics } from '../passes/pass.js';
import type { Module } from '../src/kernel/module.js';
import { bertGraph } from './support/reference.js';

/** A toy accelerator small enough to cost by hand. */
const TOY: Accelerator = {
  name: 'toy',
  description: 'a 4x4 array, one 4 KiB buffer',
  sources: ['made up for a hand-computed test'],
  clock_hz: 1e9,
  cores: 1,
  matrix: { array: { rows: 4, cols: 4 }, systolic: false, macs_per_cycle: { f32: 16 } },
  vector: { lanes: 4, ops_per_lane_per_cycle: 2, special_per_cycle: { exp: 1, erf: 1, tanh: 1, rsqrt: 1 } },
  memory: [{ name: 'buf', capacity_bytes: 4096, bandwidth_bytes_per_s: 1e10, per_core: true }],
  dram: { capacity_bytes: 1 << 30, bandwidth_bytes_per_s: 1e9 },
  launch_overhead_s: 1e-6,
};

function plan(text: string, pipeline: string, accel: Accelerator, train = false): Module {
  const s = new Session();
  const built = build(s, loadText(s, 'test.ir', text), {});
  return runPipeline({ ...initialModule(built, train), accel }, parsePipeline(pipeline)).module;
}

describe('one GEMM on a toy accelerator, by hand', () => {
  const m = plan('model m(x: f32[8, 16]) -> (y: f32[8, 8]) { param w: f32[8, 16]; return matmul(x, w, transpose_b=true); }', 'tile-gemm', TOY);
  const [k] = costModule(m, TOY);

  it('chooses one 8x8 tile with the whole k: everything is read once', () => {
    // Reading A (512 B), B (512 B) and writing C (256 B) once is the least traffic: 1280 bytes.
    // Among the tiles that achieve it, one tile beats two (4x8 keeping the B panel would do too),
    // and a 16-deep chunk (all of k) beats two 8-deep ones; it takes 2*(8*16 + 16*8)*4 + 8*8*4 = 2304 bytes.
    const tile = k!.schedule!.levels[0]!;
    expect([tile.m, tile.n, tile.k, tile.order, tile.footprint, tile.traffic]).toEqual([8, 8, 16, 'mn', 2304, 1280]);
  });

  it('predicts FLOPs, bytes, time and bound exactly', () => {
    // 2*8*8*16 FLOPs; 4 array tiles of 4x4, each 4*4*16/16 = 16 cycles: 64 ns of compute.
    expect(k!.flops).toBe(2048);
    expect(k!.bytes).toBe(1280);
    expect(k!.compute_s).toBeCloseTo(64e-9, 15);
    // 1280 bytes at 1 GB/s = 1.28 us, plus 1 us launch.
    expect(k!.memory_s).toBeCloseTo(1.28e-6, 15);
    expect(k!.predicted_s).toBeCloseTo(2.28e-6, 15);
    expect(k!.bound).toBe('memory');
    expect(k!.category).toBe('gemm');
    expect(k!.utilization).toBeCloseTo(2048 / (32e9 * 2.28e-6), 12);
  });

  it('re-reads an operand when the buffer is too small for its panel', () => {
    // With k = 1024 no panel (at least 4 KiB) fits beside the chunks in 4 KiB, so B is re-read
    // once per m tile: the tallest tile that fits wins. 32x8 with 8-deep chunks takes
    // 2*(32*8 + 8*8)*4 + 32*8*4 = 3584 bytes (64 rows would take 6656): A is read once (one n
    // tile), B twice: 256 KiB + 2 x 32 KiB + 2 KiB.
    const p: GemmProblem = { batch: 1, m: 64, n: 8, k: 1024, dtype: 'f32', acc: 'f32', weightsShared: true };
    const t = scheduleGemm(TOY, p).levels[0]!;
    const e = byteSize('f32');
    expect([t.m, t.n, t.k, t.footprint]).toEqual([32, 8, 8, 3584]);
    expect(t.traffic).toBe(p.m * p.k * e + p.k * p.n * e * 2 + p.m * p.n * e);
  });
});

/** Every GEMM of BERT-large (B=8, S=128), as distinct problems. */
const LARGE_GEMMS: GemmProblem[] = (() => {
  const g = bertGraph('large', { B: 8, S: 128, L: 1 });
  const seen = new Map<string, GemmProblem>();
  for (const n of graphNodes(g)) if (n.op === 'matmul') seen.set(JSON.stringify(gemmProblem(n)), gemmProblem(n));
  return [...seen.values()];
})();

const pow2 = (lo: number, hi: number) => fc.integer({ min: lo, max: hi }).map((e) => 2 ** e);

const randomAccel: fc.Arbitrary<Accelerator> = fc
  .record({
    cores: fc.integer({ min: 1, max: 64 }),
    clock: fc.double({ min: 0.5e9, max: 3e9, noNaN: true }),
    rows: pow2(0, 7),
    cols: pow2(0, 7),
    systolic: fc.boolean(),
    macs: pow2(0, 12),
    l1: pow2(13, 20),
    l2factor: pow2(1, 8),
    levels: fc.integer({ min: 1, max: 2 }),
    bw: fc.double({ min: 1e10, max: 1e13, noNaN: true }),
    dram: fc.double({ min: 1e9, max: 4e12, noNaN: true }),
    webgpu: fc.boolean(),
  })
  .map((r) => ({
    ...TOY,
    name: 'random',
    cores: r.cores,
    clock_hz: r.clock,
    matrix: { array: { rows: r.rows, cols: r.cols }, systolic: r.systolic, macs_per_cycle: { f32: r.macs } },
    memory: [
      { name: 'l1', capacity_bytes: r.l1, bandwidth_bytes_per_s: r.bw, per_core: true },
      ...(r.levels > 1 ? [{ name: 'l2', capacity_bytes: r.l1 * r.l2factor, bandwidth_bytes_per_s: r.bw / 2, per_core: false }] : []),
    ],
    dram: { capacity_bytes: 2 ** 40, bandwidth_bytes_per_s: r.dram },
    webgpu: r.webgpu ? PRESETS.get('webgpu-generic')!.webgpu : undefined,
  }));

/** The time and DRAM bytes of each BERT-large kernel, tiled for an accelerator. */
function costs(m: Module, a: Accelerator) {
  const tiled = tileGemm.run({ ...m, accel: a }, {}, new Statistics());
  return costModule(tiled, a);
}

describe('cost model properties over random accelerators', () => {
  const large = { ...initialModule({ graph: bertGraph('large', { B: 8, S: 128, L: 1 }), config: 'large', constants: new Map() }, true) };
  const fused = runPipeline(large, parsePipeline(LEVELS.O2!)).module;
  const unfused = runPipeline(large, parsePipeline(LEVELS.O0!)).module;
  const settings = { numRuns: 40, seed: 7 };

  it('tiles always fit their buffers and the WebGPU limits', () => {
    fc.assert(
      fc.property(randomAccel, (a) => {
        for (const p of LARGE_GEMMS) {
          const s = scheduleGemm(a, p);
          s.levels.forEach((t, i) => expect(t.footprint).toBeLessThanOrEqual(a.memory[i]!.capacity_bytes));
          if (a.webgpu) {
            const t = s.levels[0]!;
            expect((t.m * t.k + t.k * t.n) * 4).toBeLessThanOrEqual(a.webgpu.max_workgroup_storage_bytes);
            expect(s.workgroup!.size[0] * s.workgroup!.size[1]).toBeLessThanOrEqual(a.webgpu.max_invocations_per_workgroup);
          }
        }
      }),
      settings,
    );
  });

  it('more bandwidth or more compute never predicts a longer time', () => {
    fc.assert(
      fc.property(randomAccel, fc.constantFrom('dram', 'onchip', 'macs', 'cores', 'clock'), (a, what) => {
        const faster: Accelerator = {
          ...a,
          dram: what === 'dram' ? { ...a.dram, bandwidth_bytes_per_s: a.dram.bandwidth_bytes_per_s * 2 } : a.dram,
          memory: what === 'onchip' ? a.memory.map((l) => ({ ...l, bandwidth_bytes_per_s: l.bandwidth_bytes_per_s * 2 })) : a.memory,
          matrix: what === 'macs' ? { ...a.matrix, macs_per_cycle: { f32: a.matrix.macs_per_cycle.f32! * 2 } } : a.matrix,
          cores: what === 'cores' ? a.cores * 2 : a.cores,
          clock_hz: what === 'clock' ? a.clock_hz * 2 : a.clock_hz,
        };
        const before = costs(fused, a);
        const after = costs(fused, faster);
        before.forEach((k, i) => expect(after[i]!.predicted_s, `${k.name} with more ${what}`).toBeLessThanOrEqual(k.predicted_s * (1 + 1e-12)));
      }),
      settings,
    );
  });

  it('a bigger buffer never predicts more DRAM bytes', () => {
    fc.assert(
      fc.property(randomAccel, fc.nat(), (a, pick) => {
        const level = pick % a.memory.length;
        const bigger: Accelerator = { ...a, memory: a.memory.map((l, i) => (i >= level ? { ...l, capacity_bytes: l.capacity_bytes * 2 } : l)) };
        const before = costs(fused, a);
        const after = costs(fused, bigger);
        before.forEach((k, i) => expect(after[i]!.bytes, k.name).toBeLessThanOrEqual(k.bytes));
      }),
      settings,
    );
  });

  it('fused never predicts more bytes than unfused', () => {
    fc.assert(
      fc.property(randomAccel, (a) => {
        const total = (m: Module) => costs(m, a).reduce((s, k) => s + k.bytes, 0);
        expect(total(fused)).toBeLessThanOrEqual(total(unfused));
      }),
      settings,
    );
  });

  it('schedules all of BERT-large in less time than ten builds of BERT-base', () => {
    const m = runPipeline({ ...initialModule({ graph: bertGraph('large', { B: 32, S: 512 }), config: 'large', constants: new Map() }, true), accel: HOST_CPU }, parsePipeline(LEVELS.O2!)).module;
    const t0 = performance.now();
    const tiled = tileGemm.run(m, {}, new Statistics());
    expect(tiled.schedules!.size).toBe(24 * 6 + 1);
    // Not a benchmark: a guard against an exhaustive search creeping in (bench/ measures it), in
    // units of this machine's pace so that a busy machine does not fail it.
    expect(performance.now() - t0).toBeLessThan(10 * buildUnitMs());
  });

  it('compute time accounts for the fill and drain of a systolic array', () => {
    const p: GemmProblem = { batch: 1, m: 128, n: 128, k: 64, dtype: 'f32', acc: 'f32', weightsShared: true };
    const systolic = { ...TOY, matrix: { array: { rows: 128, cols: 128 }, systolic: true, macs_per_cycle: { f32: 16384 } } };
    // one tile: 64 cycles of MACs + 256 of fill/drain, at 1 GHz
    expect(gemmCompute(systolic, p).seconds).toBeCloseTo(320e-9, 15);
    expect(gemmCompute(systolic, p).arrayEfficiency).toBeCloseTo(64 / 320, 12);
  });

  it('compute time accounts for a micro-kernel\'s fixed cycles per tile, under its efficiency', () => {
    const p: GemmProblem = { batch: 1, m: 8, n: 8, k: 16, dtype: 'f32', acc: 'f32', weightsShared: true };
    const cpu = { ...TOY, matrix: { ...TOY.matrix, tile_overhead_cycles: 8, efficiency: 0.5 } };
    // 4 tiles of 4*4*16/16 = 16 cycles, plus 8 each, at half the peak: 4 * 24 / 0.5 ns
    expect(gemmCompute(cpu, p).seconds).toBeCloseTo(192e-9, 15);
  });
});

describe('a fused attention on a matrix unit that repacks its operands', () => {
  // One sequence of 2 heads, 16 positions of 8: Q Kᵀ then P V, fused into one kernel at -O2.
  const text = `model m(q: f32[1, 2, 16, 8], k: f32[1, 2, 16, 8], v: f32[1, 2, 16, 8]) -> (y: f32[1, 2, 16, 8]) {
    return matmul(softmax(matmul(q, k, transpose_b=true) * 0.35), v);
  }`;
  const attention = (a: Accelerator) => costModule(plan(text, `${LEVELS.O2},tile-gemm`, a), a).find((k) => k.kind === 'attention')!;

  it('adds both products\' packed operands at matrix.pack_elements_per_s to its compute time', () => {
    const plain = attention(TOY);
    expect(plain, 'the -O2 pipeline fuses the attention').toBeDefined();
    const packing = attention({ ...TOY, matrix: { ...TOY.matrix, pack_elements_per_s: 1e6 } });
    // Q Kᵀ packs Q (16x8) and K (16x8), P V packs P (16x16) and V (16x8), for each of 2 heads.
    const elements = 2 * (16 * 8 + 16 * 8 + 16 * 16 + 16 * 8);
    expect(packing.compute_s - plain.compute_s).toBeCloseTo(elements / 1e6, 12);
  });
});

describe('units that share pipelines, and row kernels on data out of cache', () => {
  // 16 x 64 elements: bias add (1 FLOP each) and GELU (erf: vector FLOPs plus 1 special each).
  const text = 'model m(x: f32[16, 64]) -> (y: f32[16, 64]) { param w: f32[64, 64]; param b: f32[64]; return gelu(matmul(x, w) + b); }';
  const fused = (a: Accelerator) => costModule(plan(text, `${LEVELS.O2},tile-gemm`, a), a);
  const row = (a: Accelerator) => costModule(plan(text, 'tile-gemm', a), a).find((k) => k.kind !== 'gemm')!;

  it('adds the matrix, vector and special times where the matrix unit is the vector unit', () => {
    const [apart] = fused(TOY);
    const [shared] = fused({ ...TOY, matrix: { ...TOY.matrix, shared_pipelines: true } });
    const matrix = gemmCompute(TOY, { batch: 1, m: 16, n: 64, k: 64, dtype: 'f32', acc: 'f32', weightsShared: true }).seconds;
    expect(apart!.compute_s).toBeLessThan(shared!.compute_s);
    const f = apart!.flops_detail;
    const vector = f.vector / (4 * 2 * 1e9);
    expect(shared!.compute_s).toBeCloseTo(matrix + vector + f.special / 1e9, 15);
    expect(apart!.compute_s).toBeCloseTo(Math.max(matrix, vector, f.special / 1e9), 15);
  });

  it('divides a row kernel\'s DRAM bytes by the stream bandwidth, and a GEMM\'s and a plain elementwise kernel\'s by the copy bandwidth', () => {
    const slow = { ...TOY, dram: { ...TOY.dram, stream_bandwidth_bytes_per_s: 2.5e8 } };
    const kernels = (t: string, a: Accelerator) => costModule(plan(t, LEVELS.O2!, a), a);
    const memory = (t: string, kind: string) => [TOY, slow].map((a) => kernels(t, a).find((k) => k.kind === kind)!.memory_s);
    // A row kernel (softmax) and an elementwise kernel that reads through a transpose: the stream rate.
    const [fast, streamed] = memory('model m(x: f32[16, 64]) -> (y: f32[16, 64]) { return softmax(x); }', 'reduction');
    expect(streamed).toBeCloseTo(4 * fast!, 15);
    const [fastT, streamedT] = memory('model m(x: f32[64, 16], y: f32[16, 64]) -> (z: f32[16, 64]) { return gelu(transpose(x, perm=[1, 0]) + y); }', 'elementwise');
    expect(streamedT).toBeCloseTo(4 * fastT!, 15);
    // GELU alone, and the GEMM: every operand in order, at the copy bandwidth.
    const [plain, plainSlow] = memory('model m(x: f32[16, 64]) -> (y: f32[16, 64]) { return gelu(x); }', 'elementwise');
    expect(plainSlow).toBe(plain);
    const gemm = (a: Accelerator) => costModule(plan(text, 'tile-gemm', a), a).find((k) => k.kind === 'gemm')!;
    expect(gemm(slow).memory_s).toBe(gemm(TOY).memory_s);
    expect(row(slow).memory_s).toBe(row(TOY).memory_s);
  });
});
