/** What stays fixed and who owns what (seed "Deal details", "Partner to Partner (P2P) deal"; CSV table). */
import { checkChange, type RuleContext } from '../../../core/rules/index.js';
import { assertClean, assertRaised, ruleTitle } from '../../helpers/rules.js';
import { at, coSellDeal, DAY_MS, outboundDeal, p2pDeal } from '../../helpers/referrals.js';

const us: RuleContext = { actor: 'us', now: at(DAY_MS) };
const microsoft: RuleContext = { actor: 'microsoft', now: at(DAY_MS) };
const partner: RuleContext = { actor: 'partner', now: at(DAY_MS) };

describe(ruleTitle('location.immutable'), () => {
  it('refuses changing the location of an existing deal', () => {
    assertRaised(checkChange(outboundDeal(), outboundDeal({ location: 'loc-de-berlin' }), us), 'location.immutable', 'location');
  });
  it('allows editing the name, value, close date, notes, CRM ID and campaign ID', () => {
    const next = outboundDeal({ dealName: 'Renamed', value: 20000, closeDate: '2026-07-31', notes: 'more', crmId: '006X', marketingCampaignId: 'Fall' });
    assertClean(checkChange(outboundDeal(), next, us));
  });
});

describe(ruleTitle('identity.immutable'), () => {
  it('refuses changing the engagement ID', () => {
    assertRaised(checkChange(outboundDeal(), outboundDeal({ engagementId: '00000000-0000-4000-8000-000000000000' }), us), 'identity.immutable', 'engagementId');
  });
  it('refuses turning an outbound deal into an inbound one', () => {
    assertRaised(checkChange(outboundDeal(), outboundDeal({ direction: 'inbound' }), us), 'identity.immutable', 'direction');
  });
  it('allows an unchanged identity', () => assertClean(checkChange(outboundDeal(), outboundDeal(), us)));
});

describe(ruleTitle('microsoft.read_only'), () => {
  it("refuses our company changing Microsoft's status", () => {
    const prev = coSellDeal();
    assertRaised(checkChange(prev, { ...prev, microsoft: { status: 'Accepted', requestedAt: prev.microsoft!.requestedAt! } }, us), 'microsoft.read_only', 'microsoft.status');
  });
  it("allows Microsoft to change its own status", () => {
    const prev = coSellDeal();
    assertClean(checkChange(prev, { ...prev, microsoft: { ...prev.microsoft!, status: 'Accepted' } }, microsoft));
  });
});

describe(ruleTitle('actor.not_owner'), () => {
  it("refuses Microsoft changing our deal's value", () => assertRaised(checkChange(outboundDeal(), outboundDeal({ value: 1 }), microsoft), 'actor.not_owner', 'value'));
  it("refuses another partner marking our deal won", () => {
    assertRaised(checkChange(outboundDeal(), outboundDeal({ status: 'Closed', substatus: 'Won' }), partner), 'actor.not_owner');
  });
  it('allows the invited partner to change their own invitation', () => {
    const prev = p2pDeal();
    const next = p2pDeal();
    next.invitations[0]!.value = 7500;
    assertClean(checkChange(prev, next, partner));
  });
});

describe(ruleTitle('invitation.inviter_cannot_change'), () => {
  it("refuses the inviter changing an invited partner's close date", () => {
    const next = p2pDeal();
    next.invitations[0]!.closeDate = '2026-09-30';
    assertRaised(checkChange(p2pDeal(), next, us), 'invitation.inviter_cannot_change', 'invitations[0].closeDate');
  });
  it("refuses the inviter changing an invited partner's value", () => {
    const next = p2pDeal();
    next.invitations[0]!.value = 1;
    assertRaised(checkChange(p2pDeal(), next, us), 'invitation.inviter_cannot_change', 'invitations[0].value');
  });
  it('allows the invited partner to change the same value', () => {
    const next = p2pDeal();
    next.invitations[0]!.value = 9000;
    assertClean(checkChange(p2pDeal(), next, partner));
  });
});
