/**
 * `npm run bench:readme [-- results.json …]`: rewrites the results table in bench/README.md (between its
 * `bench-results` markers) from saved runs — the newest in bench/results/ when none is named — so the
 * README's figures always come from a run's JSON, never from typing. Several files merge (a 50,000 run
 * made on its own, say).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTable } from './report.js';
import type { ScenarioResult } from './scenario.js';

const START = '<!-- bench-results:start (written by npm run bench:readme; do not edit by hand) -->';
const END = '<!-- bench-results:end -->';

interface SavedRun {
  startedAt: string;
  machine: { node: string; cpus: number; cpuModel?: string; memoryGb: number; platform: string };
  results: ScenarioResult[];
}

/** The README text with the section between the markers replaced. */
export function replaceSection(readme: string, section: string): string {
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  if (from < 0 || to < from) throw new Error(`bench/README.md has no ${START} … ${END} section`);
  return `${readme.slice(0, from + START.length)}\n${section}\n${readme.slice(to)}`;
}

export function resultsSection(runs: { file: string; run: SavedRun }[]): string {
  const m = runs[0]!.run.machine;
  const sources = runs.map(({ file, run }) => `\`${basename(file)}\` (${run.startedAt.slice(0, 16).replace('T', ' ')} UTC)`).join(', ');
  return [
    `From ${sources}; ${m.cpus} vCPU ${m.cpuModel ?? ''}, ${m.memoryGb} GB, ${m.platform}, Node ${m.node.replace(/^v/, '')}.`,
    '',
    formatTable(runs.flatMap(({ run }) => run.results)),
  ].join('\n');
}

const here = fileURLToPath(new URL('.', import.meta.url));
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  let files = process.argv.slice(2);
  if (files.length === 0) {
    const saved = readdirSync(join(here, 'results')).filter((f) => f.endsWith('.json')).sort();
    if (saved.length === 0) throw new Error('no saved runs in bench/results/: run npm run bench first');
    files = [join(here, 'results', saved[saved.length - 1]!)];
  }
  const runs = files.map((file) => ({ file, run: JSON.parse(readFileSync(file, 'utf8')) as SavedRun }));
  const readmeFile = join(here, 'README.md');
  writeFileSync(readmeFile, replaceSection(readFileSync(readmeFile, 'utf8'), resultsSection(runs)));
  console.log(`bench/README.md: results table rewritten from ${files.join(', ')}`);
}
