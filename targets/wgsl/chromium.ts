/**
 * Runs a compiled WebGPU model (a manifest, its WGSL and its weights) in headless Chromium from
 * Node, through targets/wgsl/runtime.js: the robust way to execute WGSL on a machine without a GPU
 * (Chromium's SwiftShader adapter), and the engine a browser user of the model runs. Dawn's Node
 * binding is not used because it crashes intermittently (shared/docs/webgpu-on-cpu.md).
 *
 * Each call starts a small HTTP server on 127.0.0.1 (WebGPU needs a secure context, which
 * about:blank is not) and a fresh browser, and always closes both. Failures in the page (no
 * WebGPU, WGSL errors, a lost device, a crashed page) reject with the page's own message; nothing
 * is retried.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { encodeSafetensors } from '../../src/io/safetensors.js';
import { halfValues } from './hostTensors.js';
import type { CompilationMessage, Manifest, ManifestBuffer, Model } from './runtime.js';
import { runtimeFiles } from './compile.js';

export { halfBits, halfValues } from './hostTensors.js';

// ---------------------------------------------------------------------------------------------
// The browser

/** Debian's chromium, the browser the WebGPU path is tested with. */
export const CHROMIUM = '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM);
export const chromiumMissing = `${CHROMIUM} is not installed (apt-get install -y chromium)`;

/** For a sandbox-less root machine with no network; WebGPU on SwiftShader where there is no GPU. */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-webgpu-adapter=swiftshader',
];

export async function launchBrowser(): Promise<Browser> {
  if (!chromiumAvailable) throw new Error(chromiumMissing);
  // Imported here because playwright-core is a devDependency: the CLI loads this module without it.
  let playwright: typeof import('playwright-core');
  try {
    playwright = await import('playwright-core');
  } catch {
    throw new Error('playwright-core is not installed; it drives Chromium for WebGPU runs (npm install --save-dev playwright-core)');
  }
  return playwright.chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}

// ---------------------------------------------------------------------------------------------
// Running a model

export interface ChromiumJob {
  manifest: Manifest;
  shaders: Record<string, string>;
  /** The bytes of a safetensors file holding every weight buffer's `source` tensor as F32 (or I32, F16, BF16). */
  weights: Uint8Array;
  /**
   * By input name (each input buffer's `source`): the typed array of the buffer's dtype,
   * Float32Array for f32, Int32Array for i32 and Uint16Array of the bits for f16 and bf16 (halfBits);
   * int64 ids must have been converted to Int32Array.
   */
  inputs: Record<string, Int32Array | Float32Array | Uint16Array>;
  seed?: number;
  /** How many times to run (the outputs are the last run's); 1 by default. */
  runs?: number;
  /**
   * A training run instead (a model compiled with `--step`): one model.step() per entry, with the
   * entry's tensors (the step's optimizer scalars) added to `inputs`. The outputs are the last
   * step's, and `tracked` collects the outputs named in `track` after every step.
   */
  steps?: Record<string, Float32Array>[];
  track?: string[];
  /** Gives up on the page after this long; 5 minutes by default (SwiftShader is slow on big models). */
  timeoutMs?: number;
}

export interface AdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
}

export interface ChromiumResult {
  /** By output name: Float32Array for f32 outputs and the values of f16 and bf16 ones, Int32Array for i32 ones. */
  outputs: Record<string, Float32Array | Int32Array>;
  /** By output name, the bits the page read back of each f16 and bf16 output. */
  bits: Record<string, Uint16Array>;
  /** The form each 16-bit float dtype ran in (Manifest.forms): native f16 only on a device with shader-f16. */
  forms: Model['forms'];
  /** Every shader's messages, warnings included (errors make the run fail instead). */
  compilation: CompilationMessage[];
  adapter: AdapterInfo;
  /** Wall time of each run in the page, in ms; on SwiftShader it says nothing about a GPU. */
  timesMs: number[];
  /** With `steps`: the `track`ed outputs after each step. */
  tracked: Record<string, number[]>[];
}

/** What a failed run's error carries besides its message. */
export interface ChromiumRunError extends Error {
  compilation?: CompilationMessage[];
}

