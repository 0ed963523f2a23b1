/** Deal types, visibility and invitations (seed "Types of Co-sell opportunities", "Combinations"). */
import assert from 'node:assert/strict';
import { checkChange, checkCreate, type RuleContext } from '../../../core/rules/index.js';
import { checkInvitationsKept } from '../../../core/rules/engagement.js';
import { assertClean, assertRaised, ruleTitle } from '../../helpers/rules.js';
import { at, coSellDeal, DAY_MS, inboundFromMicrosoft, outboundDeal, p2pDeal } from '../../helpers/referrals.js';

const us: RuleContext = { actor: 'us', now: at(DAY_MS) };
const microsoft: RuleContext = { actor: 'microsoft', now: at(DAY_MS) };
const partnerLed = () => outboundDeal({ dealType: 'partner-led', shareWithMicrosoftSellers: true });
const fabrikam = () => p2pDeal().invitations[0]!;

describe(ruleTitle('deal_type.mismatch'), () => {
  it('refuses a deal marked private that is shared with Microsoft sellers', () => {
    assertRaised(checkCreate(outboundDeal({ shareWithMicrosoftSellers: true }), us), 'deal_type.mismatch', 'dealType');
  });
  it('refuses a deal marked partner-led that asks for help', () => {
    assertRaised(checkCreate(coSellDeal({ dealType: 'partner-led' }), us), 'deal_type.mismatch', 'dealType');
  });
  it('allows private = no help and not shared; partner-led = shared without help; co-sell = help asked', () => {
    assertClean(checkCreate(outboundDeal(), us));
    assertClean(checkCreate(partnerLed(), us));
    assertClean(checkCreate(coSellDeal(), us));
  });
});

describe(ruleTitle('deal_type.help_requires_sharing'), () => {
  it('refuses asking for help without sharing the deal', () => {
    assertRaised(checkCreate(coSellDeal({ shareWithMicrosoftSellers: false }), us), 'deal_type.help_requires_sharing', 'shareWithMicrosoftSellers');
  });
  it('allows asking for help on a shared deal', () => assertClean(checkCreate(coSellDeal(), us)));
});

describe(ruleTitle('deal_type.no_downgrade'), () => {
  it('allows private → partner-led', () => assertClean(checkChange(outboundDeal(), partnerLed(), us)));
  it('allows private → co-sell', () => assertClean(checkChange(outboundDeal(), coSellDeal({ microsoft: undefined }), us)));
  it('allows partner-led → co-sell', () => assertClean(checkChange(partnerLed(), coSellDeal({ microsoft: undefined }), us)));
  it('allows partner-led → P2P (partners invited)', () => assertClean(checkChange(partnerLed(), p2pDeal({ shareWithMicrosoftSellers: true }), us)));
  it('allows P2P without Microsoft → co-sell', () => {
    const next = p2pDeal({ dealType: 'co-sell', helpType: 'general', shareWithMicrosoftSellers: true });
    assertClean(checkChange(p2pDeal(), next, us));
  });
  it('refuses co-sell → partner-led', () => {
    const prev = coSellDeal();
    assertRaised(checkChange(prev, { ...prev, dealType: 'partner-led', helpType: undefined }, us), 'deal_type.no_downgrade', 'dealType');
  });
  it('refuses P2P → private', () => {
    assertRaised(checkChange(p2pDeal(), outboundDeal({ dealType: 'private' }), us), 'deal_type.no_downgrade', 'dealType');
  });
});

describe(ruleTitle('visibility.cannot_withdraw'), () => {
  it('refuses hiding a partner-led deal from Microsoft sellers again', () => {
    assertRaised(checkChange(partnerLed(), outboundDeal(), us), 'visibility.cannot_withdraw', 'shareWithMicrosoftSellers');
  });
  it('refuses withdrawing a co-sell request', () => {
    const prev = coSellDeal();
    assertRaised(checkChange(prev, { ...prev, helpType: undefined, dealType: 'partner-led' }, us), 'visibility.cannot_withdraw', 'helpType');
  });
  it('allows changing the kind of help asked', () => {
    const prev = coSellDeal();
    assertClean(checkChange(prev, { ...prev, helpType: 'quotes-licensing' }, us));
  });
});

describe(ruleTitle('invitation.inbound_not_allowed'), () => {
  it('refuses inviting a partner to an inbound deal', () => {
    const prev = inboundFromMicrosoft({ status: 'Active', substatus: 'Accepted' });
    assertRaised(checkChange(prev, { ...prev, invitations: [fabrikam()] }, us), 'invitation.inbound_not_allowed', 'invitations');
  });
  it('allows inviting a partner to an outbound deal', () => assertClean(checkChange(outboundDeal(), p2pDeal(), us)));
});

describe(ruleTitle('invitation.initiator_only'), () => {
  it('refuses Microsoft adding a partner to our deal', () => {
    assertRaised(checkChange(outboundDeal(), p2pDeal(), microsoft), 'invitation.initiator_only', 'invitations');
  });
  it('allows the initiating company to invite', () => assertClean(checkChange(outboundDeal(), p2pDeal(), us)));
});

describe(ruleTitle('invitation.solution_required'), () => {
  it('refuses inviting a partner without a solution, on create and on change', () => {
    const bare = { ...fabrikam(), solutions: [] };
    assertRaised(checkChange(outboundDeal(), p2pDeal({ invitations: [bare] }), us), 'invitation.solution_required', 'invitations[0].solutions');
    assertRaised(checkCreate(p2pDeal({ invitations: [bare] }), us), 'invitation.solution_required', 'invitations[0].solutions');
  });
  it('does not charge an invitation that already exists (its solutions are the invited partner\'s to change)', () => {
    const existing = p2pDeal({ invitations: [{ ...fabrikam(), solutions: [] }] });
    assertClean(checkChange(existing, { ...existing, notes: 'edited' }, us));
  });
});

describe(ruleTitle('invitation.after_completion'), () => {
  it('refuses inviting a partner to a won deal', () => {
    const won = outboundDeal({ status: 'Closed', substatus: 'Won', salesStage: 'Won' });
    assertRaised(checkChange(won, { ...won, invitations: [fabrikam()], dealType: 'partner-to-partner' }, us), 'invitation.after_completion', 'invitations');
  });
  it('allows inviting a partner to a deal still in progress', () => assertClean(checkChange(outboundDeal(), p2pDeal(), us)));
});

describe(ruleTitle('microsoft.decision_window_closed'), () => {
  it('refuses Microsoft taking up a co-sell request after 14 days', () => {
    const prev = coSellDeal();
    const late: RuleContext = { actor: 'microsoft', now: at(15 * DAY_MS) };
    assertRaised(checkChange(prev, { ...prev, microsoft: { ...prev.microsoft!, status: 'Accepted' } }, late), 'microsoft.decision_window_closed', 'microsoft.status');
  });
  it('allows it on day 13', () => {
    const prev = coSellDeal();
    assertClean(checkChange(prev, { ...prev, microsoft: { ...prev.microsoft!, status: 'Accepted' } }, { actor: 'microsoft', now: at(13 * DAY_MS) }));
  });
});

describe(ruleTitle('invitation.cannot_withdraw'), () => {
  it('warns, naming each partner the inviter deleted that stays invited, and refuses nothing', () => {
    const told = assertRaised(checkInvitationsKept([fabrikam()]), 'invitation.cannot_withdraw', 'invitations', 'warning');
    assert.match(told.message, new RegExp(`invitation to partner .*${fabrikam().partner.id}.* stays in Partner Center`));
    assertClean(checkInvitationsKept([]));
  });
});
