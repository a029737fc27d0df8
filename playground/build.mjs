// Builds the playground into static files with esbuild: index.html, the page's script, the compile
// worker (the compile core bundled for a browser), CodeMirror, and source-map's WebAssembly
// decoder. The folder can be served as it is by any static file server (over https or from
// 127.0.0.1: WebGPU needs a secure context).
//
//   node playground/build.mjs [OUTDIR]     (default: playground/dist)
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
// @ts-expect-error: a plain ES module script without types
import { noNodeBuiltins } from '../scripts/bundle-core.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_OUT = join(here, 'dist');

/** Builds into `outdir` (replaced whole) and resolves with the files written. */
export async function buildPlayground(outdir = DEFAULT_OUT) {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await esbuild.build({
    entryPoints: { main: join(here, 'src/main.ts'), worker: join(here, 'src/worker.ts') },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    outdir,
    // The wasm decoder is fetched by the worker at run time; the models are shown in the editor.
    loader: { '.wasm': 'file', '.ir': 'text' },
    assetNames: '[name]',
    sourcemap: 'linked',
    minify: true,
    metafile: true,
    logLevel: 'silent',
    plugins: [noNodeBuiltins],
  });
  copyFileSync(join(here, 'index.html'), join(outdir, 'index.html'));
  copyFileSync(join(here, 'playground.css'), join(outdir, 'playground.css'));
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outdir = process.argv[2] ?? DEFAULT_OUT;
  buildPlayground(outdir).then(
    () => console.log(`wrote ${outdir}`),
    (e) => {
      for (const err of e.errors ?? [e]) console.error(`error: ${err.text ?? err.message}${err.location ? ` (${err.location.file}:${err.location.line})` : ''}`);
      process.exit(1);
    },
  );
}
