import { closeSync, fsyncSync, mkdtempSync, openSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { DiagnosticError, diagnosticError } from '../diag/diagnostics.js';
import { fsReason } from './readInput.js';

/** A destination bertc cannot or must not write: the user's or the environment's problem, not a bug. */
const cannotWrite = (detail: string) => diagnosticError('E0028', { detail });

/**
 * Where bertc writes: one file (a report, outputs) or one folder of generated code. Both are
 * written beside their destination first and renamed into place, so a failure leaves the
 * destination exactly as it was, and a reader never sees a mix of old and new files.
 */

/** Marks a folder as bertc's output, so that a later compile may replace it whole. */
const MARKER = '.bertc-output';

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw cannotWrite(`cannot write ${path}: ${fsReason(e)}`);
  }
}

/** The folder a destination goes into must exist: bertc creates the destination, not its parents' chain. */
function requireParent(path: string, what: string): string {
  const parent = dirname(resolve(path));
  const st = statOrUndefined(parent);
  if (!st) throw cannotWrite(`cannot write ${what} ${path}: the folder ${dirname(path)} does not exist`);
  if (!st.isDirectory()) throw cannotWrite(`cannot write ${what} ${path}: ${dirname(path)} is a file, not a folder`);
  return parent;
}

/**
 * Fails when `output` is one of the files a command reads: writing it would destroy the input
 * before (or while) it is read. Compared by device and inode, so links and `./` spellings count.
 */
export function requireDistinct(output: string, inputs: readonly string[]): void {
  const out = statOrUndefined(output);
  for (const input of inputs) {
    const st = statOrUndefined(input);
    if (resolve(input) === resolve(output) || (out && st && out.dev === st.dev && out.ino === st.ino)) {
      throw cannotWrite(`--output ${output} is also an input of this command (${input}); write the result to another file`);
    }
  }
}

/** Checks, before any work, that a file could be written at `path`; returns the folder it goes into. */
export function checkFileDestination(path: string): string {
  const parent = requireParent(path, 'the file');
  if (statOrUndefined(path)?.isDirectory()) throw cannotWrite(`cannot write the file ${path}: it is a folder`);
  return parent;
}

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const parent = checkFileDestination(path);
  let staging: string | undefined;
  try {
    staging = mkdtempSync(join(parent, `.${basename(path)}.bertc-`));
    const tmp = join(staging, basename(path));
    const fd = openSync(tmp, 'wx');
    try {
      writeFileSync(fd, data);
      // Without the fsync a crash soon after the rename can leave an empty file on some file systems.
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    if (e instanceof DiagnosticError) throw e;
    throw cannotWrite(`cannot write the file ${path}: ${fsReason(e)}`);
  } finally {
    if (staging) rmSync(staging, { recursive: true, force: true });
  }
}

/** Checks, before any work, that `dir` may be created or replaced by generated files. */
export function checkFolderDestination(dir: string): void {
  requireParent(dir, 'the folder');
  const st = statOrUndefined(dir);
  if (!st) return;
  if (!st.isDirectory()) throw cannotWrite(`cannot write the folder ${dir}: it is a file`);
  const entries = readdirSync(dir);
  if (entries.length > 0 && !entries.includes(MARKER)) {
    const shown = entries.slice(0, 3).join(', ') + (entries.length > 3 ? ', ...' : '');
    throw cannotWrite(`will not replace ${dir}: it holds files bertc did not write (${shown}); give a new or empty folder, or one a previous bertc compile wrote`);
  }
}

/**
 * Writes `files` as the whole content of `dir`: into a sibling staging folder, which then takes
 * the place of `dir`. On failure `dir` is exactly as before; on success it holds these files and
 * nothing else. Returns the names written.
 */
export function writeFolderAtomic(dir: string, files: Readonly<Record<string, string | Uint8Array>>): string[] {
  checkFolderDestination(dir);
  const parent = dirname(resolve(dir));
  const name = basename(resolve(dir));
  let staging: string | undefined;
  let retired: string | undefined;
  try {
    staging = mkdtempSync(join(parent, `.${name}.bertc-`));
    for (const [file, data] of Object.entries(files)) writeFileSync(join(staging, file), data);
    writeFileSync(join(staging, MARKER), 'written by bertc compile; a later compile to this folder replaces it whole\n');
    if (statOrUndefined(dir)) {
      retired = mkdtempSync(join(parent, `.${name}.old-`));
      renameSync(dir, join(retired, name));
    }
    try {
      renameSync(staging, dir);
    } catch (e) {
      if (retired) renameSync(join(retired, name), dir);
      throw e;
    }
    staging = undefined;
  } catch (e) {
    if (e instanceof DiagnosticError) throw e;
    throw cannotWrite(`cannot write the folder ${dir}: ${fsReason(e)}`);
  } finally {
    if (staging) rmSync(staging, { recursive: true, force: true });
    if (retired) rmSync(retired, { recursive: true, force: true });
  }
  return Object.keys(files).sort();
}
