import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { repositoryFile } from '../common/files.js';
import { writeFolderAtomic } from '../../src/io/output.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Module } from '../../src/kernel/module.js';
import { isOptimizerInput, stateUpdates, stepResults } from '../../src/ir/adamw.js';
import type { DType } from '../../src/ir/dtype.js';
import type { NamedValue } from '../../src/ir/graph.js';
import type { Node } from '../../src/ir/node.js';
import { numel } from '../../src/ir/shape.js';
import { makeTensor, type Tensor, type TensorData } from '../../src/interp/tensor.js';
import { bf16BitsToF32, f16BitsToF32, f32ToBf16Bits, f32ToF16Bits } from '../../src/io/halfFloat.js';
import { C_DTYPES } from '../common/renderer.js';
import { DEFAULT_CFLAGS, generateC, REQUIRED_CFLAGS, type COptions } from './module.js';

/** The runtime header every generated model.c includes; it is copied next to it. */
export const RUNTIME_HEADER = 'targets/c/runtime/bertc_runtime.h';

/**
 * Writes the generated files (and the runtime header) into `dir`: into a temporary folder first,
 * moved into place only when everything was written, so a failure leaves nothing half-written.
 */
export function writeC(m: Module, opts: COptions, dir: string, extra: Readonly<Record<string, string>> = {}): string[] {
  return writeFolderAtomic(dir, { ...generateC(m, opts), 'bertc_runtime.h': readFileSync(repositoryFile(RUNTIME_HEADER), 'utf8'), ...extra });
}

export interface CBuildOptions {
  /** The C compiler; default `cc`. */
  readonly cc?: string;
  /** Flags replacing DEFAULT_CFLAGS (targets/c/module.ts); REQUIRED_CFLAGS come first whatever they are. */
  readonly cflags?: readonly string[];
}


/** What to build in a folder of generated C: the harness beside model.c and its extra flags. */
export interface CHarness {
  readonly main: string;
  readonly exe: string;
  readonly flags?: readonly string[];
}

const MAIN: CHarness = { main: 'main.c', exe: 'model' };

/**
 * Compiles model.c and the harness in `dir`. A missing compiler or a failure with the user's own
 * compiler or flags is the user's problem (CRunError); generated code that our default toolchain
 * rejects is a bug in bertc.
 */
export function buildC(dir: string, opts: CBuildOptions = {}, harness: CHarness = MAIN): string {
  const exe = join(dir, harness.exe);
  const args = [...REQUIRED_CFLAGS, ...(harness.flags ?? []), ...(opts.cflags ?? DEFAULT_CFLAGS), '-o', exe, join(dir, harness.main), join(dir, 'model.c'), '-lm'];
  const cc = opts.cc ?? 'cc';
  try {
    execFileSync(cc, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: Buffer };
    if (err.code === 'ENOENT') throw new CRunError(`the C compiler '${cc}' was not found: install it, or name another with --cc`);
    if (err.code === 'EACCES') throw new CRunError(`the C compiler '${cc}' cannot be executed: permission denied`);
    const failure = `the C compiler failed (${cc} ${args.join(' ')}):\n${err.stderr?.toString() ?? err.message}`;
    if (opts.cflags || opts.cc) throw new CRunError(failure);
    throw new Error(failure);
  }
  return exe;
}

/** The harness's raw little-endian elements of a dtype, to and from the interpreter's tensor data. */
interface HostForm {
  readonly encode: (values: readonly number[]) => ArrayBufferView;
  readonly decode: (bytes: ArrayBufferLike) => TensorData;
}

/**
 * By dtype (i64 held as the interpreter holds it, in a Float64Array). f16 and bf16 travel as their
 * bits (src/io/halfFloat.ts's rounding, as a safetensors F16 or BF16 tensor holds them) and come
 * back as their values in a Float32Array, as the interpreter holds them.
 */
const HOST_FORMS: Readonly<Partial<Record<DType, HostForm>>> = {
  f32: { encode: (v) => Float32Array.from(v), decode: (b) => new Float32Array(b) },
  f16: { encode: (v) => Uint16Array.from(v, f32ToF16Bits), decode: (b) => Float32Array.from(new Uint16Array(b), f16BitsToF32) },
  bf16: { encode: (v) => Uint16Array.from(v, f32ToBf16Bits), decode: (b) => Float32Array.from(new Uint16Array(b), bf16BitsToF32) },
  i32: { encode: (v) => Int32Array.from(v), decode: (b) => new Int32Array(b) },
  i64: { encode: (v) => BigInt64Array.from(v, (x) => BigInt(Math.trunc(x))), decode: (b) => Float64Array.from(new BigInt64Array(b), Number) },
  bool: { encode: (v) => Uint8Array.from(v), decode: (b) => new Uint8Array(b) },
};

function hostForm(d: DType): HostForm {
  const f = HOST_FORMS[d];
  if (!f) throw new Error(`internal: the C harness has no host form for ${d} tensors`);
  return f;
}

/** Input nodes' tensors as the harness reads them: back to back, raw little-endian, each in its own dtype. */
function encodeTensors(nodes: readonly Node[], tensors: ReadonlyMap<string, Tensor>): Buffer {
  return Buffer.concat(nodes.map((n) => {
    const t = tensors.get(n.attr<string>('name'))!;
    const typed = hostForm(n.type.dtype).encode(Array.from(t.data as ArrayLike<number>));
    return Buffer.from(typed.buffer, typed.byteOffset, typed.byteLength);
  }));
}

