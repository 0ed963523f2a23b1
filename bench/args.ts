/** Command-line options of `npm run bench`. */
import type { CrmKind } from '../sandbox/world.js';
import type { Seeding } from './protocol.js';

export interface BenchArgs {
  crms: CrmKind[];
  sizes: number[];
  seed: Seeding | 'auto';
}

/**
 * Outbound (CRM-first) seeding is run up to this size under `--seed auto`: its initial sync is one
 * Partner Center POST (and one GET) per deal, and the Partner Center sandbox does O(N) work per request
 * (it re-applies the 14-day expiry to every referral on each call), so that sync grows faster than N —
 * 16 s at 1,000 and 464 s at 10,000 on the 2-core bench machine; 50,000 would take hours.
 */
export const OUTBOUND_AUTO_MAX = 10_000;

/** The seedings to run at `size`: under `auto`, Partner Center first always, and CRM first where affordable. */
export function seedingsFor(args: BenchArgs, size: number): Seeding[] {
  if (args.seed !== 'auto') return [args.seed];
  return size <= OUTBOUND_AUTO_MAX ? ['crm', 'partner-center'] : ['partner-center'];
}

export function parseArgs(argv: string[]): BenchArgs {
  let crms: CrmKind[] = ['salesforce', 'dynamics'];
  let sizes = DEFAULT_SIZES;
  let seed: BenchArgs['seed'] = 'auto';
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
    } else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${arg}\n${USAGE}`);
  }
  return { crms, sizes: [...sizes].sort((a, b) => a - b), seed };
}
