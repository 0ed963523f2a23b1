/**
 * `cosell explain` on a linked deal Partner Center has closed, edited in the CRM since: nothing goes to
 * Partner Center (a final state takes no changes), and each unit's flags say so too, as `nextSync` does
 * (they used to say `toPartnerCenter: true` for the edited units while `nextSync` sent nothing).
 */
import assert from 'node:assert/strict';
import type { CrmDeal } from '../../../core/engine/crm-port.js';
import { explainPair } from '../../../core/engine/explain-pair.js';
import type { Link } from '../../../core/store/state-store.js';
import { outboundDeal } from '../../helpers/referrals.js';

const NOW = new Date('2026-12-05T12:00:00Z');

describe('explaining a closed deal edited in the CRM (pure)', () => {
  it('marks no unit as going to Partner Center, as nextSync says, and names the final state', () => {
    const base = { ...outboundDeal({ crmId: 'opp-1' }), referralId: 'ref-1', status: 'Closed' as const, substatus: 'Won' as const, salesStage: 'Won' as const };
    const link: Link = { crmId: 'opp-1', referralId: 'ref-1', base, state: 'active', updatedAt: NOW.toISOString() };
    const deal: CrmDeal = { crmId: 'opp-1', modifiedAt: NOW.toISOString(), intent: { optedIn: true }, referral: { ...base, value: 99_000, notes: 'Edited after the win' }, problems: [] };
    const explained = explainPair({ link, deal, pc: base, policy: 'newest-wins', now: NOW });
    assert.match(explained.blockedBecause ?? '', /final state \(Closed\/Won\)/);
    assert.deepEqual(explained.nextSync, { toPartnerCenter: {}, toCrm: {} });
    const value = explained.units.find((u) => u.unit === 'value')!;
    assert.equal(value.decision, 'changed in the CRM');
    assert.deepEqual(explained.units.filter((u) => u.toPartnerCenter || u.toCrm).map((u) => u.unit), [], 'no unit flagged as sent');
  });

  it('still flags the units that do go (an open deal)', () => {
    const base = { ...outboundDeal({ crmId: 'opp-1' }), referralId: 'ref-1' };
    const link: Link = { crmId: 'opp-1', referralId: 'ref-1', base, state: 'active', updatedAt: NOW.toISOString() };
    const deal: CrmDeal = { crmId: 'opp-1', modifiedAt: NOW.toISOString(), intent: { optedIn: true }, referral: { ...base, value: 99_000 }, problems: [] };
    const explained = explainPair({ link, deal, pc: { ...base, dealName: 'Renamed in Partner Center' }, policy: 'newest-wins', now: NOW });
    assert.equal(explained.blockedBecause, undefined, JSON.stringify(explained.rules));
    assert.deepEqual(Object.keys(explained.nextSync.toPartnerCenter), ['value']);
    assert.deepEqual(explained.units.filter((u) => u.toPartnerCenter).map((u) => u.unit), ['value']);
    assert.deepEqual(explained.units.filter((u) => u.toCrm).map((u) => u.unit), ['dealName']);
  });
});