/** The inputs as the harness reads them: back to back, raw little-endian, each in its own dtype. */
export function encodeInputs(m: Module, inputs: ReadonlyMap<string, Tensor>): Buffer {
  return encodeTensors(m.graph.inputs, inputs);
}

/** The outputs the harness wrote, by name, each in its own dtype (i64 as the interpreter holds it). */
export function decodeOutputs(m: Module, raw: Buffer): Map<string, Tensor> {
  return decodeTensors(m.graph.outputs, raw);
}

function decodeTensors(outputs: readonly NamedValue[], raw: Buffer): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  let at = 0;
  for (const o of outputs) {
    const { dtype, shape } = o.node.type;
    const bytes = numel(shape) * C_DTYPES[dtype].bytes;
    const copy = raw.buffer.slice(raw.byteOffset + at, raw.byteOffset + at + bytes);
    out.set(o.name, makeTensor(dtype, shape, hostForm(dtype).decode(copy)));
    at += bytes;
  }
  return out;
}

/** Runs a built model on inputs, with the interpreter's contract: outputs by name. */
export function runBuilt(m: Module, exe: string, weights: string, inputs: ReadonlyMap<string, Tensor>, seed: number): Map<string, Tensor> {
  const work = mkdtempSync(join(tmpdir(), 'bertc-run-'));
  try {
    writeFileSync(join(work, 'in.bin'), encodeInputs(m, inputs));
    runHarness(exe, [weights, join(work, 'in.bin'), join(work, 'out.bin'), String(seed >>> 0)], 'the compiled model');
    return decodeOutputs(m, readFileSync(join(work, 'out.bin')));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Runs a built training step `steps.length` times in one process (the harness's --steps mode, which
 * calls bertc_step): the batch once, each step's optimizer scalars. `onStep` hears each step's loss
 * as soon as the step is done (the harness prints it). Returns the outputs that are not next values
 * of weights, for each step, and the weights and moments after the last step.
 */
export async function trainBuilt(
  m: Module, exe: string, weights: string, batch: ReadonlyMap<string, Tensor>, steps: readonly ReadonlyMap<string, Tensor>[], seed: number,
  onStep: (step: number, loss: number) => void = () => {},
): Promise<{ perStep: Map<string, Tensor>[]; final: Map<string, Tensor> }> {
  const batchInputs = m.graph.inputs.filter((n) => !isOptimizerInput(n));
  const scalarInputs = m.graph.inputs.filter(isOptimizerInput);
  const perStepOutputs = stepResults(m.graph);
  const work = mkdtempSync(join(tmpdir(), 'bertc-train-'));
  try {
    writeFileSync(join(work, 'batch.bin'), encodeTensors(batchInputs, batch));
    writeFileSync(join(work, 'scalars.bin'), Buffer.concat(steps.map((s) => encodeTensors(scalarInputs, s))));
    const args = ['--steps', String(steps.length), weights, join(work, 'batch.bin'), join(work, 'scalars.bin'), join(work, 'out.bin'), String(seed >>> 0)];
    await streamHarness(exe, args, 'the compiled training step', (line) => {
      const step = /^step (\d+) loss ([0-9a-f]{8})$/.exec(line);
      if (step) onStep(Number(step[1]), new Float32Array(Uint32Array.of(parseInt(step[2]!, 16)).buffer)[0]!);
    });
    const raw = readFileSync(join(work, 'out.bin'));
    const perStepBytes = perStepOutputs.reduce((s, o) => s + numel(o.node.type.shape) * C_DTYPES[o.node.type.dtype].bytes, 0);
    const perStep = steps.map((_, t) => decodeTensors(perStepOutputs, raw.subarray(t * perStepBytes, (t + 1) * perStepBytes)));
    const final = decodeTensors([...stateUpdates(m.graph).values()], raw.subarray(steps.length * perStepBytes));
    return { perStep, final };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Runs the harness, handing each line it prints to `onLine` as it comes; failure as in runHarness. */
function streamHarness(exe: string, args: readonly string[], what: string, onLine: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(exe, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const stderr: Buffer[] = [];
    let pending = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop()!;
      lines.forEach(onLine);
    });
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (e) => reject(new CRunError(`${what} could not start: ${e.message}`)));
    child.on('close', (status, signal) => (status === 0 ? resolve() : reject(harnessFailure(what, status, signal, Buffer.concat(stderr).toString()))));
  });
}

/** Runs the harness; its failure (bad input, or a crash) is a CRunError naming `what` ran. */
function runHarness(exe: string, args: readonly string[], what: string): void {
  try {
    execFileSync(exe, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stderr?: Buffer; status?: number | null; signal?: string | null; message: string };
    throw harnessFailure(what, err.status ?? null, err.signal ?? null, err.stderr?.toString().trim() || err.message);
  }
}

/** How a harness run that did not exit 0 is reported: what ran, how it ended, and what it printed. */
function harnessFailure(what: string, status: number | null, signal: string | null, stderr: string): CRunError {
  return new CRunError(`${what} ${signal ? `was killed by ${signal}` : `exited with ${status}`}: ${stderr.trim()}`);
}

/** The compiled model failed at run time (bad input, or a crash): reported, not thrown as a bug. */
export class CRunError extends Error {}
