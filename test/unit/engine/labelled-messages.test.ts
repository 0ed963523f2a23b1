/**
 * The record's notes that list fields (a conflict for an admin, changes not sent after a final state) name
 * them by the CRM's labels (`CrmAdapter.fieldLabels`), as the rule reasons do; the stored conflict keeps
 * the canonical units `cosell conflicts` shows.
 */
import assert from 'node:assert/strict';
import type { ConflictPolicy } from '../../../core/engine/merge/three-way.js';
import { runSyncOnce } from '../../../core/engine/sync-engine.js';
import { silentLogger } from '../../../core/logger.js';
import { openMemoryStore } from '../../../core/store/index.js';
import { FakeCrm } from '../../helpers/fake-crm.js';
import { FakePartnerCenter } from '../../helpers/fake-partner-center.js';
import { inboundFromMicrosoft } from '../../helpers/referrals.js';

async function linkedDeal(policy: ConflictPolicy) {
  let nowMs = Date.parse('2026-03-02T08:00:00.000Z');
  const now = () => new Date((nowMs += 1000));
  const crm = new FakeCrm(now);
  crm.fieldLabels = { value: 'Amount', marketingCampaignId: 'Marketing campaign ID (Opportunity)' };
  const pc = new FakePartnerCenter(now);
  const store = openMemoryStore();
  const sync = () => runSyncOnce({ crm, partnerCenter: pc, store, logger: silentLogger(), now }, { policy, holdWonHours: 72 });
  const sent = pc.receive(inboundFromMicrosoft({ referralId: undefined, crmId: undefined}));
  await sync();
  await sync();
  const opportunity = [...crm.records.values()].find((o) => o.status?.referralId === sent.referralId)!;
  return { crm, pc, store, sync, referralId: sent.referralId!, opportunity };
}

describe('field lists on the record use the CRM labels (engine)', () => {
  it('a change made in the CRM after Partner Center closed the deal is "closed, not sent: Amount"', async () => {
    const w = await linkedDeal('newest-wins');
    w.pc.actAs(w.referralId, (r) => ({ ...r, status: 'Closed', substatus: 'Lost', closeReason: 'chose-another-vendor' }));
    await w.sync();
    w.crm.edit(w.opportunity.crmId, (o) => {
      o.referral = { ...o.referral, value: 77_000 };
    });
    await w.sync();
    assert.match(w.opportunity.status?.message ?? '', /^Closed in Partner Center, not sent: Amount\. Lost in Partner Center/);
    assert.equal((await w.sync()).writes, 0, 'a quiet run writes nothing');
  });

  it('a conflict for an admin names the field by its label; the stored conflict keeps the unit', async () => {
    const w = await linkedDeal('manual');
    w.pc.actAs(w.referralId, (r) => ({ ...r, marketingCampaignId: 'C-PC' }));
    w.crm.edit(w.opportunity.crmId, (o) => {
      o.referral = { ...o.referral, marketingCampaignId: 'C-CRM' };
    });
    await w.sync();
    assert.match(w.opportunity.status?.message ?? '', /Changed in both the CRM and Partner Center: Marketing campaign ID \(Opportunity\)\./);
    assert.deepEqual(w.store.listConflicts().map((c) => c.fields), [['marketingCampaignId']]);
    assert.equal((await w.sync()).writes, 0, 'a quiet run writes nothing');
  });
});
