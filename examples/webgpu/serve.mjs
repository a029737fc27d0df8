// Serves the example page and a model compiled by `bertc compile --target wgsl --out DIR` on
// http://127.0.0.1, where browsers allow WebGPU (a secure context). The page is at `/` and the
// model's files beside it, so the page finds them with no parameters.
//
// Usage, from the repository root: node examples/webgpu/serve.mjs DIR [--port N]
// N defaults to 8000; 0 picks a free port. The first line printed is the page's URL. Ctrl-C stops it.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { portOf, serveStatic } from '../../scripts/serve-static.mjs';

const USAGE = 'usage: node examples/webgpu/serve.mjs DIR [--port N]   (DIR: the --out folder of bertc compile --target wgsl)';
const PAGE = fileURLToPath(new URL('index.html', import.meta.url));

function fail(message) {
  console.error(`serve.mjs: ${message}\n${USAGE}`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({ allowPositionals: true, options: { port: { type: 'string', default: '8000' }, help: { type: 'boolean' } } });
} catch (e) {
  fail(e.message);
}
if (args.values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (args.positionals.length !== 1) fail('expected one folder');
const root = resolve(args.positionals[0]);
if (!existsSync(resolve(root, 'model.webgpu.json'))) fail(`${root} has no model.webgpu.json; compile a model into it first`);
const port = portOf(args.values.port);
if (typeof port === 'string') fail(port);

serveStatic({ root, page: PAGE, port }).then(
  ({ url }) => {
    console.log(url);
    console.log(`serving the page and ${root}; Ctrl-C stops`);
  },
  (e) => {
    if (e.code === 'EADDRINUSE') fail(`port ${port} is in use; pass --port N (0 picks a free one)`);
    throw e;
  },
);
