/**
 * The playground page end to end, as a user meets it: `npm run playground` builds and serves it on
 * 127.0.0.1, headless Chromium opens it (WebGPU on SwiftShader), the page compiles models/bert.ir
 * --config tiny in its worker, shows a broken edit's diagnostic at its line and column, runs the
 * model on the shared reference weights and inputs on the page's WebGPU device, and the outputs it
 * downloads equal the interpreter's and `bertc run --target wgsl`'s.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFile, Session } from '../src/driver.js';
import { readSafetensors } from '../src/io/safetensors.js';
import { startServer } from './support/serve.js';
import { browserAvailable, browserRequired, browserSkipReason, launchBrowser } from './support/browser.js';
import { maxAbsDiff, REFERENCE_PATH, WEIGHTS_PATH } from './support/reference.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BERT = readFileSync(join(ROOT, 'models/bert.ir'), 'utf8');

/** `npm run playground -- --port 0 --out DIR`: resolves with the URL it prints first. */
function servePlayground(out: string) {
  return startServer('playground/serve.mjs', ['--port', '0', '--out', out]);
}

/** `bertc accel show NAME --json`: a description to start from, as the docs suggest. */
async function bertcJson(name: string): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['bin/bertc.js', 'accel', 'show', name, '--json'], { cwd: ROOT });
  return stdout;
}

const idle = (page: Page) => page.evaluate('window.bertcPlayground.whenIdle()');
/** Replaces the editor's text through the page's scripting hook (typing it key by key would take minutes) and compiles. */
async function edit(page: Page, text: string): Promise<void> {
  await page.evaluate(`window.bertcPlayground.setText(${JSON.stringify(text)})`);
  await page.evaluate('window.bertcPlayground.compile()');
  await idle(page);
}
const text = async (page: Page, selector: string) => (await page.textContent(selector)) ?? '';

