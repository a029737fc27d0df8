#!/usr/bin/env node
// The compiled CLI (npm's `prepare` builds dist/ with tsc).
import { main } from '../dist/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
