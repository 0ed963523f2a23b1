/** Command-line options of `npm run bench`. */
import type { CrmKind } from '../sandbox/world.js';
import type { Seeding } from './protocol.js';

export interface BenchArgs {
  crms: CrmKind[];
  sizes: number[];
  seed: Seeding | 'auto';
  /** The initial sync is stopped (between pages) after this long, so that every run terminates. */
  maxInitialMinutes: number;
}

/**
 * Outbound (CRM-first) seeding is run up to this size under `--seed auto`: its initial sync is one
 * Partner Center POST (and one GET) per deal, and the Partner Center sandbox does O(N) work per request
 * (it re-applies the 14-day expiry to every referral on each call), so that sync grows faster than N —
 * 11 s at 1,000 and 291 s at 10,000 (Salesforce) on the 2-core bench machine; 50,000 would take hours.
 */
export const OUTBOUND_AUTO_MAX = 10_000;

/** The seedings to run at `size`: under `auto`, Partner Center first always, and CRM first where affordable. */
export function seedingsFor(args: BenchArgs, size: number): Seeding[] {
  if (args.seed !== 'auto') return [args.seed];
  return size <= OUTBOUND_AUTO_MAX ? ['crm', 'partner-center'] : ['partner-center'];
}

export const DEFAULT_SIZES = [1_000, 10_000, 50_000];
const USAGE =
  'usage: npm run bench -- [--quick] [--sizes 1000,10000,50000] [--crm salesforce|dynamics|both] [--seed auto|crm|partner-center] [--max-initial-minutes 15]';

export function parseArgs(argv: string[]): BenchArgs {
  let crms: CrmKind[] = ['salesforce', 'dynamics'];
  let sizes = DEFAULT_SIZES;
  let seed: BenchArgs['seed'] = 'auto';
  let maxInitialMinutes = 15;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = () => {
      const next = argv[(i += 1)];
      if (next === undefined) throw new Error(`${arg} needs a value\n${USAGE}`);
      return next;
    };
    if (arg === '--quick') sizes = [1_000];
    else if (arg === '--sizes') {
      sizes = value().split(',').map((s) => Number(s.trim().replace(/_/g, '')));
      if (sizes.some((n) => !Number.isInteger(n) || n < 100)) throw new Error(`--sizes takes whole numbers of at least 100\n${USAGE}`);
    } else if (arg === '--crm') {
      const crm = value();
      if (crm === 'both') crms = ['salesforce', 'dynamics'];
      else if (crm === 'salesforce' || crm === 'dynamics') crms = [crm];
      else throw new Error(`--crm is salesforce, dynamics or both\n${USAGE}`);
    } else if (arg === '--seed') {
      const from = value();
      if (from !== 'auto' && from !== 'crm' && from !== 'partner-center') throw new Error(`--seed is auto, crm or partner-center\n${USAGE}`);
      seed = from;
    } else if (arg === '--max-initial-minutes') {
      maxInitialMinutes = Number(value());
      if (!(maxInitialMinutes > 0)) throw new Error(`--max-initial-minutes takes a positive number\n${USAGE}`);
    } else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${arg}\n${USAGE}`);
  }
  return { crms, sizes: [...sizes].sort((a, b) => a - b), seed, maxInitialMinutes };
}
