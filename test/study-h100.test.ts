/**
 * The study against the H100 characterization (../shared/docs/bert-on-h100.md, docs/studies.md):
 * BERT-base training steps at -O0 (one kernel per op, to compare with eager PyTorch) on the h100
 * preset. The measurement sums kernel (device) times, so the shares compared are of device time,
 * the launch overheads left out.
 */
import { describe, expect, it } from 'vitest';
import { H100 } from '../src/accel/presets.js';
import type { StudyRow } from '../src/study/row.js';
import { runStudy } from '../src/study/run.js';
import { parseSweep } from '../src/study/sweep.js';
import { BERT_PATH } from './support/reference.js';

const quiet = () => undefined;
const step = (sets: Record<string, number>, sweep: string) =>
  runStudy(
    { file: BERT_PATH, config: 'base', sets: new Map(Object.entries(sets)), accels: [H100], axes: [parseSweep(sweep)], level: 0, precision: 'f32', step: { loss: 'mlm', clip: false }, train: false, microBatches: 1, replicas: 1 },
    quiet,
    quiet,
  ).rows;

const gemm = (r: StudyRow, share: 'share' | 'device_share') => r.categories['gemm-dense'][share] + r.categories['gemm-attention'][share];

/** Measured shares of the summed operator time, bert-on-h100.md. */
const MEASURED = { f32: { gemm: 0.77, optimizer: 0.11 }, bf16: { gemm: 0.27 } };

describe('BERT-base training steps on h100 at -O0, against the measurements', () => {
  const [f32, bf16] = step({ B: 32, S: 128 }, 'precision=f32,bf16') as [StudyRow, StudyRow];
  const [s512] = step({ B: 8, S: 512 }, 'precision=f32') as [StudyRow];

  it('fp32: GEMM and optimizer shares within 10 points', () => {
    expect(Math.abs(gemm(f32, 'device_share') - MEASURED.f32.gemm)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(f32.categories.optimizer.device_share - MEASURED.f32.optimizer)).toBeLessThanOrEqual(0.1);
  });

  it('bf16: GEMM share within 12 points, and below half of the step', () => {
    expect(Math.abs(gemm(bf16, 'device_share') - MEASURED.bf16.gemm)).toBeLessThanOrEqual(0.12);
    expect(gemm(bf16, 'device_share')).toBeLessThan(0.5);
    expect(gemm(bf16, 'share')).toBeLessThan(0.5);
  });

  it('S=512 at B=8: softmax and dropout grow against S=128 at B=32, the dense GEMMs shrink', () => {
    for (const c of ['softmax', 'dropout'] as const) {
      expect(s512.categories[c].device_share).toBeGreaterThan(1.5 * f32.categories[c].device_share);
      expect(s512.categories[c].share).toBeGreaterThan(f32.categories[c].share);
    }
    expect(s512.categories['gemm-attention'].device_share).toBeGreaterThan(f32.categories['gemm-attention'].device_share);
    expect(s512.categories['gemm-dense'].device_share).toBeLessThan(f32.categories['gemm-dense'].device_share);
  });
});
