/**
 * Prints the Markdown table of one or more saved runs, e.g. to merge a 50,000 run made separately into
 * the README: `npx tsx bench/table.ts bench/results/a.json bench/results/b.json`.
 */
import { readFileSync } from 'node:fs';
import { formatTable } from './report.js';
import type { ScenarioResult } from './scenario.js';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: npx tsx bench/table.ts bench/results/<file>.json …');
  process.exit(2);
}
const results = files.flatMap((file) => (JSON.parse(readFileSync(file, 'utf8')) as { results: ScenarioResult[] }).results);
console.log(formatTable(results));
