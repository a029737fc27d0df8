/**
 * Near-memory units in the accelerator description: a kernel moves there exactly when the cost
 * model predicts it faster there, and adding such units never makes a plan predict longer.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Accelerator, NearMemory } from '../src/accel/accelerator.js';
import { H100, H100_PIM } from '../src/accel/presets.js';
import { NEAR_MEMORY_CLASSES, validateAccelerator } from '../src/accel/validate.js';
import { costModule } from '../src/cost/model.js';
import { loadText, planProgram, Session } from '../src/driver.js';
import { buildReport } from '../src/report/build.js';
import { renderText } from '../src/report/text.js';
import type { Module } from '../src/kernel/module.js';
import { LEVELS } from '../passes/registry.js';
import { BERT_PATH } from './support/reference.js';

function tinyStep(level: 'O0' | 'O2', accel: Accelerator): { module: Module; stages: ReturnType<typeof planProgram>['stages'] } {
  const s = new Session();
  const program = loadText(s, 'models/bert.ir', readFileSync(BERT_PATH, 'utf8'));
  return planProgram(s, program, { config: 'tiny', objective: { kind: 'step', loss: 'mlm', clip: false }, train: true, pipeline: LEVELS[level]!, accel });
}

const plans = { O0: tinyStep('O0', H100).module, O2: tinyStep('O2', H100).module };

const nearMemory: fc.Arbitrary<NearMemory> = fc.record({
  flops_per_s: fc.subarray([...NEAR_MEMORY_CLASSES], { minLength: 1 }).chain((cs) =>
    fc.tuple(...cs.map(() => fc.double({ min: 1e9, max: 1e14, noNaN: true }))).map((rates) => Object.fromEntries(cs.map((c, i) => [c, rates[i]!])))),
  special_per_s: fc.double({ min: 1e8, max: 1e13, noNaN: true }),
  bandwidth_bytes_per_s: fc.double({ min: 1e10, max: 1e14, noNaN: true }),
  handoff_s: fc.double({ min: 1e-8, max: 1e-4, noNaN: true }),
});

describe('near-memory placement', () => {
  it.each(['O0', 'O2'] as const)('at -%s, never predicts longer and moves a kernel exactly when it is faster there', (level) => {
    const m = plans[level];
    const without = costModule(m, H100);
    const total = (cs: typeof without) => cs.reduce((s, c) => s + c.predicted_s, 0);
    fc.assert(
      fc.property(nearMemory, (near) => {
        const a = { ...H100, near_memory: near };
        const withUnits = costModule(m, a);
        expect(total(withUnits)).toBeLessThanOrEqual(total(without));
        withUnits.forEach((c, i) => {
          const main = without[i]!;
          expect(c.name).toBe(main.name);
          const runs = main.flops_detail.matrix === 0 && (near.flops_per_s as Record<string, number | undefined>)[c.category] !== undefined;
          expect(c.near_memory !== undefined).toBe(runs);
          if (!c.near_memory) return expect(c.predicted_s).toBe(main.predicted_s);
          expect(c.near_memory.main_s).toBe(main.predicted_s);
          expect(c.near_memory.placed).toBe(c.near_memory.near_s < main.predicted_s);
          expect(c.predicted_s).toBe(Math.min(c.near_memory.near_s, main.predicted_s));
        });
      }),
      { numRuns: 40, seed: 15 },
    );
  });

  it('costs a kernel near memory by hand: hand-off plus the slower of its work and its bytes', () => {
    const near: NearMemory = { flops_per_s: { elementwise: 1e12 }, special_per_s: 1e12, bandwidth_bytes_per_s: 1e13, handoff_s: 1e-6 };
    const [k] = costModule(plans.O0, { ...H100, near_memory: near }).filter((c) => c.category === 'elementwise' && c.bytes > 1e5);
    const expected = 1e-6 + Math.max(k!.flops_detail.vector / 1e12, k!.flops_detail.special / 1e12, k!.bytes / 1e13);
    expect(k!.near_memory!.near_s).toBeCloseTo(expected, 15);
  });

  it('h100-pim moves memory-bound kernels and the report says where each class ran', () => {
    const p = tinyStep('O0', H100_PIM);
    const r = buildReport({ file: 'models/bert.ir', config: 'tiny', sets: {}, pipeline: '', stages: p.stages }, H100_PIM);
    const placed = r.kernels.filter((k) => k.near_memory?.placed);
    expect(placed.length).toBeGreaterThan(0);
    expect(placed.every((k) => k.category !== 'gemm' && k.category !== 'attention-gemm' && k.category !== 'gelu')).toBe(true);
    expect(renderText(r)).toMatch(/Near-memory placement\ncategory +kernels +placed near memory/);
  });

  it('validates the description: unknown classes, GEMMs and missing fields are refused', () => {
    const base = JSON.parse(JSON.stringify(H100_PIM)) as Record<string, unknown>;
    const with_ = (near: unknown) => () => validateAccelerator({ ...base, near_memory: near }, 'pim.json');
    expect(with_({ ...H100_PIM.near_memory, flops_per_s: { gemm: 1e12 } })).toThrow("pim.json: near_memory.flops_per_s.gemm: unknown kernel class (expected one of: softmax, layernorm, gelu, dropout, elementwise, embedding, casts, data-movement)");
    expect(with_({ ...H100_PIM.near_memory, flops_per_s: {} })).toThrow('pim.json: near_memory.flops_per_s: must list at least one kernel class');
    expect(with_({ flops_per_s: { softmax: 1e12 }, special_per_s: 1, bandwidth_bytes_per_s: 1 })).toThrow('pim.json: near_memory.handoff_s: missing, expected a positive number');
    expect(with_({ ...H100_PIM.near_memory, bandwidth_bytes_per_s: -1 })).toThrow('pim.json: near_memory.bandwidth_bytes_per_s: must be a positive number, got -1');
    expect(validateAccelerator(JSON.parse(JSON.stringify(H100_PIM)), 'pim.json')).toEqual(H100_PIM);
  });
});
