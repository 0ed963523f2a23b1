/**
 * The record's status fields are the connector's word: a seller's edit of them is written over by the next
 * sync that reads the record, in every state (shown-status.ts), and never sent to Partner Center. Here on
 * the fake CRM, for the states the end-to-end test (test/e2e/status-columns-restored.test.ts) does not
 * reach: orphaned (the referral gone from Partner Center) and conflict (manual policy).
 */
import assert from 'node:assert/strict';
import { ORPHANED_MESSAGE } from '../../../core/engine/pair.js';
import type { FakeCrm, FakeOpportunity } from '../../helpers/fake-crm.js';
import { linkedInboundPair } from '../../helpers/linked-pair.js';

/** A seller (or a workflow) sets the record to "synced" with no message, and saves nothing else. */
function typeSynced(crm: FakeCrm, record: FakeOpportunity): void {
  crm.edit(record.crmId, (o) => {
    o.status = { ...o.status!, state: 'synced', message: '' };
  });
}

describe('the record\'s status fields edited by a seller (engine)', () => {
  it('an orphaned record says what happened and what to do, and says it again after a seller set it to synced', async () => {
    const w = await linkedInboundPair('newest-wins');
    w.pc.referrals.delete(w.referralId);
    w.crm.edit(w.opportunity.crmId, (o) => {
      o.referral = { ...o.referral, value: 12_345 };
    });
    await w.sync();
    assert.equal(w.opportunity.status?.state, 'orphaned');
    assert.equal(w.opportunity.status?.message, ORPHANED_MESSAGE);
    assert.match(ORPHANED_MESSAGE, /ask a co-sell admin/i);
    assert.ok(ORPHANED_MESSAGE.length <= 255, "fits the Salesforce sync message field whole");
    const told = w.opportunity.status;

    typeSynced(w.crm, w.opportunity);
    await w.sync();
    assert.deepEqual(w.opportunity.status, told, 'the status it showed is written back');
    assert.equal((await w.sync()).writes, 0, 'once');
  });

  it('a conflict set to synced says conflict again; nothing is sent to Partner Center', async () => {
    const w = await linkedInboundPair('manual');
    w.pc.actAs(w.referralId, (r) => ({ ...r, marketingCampaignId: 'C-PC' }));
    w.crm.edit(w.opportunity.crmId, (o) => {
      o.referral = { ...o.referral, marketingCampaignId: 'C-CRM' };
    });
    await w.sync();
    assert.equal(w.opportunity.status?.state, 'conflict');
    const told = w.opportunity.status!.message;

    typeSynced(w.crm, w.opportunity);
    await w.sync();
    assert.equal(w.opportunity.status?.state, 'conflict');
    assert.equal(w.opportunity.status?.message, told);
    assert.equal(w.pc.referrals.get(w.referralId)!.marketingCampaignId, 'C-PC');
    assert.equal((await w.sync()).writes, 0);
  });
});
