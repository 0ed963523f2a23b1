/**
 * `npm run bench:scale -- --tenants K --deals N --workers W`: K tenants × N deals synced by W worker
 * processes on a throwaway PostgreSQL database (see ../README.md, "Scale"). Progress to stderr, the
 * tables to stdout and bench/results/scale/<stamp>.md, every figure to bench/results/scale/<stamp>.json.
 */
import { parseScaleArgs } from './args.js';
import { formatScaleReport, SCALE_NOTES, writeScaleResults } from './report.js';
import { runScale } from './scenario.js';

const args = parseScaleArgs(process.argv.slice(2));
const startedAt = new Date();
const progress = (line: string) => console.error(`[scale ${new Date().toISOString().slice(11, 19)}] ${line}`);
progress(`${args.tenants} tenants × ${args.deals} deals (${args.seed}) × ${args.workers} workers (concurrency ${args.concurrency}); CRM ${args.crms.join(', ')}`);
const result = await runScale(args, progress);
console.log(formatScaleReport([result]));
console.log();
for (const note of SCALE_NOTES) console.log(`- ${note}`);
console.log(`\nFigures: ${writeScaleResults([result], startedAt)}`);
process.exitCode = result.error ? 1 : 0;
