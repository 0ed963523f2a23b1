/** A seller's edit of the connector's status fields on a lead, in either CRM's sandbox (for the lead status tests). */
import assert from 'node:assert/strict';
import type { World } from '../../sandbox/world.js';

/** The seller saves the lead with the connector's status fields changed, and nothing else. */
export async function editLeadStatusAsSeller(world: World, leadId: string): Promise<void> {
  if (world.kind === 'salesforce') {
    const saved = world.set.salesforce.seller.editRecord('Lead', leadId, { Cosell_Sync_State__c: 'error', Cosell_Sync_Message__c: 'Typed by a seller', Cosell_Referral_Status__c: null });
    assert.ok(saved.ok, JSON.stringify(saved));
    return;
  }
  const changes = { cosell_syncstate: 'error', cosell_syncmessage: 'Typed by a seller', cosell_referralstatus: null };
  const res = await fetch(`${world.set.dataverse.url}/_sandbox/dataverse/seller/edit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ entitySet: 'leads', id: leadId, changes }) });
  assert.ok(res.ok, `seller edit: ${res.status}`);
}
