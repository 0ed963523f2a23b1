/**
 * The lead part of the CrmAdapter contract (issue 19 item 6), spoken through the adapter only: a lead
 * created for a lead referral is found by its referral ID (a rebuilt store finds it), read back by its ID
 * (conversion and the seller's answer), and takes Partner Center's changes and the sync status as lead
 * writes; a lead that does not exist is absent, never an error.
 */
import assert from 'node:assert/strict';
import type { CrmAdapter } from '../../core/engine/crm-port.js';
import { emptyReferral } from '../../core/model/index.js';

export function runCrmLeadContract(name: string, start: () => Promise<{ adapter: CrmAdapter; missingCrmId: string; teardown(): Promise<void> }>): void {
  describe(`${name} adapter: lead referrals as CRM leads (contract)`, function () {
    this.timeout(60_000);

    it('creates a lead, finds it by referral ID, reads it by lead ID and writes changes and status onto it', async () => {
      const h = await start();
      try {
        const referral = emptyReferral({ referralId: 'ref-lead-contract', dealName: 'Contract lead', customer: { name: 'Contoso Lead Co', country: 'US' }, qualification: 'MarketingQualified' });
        const status = { state: 'synced' as const, message: '', referralId: referral.referralId!, referralStatus: { status: 'New' as const, substatus: 'Pending' as const }, answerBy: '2027-01-15T10:00:00.000Z' };
        const [created] = await h.adapter.write([{ kind: 'create', key: referral.referralId!, referral, status, as: 'lead' }]);
        assert.ok(created?.ok, JSON.stringify(created));
        const leadId = created.crmId;

        const found = await h.adapter.findLeads([referral.referralId!, 'ref-no-lead']);
        assert.deepEqual([...found.keys()], [referral.referralId]);
        assert.equal(found.get(referral.referralId!)?.leadId.toLowerCase(), leadId.toLowerCase());
        const read = await h.adapter.readLeads([leadId, h.missingCrmId]);
        assert.deepEqual([...read.keys()], [leadId], 'a lead that does not exist is absent');
        assert.equal(read.get(leadId)?.convertedTo, undefined);
        assert.equal(read.get(leadId)?.response, undefined);
        assert.equal(await h.adapter.getDeals([leadId]).then((d) => d.length), 0, 'a lead is not an opportunity');

        const closed = { ...status, message: 'Partner Center closed this referral: Expired.', referralStatus: { status: 'Closed' as const, substatus: 'Expired' as const } };
        const { answerBy: _over, ...withoutAnswerBy } = closed;
        const [updated] = await h.adapter.write([{ kind: 'update', key: leadId, crmId: leadId, referral: { ...referral, dealName: 'Contract lead, renamed' }, changedFields: ['dealName'], status: withoutAnswerBy, target: 'lead' }]);
        assert.ok(updated?.ok, JSON.stringify(updated));
        assert.equal(updated.crmId, leadId);
        assert.ok(await h.adapter.readLeads([leadId]).then((m) => m.has(leadId)), 'still the same lead');
      } finally {
        await h.teardown();
      }
    });
  });
}
