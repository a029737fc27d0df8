import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFilesAtomically } from '../common/files.js';
import type { WgslFiles } from './module.js';

/** runtime.js, which `bertc compile --target wgsl` copies beside the shaders (from the sources or dist/). */
export function runtimeSource(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const p of [join(here, 'runtime.js'), join(here, '..', '..', '..', 'targets', 'wgsl', 'runtime.js')]) {
    try {
      return readFileSync(p, 'utf8');
    } catch {
      continue;
    }
  }
  throw new Error('internal: targets/wgsl/runtime.js not found');
}

/** Writes model.webgpu.json, one .wgsl (and .wgsl.map) per kernel and runtime.js into `dir`. */
export function writeWgsl(f: WgslFiles, dir: string, extra: Readonly<Record<string, string>> = {}): string[] {
  return writeFilesAtomically(dir, {
    'model.webgpu.json': `${JSON.stringify(f.manifest, null, 2)}\n`,
    ...f.shaders,
    ...f.maps,
    'runtime.js': runtimeSource(),
    ...extra,
  });
}
