/**
 * `cosell link` says what the merge it starts will overwrite in Partner Center: each field the record holds
 * differently, named by the CRM's label, with Partner Center's value and the record's. Until 2026-12-06 it
 * said only "Linked", and the referral's value and customer were replaced by the next sync unannounced.
 */
import assert from 'node:assert/strict';
import type { CrmDeal } from '../../../core/engine/crm-port.js';
import { describeLinkOverwrites, linkOverwrites } from '../../../core/engine/link-overwrites.js';
import { outboundDeal } from '../../helpers/referrals.js';

const referral = outboundDeal({ referralId: 'R1', dealName: 'Claimed by a seller', value: 250_000, customer: { ...outboundDeal().customer, name: 'Woodgrove Bank' } });
const deal = (changes: Parameters<typeof outboundDeal>[0] = {}): CrmDeal => ({
  crmId: 'C1', modifiedAt: '2026-12-06T09:00:00.000Z', intent: { optedIn: true }, problems: [],
  referral: { ...referral, referralId: 'R1', crmId: 'C1', ...changes },
});

describe('what "cosell link" overwrites in Partner Center', () => {
  it('names each field the record holds differently with both values, by the CRM label', () => {
    const list = linkOverwrites(deal({ value: 48_000, customer: { ...referral.customer, name: 'Seller record Customer Ltd' } }), referral, { value: 'Amount', 'customer.name': 'Account Name' });
    assert.deepEqual(list.map((o) => [o.field, o.partnerCenter, o.record]), [['Amount', '250000', '48000'], ['Account Name', '"Woodgrove Bank"', '"Seller record Customer Ltd"']]);
    assert.equal(describeLinkOverwrites(list), ["The merge replaces 2 field(s) in Partner Center with the record's values:", '  Amount: 250000 → 48000', '  Account Name: "Woodgrove Bank" → "Seller record Customer Ltd"'].join('\n'));
  });

  it("leaves out the record's own ID, which the connector sets, and says so when nothing else differs", () => {
    const list = linkOverwrites(deal(), { ...referral, crmId: 'csv-123' }, {});
    assert.deepEqual(list, []);
    assert.match(describeLinkOverwrites(list), /overwrites nothing in Partner Center/);
  });

  it('shows the team and solutions by their emails and IDs, the contact by name and email', () => {
    const list = linkOverwrites(deal({ solutions: [{ id: 'SOL-1234-PQRS', kind: 'own' }], customerContact: { firstName: 'Casey', lastName: 'Customer', phone: '', email: 'casey@customer.example' } }), { ...referral, solutions: [{ id: 'SOL-Microsoft365', kind: 'microsoft' }], customerContact: { firstName: 'Wendy', lastName: 'Wood', phone: '', email: 'wendy@woodgrove.example' } }, {});
    assert.deepEqual(list.map((o) => [o.unit, o.partnerCenter, o.record]), [['solutions', 'SOL-Microsoft365', 'SOL-1234-PQRS'], ['customerContact', 'Wendy Wood <wendy@woodgrove.example>', 'Casey Customer <casey@customer.example>']]);
  });
});
