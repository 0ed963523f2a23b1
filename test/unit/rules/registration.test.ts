/** Deal registration eligibility and the 72-hour gap (seed "Accepted stage"). */
import assert from 'node:assert/strict';
import { checkChange, registrationEligibility, type RuleContext } from '../../../core/rules/index.js';
import type { Referral } from '../../../core/model/index.js';
import { assertClean, assertRaised, codes, ruleTitle } from '../../helpers/rules.js';
import { at, coSellDeal, HOUR_MS, outboundDeal } from '../../helpers/referrals.js';

const incentive = [{ id: 'SOL-AZIP-0001', kind: 'own' as const, incentiveEligible: true }];
const partnerLed = (o: Partial<Referral> = {}) => outboundDeal({ dealType: 'partner-led', shareWithMicrosoftSellers: true, solutions: incentive, ...o });
const won = (deal: Referral): Referral => ({ ...deal, status: 'Closed', substatus: 'Won', salesStage: 'Won' });

describe('registrationEligibility (seed: "A deal will be eligible for deal registration only if it meets all the below criteria")', () => {
  it('is eligible: partner-led, incentive-eligible solution, won', () => assert.deepEqual(registrationEligibility(won(partnerLed())), { eligible: true, unmet: [] }));
  it('is eligible: co-sell won with Microsoft accepted', () => {
    assert.equal(registrationEligibility(won(coSellDeal({ solutions: incentive, microsoft: { status: 'Accepted' } }))).eligible, true);
  });
  it('is not eligible: a private deal ("Deal registration is not applicable for Private deals")', () => {
    const result = registrationEligibility(won(outboundDeal({ solutions: incentive })));
    assert.equal(result.eligible, false);
    assert.match(result.unmet.join(), /co-sell or partner-led/);
  });
  it('is not eligible: no incentive-eligible solution', () => assert.match(registrationEligibility(won(partnerLed({ solutions: [{ id: 'SOL-1', kind: 'own' }] }))).unmet.join(), /incentive-eligible/));
  it('is not eligible: co-sell while Microsoft has not accepted', () => {
    assert.match(registrationEligibility(won(coSellDeal({ solutions: incentive }))).unmet.join(), /Microsoft must have accepted/);
  });
  it('is not eligible before it is won', () => assert.match(registrationEligibility(partnerLed()).unmet.join(), /must be won/));
});

describe(ruleTitle('registration.won_within_72h'), () => {
  const early: RuleContext = { actor: 'us', now: at(71 * HOUR_MS) };
  const later: RuleContext = { actor: 'us', now: at(72 * HOUR_MS) };
  it('warns (and does not refuse) a Won 71 hours after creation on a registrable deal, saying when the gap ends', () => {
    const found = assertRaised(checkChange(partnerLed(), won(partnerLed()), early), 'registration.won_within_72h', 'substatus', 'warning');
    assert.match(found.message, /2026-01-08T09:00:00.000Z/);
  });
  it('says nothing at 72 hours', () => assertClean(checkChange(partnerLed(), won(partnerLed()), later)));
  it('says nothing for a deal that is not registrable', () => {
    assert.ok(!codes(checkChange(outboundDeal(), won(outboundDeal()), early)).includes('registration.won_within_72h'));
  });
});

describe(ruleTitle('sales_stage.won_requires_won_status'), () => {
  const us: RuleContext = { actor: 'us', now: at(100 * HOUR_MS) };
  it('refuses the Won stage on a deal that is not won', () => {
    assertRaised(checkChange(outboundDeal(), outboundDeal({ salesStage: 'Won' }), us), 'sales_stage.won_requires_won_status', 'salesStage');
  });
  it('allows the Won stage with the Won substatus', () => assertClean(checkChange(outboundDeal(), won(outboundDeal()), us)));
});
