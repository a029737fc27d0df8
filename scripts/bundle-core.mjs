// Bundles the compile core (src/core.ts, the package entry `bertc/core`) for a browser with esbuild.
// The core must import no Node built-in; a bundle that needs one fails, naming the importer. One
// dependency file is known to mention one without needing it in a browser: source-map's lib/url.js
// reads `require("url")` only where no global URL exists, which every browser has; it alone is
// given an empty module.
//
//   node scripts/bundle-core.mjs [OUTFILE]     (default: dist/bertc-core.browser.js)
import { builtinModules } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const TOLERATED = [{ importer: `${sep}source-map${sep}lib${sep}url.js`, module: 'url' }];

/** Fails a bundle that reaches a Node built-in, naming the importer (the playground's build uses it too). */
export const noNodeBuiltins = {
  name: 'no-node-builtins',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      if (!BUILTINS.has(args.path)) return undefined;
      if (TOLERATED.some((t) => args.importer.endsWith(t.importer) && t.module === args.path)) return { path: args.path, namespace: 'empty' };
      return { errors: [{ text: `the compile core must not import the Node built-in '${args.path}' (imported by ${args.importer.slice(root.length + 1)})` }] };
    });
    build.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

/** Resolves with esbuild's result; rejects with its errors when the core needs Node. */
export function bundleCore(outfile) {
  return esbuild.build({
    entryPoints: [join(root, 'src/core.ts')],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: outfile !== undefined,
    outfile,
    metafile: true,
    logLevel: 'silent',
    plugins: [noNodeBuiltins],
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outfile = process.argv[2] ?? join(root, 'dist/bertc-core.browser.js');
  bundleCore(outfile).then(
    (r) => console.log(`wrote ${outfile} (${Object.keys(r.metafile.inputs).length} modules)`),
    (e) => {
      for (const err of e.errors ?? [e]) console.error(`error: ${err.text ?? err.message}`);
      process.exit(1);
    },
  );
}
