#!/usr/bin/env node
// `npm run build`, also run by `prepare` (so `npm install` on a clean clone builds): compiles the CLI with
// tsc into dist/ (tsconfig.build.json, incremental: a build with nothing changed takes a few seconds), then
// stamps dist/BUILT with the time the build started, so that a source edited during the build still
// counts as newer than it (bin/build-info.js).
import { closeSync, cpSync, existsSync, openSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import console from 'node:console';
import process from 'node:process';
import { ROOT, buildStamp } from './build-info.js';

const started = new Date();
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
if (result.status !== 0) {
  console.error('cosell build: tsc failed (above); dist/ is not up to date.');
  process.exit(result.status ?? 1);
}
// tsc emits only JavaScript; files the code reads at run time from beside itself (the PostgreSQL
// migrations, *.sql) are copied into dist/ at the same relative place, and a copy whose source is gone
// (renamed or deleted) is removed: a stale migration left in dist/ would be applied by the compiled CLI.
const sqlUnder = (dir) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.sql'));
const sources = new Set(sqlUnder(join(ROOT, 'core')));
const compiledCore = join(ROOT, 'dist', 'core');
if (existsSync(compiledCore)) for (const file of sqlUnder(compiledCore)) if (!sources.has(file)) rmSync(join(compiledCore, file));
for (const file of sources) {
  const from = join(ROOT, 'core', file);
  cpSync(from, join(ROOT, 'dist', relative(ROOT, from)));
}
closeSync(openSync(buildStamp(), 'w'));
utimesSync(buildStamp(), started, started);
