/**
 * What the CLI's commands share to read their options: the two kinds of mistake they report (main
 * turns a UsageError into exit 2 and an InputError into exit 1, each one line), --set, and --accel.
 */
import { existsSync } from 'node:fs';
import type { Accelerator } from '../accel/accelerator.js';
import { AcceleratorError, loadAccelerator } from '../accel/load.js';

/** A bad option or combination of options: one line, exit 2. */
export class UsageError extends Error {}
/** Bad input found outside the diagnostics' reach (an accelerator file): one line, exit 1. */
export class InputError extends Error {}

/** `--set NAME=NUMBER[,NAME=NUMBER...]`, repeatable: each constant once. */
export function collectSet(value: string, prev: Map<string, number>): Map<string, number> {
  // commander hands the same default Map to every parse; a copy keeps runs in one process apart.
  const sets = new Map(prev);
  for (const part of value.split(',')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.+?)\s*$/.exec(part);
    const v = m ? Number(m[2]) : NaN;
    if (!m || !Number.isFinite(v)) throw new UsageError(`--set expects NAME=NUMBER, got '${part}'`);
    const before = sets.get(m[1]!);
    if (before !== undefined) throw new UsageError(`--set gives ${m[1]} twice (${before} and ${m[2]}); give each constant once`);
    sets.set(m[1]!, v);
  }
  return sets;
}

/** An unknown name is a usage mistake (exit 2); a file that is not a valid description is bad input (exit 1). */
export function accelOrUsage(name: string): Accelerator {
  try {
    return loadAccelerator(name);
  } catch (e) {
    if (!(e instanceof AcceleratorError)) throw e;
    if (existsSync(name)) throw new InputError(e.message);
    throw new UsageError(e.message);
  }
}

