#!/usr/bin/env node
// The compiled CLI (npm's `prepare` builds dist/ with tsc).
import { main } from '../dist/src/cli/main.js';

// `bertc print ... | head` closes the pipe early; that is not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

process.exitCode = await main(process.argv.slice(2));
