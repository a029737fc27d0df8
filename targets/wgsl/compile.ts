import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repositoryFile } from '../common/files.js';
import { writeFolderAtomic } from '../../src/io/output.js';
import type { WgslFiles } from './module.js';

/** runtime.js, relative to the repository root: `bertc compile --target wgsl` copies it beside the shaders. */
export const RUNTIME_JS = 'targets/wgsl/runtime.js';
/**
 * The safetensors layout rules that runtime.js imports as './safetensors-layout.js', relative to the
 * repository root. Read from there even by the CLI: dist/ has tsc's copy, which names a source map.
 */
export const SAFETENSORS_LAYOUT_JS = 'src/io/safetensorsLayout.js';

/** runtime.js and the module it imports, by their names beside the shaders. */
export function runtimeFiles(): Record<string, string> {
  return {
    'runtime.js': readFileSync(repositoryFile(RUNTIME_JS), 'utf8'),
    'safetensors-layout.js': readFileSync(join(dirname(repositoryFile('package.json')), SAFETENSORS_LAYOUT_JS), 'utf8'),
  };
}

/** Writes model.webgpu.json, one .wgsl (and .wgsl.map) per kernel and runtimeFiles() into `dir`. */
export function writeWgsl(f: WgslFiles, dir: string, extra: Readonly<Record<string, string>> = {}): string[] {
  return writeFolderAtomic(dir, {
    'model.webgpu.json': `${JSON.stringify(f.manifest, null, 2)}\n`,
    ...f.shaders,
    ...f.maps,
    ...runtimeFiles(),
    ...extra,
  });
}
