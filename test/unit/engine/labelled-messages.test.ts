/**
 * The record's notes that list fields (a conflict for an admin, changes not sent after a final state) name
 * them by the CRM's labels (`CrmAdapter.fieldLabels`), as the rule reasons do; the stored conflict keeps
 * the canonical units `cosell conflicts` shows.
 */
import assert from 'node:assert/strict';
import { linkedInboundPair } from '../../helpers/linked-pair.js';

const linkedDeal = (policy: 'newest-wins' | 'manual') => linkedInboundPair(policy, { value: 'Amount', marketingCampaignId: 'Marketing campaign ID (Opportunity)' });

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
    // The field, Partner Center's value, and the seller's own way out besides the admin's.
    assert.match(w.opportunity.status?.message ?? '', /^The CRM and Partner Center differ, so neither is sent: Marketing campaign ID \(Opportunity\) \(Partner Center: "C-PC"\)\. A co-sell admin keeps one side with "cosell conflicts resolve \S+ --take crm\|partner-center", or type Partner Center's value here\.$/);
    assert.deepEqual(w.store.listConflicts().map((c) => c.fields), [['marketingCampaignId']]);
    assert.equal((await w.sync()).writes, 0, 'a quiet run writes nothing');
    // What the message says works: the seller types Partner Center's value, and the record is synced again.
    w.crm.edit(w.opportunity.crmId, (o) => {
      o.referral = { ...o.referral, marketingCampaignId: 'C-PC' };
    });
    await w.sync();
    assert.equal(w.opportunity.status?.state, 'synced');
    assert.equal(w.store.listConflicts().length, 0, 'the conflict is closed');
  });
});
