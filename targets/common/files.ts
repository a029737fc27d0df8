import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Writes generated files into `dir`: into a temporary folder inside it first, moved into place only
 * when every file was written, so that a failure leaves nothing half-written. Returns the names.
 */
export function writeFilesAtomically(dir: string, files: Readonly<Record<string, string>>): string[] {
  mkdirSync(dir, { recursive: true });
  const staging = mkdtempSync(join(dir, '.bertc-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(staging, name), text);
    for (const name of Object.keys(files)) renameSync(join(staging, name), join(dir, name));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return Object.keys(files).sort();
}

/**
 * The path of a file the repository ships beside the code (a runtime, a probe), given relative to
 * the repository root: found by walking up from this module, so that it works from the sources
 * (vitest) and from dist/ (the CLI), which tsc does not copy such files into.
 */
export function repositoryFile(relative: string): string {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    const path = join(dir, relative);
    if (existsSync(path)) return path;
    if (dirname(dir) === dir) throw new Error(`internal: ${relative} not found above ${start}`);
  }
}
