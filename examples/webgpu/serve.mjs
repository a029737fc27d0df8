// Serves the example page and a model compiled by `bertc compile --target wgsl --out DIR` on
// http://127.0.0.1, where browsers allow WebGPU (a secure context). The page is at `/` and the
// model's files beside it, so the page finds them with no parameters. Only node: built-ins.
//
// Usage, from the repository root: node examples/webgpu/serve.mjs DIR [--port N]
// N defaults to 8000; 0 picks a free port. The first line printed is the page's URL. Ctrl-C stops it.
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';

const USAGE = 'usage: node examples/webgpu/serve.mjs DIR [--port N]   (DIR: the --out folder of bertc compile --target wgsl)';
const PAGE = new URL('index.html', import.meta.url);
const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wgsl': 'text/plain',
  '.txt': 'text/plain',
};

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
const port = Number(args.values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port wants an integer in 0..65535, got '${args.values.port}'`);

/** The file a URL path names: the page for `/`, else a file under root, or null for a path that leaves root. */
function fileFor(pathname) {
  if (pathname === '/' || pathname === '/index.html') return PAGE;
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  // The URL parser has resolved '..' segments, but a decoded '%2F' can still make new ones.
  const path = resolve(root, `.${decoded}`);
  return path.startsWith(root + sep) ? path : null;
}

const server = createServer(async (req, res) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  const file = fileFor(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
  const body = file && (await readFile(file).catch(() => null));
  if (!body) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    return;
  }
  const type = TYPES[extname(String(file))] ?? 'application/octet-stream';
  // no-store: a recompiled model is picked up by a reload.
  res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(req.method === 'HEAD' ? undefined : body);
});
server.on('error', (e) => {
  if (e.code === 'EADDRINUSE') fail(`port ${port} is in use; pass --port N (0 picks a free one)`);
  throw e;
});
server.listen(port, '127.0.0.1', () => {
  console.log(`http://127.0.0.1:${server.address().port}/`);
  console.log(`serving the page and ${root}; Ctrl-C stops`);
});
