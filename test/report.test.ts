import { afterAll, describe, expect, it } from 'vitest';
import { PRESETS } from '../src/accel/presets.js';
import { plan, Session } from '../src/driver.js';
import { LEVELS } from '../passes/registry.js';
import { buildReport, type Report } from '../src/report/build.js';
import { renderHtml } from '../src/report/html.js';
import { renderMarkdown, renderText } from '../src/report/text.js';
import { browserAvailable, browserRequired, browserSkipReason, launchBrowser } from './support/browser.js';
import type { Browser } from 'playwright-core';

function report(accel: string, sets: Record<string, number>, train: boolean): Report {
  const s = new Session();
  const a = PRESETS.get(accel)!;
  // A relative path, so that the goldens' source locations do not depend on the checkout's place.
  const p = plan(s, 'models/bert.ir', { config: 'base', sets: new Map(Object.entries(sets)), train, pipeline: LEVELS.O2!, accel: a });
  return buildReport({ file: 'models/bert.ir', config: 'base', sets, pipeline: p.records.map((r) => r.step).join(','), stages: p.stages }, a);
}

const h100 = report('h100', { B: 32, S: 128 }, true);
const edge = report('edge-npu', { B: 1, S: 128 }, false);

describe('the cost report', () => {
  it('has the documented JSON fields', () => {
    expect(h100.schema).toBe('bertc-report/1');
    expect(Object.keys(h100.totals).sort()).toEqual(['bytes', 'flops', 'kernels', 'predicted_s']);
    for (const k of h100.kernels) {
      for (const f of ['name', 'category', 'flops', 'bytes', 'predicted_s', 'bound', 'source'] as const) expect(k[f], f).toBeDefined();
    }
    expect(h100.accelerator.name).toBe('h100');
    expect(h100.totals.predicted_s).toBeCloseTo(h100.kernels.reduce((s, k) => s + k.predicted_s, 0), 12);
  });

  it('shows that fusion and tiling cut bytes and time', () => {
    const first = h100.passes[0]!;
    const last = h100.passes[h100.passes.length - 1]!;
    expect(first.after).toBe('unfused');
    expect(last.bytes).toBeLessThan(first.bytes / 2);
    expect(last.predicted_s).toBeLessThan(first.predicted_s);
    expect(last.kernels).toBeLessThan(first.kernels / 2);
  });

  it('tells attention GEMMs from dense ones and rates each shape against peak', () => {
    const dense = (r: Report) => r.gemm_shapes.filter((g) => g.category === 'gemm' && g.m >= 128);
    const attention = (r: Report) => r.gemm_shapes.filter((g) => g.category === 'attention-gemm');
    expect(attention(h100)).toHaveLength(2);
    // P.V has n = 64: half of every 128-wide array tile idles, so it is the worst GEMM on the H100.
    expect(Math.min(...attention(h100).map((g) => g.fraction_of_peak))).toBeLessThan(Math.min(...dense(h100).map((g) => g.fraction_of_peak)));
    // On a systolic array the short k = 64 pays a fill and drain of 64 cycles per 32x32 tile.
    expect(Math.max(...attention(edge).map((g) => g.fraction_of_peak))).toBeLessThan(Math.min(...dense(edge).map((g) => g.fraction_of_peak)));
  });

  it('matches the golden text and JSON reports (regenerate with vitest -u)', async () => {
    await expect(renderText(h100)).toMatchFileSnapshot('./report/bert-base-h100-train.txt');
    await expect(`${JSON.stringify(h100, null, 2)}\n`).toMatchFileSnapshot('./report/bert-base-h100-train.json');
    await expect(renderText(edge)).toMatchFileSnapshot('./report/bert-base-edge-npu.txt');
    await expect(`${JSON.stringify(edge, null, 2)}\n`).toMatchFileSnapshot('./report/bert-base-edge-npu.json');
  });

  it('renders Markdown with one table per section', () => {
    const md = renderMarkdown(edge);
    expect(md.match(/^## /gm)).toHaveLength(4);
    expect(md).toContain('| kernel | category |');
  });
});

describe.skipIf(!browserAvailable && !browserRequired)(`the HTML report in headless Chromium${browserSkipReason ? ` (${browserSkipReason})` : ''}`, () => {
  let browser: Browser | undefined;
  afterAll(async () => browser?.close());

  it('draws the roofline and the category bar', async () => {
    browser = await launchBrowser();
    const page = await browser.newPage();
    await page.setContent(renderHtml(h100));
    const shown = await page.evaluate(() => {
      const box = (sel: string) => {
        const r = document.querySelector(sel)!.getBoundingClientRect();
        return r.width * r.height;
      };
      return {
        points: document.querySelectorAll('#roofline circle.kernel').length,
        roofs: document.querySelectorAll('#roofline polyline.roof').length,
        shares: document.querySelectorAll('#categories rect.share').length,
        rooflineArea: box('#roofline'),
        pointArea: box('#roofline circle.kernel'),
        barWidth: [...document.querySelectorAll('#categories rect.share')].reduce((s, r) => s + r.getBoundingClientRect().width, 0),
        tables: document.querySelectorAll('table').length,
      };
    });
    expect(shown.points).toBe(h100.kernels.filter((k) => k.bytes > 0 && k.flops > 0).length);
    expect(shown.roofs).toBe(2);
    expect(shown.shares).toBe(h100.categories.filter((c) => c.share > 0).length);
    expect(shown.rooflineArea).toBeGreaterThan(100_000);
    expect(shown.pointArea).toBeGreaterThan(0);
    expect(shown.barWidth).toBeCloseTo(720, 0);
    expect(shown.tables).toBe(4);
  });
});
