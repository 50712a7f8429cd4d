#!/usr/bin/env node
// The `porter` command. Runs the compiled CLI (built by `npm ci` via the root `prepare` script).
import { run } from '../dist/cli/main.js';

process.exitCode = await run(process.argv.slice(2));
