import { describe, expect, it } from 'vitest';
import { LEVELS } from '../passes/registry.js';
import { plan, Session } from '../src/driver.js';
import { printModule } from '../src/kernel/printer.js';
import { moduleStats, type KernelStats } from '../src/kernel/stats.js';
import type { Objective } from '../src/core/grad.js';
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

  it('computes the GELU backward, and softmax + dropout + scale backward, each as one kernel', () => {
    // The GELU backward's result feeds the dX GEMM too, so the bias gradient (a sum over rows) reads it from memory.
    const gelu = o2.filter((k) => k.pattern.includes('erf'));
    expect(gelu.map((k) => k.kind)).toEqual(['elementwise']);
    const softmax = o2.filter((k) => k.layers.every((l) => l.endsWith('attention.self')) && ['dropout', 'reduce_sum', 'scale'].every((p) => k.pattern.includes(p)));
    expect(softmax.map((k) => k.name)).toHaveLength(1);
  });
});

describe('the training step of one bert-tiny layer', () => {
  it('has a kernel plan that matches the golden file (regenerate with vitest -u)', async () => {
    const { module } = stepStats('O2', 'tiny', { L: 1 });
    await expect(printModule(module, { header: 'bertc opt models/bert.ir --config tiny --set L=1 --train --step --loss probe -O2' })).toMatchFileSnapshot('./golden/step-tiny-L1.ir');
  });
});
