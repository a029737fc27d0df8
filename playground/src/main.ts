/**
 * The playground page: an IR editor and the compiler's controls on the left; the kernel plan, the
 * fusion report, the cost report, the generated WGSL and C, and a WebGPU run on the right. The
 * compile core runs in a worker (worker.ts), so the page stays interactive while BERT-base
 * compiles; a newer request cancels an older one by replacing the worker.
 */
import bertIr from '../../models/bert.ir';
import { encodeSafetensors, halfValues, PRESETS, type DType, type Tensor } from '../../src/core.js';
import { createEditor } from './editor.js';
import { runOnGpu, type GpuRun } from './gpu.js';
import type { CompileOptions, Compiled, LineMaps, PlacedDiagnostic, Reply, Request, Runnable } from './protocol.js';

const EXAMPLES: Record<string, { text: string; config: string }> = { 'models/bert.ir': { text: bertIr, config: 'tiny' } };

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no element #${id}`);
  return el as T;
};

const ui = {
  example: $<HTMLSelectElement>('example'),
  config: $<HTMLSelectElement>('config'),
  sets: $<HTMLInputElement>('sets'),
  level: $<HTMLSelectElement>('level'),
  passes: $<HTMLInputElement>('passes'),
  precision: $<HTMLSelectElement>('precision'),
  accel: $<HTMLSelectElement>('accel'),
  accelFile: $<HTMLInputElement>('accel-file'),
  status: $('status'),
  problems: $('problems'),
  plan: $('plan'),
  fusion: $('fusion'),
  report: $<HTMLIFrameElement>('report'),
  wgslFile: $<HTMLSelectElement>('wgsl-file'),
  wgsl: $('wgsl'),
  cFile: $<HTMLSelectElement>('c-file'),
  c: $('c'),
  drop: $('drop'),
  weightsFile: $<HTMLInputElement>('weights-file'),
  inputsFile: $<HTMLInputElement>('inputs-file'),
  files: $('files'),
  run: $<HTMLButtonElement>('run'),
  download: $<HTMLButtonElement>('download'),
  runStatus: $('run-status'),
  outputs: $<HTMLTableElement>('outputs'),
  dispatches: $<HTMLTableElement>('dispatches'),
};

// ---------------------------------------------------------------------------------------------
// State

let file = 'models/bert.ir';
let accelJson: { file: string; json: string } | undefined;
/** The accelerator file being read: a compile waits for it, so that one asked for right after the file is chosen uses it. */
let accelRead: Promise<void> = Promise.resolve();
const dropped: { weights?: File; inputs?: File } = {};
let compiled: Compiled | undefined;
let lastRun: { runnable: Runnable; run: GpuRun } | undefined;
/** What the page is doing, for the status line and for tests (whenIdle). */
let busy: Promise<void> = Promise.resolve();

const editor = createEditor($('editor'), bertIr, () => scheduleCompile());

function showError(where: HTMLElement, message: string): void {
  where.textContent = message;
  where.classList.add('error');
}

function showStatus(message: string): void {
  ui.status.textContent = message;
  ui.status.classList.remove('error');
}

// Errors anywhere in the page are shown on it, not only in the console.
window.addEventListener('error', (e) => showError(ui.status, `error in the page: ${e.message}`));
window.addEventListener('unhandledrejection', (e) => showError(ui.status, `error in the page: ${e.reason instanceof Error ? e.reason.message : String(e.reason)}`));

// ---------------------------------------------------------------------------------------------
// The worker

let worker: Worker | undefined;
let pending: { id: number; resolve: (r: Reply) => void; progress: (stage: string) => void } | undefined;
let nextId = 1;

function startWorker(): Worker {
  const w = new Worker(new URL('worker.js', import.meta.url), { type: 'module' });
  w.onmessage = (e: MessageEvent<Reply>) => {
    const r = e.data;
    if (!pending || r.id !== pending.id) return;
    if (r.kind === 'progress') {
      pending.progress(`${r.stage}…`);
      return;
    }
    const p = pending;
    pending = undefined;
    p.resolve(r);
  };
  w.onerror = (e) => {
    const p = pending;
    pending = undefined;
    p?.resolve({ kind: 'crashed', id: p.id, message: e.message || 'the compile worker failed to start' });
  };
  return w;
}

/** Sends a request; one still in flight is cancelled (its worker is replaced) and answers 'superseded'. */
function ask(make: (id: number) => Request, progress: (stage: string) => void, transfer: Transferable[] = []): Promise<Reply | 'superseded'> {
  if (pending) {
    worker?.terminate();
    worker = undefined;
    const p = pending;
    pending = undefined;
    p.resolve({ kind: 'crashed', id: p.id, message: 'superseded' });
  }
  worker ??= startWorker();
  const id = nextId++;
  return new Promise((resolve) => {
    pending = { id, progress, resolve: (r) => resolve(r.kind === 'crashed' && r.message === 'superseded' ? 'superseded' : r) };
    worker!.postMessage(make(id), transfer);
  });
}

