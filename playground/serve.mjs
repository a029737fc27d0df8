// `npm run playground`: builds the playground (playground/build.mjs) and serves it on
// http://127.0.0.1 (WebGPU needs a secure context, which 127.0.0.1 is). The first line printed is
// the page's URL; Ctrl-C stops it. Everything runs in the browser: the server only hands out the
// built files, and nothing a user drops on the page is sent anywhere.
//
//   npm run playground [-- --port N] [-- --out DIR]     (port 8080 by default; 0 picks a free one)
import { parseArgs } from 'node:util';
import { portOf, serveStatic } from '../scripts/serve-static.mjs';
import { buildPlayground, DEFAULT_OUT } from './build.mjs';

const USAGE = 'usage: npm run playground [-- --port N] [-- --out DIR]   (serves the built page on http://127.0.0.1:N/, 8080 by default)';

function fail(message) {
  console.error(`playground: ${message}\n${USAGE}`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({ options: { port: { type: 'string', default: '8080' }, out: { type: 'string', default: DEFAULT_OUT }, help: { type: 'boolean' } } });
} catch (e) {
  fail(e.message);
}
if (args.values.help) {
  console.log(USAGE);
  process.exit(0);
}
const port = portOf(args.values.port);
if (typeof port === 'string') fail(port);

try {
  await buildPlayground(args.values.out);
} catch (e) {
  for (const err of e.errors ?? [e]) console.error(`playground: build failed: ${err.text ?? err.message}`);
  process.exit(1);
}
serveStatic({ root: args.values.out, port }).then(
  ({ url }) => {
    console.log(url);
    console.log(`serving ${args.values.out}; Ctrl-C stops`);
  },
  (e) => {
    if (e.code === 'EADDRINUSE') fail(`port ${port} is in use; pass --port N (0 picks a free one)`);
    throw e;
  },
);
