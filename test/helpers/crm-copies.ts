/**
 * A seller's copy of a synced opportunity, as the CRM makes it (Salesforce's Clone; a copied Dynamics 365
 * opportunity): every field but the record's identity and what the platform computes, so the copy carries
 * the original's status fields, "Sync with Partner Center" unticked.
 */
import assert from 'node:assert/strict';
import { F } from '../../mappings/custom-fields.salesforce.js';
import { insertRaw } from '../../sandbox/salesforce/seed.js';
import type { CrmKind, World } from '../../sandbox/world.js';

/** What a copy does not take from the original: the record's identity and what the platform computes. */
const NOT_COPIED: Record<CrmKind, readonly string[]> = {
  salesforce: ['Id', 'IsDeleted', 'CreatedDate', 'CreatedById', 'LastModifiedDate', 'LastModifiedById', 'SystemModstamp', 'IsClosed', 'IsWon', 'ForecastCategoryName'],
  dynamics: ['opportunityid', 'createdon', 'modifiedon', 'versionnumber'],
};

/** The seller's copy of `crmId`, "Sync with Partner Center" unticked; the referral ID emptied unless `keepReferralId`. */
export function copyOf(world: World, crmId: string, keepReferralId = false): string {
  if (world.kind === 'salesforce') {
    const store = world.set.salesforce.store;
    const source = store.get('Opportunity', crmId)!;
    const copy = Object.fromEntries(Object.entries(source).filter(([k]) => !NOT_COPIED.salesforce.includes(k)));
    assert.equal(copy[F.syncState], 'synced', 'the copy carries the status fields');
    return String(insertRaw(store, 'Opportunity', { ...copy, Name: 'Copied deal', [F.optIn]: false, ...(keepReferralId ? {} : { [F.referralId]: null }) }, undefined, String(source.OwnerId)).Id);
  }
  const dataverse = world.set.dataverse;
  const source = dataverse.store.table('opportunity')!.rows.get(crmId)!;
  const copy = Object.fromEntries(Object.entries(source).filter(([k]) => !NOT_COPIED.dynamics.includes(k)));
  assert.equal(copy.cosell_syncstate, 'synced', 'the copy carries the status fields');
  const row = dataverse.store.insert('opportunity', { ...copy, name: 'Copied deal', cosell_syncwithpartnercenter: false, ...(keepReferralId ? {} : { cosell_referralid: null }) });
  dataverse.runtime.changed();
  return String(row.opportunityid);
}