// ---------------------------------------------------------------------------------------------
// Compiling

function options(): CompileOptions {
  return {
    text: editor.text(),
    file,
    config: ui.config.value || EXAMPLES[file]?.config,
    sets: ui.sets.value,
    pipeline: ui.level.value === 'custom' ? ui.passes.value : ui.level.value,
    precision: ui.precision.value,
    accel: ui.accel.value === 'file' && accelJson ? accelJson : { preset: ui.accel.value === 'file' ? 'webgpu-generic' : ui.accel.value },
  };
}

function fillConfigs(configs: readonly string[], chosen: string | undefined): void {
  const now = [...ui.config.options].map((o) => o.value);
  if (now.join() !== configs.join()) ui.config.replaceChildren(...configs.map((c) => new Option(c, c)));
  if (chosen !== undefined) ui.config.value = chosen;
}

function showProblems(diagnostics: readonly PlacedDiagnostic[], rendered: string): void {
  editor.show(diagnostics);
  const items = diagnostics.map((d) => {
    const div = document.createElement('div');
    div.className = d.severity;
    div.textContent = `${d.at ? `${file}:${d.at.line}:${d.at.col}: ` : ''}${d.severity}[${d.code}]: ${d.message}`;
    if (d.at) div.addEventListener('click', () => editor.reveal(d.at!.line, d.at!.col));
    return div;
  });
  ui.problems.replaceChildren(...items);
  ui.problems.title = rendered;
}

let timer: ReturnType<typeof setTimeout> | undefined;
function scheduleCompile(): void {
  clearTimeout(timer);
  timer = setTimeout(() => void compileNow(), 400);
}

function compileNow(): Promise<void> {
  clearTimeout(timer);
  const t0 = performance.now();
  const done = accelRead.then(() => ask((id) => ({ kind: 'compile', id, options: options() }), showStatus)).then((r) => {
    if (r === 'superseded') return;
    if (r.kind === 'crashed') return showError(ui.status, `bertc failed (a bug, please report it): ${r.message}`);
    if (r.kind !== 'compiled') {
      if (r.kind === 'failed') {
        fillConfigs(r.configs, undefined);
        showProblems(r.diagnostics, r.rendered);
        const errors = r.diagnostics.filter((d) => d.severity === 'error').length;
        showError(ui.status, `${errors} error${errors === 1 ? '' : 's'}: ${r.diagnostics[0]?.message ?? ''}`);
      }
      return;
    }
    compiled = r.result;
    fillConfigs(r.result.configs, r.result.config);
    showProblems(r.diagnostics, r.rendered);
    showCompiled(r.result);
    const stages = Object.entries(r.result.timings).map(([k, v]) => `${k} ${v.toFixed(0)} ms`).join(', ');
    showStatus(`compiled ${file}${r.result.config ? ` --config ${r.result.config}` : ''} in ${(performance.now() - t0).toFixed(0)} ms (${stages})`);
  });
  busy = busy.then(() => done);
  return done;
}

function showCompiled(c: Compiled): void {
  ui.plan.textContent = c.plan;
  ui.fusion.textContent = c.fusion;
  ui.report.srcdoc = c.reportHtml;
  fillFiles(ui.wgslFile, Object.keys(c.wgsl));
  fillFiles(ui.cFile, Object.keys(c.c));
  showCode(ui.wgsl, c.wgsl, ui.wgslFile.value, c.lines);
  showCode(ui.c, c.c, ui.cFile.value, c.lines);
}

function fillFiles(select: HTMLSelectElement, names: readonly string[]): void {
  const keep = select.value;
  select.replaceChildren(...names.map((n) => new Option(n, n)));
  if (names.includes(keep)) select.value = keep;
}

/** A generated file, a span per line; lines with a source mapping highlight their IR line on hover. */
function showCode(pre: HTMLElement, files: Record<string, string>, name: string, lines: LineMaps): void {
  const map = lines[name] ?? [];
  const spans = (files[name] ?? '').split('\n').map((text, i) => {
    const span = document.createElement('span');
    span.textContent = text || ' ';
    const ir = map[i];
    if (ir) {
      span.className = 'mapped';
      span.dataset['ir'] = String(ir);
      span.title = `${file}:${ir}`;
    }
    return span;
  });
  pre.replaceChildren(...spans);
}