/** The page's side: the same steps as examples/webgpu/index.html, answering in JSON-safe values. */
const HARNESS = String.raw`
import { createModel, openDevice, parseSafetensors } from './runtime.js';

async function get(path) {
  const r = await fetch(path);
  if (!r.ok) throw new Error('GET ' + path + ': HTTP ' + r.status);
  return r;
}

// Chunks keep String.fromCharCode within the engine's argument limit.
function base64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

const info = (a) => ({ vendor: a.info.vendor, architecture: a.info.architecture, device: a.info.device, description: a.info.description });

// A job's files are served under a prefix, so that one page can run several jobs in turn.
window.bertcRun = async (prefix = '') => {
  let device;
  try {
    const job = await (await get(prefix + 'job.json')).json();
    const weights = parseSafetensors(await (await get(prefix + 'weights.safetensors')).arrayBuffer());
    const inputs = {};
    // 16-bit float inputs travel as I32 tensors of their bits (jobFiles): the buffers take the bits.
    const halves = new Set(job.manifest.buffers.filter((b) => b.kind === 'input' && (b.dtype === 'f16' || b.dtype === 'bf16')).map((b) => b.source ?? b.name));
    for (const [name, t] of parseSafetensors(await (await get(prefix + 'inputs.safetensors')).arrayBuffer())) inputs[name] = halves.has(name) ? Uint16Array.from(t.data) : t.data;
    const opened = await openDevice(job.manifest);
    device = opened.device;
    const model = await createModel(device, job.manifest, job.shaders, weights);
    const timesMs = [];
    let outputs = {};
    const tracked = [];
    const steps = job.steps && parseSafetensors(await (await get(prefix + 'steps.safetensors')).arrayBuffer());
    for (let i = 0; i < job.runs; i++) {
      const t0 = performance.now();
      if (steps) {
        const extra = {};
        for (const [name, t] of steps) if (name.startsWith(i + '/')) extra[name.slice(name.indexOf('/') + 1)] = t.data;
        // Only the tracked outputs come back until the last step, whose outputs are the result.
        const last = i === job.runs - 1;
        outputs = await model.step({ inputs: { ...inputs, ...extra }, seed: job.seed, read: last ? undefined : job.track });
        tracked.push(Object.fromEntries(job.track.map((n) => [n, Array.from(outputs[n])])));
      } else {
        outputs = await model.run({ inputs, seed: job.seed });
      }
      timesMs.push(performance.now() - t0);
    }
    model.destroy();
    return {
      ok: true,
      // The bytes alone: Node reads them as the manifest's output buffers' dtypes say.
      outputs: Object.entries(outputs).map(([name, a]) => ({ name, base64: base64(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)) })),
      compilation: model.compilationMessages,
      forms: model.forms,
      adapter: info(opened.adapter),
      timesMs,
      tracked,
    };
  } catch (e) {
    return { ok: false, error: String(e && e.message || e), compilation: e && e.compilationMessages };
  } finally {
    device?.destroy();
  }
};

window.bertcProbe = async () => {
  if (!navigator.gpu) return { ok: false, why: 'navigator.gpu is undefined' };
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) return { ok: false, why: 'requestAdapter() found no adapter' };
  const device = await adapter.requestDevice();
  device.destroy();
  return { ok: true, adapter: info(adapter) };
};
`;

// The empty icon saves a request for /favicon.ico, whose 404 would be a console error.
const PAGE = '<!doctype html><meta charset="utf-8"><title>bertc WebGPU harness</title><link rel="icon" href="data:,"><script type="module" src="harness.js"></script>';

type PageAnswer =
  | { ok: true; outputs: { name: string; base64: string }[]; compilation: CompilationMessage[]; forms: Model['forms']; adapter: AdapterInfo; timesMs: number[]; tracked: Record<string, number[]>[] }
  | { ok: false; error: string; compilation?: CompilationMessage[] };

export async function runInChromium(job: ChromiumJob): Promise<ChromiumResult> {
  const [r] = await runManyInChromium([job], job.timeoutMs);
  if (r instanceof Error) throw r;
  return r!;
}

/**
 * Runs several jobs one after another in one page of one browser (starting Chromium takes longer
 * than running a small model): each job's result, or the error it failed with.
 */