describe.skipIf(!browserAvailable && !browserRequired)(`the playground page${browserSkipReason ? ` (${browserSkipReason})` : ''}`, () => {
  let dir = '';
  let server: ChildProcess | undefined;
  let url = '';
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bertc-playground-'));
    ({ child: server, url } = await servePlayground(join(dir, 'site')));
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(url);
    await page.waitForFunction('window.bertcPlayground !== undefined');
    await idle(page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    server?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('compiles models/bert.ir --config tiny on load: kernel plan, fusion report, cost report, WGSL and C', async () => {
    expect(await text(page, '#status')).toMatch(/^compiled models\/bert\.ir --config tiny in \d+ ms/);
    expect(await page.inputValue('#config')).toBe('tiny');
    expect(await text(page, '#plan')).toMatch(/kernel k\d+_embedding_add_layernorm \{/);
    expect(await text(page, '#fusion')).toMatch(/fused/);
    const report = await page.frameLocator('#report').locator('body').textContent();
    expect(report).toContain('Time by category');
    expect(await page.locator('#wgsl-file option').count()).toBeGreaterThan(5);
    expect(await text(page, '#wgsl')).toContain('@compute');
    expect(await text(page, '#c')).toContain('bertc_run');
    expect(await page.locator('#problems div').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('highlights the IR line a hovered line of WGSL came from', async () => {
    await page.click('button[data-pane=wgsl]');
    await page.selectOption('#wgsl-file', { index: 1 });
    const line = page.locator('#wgsl span.mapped').first();
    const ir = Number(await line.getAttribute('data-ir'));
    expect(ir).toBeGreaterThan(0);
    await line.hover();
    const highlighted = page.locator('#editor .cm-ir-highlight');
    await expect.poll(() => highlighted.count()).toBe(1);
    expect((await highlighted.textContent())?.trim()).toBe(BERT.split('\n')[ir - 1]!.trim());
  });

  it('shows a broken edit\'s diagnostic at its line and column, in the list and in the editor', async () => {
    const broken = BERT.replace('transpose_b=true) + bias;', 'transpose_b=true) + biass;');
    const lineNo = broken.split('\n').findIndex((l) => l.includes('biass')) + 1;
    const col = broken.split('\n')[lineNo - 1]!.indexOf('biass') + 1;
    await edit(page, broken);
    expect(await text(page, '#problems')).toContain(`models/bert.ir:${lineNo}:${col}: error[E0002]: unknown name 'biass'`);
    expect(await text(page, '#status')).toMatch(/^1 error: unknown name 'biass'/);
    await expect.poll(() => page.locator('#editor .cm-lintRange-error').count()).toBeGreaterThan(0);
    expect(await page.locator('#editor .cm-lintRange-error').first().textContent()).toBe('biass');
    await edit(page, BERT);
    expect(await page.locator('#problems div').count()).toBe(0);
  });

  it('shows a mistake in its controls on the page', async () => {
    await page.fill('#sets', 'B=two');
    await page.evaluate('window.bertcPlayground.compile()');
    await idle(page);
    expect(await text(page, '#status')).toContain("set: expected NAME=NUMBER, got 'B=two'");
    await page.fill('#sets', '');
    await page.evaluate('window.bertcPlayground.compile()');
    await idle(page);
    expect(await text(page, '#status')).toMatch(/^compiled /);
  });

  it('costs for an accelerator described in a JSON file, and says what is wrong with a bad one', async () => {
    const json = JSON.parse((await bertcJson('h100')) as string) as Record<string, unknown>;
    const mine = { ...json, name: 'my-h100' };
    await page.click('button[data-pane=report]');
    await page.selectOption('#accel', 'file');
    await page.setInputFiles('#accel-file', { name: 'my-h100.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(mine)) });
    await page.evaluate('window.bertcPlayground.compile()');
    await idle(page);
    expect(await text(page, '#status')).toMatch(/^compiled /);
    expect(await page.frameLocator('#report').locator('body').textContent()).toContain('my-h100');
    await page.setInputFiles('#accel-file', { name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ ...mine, clock_hz: -1 })) });
    await page.evaluate('window.bertcPlayground.compile()');
    await idle(page);
    expect(await text(page, '#status')).toMatch(/^1 error: .*bad\.json/);
    await page.selectOption('#accel', 'webgpu-generic');
    await page.evaluate('window.bertcPlayground.compile()');
    await idle(page);
    expect(await text(page, '#status')).toMatch(/^compiled /);
  });

  it('runs bert tiny on the dropped reference files on WebGPU: the downloaded outputs equal the interpreter\'s and bertc run --target wgsl\'s', async () => {
    await page.click('button[data-pane=run]');
    await page.setInputFiles('#weights-file', WEIGHTS_PATH);
    await page.setInputFiles('#inputs-file', REFERENCE_PATH);
    await page.click('#run');
    await idle(page);
    expect(await text(page, '#run-status')).toMatch(/^ran on .*: [\d.]+ ms a run/);
    expect(await page.locator('#outputs tr').count()).toBe(3);
    // Per-dispatch times where the device has timestamp queries (SwiftShader has), next to the predictions.
    expect(await page.locator('#dispatches tr').count()).toBeGreaterThan(10);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    const got = readSafetensors(await download.path());

    const want = async (target: 'interp' | 'wgsl') => {
      const output = join(dir, `${target}.safetensors`);
      await runFile(new Session(), 'models/bert.ir', { weights: WEIGHTS_PATH, inputs: REFERENCE_PATH, output }, { config: 'tiny', target });
      return readSafetensors(output);
    };
    const interp = await want('interp');
    const wgsl = await want('wgsl');
    for (const name of ['last_hidden_state', 'pooler_output']) {
      expect(got.info(name).shape).toEqual(interp.info(name).shape);
      expect(maxAbsDiff(got.get(name), interp.get(name)), name).toBeLessThan(1e-5);
      expect(maxAbsDiff(got.get(name), wgsl.get(name)), name).toBeLessThanOrEqual(1e-6);
    }
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('runs on made-up weights and inputs when no file is given, and says what is wrong with a file that is not safetensors', async () => {
    const fresh = await browser!.newPage();
    try {
      await fresh.goto(url);
      await fresh.waitForFunction('window.bertcPlayground !== undefined');
      await idle(fresh);
      await fresh.click('button[data-pane=run]');
      await fresh.click('#run');
      await idle(fresh);
      expect(await text(fresh, '#run-status')).toMatch(/^ran on .* \(made-up inputs and weights\)/);
      expect(await fresh.locator('#outputs tr').count()).toBe(3);
      await fresh.setInputFiles('#weights-file', { name: 'broken.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.from('not a safetensors file') });
      await fresh.click('#run');
      await idle(fresh);
      expect(await text(fresh, '#run-status')).toMatch(/error\[E0025\]: broken\.safetensors is not a safetensors file/);
      expect(await fresh.getAttribute('#run-status', 'class')).toBe('error');
      // Files dropped on the pane: the one whose name says so is the inputs, the other the weights.
      await fresh.evaluate(() => {
        const dt = new DataTransfer();
        dt.items.add(new File(['x'], 'my_inputs.safetensors'));
        dt.items.add(new File(['y'], 'model.safetensors'));
        document.getElementById('drop')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      });
      expect(await text(fresh, '#files')).toBe('weights: model.safetensors (0 KiB); inputs: my_inputs.safetensors (0 KiB)');
    } finally {
      await fresh.close();
    }
  }, 60_000);

  it('compiles BERT-base in its worker, saying which stage it is at, and shows its report', async () => {
    // Every text the status line shows, so that the stages are seen however fast they pass.
    await page.evaluate(`window.statusSeen = []; new MutationObserver(() => window.statusSeen.push(document.getElementById('status').textContent)).observe(document.getElementById('status'), { childList: true, characterData: true, subtree: true })`);
    await page.selectOption('#config', 'base');
    await page.evaluate('window.bertcPlayground.compile()');
    await idle(page);
    expect(await text(page, '#status')).toMatch(/^compiled models\/bert\.ir --config base in \d+ ms/);
    const seen = (await page.evaluate('window.statusSeen')) as string[];
    expect(seen).toEqual(expect.arrayContaining(['parsing…', 'elaborating and optimising…', 'costing…', 'generating WGSL…', 'generating C…']));
    const report = await page.frameLocator('#report').locator('body').textContent();
    expect(report).toContain('Time by category');
    expect(await text(page, '#plan')).toContain('encoder.layer.11');
  }, 60_000);
});
