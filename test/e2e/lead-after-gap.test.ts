/**
 * A lead the connector created stays linked across a pause longer than the CRM keeps its deletions (Dataverse
 * change tracking: 7 days; Salesforce's getDeleted window): the engine then checks which linked records are
 * gone, and a lead is not an opportunity. Until 2026-12-06 every lead's link was taken for a deleted
 * opportunity's and orphaned: Partner Center's changes no longer reached the lead, which kept showing the
 * status of before the pause.
 */
import assert from 'node:assert/strict';
import { OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import type { CrmKind } from '../../sandbox/world.js';
import { worldPerTest } from '../helpers/world-per-test.js';
import { leadFor } from './leads-kept-current.suite.js';
import { unwrap } from './lifecycle.suite.js';

const DAY = 86_400_000;

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) describe(`a lead after a long pause (${kind}, end to end)`, function () {
  this.timeout(120_000);
  const each = worldPerTest(kind, { sync: { leadsAsCrmLeads: true } });

  it("keeps its link, and Partner Center's edit made meanwhile reaches it", async () => {
    const { world } = each;
    const { referralId, leadId } = await leadFor(world, 'Lead across a pause');

    world.set.clock.advance(16 * DAY);
    unwrap(world.set.partnerCenter.service.change(OUR_PARTNER_ORG, referralId, (json) => ({ ok: true, value: { ...json, name: 'Renamed during the pause' } })));
    await world.syncToQuiet();
    assert.equal(world.runtime.store.getLinkByCrmId(leadId)?.state, 'active', 'the lead is not taken for a deleted opportunity');
    assert.equal((await world.seller.readLead(leadId)).dealName, 'Renamed during the pause');
  });
});