export async function runManyInChromium(jobs: readonly ChromiumJob[], timeoutMs?: number): Promise<(ChromiumResult | ChromiumRunError)[]> {
  const files: ServedFiles = {};
  jobs.forEach((job, i) => Object.assign(files, jobFiles(job, `${i}/`)));
  return withRuntimePage(files, async (page) => {
    const results: (ChromiumResult | ChromiumRunError)[] = [];
    for (let i = 0; i < jobs.length; i++) results.push(answerOf(jobs[i]!, (await page.evaluate(`window.bertcRun('${i}/')`)) as PageAnswer));
    return results;
  }, timeoutMs);
}

/** The typed array that holds each manifest dtype on the host, both ways across the page (16-bit floats as their bits). */
const HOST_ARRAYS = { f32: Float32Array, i32: Int32Array, f16: Uint16Array, bf16: Uint16Array } as const satisfies Record<ManifestBuffer['dtype'], unknown>;

/** `an Int32Array`, `a Float32Array`. */
const article = (name: string): string => `${/^[AEIOU]/i.test(name) ? 'an' : 'a'} ${name}`;

/** A manifest's buffers of one kind by the tensor name they hold (`source`, else the buffer's name). */
function buffersOf(manifest: Manifest, kind: ManifestBuffer['kind']): Map<string, ManifestBuffer> {
  return new Map(manifest.buffers.filter((b) => b.kind === kind).map((b) => [b.source ?? b.name, b]));
}

function jobFiles(job: ChromiumJob, prefix: string): ServedFiles {
  const runs = job.steps ? job.steps.length : job.runs ?? 1;
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`runInChromium: runs must be a positive integer, got ${runs}`);
  const ins = buffersOf(job.manifest, 'input');
  const inputs = new Map(
    Object.entries(job.inputs).map(([name, data]) => {
      const b = ins.get(name);
      if (!b) throw new Error(`runInChromium: unknown input '${name}' (the model's inputs are: ${[...ins.keys()].join(', ') || 'none'})`);
      const host = HOST_ARRAYS[b.dtype];
      if (!(data instanceof host)) {
        const got = (data as object | undefined)?.constructor?.name ?? typeof data;
        throw new Error(`runInChromium: input '${name}' is ${article(got)}, its buffer '${b.name}' holds ${b.dtype}: pass ${article(host.name)}${b.dtype === 'i32' ? ' (convert int64 ids to Int32Array)' : ''}`);
      }
      // 16-bit bits travel as I32 (the harness makes them a Uint16Array again), so that no NaN's payload is lost on the way.
      if (data instanceof Uint16Array) return [name, { dtype: 'i32' as const, shape: [data.length], data: Int32Array.from(data) }];
      return [name, { dtype: b.dtype, shape: [data.length], data }];
    }),
  );
  return {
    [`${prefix}job.json`]: { type: 'application/json', body: JSON.stringify({ manifest: job.manifest, shaders: job.shaders, seed: job.seed ?? 0, runs, steps: job.steps !== undefined, track: job.track ?? [] }) },
    ...(job.steps && { [`${prefix}steps.safetensors`]: { type: 'application/octet-stream', body: encodeSafetensors(stepTensors(job.steps)) } }),
    [`${prefix}weights.safetensors`]: { type: 'application/octet-stream', body: job.weights },
    [`${prefix}inputs.safetensors`]: { type: 'application/octet-stream', body: encodeSafetensors(inputs) },
  };
}

/** Each step's tensors under `<step>/<name>`, so that one file carries them all. */
function stepTensors(steps: readonly Record<string, Float32Array>[]): Map<string, { dtype: 'f32'; shape: number[]; data: Float32Array }> {
  return new Map(steps.flatMap((t, i) => Object.entries(t).map(([name, data]) => [`${i}/${name}`, { dtype: 'f32' as const, shape: [data.length], data }])));
}

