/**
 * The CRM's opinion of a record whose close the connector never finished (CrmDeal.unfinishedClose, set by
 * the Dynamics 365 adapter on an open opportunity that has no Opportunity Close activity): the link's final
 * state, reason and notes included, so that the merge sees no seller's edit and writes the close. Only
 * when the link holds that same final state and the record is open; anything else reads as it is.
 */
import assert from 'node:assert/strict';
import type { CrmDeal } from '../../../core/engine/crm-port.js';
import { referralWithIntent } from '../../../core/engine/seller-intent.js';
import type { Referral } from '../../../core/model/index.js';
import { outboundDeal } from '../../helpers/referrals.js';

const open = outboundDeal({ status: 'Active', substatus: 'Accepted', closeReason: 'budget-not-adequate' });
const lostBase = outboundDeal({ status: 'Closed', substatus: 'Lost', closeReason: 'chose-another-vendor', closeNotes: 'Went with a rival' });

function deal(referral: Referral, unfinishedClose?: CrmDeal['unfinishedClose']): CrmDeal {
  return { crmId: referral.crmId!, modifiedAt: '2026-12-06T00:00:00.000Z', intent: { optedIn: true }, referral, problems: [], ...(unfinishedClose ? { unfinishedClose } : {}) };
}

describe('an unfinished close as the CRM sees it', () => {
  it("takes the link's final state, its reason and notes, for an open record marked unfinished", () => {
    const seen = referralWithIntent(deal(open, { status: 'Closed', substatus: 'Lost' }), lostBase);
    assert.deepEqual([seen.status, seen.substatus, seen.closeReason, seen.closeNotes], ['Closed', 'Lost', 'chose-another-vendor', 'Went with a rival']);
    assert.equal(seen.dealName, open.dealName, 'the rest is the record');
  });

  it('is a reopen without the mark, with a base that is not final, with another final state, or on a closed record', () => {
    const same = (r: Referral) => [r.status, r.substatus];
    assert.deepEqual(same(referralWithIntent(deal(open), lostBase)), ['Active', 'Accepted']);
    assert.deepEqual(same(referralWithIntent(deal(open, { status: 'Closed', substatus: 'Lost' }), { ...lostBase, status: 'Active', substatus: 'Accepted' })), ['Active', 'Accepted']);
    assert.deepEqual(same(referralWithIntent(deal(open, { status: 'Closed', substatus: 'Won' }), lostBase)), ['Active', 'Accepted']);
    assert.deepEqual(same(referralWithIntent(deal(open, { status: 'Closed', substatus: 'Lost' }))), ['Active', 'Accepted']);
    const won = { ...open, status: 'Closed' as const, substatus: 'Won' as const };
    assert.deepEqual(same(referralWithIntent(deal(won, { status: 'Closed', substatus: 'Lost' }), lostBase)), ['Closed', 'Won']);
  });
});
