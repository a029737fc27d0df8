import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { repositoryFile, writeFilesAtomically } from '../common/files.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Module } from '../../src/kernel/module.js';
import { byteSize } from '../../src/ir/dtype.js';
import { numel } from '../../src/ir/shape.js';
import { makeTensor, type Tensor } from '../../src/interp/tensor.js';
import { generateC, type COptions } from './module.js';

/** The runtime header every generated model.c includes; it is copied next to it. */
const RUNTIME_HEADER = 'targets/c/runtime/bertc_runtime.h';

/**
 * Writes the generated files (and the runtime header) into `dir`: into a temporary folder first,
 * moved into place only when everything was written, so a failure leaves nothing half-written.
 */
export function writeC(m: Module, opts: COptions, dir: string, extra: Readonly<Record<string, string>> = {}): string[] {
  return writeFilesAtomically(dir, { ...generateC(m, opts), 'bertc_runtime.h': readFileSync(repositoryFile(RUNTIME_HEADER), 'utf8'), ...extra });
}

export interface CBuildOptions {
  /** The C compiler; default `cc`. */
  readonly cc?: string;
  /** Flags replacing the default `-O3 -march=native`. */
  readonly cflags?: readonly string[];
}

export const DEFAULT_CFLAGS = ['-O3', '-march=native'];

/** Compiles model.c and main.c in `dir` into `dir/model`; a compiler error is reported with its output. */
export function buildC(dir: string, opts: CBuildOptions = {}): string {
  const exe = join(dir, 'model');
  const args = ['-std=c11', '-fopenmp', ...(opts.cflags ?? DEFAULT_CFLAGS), '-o', exe, join(dir, 'main.c'), join(dir, 'model.c'), '-lm'];
  try {
    execFileSync(opts.cc ?? 'cc', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    throw new Error(`the C compiler failed (${opts.cc ?? 'cc'} ${args.join(' ')}):\n${err.stderr?.toString() ?? err.message}`);
  }
  return exe;
}

/** Runs a built model on inputs, with the interpreter's contract: outputs by name. */
export function runBuilt(m: Module, exe: string, weights: string, inputs: ReadonlyMap<string, Tensor>, seed: number): Map<string, Tensor> {
  const work = mkdtempSync(join(tmpdir(), 'bertc-run-'));
  try {
    const parts = m.graph.inputs.map((n) => {
      const t = inputs.get(n.attr<string>('name'))!;
      const typed = n.type.dtype === 'i32' ? Int32Array.from(t.data as ArrayLike<number>) : Float32Array.from(t.data as ArrayLike<number>);
      return Buffer.from(typed.buffer, typed.byteOffset, typed.byteLength);
    });
    writeFileSync(join(work, 'in.bin'), Buffer.concat(parts));
    try {
      execFileSync(exe, [weights, join(work, 'in.bin'), join(work, 'out.bin'), String(seed >>> 0)], { stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      const err = e as { stderr?: Buffer; status?: number; signal?: string; message: string };
      const why = err.signal ? `was killed by ${err.signal}` : `exited with ${err.status}`;
      throw new CRunError(`the compiled model ${why}: ${err.stderr?.toString().trim() || err.message}`);
    }
    const raw = readFileSync(join(work, 'out.bin'));
    const out = new Map<string, Tensor>();
    let at = 0;
    for (const o of m.graph.outputs) {
      const bytes = numel(o.node.type.shape) * byteSize(o.node.type.dtype);
      const data = new Float32Array(raw.buffer.slice(raw.byteOffset + at, raw.byteOffset + at + bytes));
      out.set(o.name, makeTensor('f32', o.node.type.shape, data));
      at += bytes;
    }
    return out;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The compiled model failed at run time (bad input, or a crash): reported, not thrown as a bug. */
export class CRunError extends Error {}
