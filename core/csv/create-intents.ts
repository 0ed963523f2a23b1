/**
 * `import --to-crm` creates CRM opportunities for referrals, as the sync does for a new referral, so it
 * records the same create intent the sync does, before the call (core/engine/partner-center-phase.ts):
 * the next sync then binds each new opportunity to its referral as a create of the connector's own
 * (core/engine/binding.ts, link-from-ids.ts). Without it the two named each other on one side only (the
 * opportunity names the referral; Partner Center names no CRM record yet), which the sync refuses to
 * bind from a seller's edit: every imported opportunity of an open referral was parked, each needing a
 * `cosell link`.
 */

import { recordCrmCreateIntents, type IntentStore } from '../store/crm-create-intents.js';

export interface CrmCreateIntents {
  /** Called before the CRM records for these referrals are created. */
  creating(referralIds: readonly string[]): Promise<void>;
}

export function crmCreateIntentsIn(store: IntentStore, now: () => Date = () => new Date()): CrmCreateIntents {
  return { creating: (referralIds) => recordCrmCreateIntents(store, referralIds, now().toISOString()) };
}
