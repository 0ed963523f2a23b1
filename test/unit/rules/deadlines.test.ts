/** The clocks of the life cycle, as pure functions of a referral and a time. */
import assert from 'node:assert/strict';
import { inboundExpiryDue, microsoftDecisionDue, wonGapEndsAt } from '../../../core/rules/index.js';
import { at, coSellDeal, DAY_MS, inboundFromMicrosoft, outboundDeal } from '../../helpers/referrals.js';

describe('inboundExpiryDue (seed: "If you don\'t respond within the allotted time (currently 14 days), we\'ll archive it as Expired")', () => {
  it('is due at 14 days for an unanswered inbound referral', () => assert.equal(inboundExpiryDue(inboundFromMicrosoft(), at(14 * DAY_MS)), true));
  it('is not due at 13 days', () => assert.equal(inboundExpiryDue(inboundFromMicrosoft(), at(13 * DAY_MS)), false));
  it('falls back to creation + 14 days without an expiration time', () => {
    assert.equal(inboundExpiryDue(inboundFromMicrosoft({ expiresAt: undefined }), at(14 * DAY_MS)), true);
  });
  it('never applies to an accepted referral or to an outbound deal', () => {
    assert.equal(inboundExpiryDue(inboundFromMicrosoft({ status: 'Active', substatus: 'Accepted' }), at(30 * DAY_MS)), false);
    assert.equal(inboundExpiryDue(outboundDeal(), at(30 * DAY_MS)), false);
  });
});

describe('microsoftDecisionDue (seed: "Microsoft sales representatives have 14 days to decide if they want to participate")', () => {
  it('is due 14 days after the co-sell request while Microsoft is still pending', () => assert.equal(microsoftDecisionDue(coSellDeal(), at(14 * DAY_MS)), true));
  it('is not due before', () => assert.equal(microsoftDecisionDue(coSellDeal(), at(13 * DAY_MS)), false));
  it('is not due once Microsoft answered', () => assert.equal(microsoftDecisionDue(coSellDeal({ microsoft: { status: 'Accepted', requestedAt: at(0).toISOString() } }), at(20 * DAY_MS)), false));
});

describe('wonGapEndsAt (seed: "a gap of 72 hours between the deal creation and deal getting marked as won")', () => {
  it('is 72 hours after creation', () => assert.equal(wonGapEndsAt(outboundDeal())?.toISOString(), '2026-01-08T09:00:00.000Z'));
});
