/**
 * Issue 19 item 6, played in each CRM against the sandboxes: with `sync.leadsAsCrmLeads`, a referral Partner
 * Center classifies as a lead (qualification other than SalesQualified) becomes the CRM's Lead; when the
 * seller converts it, the referral follows the new opportunity — one pairing, no duplicate — and is answered
 * from there like any inbound referral. Without the setting, every referral becomes an opportunity.
 */
import assert from 'node:assert/strict';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';
import { referralOf, unwrap } from './lifecycle.suite.js';

export function runLeadsSuite(kind: CrmKind): void {
  describe(`lead referrals as CRM leads in ${kind === 'salesforce' ? 'Salesforce' : 'Dynamics 365'} (end to end)`, function () {
    this.timeout(120_000);
    let world: World | undefined;
    afterEach(async () => world?.close());

    it('a marketing-qualified referral arrives as a lead; converting it moves the referral to the new opportunity, once', async () => {
      world = await startWorld(kind, { sync: { leadsAsCrmLeads: true } });
      const lead = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Marketplace lead' }, qualification: 'MarketingQualified' }));
      const deal = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Seller-qualified deal' } }));
      await world.syncToQuiet();

      assert.deepEqual(await world.seller.recordsForReferral(lead.id), [], 'no opportunity for a lead');
      const [leadId, ...more] = await world.seller.leadsForReferral(lead.id);
      assert.ok(leadId, 'the lead is in the CRM');
      assert.equal(more.length, 0);
      const view = await world.seller.readLead(leadId);
      assert.equal(view.referralId, lead.id);
      assert.equal(view.qualification, 'MarketingQualified');
      assert.equal(view.company, lead.customerProfile?.name);
      assert.equal(view.converted, false);
      assert.equal((await world.seller.recordsForReferral(deal.id)).length, 1, 'a sales-qualified referral is an opportunity');
      assert.deepEqual(await world.seller.leadsForReferral(deal.id), []);

      const opportunityId = await world.seller.convertLead(leadId);
      await world.syncToQuiet();
      assert.deepEqual(await world.seller.recordsForReferral(lead.id), [opportunityId], 'the referral follows the converted opportunity, and only it');
      const record = await world.seller.read(opportunityId);
      assert.equal(record.referralId, lead.id);
      assert.equal(record.syncState, 'synced', record.syncMessage);
      assert.ok(record.answerBy, 'the opportunity shows the answer-by date of the still-unanswered referral');
      assert.equal(referralOf(world, lead.id).externalReferenceId?.toLowerCase(), opportunityId.toLowerCase(), 'Partner Center names the opportunity');

      await world.seller.accept(opportunityId);
      await world.syncToQuiet();
      assert.equal(referralOf(world, lead.id).status, 'Active', 'answered from the opportunity');
      assert.equal((await world.sync()).writes, 0, 'a further sync writes nothing');
      assert.deepEqual(await world.seller.recordsForReferral(lead.id), [opportunityId], 'still one record');
    });

    it('without the setting, a lead referral becomes an opportunity as before', async () => {
      world = await startWorld(kind);
      const lead = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Lead as opportunity' }, qualification: 'Direct' }));
      await world.syncToQuiet();
      assert.equal((await world.seller.recordsForReferral(lead.id)).length, 1);
      assert.deepEqual(await world.seller.leadsForReferral(lead.id), []);
    });
  });
}
