/**
 * Values a person empties: "the side did not send this field" (no opinion) against "the side emptied this
 * field" (a change to nothing). Partner Center's answer is the whole referral, so a clearable unit missing
 * there was emptied; the CRM says which mapped fields it read empty (`crmCleared`).
 */
import assert from 'node:assert/strict';
import { mergeReferral, type MergeInput } from '../../../core/engine/merge/three-way.js';
import type { Referral } from '../../../core/model/index.js';
import { outboundDeal } from '../../helpers/referrals.js';

const EARLY = '2026-02-01T10:00:00.000Z';
const LATE = '2026-02-01T11:00:00.000Z';
const without = (unit: keyof Referral, extra: Partial<Referral> = {}): Referral => {
  const r = outboundDeal(extra) as unknown as Record<string, unknown>;
  delete r[unit];
  return r as unknown as Referral;
};
const merge = (input: Partial<MergeInput> & Pick<MergeInput, 'crm' | 'pc'>) =>
  mergeReferral({ base: outboundDeal(), policy: 'newest-wins', crmModifiedAt: EARLY, pcUpdatedAt: LATE, ...input });

describe('three-way merge: emptied values', () => {
  it('notes emptied in Partner Center empty the CRM\'s notes and send nothing back', () => {
    const result = merge({ crm: outboundDeal(), pc: without('notes') });
    assert.equal(result.merged.notes, undefined);
    assert.deepEqual(result.toCrm, ['notes']);
    assert.deepEqual(result.toPartnerCenter, []);
  });

  it('notes to Microsoft emptied in Partner Center reach the CRM', () => {
    const base = outboundDeal({ notesToMicrosoft: 'Please join the call' });
    const result = merge({ base, crm: outboundDeal({ notesToMicrosoft: 'Please join the call' }), pc: outboundDeal() });
    assert.equal(result.merged.notesToMicrosoft, undefined);
    assert.deepEqual(result.toCrm, ['notesToMicrosoft']);
  });

  it('a CRM that does not send its notes (not mapped, not read) leaves Partner Center\'s alone', () => {
    const result = merge({ crm: without('notes'), pc: outboundDeal() });
    assert.equal(result.merged.notes, outboundDeal().notes);
    assert.deepEqual([result.toCrm, result.toPartnerCenter], [[], []]);
  });

  it('notes emptied in the CRM (read empty) reach Partner Center and are not written back', () => {
    const result = merge({ crm: without('notes'), pc: outboundDeal(), crmCleared: ['notes'] });
    assert.equal(result.merged.notes, undefined);
    assert.deepEqual(result.toPartnerCenter, ['notes']);
    assert.deepEqual(result.toCrm, []);
  });

  it('once both sides are empty nothing moves: no loop', () => {
    const base = without('notes');
    const result = merge({ base, crm: without('notes'), pc: without('notes'), crmCleared: ['notes'] });
    assert.deepEqual([result.toCrm, result.toPartnerCenter], [[], []]);
  });

  it('a CRM edit to notes Partner Center emptied meanwhile keeps the CRM\'s text', () => {
    const result = merge({ crm: outboundDeal({ notes: 'This is a sample note\nCall booked' }), pc: without('notes') });
    assert.equal(result.merged.notes, 'This is a sample note\nCall booked');
    assert.deepEqual(result.toPartnerCenter, ['notes']);
    assert.deepEqual(result.toCrm, []);
  });

  it('a value missing in Partner Center is not read as emptied (it is mandatory there): no opinion', () => {
    const result = merge({ crm: outboundDeal(), pc: without('value') });
    assert.equal(result.merged.value, outboundDeal().value);
    assert.deepEqual(result.toCrm, []);
  });

  it('a value emptied in the CRM is a change to nothing that Partner Center must judge', () => {
    const result = merge({ crm: without('value'), pc: outboundDeal(), crmCleared: ['value'] });
    assert.equal(result.merged.value, undefined);
    assert.deepEqual(result.toPartnerCenter, ['value']);
    assert.deepEqual(result.toCrm, []);
  });

  it('a campaign ID emptied on either side is emptied on the other', () => {
    const fromPc = merge({ crm: outboundDeal(), pc: without('marketingCampaignId') });
    assert.deepEqual([fromPc.toCrm, fromPc.toPartnerCenter], [['marketingCampaignId'], []]);
    const fromCrm = merge({ crm: without('marketingCampaignId'), pc: outboundDeal(), crmCleared: ['marketingCampaignId'] });
    assert.deepEqual([fromCrm.toCrm, fromCrm.toPartnerCenter], [[], ['marketingCampaignId']]);
  });

  it('a customer contact removed in Partner Center is removed from the CRM deal, and nothing goes back', () => {
    const result = merge({ crm: outboundDeal(), pc: without('customerContact') });
    assert.equal(result.merged.customerContact, undefined);
    assert.deepEqual([result.toCrm, result.toPartnerCenter], [['customerContact'], []]);
  });

  it('a customer contact consent keeps in the CRM is not removed from it because Partner Center lacks it', () => {
    // The merge sees the CRM without the withheld contact; the record itself holds it.
    const crmHolds = outboundDeal({ consentToShareContacts: false });
    const crm = without('customerContact', { consentToShareContacts: false });
    const base = without('customerContact', { consentToShareContacts: false });
    for (const b of [base, outboundDeal({ consentToShareContacts: false })]) {
      const result = merge({ base: b, crm, crmHolds, pc: without('customerContact', { consentToShareContacts: false }), pcWithheld: ['customerContact'] });
      assert.deepEqual([result.toCrm, result.toPartnerCenter], [[], []]);
    }
  });
});
