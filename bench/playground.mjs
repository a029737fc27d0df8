// The playground page in headless Chromium (Debian's chromium, WebGPU on SwiftShader): how long a
// compile takes from pressing Compile to the cost report shown, for bert tiny and BERT-base, as
// medians over fresh page loads; and, with --screenshot FILE, a picture of the page after a run of
// bert tiny on the shared reference files (docs/playground.png is made this way).
//
//   node bench/playground.mjs [--runs N] [--screenshot FILE]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { buildPlayground } from '../playground/build.mjs';
import { serveStatic } from '../scripts/serve-static.mjs';
import { median, option, positiveOption } from './options.mjs';

const runs = positiveOption('--runs', 5);
const screenshot = option('--screenshot', undefined);
const reference = fileURLToPath(new URL('../../shared/reference/', import.meta.url));
// The flags targets/wgsl/chromium.ts launches with: WebGPU on SwiftShader where there is no GPU.
const FLAGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-webgpu-adapter=swiftshader'];

const dir = mkdtempSync(join(tmpdir(), 'bertc-playground-bench-'));
const { server, url } = await (async () => {
  await buildPlayground(dir);
  return serveStatic({ root: dir });
})();
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: FLAGS });

/** A fresh page compiled for `config`: ms from the click to the report in its frame, and the page's own stage timings. */
async function timeCompile(config) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    await page.goto(url);
    await page.waitForFunction('window.bertcPlayground !== undefined');
    await page.evaluate('window.bertcPlayground.whenIdle()');
    await page.click('button[data-pane=report]');
    await page.selectOption('#config', config);
    await page.click('#compile');
    const t0 = Date.now();
    await page.evaluate('window.bertcPlayground.whenIdle()');
    await page.frameLocator('#report').locator('text=Time by category').first().waitFor();
    const ms = Date.now() - t0;
    const status = (await page.textContent('#status')) ?? '';
    if (!status.startsWith(`compiled models/bert.ir --config ${config}`)) throw new Error(`the page did not compile ${config}: ${status}`);
    return { ms, status };
  } finally {
    await page.close();
  }
}

try {
  console.log(`playground compile in headless Chromium ${browser.version()}, ${runs} fresh page loads each (median; the page's last status line)`);
  console.log('| config | click to report, ms (median) | min | max | stages of the last run |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const config of ['tiny', 'base']) {
    const times = [];
    let status = '';
    for (let i = 0; i < runs; i++) ({ ms: times[i], status } = await timeCompile(config));
    console.log(`| ${config} | ${median(times)} | ${Math.min(...times)} | ${Math.max(...times)} | ${status.replace(/^compiled [^(]*/, '')} |`);
  }
  if (screenshot) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await page.goto(url);
    await page.waitForFunction('window.bertcPlayground !== undefined');
    await page.evaluate('window.bertcPlayground.whenIdle()');
    await page.click('button[data-pane=run]');
    await page.setInputFiles('#weights-file', join(reference, 'bert_tiny.safetensors'));
    await page.setInputFiles('#inputs-file', join(reference, 'bert_tiny_reference.safetensors'));
    await page.click('#run');
    await page.evaluate('window.bertcPlayground.whenIdle()');
    await page.screenshot({ path: screenshot });
    console.log(`wrote ${screenshot}`);
  }
} finally {
  await browser.close();
  server.close();
  rmSync(dir, { recursive: true, force: true });
}