for (const pre of [ui.wgsl, ui.c]) {
  pre.addEventListener('mouseover', (e) => {
    const line = (e.target as HTMLElement).dataset?.['ir'];
    editor.highlight(line ? Number(line) : null);
  });
  pre.addEventListener('mouseleave', () => editor.highlight(null));
}
ui.wgslFile.addEventListener('change', () => compiled && showCode(ui.wgsl, compiled.wgsl, ui.wgslFile.value, compiled.lines));
ui.cFile.addEventListener('change', () => compiled && showCode(ui.c, compiled.c, ui.cFile.value, compiled.lines));

// ---------------------------------------------------------------------------------------------
// Running

function showDropped(): void {
  const say = (what: string, f: File | undefined) => `${what}: ${f ? `${f.name} (${(f.size / 1024).toFixed(0)} KiB)` : 'made up'}`;
  ui.files.textContent = `${say('weights', dropped.weights)}; ${say('inputs', dropped.inputs)}`;
}

function takeFiles(list: FileList | null, role?: 'weights' | 'inputs'): void {
  for (const f of list ?? []) {
    // A dropped file is taken as inputs when its name says so, else as weights.
    const as = role ?? (/input|reference/i.test(f.name) ? 'inputs' : 'weights');
    dropped[as] = f;
  }
  showDropped();
}

ui.weightsFile.addEventListener('change', () => takeFiles(ui.weightsFile.files, 'weights'));
ui.inputsFile.addEventListener('change', () => takeFiles(ui.inputsFile.files, 'inputs'));
ui.drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  ui.drop.classList.add('over');
});
ui.drop.addEventListener('dragleave', () => ui.drop.classList.remove('over'));
ui.drop.addEventListener('drop', (e) => {
  e.preventDefault();
  ui.drop.classList.remove('over');
  takeFiles(e.dataTransfer?.files ?? null);
});

const fmt = (x: number) => (Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(3) : x.toFixed(4));

/** A number already formatted, right-aligned. */
class Num {
  constructor(readonly text: string) {}
}
const us = (x: number) => new Num(Number.isFinite(x) ? x.toFixed(1) : '–');
const ratio = (x: number) => new Num(Number.isFinite(x) ? `${x.toFixed(2)}x` : '–');

function row(cells: readonly (string | number | Num)[], head = false): HTMLTableRowElement {
  const tr = document.createElement('tr');
  for (const c of cells) {
    const td = document.createElement(head ? 'th' : 'td');
    td.textContent = c instanceof Num ? c.text : typeof c === 'number' ? fmt(c) : c;
    if (typeof c !== 'string') td.className = 'num';
    tr.append(td);
  }
  return tr;
}

/** The page's outputs as host tensors by result name, 16-bit floats as their values. */
function outputTensors(r: Runnable, run: GpuRun): Map<string, Tensor> {
  return new Map(Object.entries(r.results).map(([result, source]) => {
    const data = run.outputs[source]!;
    const { shape, dtype } = r.outputs[result]!;
    const values = data instanceof Uint16Array ? halfValues(data, dtype as 'f16' | 'bf16') : data;
    return [result, { dtype: dtype as DType, shape, data: values }];
  }));
}

function showRun(r: Runnable, run: GpuRun): void {
  const head = row(['output', 'shape', 'dtype', 'min', 'max', 'mean', 'first values'], true);
  const rows = [...outputTensors(r, run)].map(([name, t]) => {
    let min = Infinity, max = -Infinity, sum = 0;
    for (const v of t.data) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
    }
    return row([name, `[${t.shape.join(', ')}]`, t.dtype, min, max, sum / t.data.length, Array.from(t.data.slice(0, 4), (v) => fmt(v)).join(', ')]);
  });
  ui.outputs.replaceChildren(head, ...rows);
  if (!run.dispatches) {
    ui.dispatches.replaceChildren(row([`per-dispatch times: not measured, ${run.why}`], true));
    return;
  }
  const dhead = row(['#', 'kernel', `predicted µs (${r.accel})`, `measured µs (${run.adapter})`, 'measured / predicted'], true);
  const drows = run.dispatches.map((d, i) => {
    const p = (r.predicted[d.kernel] ?? NaN) * 1e6;
    return row([String(i), d.kernel, us(p), us(d.ms * 1e3), ratio((d.ms * 1e3) / p)]);
  });
  const total = run.dispatches.reduce((s, d) => s + d.ms, 0);
  const predicted = run.dispatches.reduce((s, d) => s + (r.predicted[d.kernel] ?? 0), 0) * 1e6;
  ui.dispatches.replaceChildren(dhead, ...drows, row(['', 'all dispatches', us(predicted), us(total * 1e3), ratio((total * 1e3) / predicted)]));
}

