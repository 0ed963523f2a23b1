/** Command-line options of `npm run bench:scale`. */
import type { CrmKind } from '../../sandbox/world.js';
import type { Seeding } from '../protocol.js';

export interface ScaleArgs {
  tenants: number;
  deals: number;
  workers: number;
  /** Tenant jobs each worker process runs at once (`cosell worker --concurrency`). */
  concurrency: number;
  /** The CRM of each tenant in turn: `both` alternates Salesforce and Dynamics. */
  crms: CrmKind[];
  seed: Seeding;
  /** Real seconds waited after the initial sync, past every change feed's re-read window, before the idle and 1% phases (0: no wait). */
  quietSeconds: number;
  /** A phase that has not converged after this long is reported as such and the run ends. */
  maxPhaseMinutes: number;
}

const USAGE =
  'usage: npm run bench:scale -- --tenants K --deals N --workers W [--concurrency 1] [--crm both|salesforce|dynamics] [--seed crm|partner-center] [--quiet-seconds 320] [--max-phase-minutes 30]';

function whole(flag: string, value: string, min: number): number {
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < min) throw new Error(`${flag} takes a whole number of at least ${min}\n${USAGE}`);
  return n;
}

export function parseScaleArgs(argv: string[]): ScaleArgs {
  const args: ScaleArgs = { tenants: 5, deals: 500, workers: 2, concurrency: 1, crms: ['salesforce', 'dynamics'], seed: 'crm', quietSeconds: 320, maxPhaseMinutes: 30 };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i] as string;
    const value = () => {
      const next = argv[(i += 1)];
      if (next === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return next;
    };
    if (flag === '--tenants') args.tenants = whole(flag, value(), 1);
    else if (flag === '--deals') args.deals = whole(flag, value(), 100);
    else if (flag === '--workers') args.workers = whole(flag, value(), 1);
    else if (flag === '--concurrency') args.concurrency = whole(flag, value(), 1);
    else if (flag === '--quiet-seconds') args.quietSeconds = whole(flag, value(), 0);
    else if (flag === '--max-phase-minutes') args.maxPhaseMinutes = whole(flag, value(), 1);
    else if (flag === '--crm') {
      const crm = value();
      if (crm === 'both') args.crms = ['salesforce', 'dynamics'];
      else if (crm === 'salesforce' || crm === 'dynamics') args.crms = [crm];
      else throw new Error(`--crm is salesforce, dynamics or both\n${USAGE}`);
    } else if (flag === '--seed') {
      const from = value();
      if (from !== 'crm' && from !== 'partner-center') throw new Error(`--seed is crm or partner-center\n${USAGE}`);
      args.seed = from;
    } else if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${flag}\n${USAGE}`);
  }
  return args;
}
