/**
 * `npm run bench`: for each CRM and size, builds N linked deals in the sandboxes and measures the
 * initial sync, two idle cycles (right after, and after a quiet period) and a 1%-changed cycle (see
 * README.md in this folder). Progress goes to stderr; the tables to stdout; every figure to
 * bench/results/<timestamp>.json and the tables to bench/results/<timestamp>.md.
 */
import { parseArgs, seedingsFor } from './args.js';
import { formatReport, METHOD_NOTES, writeResults } from './report.js';
import { runScenario, type ScenarioResult } from './scenario.js';
import { compileHosts } from './compiled-hosts.js';

const args = parseArgs(process.argv.slice(2));
// The engine and the sandboxes run as shipped: compiled by tsc into dist-bench/ and run by plain node, each
// in its own process.
compileHosts();
const startedAt = new Date();
const results: ScenarioResult[] = [];
const progress = (line: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

progress(`CRMs ${args.crms.join(', ')}; sizes ${args.sizes.join(', ')}; seeding ${args.seed}`);
for (const crm of args.crms) {
  for (const size of args.sizes) {
    for (const seeding of seedingsFor(args)) results.push(await runScenario(crm, size, seeding, args.maxInitialMinutes, progress));
  }
}

console.log(formatReport(results));
console.log();
for (const note of METHOD_NOTES) console.log(`- ${note}`);
console.log(`\nFigures: ${writeResults(results, startedAt)}`);
process.exitCode = results.some((r) => r.error) ? 1 : 0;
