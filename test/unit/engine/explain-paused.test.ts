/**
 * `cosell explain` on a linked deal whose "Sync with Partner Center" box is unticked says the pair is
 * paused and predicts no write either way, as the sync then does (core/engine/paused-pair.ts).
 */
import assert from 'node:assert/strict';
import type { CrmDeal } from '../../../core/engine/crm-port.js';
import { explainPair } from '../../../core/engine/explain-pair.js';
import type { Link } from '../../../core/store/state-store.js';
import { outboundDeal } from '../../helpers/referrals.js';

const NOW = new Date('2026-12-05T12:00:00Z');

describe('explaining a paused pair (pure)', () => {
  it('names the unticked box and predicts nothing sent to either side', () => {
    const base = { ...outboundDeal({ crmId: 'opp-1' }), referralId: 'ref-1' };
    const link: Link = { crmId: 'opp-1', referralId: 'ref-1', base, state: 'active', updatedAt: NOW.toISOString() };
    const deal: CrmDeal = { crmId: 'opp-1', modifiedAt: NOW.toISOString(), intent: { optedIn: false }, referral: { ...base, value: 777 }, problems: [] };
    const pc = { ...base, notes: 'Notes from Partner Center' };
    const explained = explainPair({ link, deal, pc, policy: 'newest-wins', now: NOW });
    assert.match(explained.blockedBecause ?? '', /"Sync with Partner Center" box is unticked/);
    assert.deepEqual(explained.nextSync, { toPartnerCenter: {}, toCrm: {} });
    assert.equal(explained.units.find((u) => u.unit === 'value')?.decision, 'changed in the CRM', 'the merge a resume would make is still shown');
  });
});
