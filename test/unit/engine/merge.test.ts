/** The three-way merge and its conflict order: terminal states, ownership, then policy. */
import assert from 'node:assert/strict';
import { mergeReferral, type ConflictPolicy } from '../../../core/engine/merge/three-way.js';
import { mergeNotes } from '../../../core/engine/merge/notes.js';
import { holdsSet, mergeInvitations, mergeSets, teamKey } from '../../../core/engine/merge/sets.js';
import type { Referral } from '../../../core/model/index.js';
import { outboundDeal } from '../../helpers/referrals.js';

const EARLY = '2026-02-01T10:00:00.000Z';
const LATE = '2026-02-01T11:00:00.000Z';
const merge = (base: Referral, crm: Referral, pc: Referral, policy: ConflictPolicy = 'newest-wins', crmAt = LATE, pcAt = EARLY) =>
  mergeReferral({ base, crm, pc, policy, crmModifiedAt: crmAt, pcUpdatedAt: pcAt });

describe('three-way merge', () => {
  it('does nothing when neither side changed', () => {
    const result = merge(outboundDeal(), outboundDeal(), outboundDeal());
    assert.deepEqual([result.toCrm, result.toPartnerCenter, result.conflicts], [[], [], []]);
  });

  it('sends a CRM change to Partner Center and nothing back', () => {
    const result = merge(outboundDeal(), outboundDeal({ value: 50000 }), outboundDeal());
    assert.equal(result.merged.value, 50000);
    assert.deepEqual(result.toPartnerCenter, ['value']);
    assert.deepEqual(result.toCrm, []);
  });

  it("brings Partner Center's change to the CRM", () => {
    const result = merge(outboundDeal(), outboundDeal(), outboundDeal({ microsoft: { status: 'Accepted' }, closeDate: '2026-09-01' }));
    assert.deepEqual(result.toCrm.sort(), ['closeDate', 'microsoft']);
    assert.deepEqual(result.toPartnerCenter, []);
  });

  it('recognises its own echo: both sides equal to the base means no write', () => {
    const synced = outboundDeal({ value: 777 });
    const result = merge(synced, outboundDeal({ value: 777 }), outboundDeal({ value: 777 }));
    assert.deepEqual([result.toCrm, result.toPartnerCenter], [[], []]);
  });

  it('treats a value the CRM does not map (undefined) as no opinion, not a deletion', () => {
    const crm = outboundDeal({ marketingCampaignId: undefined, favorite: undefined as unknown as boolean });
    const result = merge(outboundDeal({ favorite: true }), crm, outboundDeal({ favorite: true }));
    assert.equal(result.merged.marketingCampaignId, 'BingSummer2020');
    assert.deepEqual([result.toCrm, result.toPartnerCenter], [[], []]);
  });

  it('never takes Microsoft\'s status or the referral ID from the CRM', () => {
    const crm = outboundDeal({ microsoft: { status: 'Won' }, referralId: 'forged' });
    const result = merge(outboundDeal(), crm, outboundDeal());
    assert.equal(result.merged.referralId, outboundDeal().referralId);
    assert.deepEqual(result.toPartnerCenter, []);
  });

  describe('conflicts', () => {
    it('terminal states win: the CRM marked it won while Partner Center changed the status otherwise', () => {
      const crm = outboundDeal({ status: 'Closed', substatus: 'Won' });
      // A reason alone on an open referral is no status change (units.ts): Partner Center's move is a real one.
      const pc = outboundDeal({ status: 'Active', substatus: 'Accepted' });
      const result = merge(outboundDeal({ status: 'New', substatus: 'Pending' }), crm, pc, 'partner-center-wins');
      assert.equal(result.merged.substatus, 'Won');
      assert.deepEqual(result.conflicts, [{ unit: 'status', settledBy: 'terminal', winner: 'crm' }]);
    });

    it("terminal states win, Partner Center's when both closed the deal differently", () => {
      const crm = outboundDeal({ status: 'Closed', substatus: 'Won' });
      const pc = outboundDeal({ status: 'Closed', substatus: 'Lost', closeReason: 'other' });
      assert.equal(merge(outboundDeal(), crm, pc, 'crm-wins').merged.substatus, 'Lost');
    });

    it('ownership: the CRM owns the value even when Partner Center changed it later', () => {
      const result = merge(outboundDeal(), outboundDeal({ value: 1000 }), outboundDeal({ value: 2000 }), 'partner-center-wins', EARLY, LATE);
      assert.equal(result.merged.value, 1000);
      assert.deepEqual(result.conflicts, [{ unit: 'value', settledBy: 'ownership', winner: 'crm' }]);
      assert.deepEqual(result.toPartnerCenter, ['value']);
    });

    const shared = (policy: ConflictPolicy, crmAt: string, pcAt: string) =>
      merge(outboundDeal(), outboundDeal({ marketingCampaignId: 'CRM' }), outboundDeal({ marketingCampaignId: 'PC' }), policy, crmAt, pcAt);
    it('policy newest-wins takes the side with the later server timestamp', () => {
      assert.equal(shared('newest-wins', LATE, EARLY).merged.marketingCampaignId, 'CRM');
      assert.equal(shared('newest-wins', EARLY, LATE).merged.marketingCampaignId, 'PC');
    });
    it('policy crm-wins and partner-center-wins', () => {
      assert.equal(shared('crm-wins', EARLY, LATE).merged.marketingCampaignId, 'CRM');
      assert.equal(shared('partner-center-wins', LATE, EARLY).merged.marketingCampaignId, 'PC');
    });
    it('policy manual leaves the unit as it is on both sides and reports it', () => {
      const result = shared('manual', LATE, EARLY);
      assert.deepEqual(result.manual, ['marketingCampaignId']);
      assert.equal(result.merged.marketingCampaignId, 'BingSummer2020');
      assert.ok(!result.toCrm.includes('marketingCampaignId') && !result.toPartnerCenter.includes('marketingCampaignId'));
    });

    it('notes changed on both sides keep both texts', () => {
      const result = merge(outboundDeal({ notes: 'Kickoff done.' }), outboundDeal({ notes: 'Kickoff done. CRM: budget approved.' }), outboundDeal({ notes: 'Kickoff done. MS: POC scheduled.' }));
      assert.match(result.merged.notes!, /budget approved/);
      assert.match(result.merged.notes!, /POC scheduled/);
      assert.deepEqual(result.toCrm, ['notes']);
      assert.deepEqual(result.toPartnerCenter, ['notes']);
    });
  });

  it('re-derives the deal type from the merged answers', () => {
    const crm = outboundDeal({ shareWithMicrosoftSellers: true, helpType: 'general' });
    const result = merge(outboundDeal(), crm, outboundDeal());
    assert.equal(result.merged.dealType, 'co-sell');
  });
});

