import { describe, expect, it } from 'vitest';
import { LEVELS } from '../passes/registry.js';
import { plan, policyPlans, Session } from '../src/driver.js';
import { kernelsOf } from '../src/kernel/kernels.js';
import type { Module } from '../src/kernel/module.js';
import { keptForBackward } from '../src/kernel/saved.js';
import { printModule } from '../src/kernel/printer.js';
import { moduleStats, phaseOf, type KernelStats } from '../src/kernel/stats.js';
import type { Objective } from '../src/core/grad.js';
import { loadAccelerator } from '../src/accel/load.js';
import { BERT_PATH } from './support/reference.js';

/**
 * The training step's kernel plan (issue 11): the fusion passes on the backward graph, measured
 * like `bertc opt --step --stats --json`, and a golden of one layer's plan.
 */
const STEP: Objective = { kind: 'step', loss: 'probe', clip: false };

function stepStats(level: 'O0' | 'O2', config: string, sets: Record<string, number>) {
  const p = plan(new Session(), BERT_PATH, { config, sets: new Map(Object.entries(sets)), train: true, pipeline: LEVELS[level]!, objective: STEP });
  return { module: p.module, stats: moduleStats(p.module) };
}

const backwardNonGemm = (ks: readonly KernelStats[]) => ks.filter((k) => k.phase === 'backward' && k.kind !== 'gemm');
const bytes = (ks: readonly KernelStats[]) => ks.reduce((s, k) => s + k.bytes_read + k.bytes_written, 0);

describe('the training step of one BERT-base layer (B=8, S=128), training mode', () => {
  const sets = { B: 8, S: 128, L: 1, V: 1024 };
  const o0 = backwardNonGemm(stepStats('O0', 'base', sets).stats.kernels);
  const o2 = backwardNonGemm(stepStats('O2', 'base', sets).stats.kernels);

  it('at -O2 has at least 3x fewer non-GEMM kernels and 3x fewer non-GEMM bytes in the backward pass than at -O0', () => {
    const kernels = o0.length / o2.length;
    const traffic = bytes(o0) / bytes(o2);
    console.log(`backward, non-GEMM: ${o0.length} -> ${o2.length} kernels (${kernels.toFixed(2)}x), ${(bytes(o0) / 1e6).toFixed(0)} -> ${(bytes(o2) / 1e6).toFixed(0)} MB (${traffic.toFixed(2)}x)`);
    expect(kernels).toBeGreaterThanOrEqual(3);
    expect(traffic).toBeGreaterThanOrEqual(3);
  });

  it('computes the GELU backward with its bias gradient, and softmax + dropout + scale backward, each as one kernel', () => {
    // The GELU backward's result feeds the dX and dW GEMMs too: the bias gradient (a sum over rows)
    // is taken in the same walk over the rows that stores it.
    const gelu = o2.filter((k) => k.pattern.includes('erf'));
    expect(gelu.map((k) => k.kind)).toEqual(['reduction']);
    expect(gelu[0]!.pattern).toContain('reduce_sum');
    const softmax = o2.filter((k) => k.layers.every((l) => l.endsWith('attention.self')) && ['dropout', 'reduce_sum', 'scale'].every((p) => k.pattern.includes(p)));
    expect(softmax.map((k) => k.name)).toHaveLength(1);
  });

  it('computes each layernorm\'s input gradient, with the dropout backward of its branch, as one row kernel', () => {
    for (const ln of ['attention.output.LayerNorm', 'output.LayerNorm']) {
      const rows = o2.filter((k) => k.layers.includes(`encoder.layer.0.${ln}`) && k.pattern.includes('reduce_mean'));
      expect(rows.map((k) => k.kind), ln).toEqual(['reduction']);
      expect(rows[0]!.pattern).toContain('dropout');
    }
  });
});

describe('the optimizer of one BERT-base layer (B=8, S=128)', () => {
  const sets = { B: 8, S: 128, L: 1, V: 1024 };
  const optimizer = (accel?: string) => {
    const p = plan(new Session(), BERT_PATH, { config: 'base', sets: new Map(Object.entries(sets)), train: true, pipeline: LEVELS['O2']!, objective: STEP, ...(accel && { accel: loadAccelerator(accel) }) });
    return kernelsOf(p.module).filter((k) => phaseOf(k) === 'optimizer');
  };

  it('is one multi-tensor kernel on a CPU, a segment per weight', () => {
    const ks = optimizer();
    expect(ks.map((k) => k.pattern)).toEqual(['multi_tensor_mul_sub_residual_add_sqrt_div_mask']);
    expect(ks[0]!.segments).toHaveLength(23);
  });

  it('stays a kernel per update on WebGPU, whose shaders bind too few buffers for two', () => {
    const ks = optimizer('webgpu-generic');
    expect(ks.some((k) => k.segments)).toBe(false);
    expect(ks.length).toBeGreaterThanOrEqual(23);
  });
});

describe('save or recompute, for one BERT-base layer (B=8, S=128)', () => {
  const sets = new Map(Object.entries({ B: 8, S: 128, L: 1, V: 1024 }));
  const s = new Session();
  const opts = { config: 'base', sets, train: true, pipeline: LEVELS['O2']!, objective: STEP };
  const p = plan(s, BERT_PATH, opts);
  const policies = policyPlans(s, p, opts);
  const kept = (name: string) => keptForBackward(policies.find((x) => x.policy === name)!.module);
  const bigDropouts = (m: Module) => kernelsOf(m).filter((k) => phaseOf(k) === 'forward').flatMap((k) => k.outputs).filter((o) => o.op === 'dropout' && o.type.shape.length === 4);

  it('compiles the step under both policies, -O2 using recompute', () => {
    expect(policies.map((x) => [x.policy, x.used])).toEqual([['keep', false], ['recompute', true]]);
    expect(policies.find((x) => x.used)!.module).toBe(p.module);
  });

  it('keeps fewer bytes for the backward when it recomputes, and the dropped-out attention probabilities are what it stops keeping', () => {
    const keep = kept('keep');
    const recompute = kept('recompute');
    console.log(`kept for the backward: keep ${keep.values} tensors ${(keep.bytes / 1e6).toFixed(1)} MB, recompute ${recompute.values} tensors ${(recompute.bytes / 1e6).toFixed(1)} MB`);
    expect(recompute.bytes).toBeLessThan(keep.bytes);
    const probs = 8 * 12 * 128 * 128 * 4;
    expect(keep.bytes - recompute.bytes).toBe(probs);
    // The forward still stores them for its own P·V product; the backward computes its own copy.
    for (const pol of policies) expect(bigDropouts(pol.module)).toHaveLength(1);
  });
});

describe('the training step of one bert-tiny layer', () => {
  it('has a kernel plan that matches the golden file (regenerate with vitest -u)', async () => {
    const { module } = stepStats('O2', 'tiny', { L: 1 });
    await expect(printModule(module, { header: 'bertc opt models/bert.ir --config tiny --set L=1 --train --step --loss probe -O2' })).toMatchFileSnapshot('./golden/step-tiny-L1.ir');
  });
});
