// A static file server on 127.0.0.1, where browsers allow WebGPU (a secure context): the example
// page with a compiled model (examples/webgpu/serve.mjs) and the playground (playground/serve.mjs).
// Only node: built-ins.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.wgsl': 'text/plain',
  '.txt': 'text/plain',
};

/** `--port`'s value, or a message saying what is wrong with it. */
export function portOf(text) {
  const port = Number(text);
  return Number.isInteger(port) && port >= 0 && port <= 65535 ? port : `--port wants an integer in 0..65535, got '${text}'`;
}

/**
 * Serves the files under `root` (and `page` for `/`, when given; else root's index.html); resolves
 * with the server and its URL once it listens. A port in use rejects with EADDRINUSE.
 */
export function serveStatic({ root, page, port = 0 }) {
  const base = resolve(root);
  const fileFor = (pathname) => {
    if (pathname === '/' || pathname === '/index.html') return page ?? resolve(base, 'index.html');
    let decoded;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return null;
    }
    // The URL parser has resolved '..' segments, but a decoded '%2F' can still make new ones.
    const path = resolve(base, `.${decoded}`);
    return path.startsWith(base + sep) ? path : null;
  };
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
    // no-store: a rebuilt page or a recompiled model is picked up by a reload.
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(req.method === 'HEAD' ? undefined : body);
  });
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolveListen({ server, url: `http://127.0.0.1:${server.address().port}/` }));
  });
}