describe('set merge (team by email, solutions by ID)', () => {
  const a = { firstName: 'A', lastName: 'A', phone: '111111', email: 'a@x.com' };
  const b = { firstName: 'B', lastName: 'B', phone: '222222', email: 'b@x.com' };
  const c = { firstName: 'C', lastName: 'C', phone: '333333', email: 'c@x.com' };
  it('keeps additions from both sides', () => {
    assert.deepEqual(mergeSets([a], [a, b], [a, c], teamKey, 'crm').merged.map((m) => m.email), ['a@x.com', 'b@x.com', 'c@x.com']);
  });
  it('removes what one side removed and the other left alone', () => {
    assert.deepEqual(mergeSets([a, b], [a], [a, b], teamKey, 'crm').merged.map((m) => m.email), ['a@x.com']);
  });
  it('keeps a member removed on one side but edited on the other', () => {
    const edited = { ...b, phone: '999999' };
    assert.deepEqual(mergeSets([a, b], [a], [a, edited], teamKey, 'crm').merged, [a, edited]);
  });
  it('matches emails case-insensitively', () => {
    assert.equal(mergeSets([a], [{ ...a, email: 'A@X.COM' }], [a], teamKey, 'crm').merged.length, 1);
  });
  it('a side listing one member twice holds the same set: nothing to write, run after run', () => {
    assert.equal(holdsSet([a, a], [a], teamKey), true);
    assert.equal(holdsSet([a, a], [a, b], teamKey), false);
    // The loop this prevented: the CRM's team read back with a duplicate row was rewritten every run.
    const twice = outboundDeal({ team: [a, a] });
    const result = merge(twice, twice, twice);
    assert.deepEqual([result.toCrm, result.toPartnerCenter], [[], []]);
  });
});

describe('notes merge', () => {
  it('keeps both appended texts once', () => assert.equal(mergeNotes('base', 'base\ncrm', 'base\npc'), 'base\ncrm\npc'));
  it('keeps both whole texts when neither appended', () => assert.equal(mergeNotes('base', 'one', 'two'), 'one\n--- from Partner Center ---\ntwo'));
  it('takes the only changed side', () => assert.equal(mergeNotes('base', 'base', 'new'), 'new'));
});

describe('mergeInvitations: Partner Center owns the details', () => {
  const requested = { partner: { id: 'fab' }, value: 10, currency: 'USD' };
  const pending = { ...requested, status: 'Pending' };
  it("writes the invited partner's answer to a CRM that holds the same partners", () => {
    const result = mergeInvitations([pending], [pending], [{ ...pending, status: 'Accepted' }], true);
    assert.equal(result.toCrm, true);
    assert.equal(result.toPartnerCenter, false);
    assert.equal(result.merged[0]?.status, 'Accepted');
  });
  it('writes the details Partner Center reports over the seller\'s request', () => assert.equal(mergeInvitations([], [requested], [pending], true).toCrm, true));
  it('writes nothing when the CRM holds what Partner Center holds', () => assert.equal(mergeInvitations([pending], [pending], [pending], true).toCrm, false));
  it('writes nothing to a CRM that holds no invitations', () => assert.equal(mergeInvitations([pending], undefined, [pending], true).toCrm, false));
  it('writes no details to a CRM that keeps only the requests, but still a partner it lacks', () => {
    assert.equal(mergeInvitations<{ partner: { id: string }; status?: string }>([pending], [requested], [{ ...pending, status: 'Accepted' }], false).toCrm, false);
    assert.equal(mergeInvitations([pending], [], [pending], false).toCrm, true);
  });
});
