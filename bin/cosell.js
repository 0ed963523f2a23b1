#!/usr/bin/env node
// The `cosell` binary: runs the compiled CLI (dist/, built by `npm run build`, which `npm install` runs).
// When dist/ is missing or older than the TypeScript sources it says so on standard error and runs the
// sources through tsx instead (a few seconds slower to start), so that nobody runs stale code unknowingly.
// COSELL_FROM_SOURCE=1 runs the sources without the notice (working on the code without rebuilding).
// First: a stop asked while the rest loads is held for the command (early-stop.js).
import './early-stop.js';
import console from 'node:console';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import { compiledMain, staleReason } from './build-info.js';

if (process.argv.includes('--debug') || process.env.COSELL_DEBUG === '1') process.setSourceMapsEnabled(true);

const fromSource = process.env.COSELL_FROM_SOURCE === '1';
const stale = fromSource ? undefined : staleReason();
if (fromSource || stale) {
  if (stale) console.error(`cosell: the compiled CLI is out of date (${stale}); running the TypeScript sources through tsx instead, which starts slowly. "npm run build" compiles them.`);
  const { register } = await import('tsx/esm/api');
  register();
  await import('../core/cli/main.ts');
} else {
  await import(pathToFileURL(compiledMain()).href);
}
