/**
 * examples/webgpu/README.md, followed as a user would: compile the tiny model with the CLI, serve it
 * with examples/webgpu/serve.mjs on 127.0.0.1, open the page in headless Chromium, choose the shared
 * reference weights and inputs, run, and compare the outputs with Hugging Face's in the reference
 * file. The CLI is the built one (`npx bertc`, from dist/), as in the README.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTensor } from '../src/interp/tensor.js';
import { encodeSafetensors } from '../src/io/safetensors.js';
import { startServer } from './support/serve.js';
import { browserAvailable, browserRequired, browserSkipReason, launchBrowser } from './support/browser.js';
import { maxAbsDiff, reference, REFERENCE_PATH, WEIGHTS_PATH } from './support/reference.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const execFileAsync = promisify(execFile);

/** `node examples/webgpu/serve.mjs DIR --port 0`: resolves with the URL it prints first. */
function serveExample(dir: string) {
  return startServer('examples/webgpu/serve.mjs', [dir, '--port', '0']);
}

interface PageRun {
  state: string;
  error: string;
  log: string;
  outputs: Record<string, number[]>;
}

/** Opens the page, chooses the files as the README says, presses Run and waits for the end. */
async function runPage(page: Page, url: string, weights: string, inputs: string): Promise<PageRun> {
  await page.goto(`${url}?runs=1`);
  await page.waitForFunction('document.body.dataset.state !== "loading"');
  await page.setInputFiles('#weights', weights);
  await page.setInputFiles('#inputs', inputs);
  await page.click('#run');
  await page.waitForFunction('["done", "failed"].includes(document.body.dataset.state)', undefined, { timeout: 60_000 });
  return (await page.evaluate(`({
    state: document.body.dataset.state,
    error: document.getElementById('error').textContent,
    log: document.getElementById('log').textContent,
    outputs: Object.fromEntries(Object.entries(window.bertcOutputs ?? {}).map(([k, v]) => [k, Array.from(v)])),
  })`)) as PageRun;
}

describe.skipIf(!browserAvailable && !browserRequired)(`examples/webgpu as its README says${browserSkipReason ? ` (${browserSkipReason})` : ''}`, () => {
  let dir = '';
  let server: ChildProcess | undefined;
  let url = '';
  let browser: Browser | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bertc-webgpu-example-'));
    const model = join(dir, 'out');
    await execFileAsync('npx', ['bertc', 'compile', 'models/bert.ir', '--config', 'tiny', '--target', 'wgsl', '--out', model], { cwd: ROOT });
    ({ child: server, url } = await serveExample(model));
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    server?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs the reference inputs, ignoring the file\'s other tensors, within 1e-4 of Hugging Face', async () => {
    const page = await browser!.newPage();
    const r = await runPage(page, url, WEIGHTS_PATH, REFERENCE_PATH);
    expect(r.error).toBe('');
    expect(r.state).toBe('done');
    expect(r.log).toMatch(/bert_tiny_reference\.safetensors: took input_ids, token_type_ids, attention_mask; ignored \d+ other tensors/);
    expect(Object.keys(r.outputs).sort()).toEqual(['last_hidden_state', 'pooler_output']);
    for (const [name, data] of Object.entries(r.outputs)) {
      const hf = reference.get(name);
      expect(maxAbsDiff(makeTensor('f32', hf.shape, Float32Array.from(data)), hf), name).toBeLessThan(1e-4);
    }
  });

  it('takes I64 ids, as PyTorch saves them, narrowed to i32 by runtime.js', async () => {
    const i64 = join(dir, 'i64_inputs.safetensors');
    const names = ['input_ids', 'token_type_ids', 'attention_mask'];
    writeFileSync(i64, encodeSafetensors(new Map(names.map((n) => [n, makeTensor('i64', reference.get(n).shape, Float64Array.from(reference.get(n).data))]))));
    const page = await browser!.newPage();
    const r = await runPage(page, url, WEIGHTS_PATH, i64);
    expect(r.error).toBe('');
    expect(r.state).toBe('done');
    const hf = reference.get('last_hidden_state');
    expect(maxAbsDiff(makeTensor('f32', hf.shape, Float32Array.from(r.outputs.last_hidden_state!)), hf)).toBeLessThan(1e-4);
  });

  it('says which input is wrong in the model\'s terms, as runtime.js words it (it stops at the first, in input order)', async () => {
    const bad = join(dir, 'bad_inputs.safetensors');
    const ids = makeTensor('i32', [2, 17]);
    const types = makeTensor('f32', [2, 16]);
    writeFileSync(bad, encodeSafetensors(new Map([['input_ids', ids], ['token_type_ids', types]])));
    const page = await browser!.newPage();
    const r = await runPage(page, url, WEIGHTS_PATH, bad);
    expect(r.state).toBe('failed');
    expect(r.error).toBe("model compiled from models/bert.ir: input 'input_ids' is i32[2, 17], the model takes i32[2, 16]");
  });

  it('refuses an input with the right number of elements in the wrong shape', async () => {
    const reshaped = join(dir, 'reshaped_inputs.safetensors');
    const names = ['input_ids', 'token_type_ids', 'attention_mask'];
    writeFileSync(reshaped, encodeSafetensors(new Map(names.map((n) => [n, makeTensor('i32', [4, 8], Int32Array.from(reference.get(n).data))]))));
    const page = await browser!.newPage();
    const r = await runPage(page, url, WEIGHTS_PATH, reshaped);
    expect(r.state).toBe('failed');
    expect(r.error).toBe("model compiled from models/bert.ir: input 'input_ids' is i32[4, 8], the model takes i32[2, 16]");
  });
});
