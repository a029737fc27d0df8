/**
 * The study page in headless Chromium: every plot has axes, axis labels and one series per
 * category (or per GEMM class, or per accelerator and precision), drawn with a size.
 */
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { EDGE_NPU, H100 } from '../src/accel/presets.js';
import { STUDY_CATEGORIES } from '../src/study/row.js';
import { renderStudyHtml } from '../src/study/html.js';
import { runStudy } from '../src/study/run.js';
import { parseSweep } from '../src/study/sweep.js';
import { browserAvailable, browserRequired, browserSkipReason, launchBrowser } from './support/browser.js';
import { BERT_PATH } from './support/reference.js';

const quiet = () => undefined;
const study = runStudy(
  {
    file: BERT_PATH, config: 'tiny', sets: new Map(), accels: [H100, EDGE_NPU], level: 2, precision: 'f32', step: { loss: 'mlm', clip: false }, train: false, microBatches: 1, replicas: 1,
    axes: [{ key: 'accel', values: ['h100', 'edge-npu'] }, parseSweep('B=2,4')],
  },
  quiet,
  quiet,
);

describe.skipIf(!browserAvailable && !browserRequired)(`the study page in headless Chromium${browserSkipReason ? ` (${browserSkipReason})` : ''}`, () => {
  let browser: Browser | undefined;
  afterAll(async () => browser?.close());

  it('draws three plots, each with axes, labels and its series', async () => {
    browser = await launchBrowser();
    const page = await browser.newPage();
    await page.setContent(renderStudyHtml(study));
    const plots = await page.evaluate(() =>
      [...document.querySelectorAll('svg.plot')].map((svg) => {
        const area = (el: Element | null) => {
          const r = el?.getBoundingClientRect();
          return r ? r.width * r.height : 0;
        };
        return {
          id: svg.id,
          area: area(svg),
          xAxis: area(svg.querySelector('g.axis.x')) + (svg.querySelector('g.axis.x line')?.getBoundingClientRect().width ?? 0),
          yAxis: (svg.querySelector('g.axis.y line')?.getBoundingClientRect().height ?? 0),
          xTicks: svg.querySelectorAll('g.axis.x text').length,
          yTicks: svg.querySelectorAll('g.axis.y text').length,
          labels: [...svg.querySelectorAll('text.axis-label')].map((t) => t.textContent ?? ''),
          series: [...svg.querySelectorAll('g.series')].map((g) => g.getAttribute('data-series') ?? ''),
          marks: [...svg.querySelectorAll('g.series')].map((g) => [...g.querySelectorAll('rect, circle')].filter((m) => area(m) > 0).length),
          legend: svg.querySelectorAll('g.legend text').length,
        };
      }),
    );
    expect(plots.map((p) => p.id)).toEqual(['shares', 'roofline', 'memory']);
    for (const p of plots) {
      expect(p.area, p.id).toBeGreaterThan(100_000);
      expect(p.xAxis, p.id).toBeGreaterThan(300);
      expect(p.yAxis, p.id).toBeGreaterThan(200);
      expect(p.xTicks, p.id).toBeGreaterThanOrEqual(2);
      expect(p.yTicks, p.id).toBeGreaterThanOrEqual(2);
      expect(p.labels.filter((l) => l.trim().length > 3), p.id).toHaveLength(2);
      expect(p.legend, p.id).toBe(p.series.length);
    }
    const [shares, roofline, memory] = plots as [(typeof plots)[number], (typeof plots)[number], (typeof plots)[number]];
    // One series per category, one bar segment per point in each.
    expect(shares.series).toEqual([...STUDY_CATEGORIES]);
    expect(shares.xTicks).toBe(study.rows.length);
    expect(shares.marks.reduce((s, n) => s + n, 0)).toBe(STUDY_CATEGORIES.reduce((s, c) => s + study.rows.filter((r) => r.categories[c].share > 0).length, 0));
    // One point per GEMM shape of every point, by GEMM class.
    expect(roofline.series).toEqual(['gemm', 'attention-gemm']);
    expect(roofline.marks.reduce((s, n) => s + n, 0)).toBe(study.rows.reduce((s, r) => s + r.gemm_shapes.length, 0));
    // Memory against batch: a series per accelerator and precision, a point per row.
    expect(memory.series).toEqual(['h100 f32', 'edge-npu f32']);
    expect(memory.marks).toEqual([2, 2]);
    expect(memory.labels).toContain('batch rows per device and micro-batch');
    const reasons = await page.evaluate(() => [...document.querySelectorAll('h2')].map((h) => h.textContent));
    expect(reasons).toContain('GEMM shapes of accel=h100 B=2');
  });
});
