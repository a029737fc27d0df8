import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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
