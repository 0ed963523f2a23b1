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
 * The seedings to run: under `auto`, both — CRM first (the 50,000 outbound case of issue 13:
 * one Partner Center POST per deal, affordable since the Partner Center sandbox expires referrals from a
 * due-time queue instead of scanning them on every request) and Partner Center first.
 */
export function seedingsFor(args: BenchArgs): Seeding[] {
  return args.seed === 'auto' ? ['crm', 'partner-center'] : [args.seed];
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