async function runNow(): Promise<void> {
  ui.run.disabled = true;
  ui.download.disabled = true;
  ui.runStatus.classList.remove('error');
  ui.runStatus.textContent = 'preparing…';
  try {
    const read = async (f: File | undefined) => f && { name: f.name, bytes: await f.arrayBuffer() };
    const weights = await read(dropped.weights);
    const inputs = await read(dropped.inputs);
    const r = await ask(
      (id) => ({ kind: 'prepare-run', id, options: options(), weights, inputs }),
      (stage) => (ui.runStatus.textContent = stage),
      [weights?.bytes, inputs?.bytes].filter((b): b is ArrayBuffer => b !== undefined),
    );
    if (r === 'superseded') return;
    if (r.kind === 'crashed') return showError(ui.runStatus, `bertc failed (a bug, please report it): ${r.message}`);
    if (r.kind === 'failed') {
      showProblems(r.diagnostics, r.rendered);
      return showError(ui.runStatus, r.rendered.trim());
    }
    if (r.kind !== 'runnable') return;
    const runnable = r.result;
    ui.runStatus.textContent = `running on WebGPU at ${Object.entries(runnable.sizes).map(([k, v]) => `${k}=${v}`).join(', ') || 'the config\'s sizes'}…`;
    const run = await runOnGpu(runnable);
    lastRun = { runnable, run };
    showRun(runnable, run);
    ui.download.disabled = false;
    const made = runnable.random.length ? ` (made-up ${runnable.random.join(' and ')})` : '';
    ui.runStatus.textContent = `ran on ${run.adapter}: ${run.wallMs.toFixed(1)} ms a run${made}${r.rendered ? `\n${r.rendered}` : ''}`;
  } catch (e) {
    showError(ui.runStatus, `the WebGPU run failed: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    ui.run.disabled = false;
  }
}

ui.run.addEventListener('click', () => {
  busy = busy.then(() => runNow());
});

ui.download.addEventListener('click', () => {
  if (!lastRun) return;
  const bytes = encodeSafetensors(outputTensors(lastRun.runnable, lastRun.run), { producer: 'bertc playground', model: file, config: options().config ?? '' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([new Uint8Array(bytes)], { type: 'application/octet-stream' }));
  a.download = 'outputs.safetensors';
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
});

// ---------------------------------------------------------------------------------------------
// Controls

ui.example.replaceChildren(...Object.keys(EXAMPLES).map((n) => new Option(n, n)));
ui.accel.replaceChildren(...[...PRESETS.keys()].map((n) => new Option(n, n)), new Option('from a JSON file…', 'file'));
ui.accel.value = 'webgpu-generic';
fillConfigs(['tiny'], 'tiny');
showDropped();

ui.example.addEventListener('change', () => {
  file = ui.example.value;
  editor.setText(EXAMPLES[file]!.text);
  fillConfigs([EXAMPLES[file]!.config], EXAMPLES[file]!.config);
});
ui.level.addEventListener('change', () => {
  ui.passes.hidden = ui.level.value !== 'custom';
  if (ui.level.value !== 'custom') scheduleCompile();
});
ui.accel.addEventListener('change', () => {
  if (ui.accel.value === 'file') ui.accelFile.click();
  else scheduleCompile();
});
ui.accelFile.addEventListener('change', () => {
  const f = ui.accelFile.files?.[0];
  if (!f) return;
  accelRead = f.text().then((json) => {
    accelJson = { file: f.name, json };
  });
  busy = busy.then(() => accelRead);
  scheduleCompile();
});
for (const el of [ui.config, ui.precision]) el.addEventListener('change', () => scheduleCompile());
for (const el of [ui.sets, ui.passes]) el.addEventListener('change', () => scheduleCompile());
$('controls').addEventListener('submit', (e) => {
  e.preventDefault();
  void compileNow();
});
for (const tab of document.querySelectorAll<HTMLButtonElement>('#tabs button')) {
  tab.addEventListener('click', () => {
    for (const t of document.querySelectorAll<HTMLButtonElement>('#tabs button')) {
      t.setAttribute('aria-selected', String(t === tab));
      $(`pane-${t.dataset['pane']}`).hidden = t !== tab;
    }
  });
}

/** For tests and for scripting the page from the console. */
declare global {
  interface Window {
    bertcPlayground: { setText(text: string): void; text(): string; compile(): Promise<void>; whenIdle(): Promise<void> };
  }
}
window.bertcPlayground = {
  setText: (t) => editor.setText(t),
  text: () => editor.text(),
  compile: () => compileNow(),
  whenIdle: async () => {
    for (let seen = busy; ; seen = busy) {
      await seen;
      if (seen === busy && !pending) return;
    }
  },
};

void compileNow();
