import { readFileSync } from 'node:fs';
import { repositoryFile } from '../common/files.js';
import { writeFolderAtomic } from '../../src/io/output.js';
import type { WgslFiles } from './module.js';

/** runtime.js, relative to the repository root: `bertc compile --target wgsl` copies it beside the shaders. */
export const RUNTIME_JS = 'targets/wgsl/runtime.js';

/** Writes model.webgpu.json, one .wgsl (and .wgsl.map) per kernel and runtime.js into `dir`. */
export function writeWgsl(f: WgslFiles, dir: string, extra: Readonly<Record<string, string>> = {}): string[] {
  return writeFolderAtomic(dir, {
    'model.webgpu.json': `${JSON.stringify(f.manifest, null, 2)}\n`,
    ...f.shaders,
    ...f.maps,
    'runtime.js': readFileSync(repositoryFile(RUNTIME_JS), 'utf8'),
    ...extra,
  });
}
