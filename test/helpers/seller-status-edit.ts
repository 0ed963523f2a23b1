/** A seller's save of the connector's own status fields on a record, and nothing else (both CRMs' sandboxes). */
import assert from 'node:assert/strict';
import { F } from '../../mappings/custom-fields.salesforce.js';
import type { World } from '../../sandbox/world.js';

/** The seller saves the record with the connector's status fields changed, and nothing else. */
export async function editStatusAsSeller(world: World, crmId: string, change: { state: string | null; message: string | null; lastSynced?: null }): Promise<void> {
  if (world.kind === 'salesforce') {
    const saved = world.set.salesforce.seller.editOpportunity(crmId, {
      [F.syncState]: change.state, [F.syncMessage]: change.message, ...(change.lastSynced === null ? { [F.lastSynced]: null } : {}),
    });
    assert.ok(saved.ok, JSON.stringify(saved.errors));
    return;
  }
  const changes = { cosell_syncstate: change.state, cosell_syncmessage: change.message, ...(change.lastSynced === null ? { cosell_lastsyncedon: null } : {}) };
  const res = await fetch(`${world.set.dataverse.url}/_sandbox/dataverse/seller/edit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: crmId, changes }) });
  assert.ok(res.ok, `seller edit: ${res.status}`);
}
