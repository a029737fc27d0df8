/**
 * bertc study: the grid, the rows, their formats, and the distribution arithmetic checked against
 * hand-computed cases (docs/studies.md).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { H100 } from '../src/accel/presets.js';
import { distributedStep, ringAllReduceSeconds } from '../src/study/distribute.js';
import { STUDY_CATEGORIES, studyCategory } from '../src/study/row.js';
import { runStudy, type Study, type StudyOptions } from '../src/study/run.js';
import { checkAxes, gridPoints, parseSweep, SweepError } from '../src/study/sweep.js';
import { bertc } from './support/cli.js';
import { BERT_PATH } from './support/reference.js';

const dir = mkdtempSync(join(tmpdir(), 'bertc-study-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const quiet = () => undefined;
const tinyStep = (over: Partial<StudyOptions>): Study =>
  runStudy({ file: BERT_PATH, config: 'tiny', sets: new Map(), accels: [H100], axes: [], level: 2, precision: 'f32', step: { loss: 'mlm', clip: false }, train: false, microBatches: 1, replicas: 1, ...over }, quiet, quiet);

describe('the sweep grid', () => {
  it('parses each key kind and spans the product, the first axis outermost', () => {
    const axes = [parseSweep('B=8,32'), parseSweep('precision=f32,bf16'), parseSweep('level=0,2'), parseSweep('micro-batch=1,4')];
    expect(axes.map((a) => a.values)).toEqual([[8, 32], ['f32', 'bf16'], [0, 2], [1, 4]]);
    const points = gridPoints(axes.slice(0, 2));
    expect(points).toEqual([{ B: 8, precision: 'f32' }, { B: 8, precision: 'bf16' }, { B: 32, precision: 'f32' }, { B: 32, precision: 'bf16' }]);
    expect(gridPoints([])).toEqual([{}]);
  });

  it.each([
    ['B', /expects KEY=V1,V2/],
    ['B=8,,16', /empty value/],
    ['B=8,x', /'x' is not a number/],
    ['B=8,8', /value 8 is given twice/],
    ['precision=f64', /'f64' is not one of f32, bf16, f16/],
    ['level=3', /'3' is not an optimisation level/],
    ['replicas=0', /'0' is not a positive integer/],
    ['micro-batch=1.5', /not a positive integer/],
    ['micro-batches=2', /unknown key 'micro-batches'/],
    ['accel=h100', /give the accelerators as --accel A,B/],
  ])('rejects --sweep %s', (text, message) => {
    expect(() => parseSweep(text)).toThrow(SweepError);
    expect(() => parseSweep(text)).toThrow(message);
  });

  it('rejects one key on two axes', () => {
    expect(() => checkAxes([parseSweep('B=1,2'), parseSweep('B=4')])).toThrow(/--sweep B is given twice/);
  });
});

describe('ring all-reduce and micro-batching, by hand', () => {
  const link = { bandwidth_bytes_per_s: 100e9, latency_s: 5e-6 };

  it('follows 2(p-1)/p · bytes / bandwidth + 2(p-1) · latency', () => {
    expect(ringAllReduceSeconds(1e9, 1, link)).toBe(0);
    // p = 2: 1 · 1e9 / 1e11 = 10 ms, plus 2 steps of 5 us.
    expect(ringAllReduceSeconds(1e9, 2, link)).toBeCloseTo(0.01 + 10e-6, 12);
    // p = 4: 1.5 · 10 ms = 15 ms, plus 6 steps of 5 us.
    expect(ringAllReduceSeconds(1e9, 4, link)).toBeCloseTo(0.015 + 30e-6, 12);
    // p = 8: 1.75 · 4 ms = 7 ms for 400 MB, plus 14 steps.
    expect(ringAllReduceSeconds(4e8, 8, link)).toBeCloseTo(0.007 + 70e-6, 12);
  });

  it('hides the all-reduce behind the last backward and charges what is left, plus accumulation', () => {
    const micro = { forward_s: 0.001, backward_s: 0.002, optimizer_s: 0.0005 };
    // 4 replicas, 1 GB: 15.03 ms of all-reduce, 2 ms hidden, 13.03 ms exposed.
    const d = distributedStep(micro, { microBatches: 3, replicas: 4, gradientBytes: 1e9, link, dramBytesPerS: 1e12 });
    expect(d.forward_s).toBeCloseTo(0.003, 12);
    expect(d.backward_s).toBeCloseTo(0.006, 12);
    // Two later micro-batches add into the first: 2 · 3 · 1 GB at 1 TB/s = 6 ms.
    expect(d.accumulate_s).toBeCloseTo(0.006, 12);
    expect(d.allreduce_s).toBeCloseTo(0.01503, 12);
    expect(d.communication_s).toBeCloseTo(0.01303, 12);
    expect(d.step_s).toBeCloseTo(0.003 + 0.006 + 0.006 + 0.01303 + 0.0005, 12);
    const hidden = distributedStep(micro, { microBatches: 1, replicas: 2, gradientBytes: 1e8, link, dramBytesPerS: 1e12 });
    // 1 ms + 10 us of all-reduce, all of it under the 2 ms backward.
    expect(hidden.allreduce_s).toBeCloseTo(0.00101, 12);
    expect(hidden.communication_s).toBe(0);
  });
});

describe('study rows', () => {
  it('map report categories and phases onto the study categories', () => {
    expect(studyCategory({ category: 'gemm', phase: 'backward' })).toBe('gemm-dense');
    expect(studyCategory({ category: 'attention-gemm', phase: 'forward' })).toBe('gemm-attention');
    expect(studyCategory({ category: 'elementwise', phase: 'optimizer' })).toBe('optimizer');
    expect(studyCategory({ category: 'data-movement', phase: 'forward' })).toBe('other');
    expect(studyCategory({ category: 'casts', phase: 'backward' })).toBe('casts');
  });

  it('doubling replicas at a fixed global batch never predicts more compute per device', () => {
    const st = tinyStep({ sets: new Map([['B', 8]]), axes: [parseSweep('replicas=1,2,4,8')] });
    const compute = st.rows.map((r) => r.phases.forward_ms + r.phases.backward_ms);
    for (let i = 1; i < compute.length; i++) expect(compute[i]!).toBeLessThanOrEqual(compute[i - 1]!);
    expect(st.rows.map((r) => r.batch)).toEqual([8, 4, 2, 1]);
    const gradientBytes = st.rows[0]!.allreduce.gradient_bytes;
    expect(gradientBytes).toBeGreaterThan(0);
    for (const r of st.rows) expect(r.allreduce.ms).toBeCloseTo(ringAllReduceSeconds(gradientBytes, r.replicas, H100.interconnect!) * 1e3, 9);
    // Activation memory per device follows the rows it computes.
    const act = st.rows.map((r) => r.peak_activation_bytes);
    for (let i = 1; i < act.length; i++) expect(act[i]!).toBeLessThan(act[i - 1]!);
  });

  it('micro-batching runs the forward and backward of smaller batches several times and the optimizer once', () => {
    const st = tinyStep({ sets: new Map([['B', 8]]), axes: [parseSweep('micro-batch=1,4')] });
    const [one, four] = st.rows as [Study['rows'][number], Study['rows'][number]];
    const smaller = tinyStep({ sets: new Map([['B', 2]]) }).rows[0]!;
    expect(four.phases.forward_ms).toBeCloseTo(4 * smaller.phases.forward_ms, 9);
    expect(four.phases.optimizer_ms).toBeCloseTo(one.phases.optimizer_ms, 9);
    expect(four.phases.accumulate_ms).toBeCloseTo(((3 * 3 * four.allreduce.gradient_bytes) / H100.dram.bandwidth_bytes_per_s) * 1e3, 9);
    expect(four.peak_activation_bytes).toBe(smaller.peak_activation_bytes);
  });

  it('have every category, shares summing to one, and the totals of their parts', () => {
    const st = tinyStep({ axes: [parseSweep('precision=f32,bf16')] });
    for (const r of st.rows) {
      expect(Object.keys(r.categories)).toEqual([...STUDY_CATEGORIES]);
      const shares = STUDY_CATEGORIES.reduce((s, c) => s + r.categories[c].share, 0);
      expect(shares).toBeCloseTo(1, 9);
      expect(STUDY_CATEGORIES.reduce((s, c) => s + r.categories[c].ms, 0)).toBeCloseTo(r.predicted_ms, 9);
      expect(r.phases.forward_ms + r.phases.backward_ms + r.phases.optimizer_ms + r.phases.accumulate_ms + r.phases.communication_ms).toBeCloseTo(r.predicted_ms, 9);
      expect(r.device_ms).toBeLessThan(r.predicted_ms);
      expect(r.categories.optimizer.ms).toBeGreaterThan(0);
      expect(r.fused_gain).toBeGreaterThan(1);
    }
    expect(st.rows[1]!.gemm_shapes.every((g) => g.dtype === 'bf16')).toBe(true);
    expect(st.rows[1]!.categories['gemm-dense'].device_ms).toBeLessThan(st.rows[0]!.categories['gemm-dense'].device_ms);
  });
});

describe('bertc study', () => {
  const tiny = ['study', BERT_PATH, '--config', 'tiny', '--accel', 'h100'];

  it('writes JSON with the documented fields, and progress on stderr', async () => {
    const r = await bertc(...tiny, '--step', '--loss', 'mlm', '--sweep', 'B=2,4', '-f', 'json');
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/^study: point 1\/2: B=2 /m);
    expect(r.err).toMatch(/^study: 2 points in /m);
    const st = JSON.parse(r.out) as Study;
    expect(st.schema).toBe('bertc-study/1');
    expect(st.rows.map((x) => x.point)).toEqual([{ B: 2 }, { B: 4 }]);
    for (const row of st.rows) {
      expect(row.predicted_ms).toBeGreaterThan(0);
      for (const c of STUDY_CATEGORIES) expect(Object.keys(row.categories[c])).toEqual(expect.arrayContaining(['ms', 'share']));
    }
  });

  it('writes CSV, one line per point, and text; the same run twice is byte-identical', async () => {
    const csv = await bertc(...tiny, '--sweep', 'S=8,16', '-f', 'csv');
    expect(csv.code, csv.err).toBe(0);
    const lines = csv.out.trimEnd().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]!.split(',').slice(0, 3)).toEqual(['S', 'accel', 'config']);
    expect(lines[0]).toContain('categories.gemm-attention.share');
    expect((await bertc(...tiny, '--sweep', 'S=8,16', '-f', 'csv')).out).toBe(csv.out);
    const both = await bertc(...tiny, '--accel', 'h100,edge-npu', '--sweep', 'level=0,2', '-f', 'csv');
    const head = both.out.split('\r\n')[0]!.split(',');
    expect(new Set(head).size).toBe(head.length);
    const rows = both.out.trimEnd().split('\r\n').slice(1).map((l) => l.split(','));
    expect(rows.map((r) => [r[head.indexOf('accel')], r[head.indexOf('level')]])).toEqual([['h100', '0'], ['h100', '2'], ['edge-npu', '0'], ['edge-npu', '2']]);
    const gain = rows.map((r) => Number(r[head.indexOf('fused_gain')]));
    expect(gain[0]).toBe(1);
    expect(gain[1]).toBeGreaterThan(1);
    const text = await bertc(...tiny, '--accel', 'h100,edge-npu', '--sweep', 'S=8');
    expect(text.code, text.err).toBe(0);
    expect(text.out).toMatch(/^accel=h100 S=8 +h100 /m);
    expect(text.out).toMatch(/^accel=edge-npu S=8 +edge-npu /m);
    expect(text.out).toContain('Share of device time by category');
  });

  it('writes --output whole, and nothing when it fails', async () => {
    const out = join(dir, 'study.html');
    expect((await bertc(...tiny, '-f', 'html', '-o', out)).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^<!doctype html>[\s\S]*<\/html>\n$/);
    const failed = join(dir, 'failed.json');
    expect((await bertc(...tiny, '--step', '--loss', 'mlm', '--sweep', 'B=3', '--micro-batch', '2', '-o', failed)).code).toBe(2);
    expect(existsSync(failed)).toBe(false);
  });

  it('refuses an accelerator file that is no description as bad input (exit 1), as bertc report does', async () => {
    const bad = join(dir, 'not-an-accelerator.json');
    writeFileSync(bad, '{"name": "x"}');
    const r = await bertc('study', BERT_PATH, '--config', 'tiny', '--accel', bad);
    expect(r.code, r.err).toBe(1);
    expect(r.err).toMatch(/not-an-accelerator\.json: clock_hz: missing/);
    expect(r.err).not.toMatch(/internal compiler error/);
  });

  it.each([
    [['--sweep', 'Q=1,2'], 2, /config 'tiny' has no constant 'Q'/],
    [['--sweep', 'B=2', '--set', 'B=4'], 2, /B is both swept and fixed by --set/],
    [['--accel', 'h100,nope'], 2, /nope/],
    [['--sweep', 'replicas=2'], 2, /micro-batch and replicas divide a training step: add --step --loss NAME/],
    [['--step', '--loss', 'mlm', '--set', 'B=3', '--sweep', 'replicas=2'], 2, /the global batch B = 3 does not divide into 2 replicas x 1 micro-batch/],
    [['--step'], 2, /--step needs --loss NAME/],
    [['--sweep', 'config=tiny,huge'], 2, /'huge' is not a config of/],
    [['--precision', 'f64'], 2, /'f64' is not one of/],
  ])('refuses %j with exit %i and one line', async (more, code, message) => {
    const r = await bertc(...tiny, ...(more as string[]));
    expect(r.code, r.err).toBe(code);
    expect(r.err).toMatch(message as RegExp);
    expect(r.err).not.toMatch(/internal compiler error|\n\s+at /);
    expect(r.err.split('\n').filter((l) => l && !l.startsWith('study: ') && !/^\d+ errors? generated/.test(l)).length).toBeLessThanOrEqual(4);
  });
});