function answerOf(job: ChromiumJob, answer: PageAnswer): ChromiumResult | ChromiumRunError {
  if (!answer.ok) {
    const error: ChromiumRunError = new Error(`WebGPU run of ${job.manifest.model} in Chromium failed: ${answer.error}`);
    if (answer.compilation) error.compilation = answer.compilation;
    return error;
  }
  const outs = buffersOf(job.manifest, 'output');
  const outputs: Record<string, Float32Array | Int32Array> = {};
  const bits: Record<string, Uint16Array> = {};
  for (const o of answer.outputs) {
    const b = outs.get(o.name);
    if (!b) return new Error(`WebGPU run of ${job.manifest.model} in Chromium: the page returned output '${o.name}', which the manifest does not list`);
    // Copied into a fresh ArrayBuffer: a Buffer's bytes may sit at an offset that is not 4-aligned.
    const bytes = new Uint8Array(Buffer.from(o.base64, 'base64')).buffer;
    const data = new HOST_ARRAYS[b.dtype](bytes);
    if (data instanceof Uint16Array) {
      bits[o.name] = data;
      outputs[o.name] = halfValues(data, b.dtype as 'f16' | 'bf16');
    } else {
      outputs[o.name] = data;
    }
  }
  return { outputs, bits, compilation: answer.compilation, forms: answer.forms, adapter: answer.adapter, timesMs: answer.timesMs, tracked: answer.tracked };
}

/** Whether this machine can run WebGPU in headless Chromium, and if not, why; never throws. */
export async function webgpuAvailable(): Promise<{ ok: boolean; why?: string; adapter?: AdapterInfo }> {
  if (!chromiumAvailable) return { ok: false, why: chromiumMissing };
  try {
    type Probe = { ok: boolean; why?: string; adapter?: AdapterInfo };
    const answer = await withRuntimePage({}, async (page) => (await page.evaluate('window.bertcProbe()')) as Probe, 60_000);
    return answer.ok ? answer : { ok: false, why: `WebGPU is not available in this browser: ${answer.why}` };
  } catch (e) {
    return { ok: false, why: (e as Error).message };
  }
}

// ---------------------------------------------------------------------------------------------
// Plumbing

/** Files served beside the page, by path relative to it. */
export type ServedFiles = Record<string, { type: string; body: string | Uint8Array }>;

/**
 * Serves a page with runtime.js (import it as './runtime.js') and what it imports, the harness and
 * `files`; opens it in a fresh headless Chromium and hands it to `fn`; closes the browser and the
 * server whatever happens. Rejects when the page crashes, Chromium exits, the page throws an
 * uncaught error or `timeoutMs` passes. runInChromium is built on it; it is exported for tests and
 * for debugging a model by hand (e.g. `model.read()` of intermediates).
 */
export async function withRuntimePage<T>(files: ServedFiles, fn: (page: Page) => Promise<T>, timeoutMs = 300_000): Promise<T> {
  const all: ServedFiles = {
    '': { type: 'text/html', body: PAGE },
    'harness.js': { type: 'text/javascript', body: HARNESS },
    ...Object.fromEntries(Object.entries(runtimeFiles()).map(([name, body]) => [name, { type: 'text/javascript', body }])),
    ...files,
  };
  const server = await serve(all);
  let browser: Browser | undefined;
  let timer: NodeJS.Timeout | undefined;
  // Chromium's own console errors, quoted when the page dies without a message of its own.
  const consoleErrors: string[] = [];
  try {
    browser = await launchBrowser();
    const page: Page = await browser.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    const died = new Promise<never>((_, reject) => {
      const fail = (what: string) => () => reject(new Error(`${what}${consoleErrors.length ? `; console errors: ${consoleErrors.slice(-5).join(' | ')}` : ''}`));
      page.on('crash', fail('the Chromium page crashed'));
      browser!.on('disconnected', fail('Chromium exited unexpectedly'));
      page.on('pageerror', (e) => reject(new Error(`uncaught error in the page: ${e.message}`)));
      timer = setTimeout(fail(`the page did not answer within ${timeoutMs / 1000} s`), timeoutMs);
    });
    died.catch(() => {}); // Only its race below matters.
    const work = (async () => {
      await page.goto(server.url);
      // Waits for the harness module itself rather than trusting what goto's 'load' implies about it.
      await page.waitForFunction('typeof window.bertcRun === "function"');
      return await fn(page);
    })();
    work.catch(() => {}); // When `died` wins, closing the browser makes this reject too.
    return await Promise.race([work, died]);
  } finally {
    clearTimeout(timer);
    await browser?.close().catch(() => {});
    // Browsers keep connections alive; close() alone would wait for them to time out.
    server.server.closeAllConnections();
    await new Promise((resolve) => server.server.close(resolve));
  }
}

async function serve(files: ServedFiles): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname.slice(1);
    const file = req.method === 'GET' && Object.hasOwn(files, path) ? files[path] : undefined;
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}
