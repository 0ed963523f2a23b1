/**
 * What the benchmarks do to a sandbox set's data, shared by the single-tenant sandbox host and the scale
 * benchmark: seed N deals on either side, and change a spread-out share of them on each side the way
 * people would (a seller in the CRM's UI, a user of our partner organisation in Partner Center).
 */
import { dataverseConsole } from '../sandbox/dataverse/console.js';
import { salesforceConsole } from '../sandbox/consoles/salesforce.js';
import type { SandboxSet } from '../sandbox/launch.js';
import { ok } from '../sandbox/partner-center/failures.js';
import { OUR_PARTNER_ORG } from '../sandbox/partner-center/index.js';
import type { CrmKind } from '../sandbox/world.js';
import type { HostReplies, Seeding } from './protocol.js';
import { seedCrmDeals } from './seed.js';

/** How long before the initial sync the CRM seeding is stamped. */
const SEEDED_BEFORE_MS = 10 * 60_000;

/** The CRM's opportunity IDs in a stable order, whichever side they were seeded on. */
function crmDealIds(set: SandboxSet, kind: CrmKind): string[] {
  const ids = kind === 'salesforce' ? set.salesforce.store.all('Opportunity').map((o) => String(o.Id)) : [...(set.dataverse.store.table('opportunity')?.rows.keys() ?? [])].map(String);
  return ids.sort();
}

/** `count` of `items`, evenly spread and shifted by `offset` (0–1): a spread-out 1%, not the newest or oldest. */
function spread<T>(items: T[], count: number, offset: number): T[] {
  const step = items.length / Math.max(1, count);
  return Array.from({ length: Math.min(count, items.length) }, (_, i) => items[Math.floor((i + offset) * step)] as T);
}

/** Seeds `count` deals on the side `from`; returns how many the set then holds there. */
export function seedDeals(set: SandboxSet, kind: CrmKind, count: number, from: Seeding): number {
  if (from === 'crm') {
    // The sellers' deals exist from before the connector: stamped ten minutes back, outside the CRM
    // feeds' margin for late commits (Salesforce 300 s), as test/e2e/quiet-after-initial.test.ts does.
    // Stamped now, the run after the initial sync re-read the whole seeding as other users' recent edits.
    set.clock.advance(-SEEDED_BEFORE_MS);
    try {
      return seedCrmDeals(kind, set, count).length;
    } finally {
      set.clock.advance(SEEDED_BEFORE_MS);
    }
  }
  // The Partner Center bulk generator: valid referrals of our partner, Active, Won and Lost.
  set.partnerCenter.reset('none', count);
  return set.partnerCenter.store.ownedBy(OUR_PARTNER_ORG).length;
}

/** A seller edits the notes of `count` spread-out deals through the CRM's console (its validation and timestamps apply). */
export async function editCrmDeals(set: SandboxSet, kind: CrmKind, count: number, offset: number, note: string): Promise<HostReplies['editCrm']> {
  const seller = kind === 'salesforce' ? salesforceConsole(set.salesforce) : dataverseConsole(set.dataverse);
  const outcome: HostReplies['editCrm'] = { edited: 0, refused: 0 };
  for (const id of spread(crmDealIds(set, kind), count, offset)) {
    try {
      await seller.edit(id, { notes: `${note} (${id})` });
      outcome.edited += 1;
    } catch (error) {
      outcome.refused += 1;
      outcome.firstRefusal ??= error instanceof Error ? error.message : String(error);
    }
  }
  return outcome;
}

/**
 * A user of our partner organisation edits the notes of `count` spread-out referrals in Partner Center's
 * own UI (its rules apply); only open ones, since Partner Center locks Won, Lost and Declined referrals.
 */
export function changeReferrals(set: SandboxSet, count: number, offset: number, note: string): number {
  const open = set.partnerCenter.store.ownedBy(OUR_PARTNER_ORG).filter((r) => r.status !== 'Closed');
  const targets = spread(open.sort((a, b) => a.id.localeCompare(b.id)), count, offset);
  for (const referral of targets) {
    const changed = set.partnerCenter.service.change(OUR_PARTNER_ORG, referral.id, (json) => ok({ ...json, details: { ...json.details, notes: `${note} (${json.id})` } }));
    if (!changed.ok) throw new Error(`Partner Center refused the change of ${referral.id}: ${JSON.stringify(changed.failure)}`);
  }
  return targets.length;
}
