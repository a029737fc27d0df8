import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
