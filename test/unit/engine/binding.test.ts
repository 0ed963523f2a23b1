/** Record binding (issue 14): one side's pointer alone never links a CRM record to a referral. */
import assert from 'node:assert/strict';
import { carriesDealName, isOwnCrmCreate, isSameDeal, judgeBinding, mayBindAsOnlyClaimant, type BindingClaim } from '../../../core/engine/binding.js';

const claim = (extra: Partial<BindingClaim> = {}): BindingClaim => ({ crmId: 'C1', referralId: 'R1', ...extra });

function refusedWith(verdict: ReturnType<typeof judgeBinding>, pattern: RegExp): void {
  assert.equal(verdict.bind, false);
  if (verdict.bind) return;
  assert.equal(verdict.reason.code, 'binding.unconfirmed');
  assert.match(verdict.reason.message, pattern);
}

describe('record binding (judgeBinding)', () => {
  it('binds when both sides name each other (a restored store)', () => {
    assert.deepEqual(judgeBinding(claim({ crmNames: 'R1', partnerCenterNames: 'C1' })), { bind: true });
  });

  it("refuses a seller's referral ID when Partner Center shows the referral with no CRM record, and says how to confirm", () => {
    refusedWith(judgeBinding(claim({ crmNames: 'R1' })), /Partner Center shows referral R1 with no CRM record: not linked. .*cosell link C1 R1/);
  });

  it('refuses a referral ID whose referral Partner Center shows with another record', () => {
    refusedWith(judgeBinding(claim({ crmNames: 'R1', partnerCenterNames: 'C9' })), /shows referral R1 with CRM record C9/);
  });

  it("refuses Partner Center's CRM reference when the record names no referral", () => {
    refusedWith(judgeBinding(claim({ partnerCenterNames: 'C1' })), /points at CRM record C1, which names no referral.*cosell link C1 R1/);
  });

  it('refuses a claim on a referral already linked to another record, even when both sides agree', () => {
    refusedWith(judgeBinding(claim({ crmNames: 'R1', partnerCenterNames: 'C1', referralLinkedTo: 'C2' })), /already linked to CRM record C2/);
  });

  it('refuses a claim on a record already linked to another referral', () => {
    refusedWith(judgeBinding(claim({ partnerCenterNames: 'C1', recordLinkedTo: 'R7' })), /already linked to referral R7/);
  });

  it('binds the connector\'s own create whose link was lost (referral created, record not yet written)', () => {
    assert.deepEqual(judgeBinding(claim({ partnerCenterNames: 'C1', createdByConnector: true })), { bind: true });
  });

  it('binds the connector\'s own CRM create whose link was lost (record created, Partner Center not yet told)', () => {
    assert.deepEqual(judgeBinding(claim({ crmNames: 'R1', createdByConnector: true })), { bind: true });
  });

  it('does not let a create intent override a pointer at a third record', () => {
    refusedWith(judgeBinding(claim({ crmNames: 'R1', partnerCenterNames: 'C9', createdByConnector: true })), /shows referral R1 with CRM record C9/);
  });

  describe('a closed referral Partner Center never took the CRM ID of (a lost store)', () => {
    it('binds when the record names it and is its deal', () => {
      assert.deepEqual(judgeBinding(claim({ crmNames: 'R1', referralClosed: true, sameDeal: true })), { bind: true });
    });

    it('refuses a record that names it but carries another deal (a seller typing a closed referral\'s ID)', () => {
      refusedWith(judgeBinding(claim({ crmNames: 'R1', referralClosed: true, sameDeal: false })), /Partner Center shows referral R1 with no CRM record/);
    });

    it('refuses an open referral, which could have taken the CRM ID, even when the deal matches, unless no other record names it', () => {
      refusedWith(judgeBinding(claim({ crmNames: 'R1', referralClosed: false, sameDeal: true })), /cosell link C1 R1/);
    });

    it('refuses when Partner Center names another record', () => {
      refusedWith(judgeBinding(claim({ crmNames: 'R1', partnerCenterNames: 'C9', referralClosed: true, sameDeal: true })), /shows referral R1 with CRM record C9/);
    });
  });

  describe('an open referral Partner Center never took the CRM ID of (a create whose run stopped, then a lost store)', () => {
    const open = (extra: Partial<BindingClaim> = {}) => claim({ crmNames: 'R1', referralClosed: false, sameDeal: true, ...extra });

    it('binds the only record that names it when that record is its deal (model seeds 2211, 1812)', () => {
      assert.deepEqual(judgeBinding(open({ soleClaimant: true })), { bind: true });
    });

    it('refuses when another record names it too (a copied ID), or the record carries another deal', () => {
      refusedWith(judgeBinding(open({ soleClaimant: false })), /cosell link C1 R1/);
      refusedWith(judgeBinding(open({ soleClaimant: true, sameDeal: false })), /cosell link C1 R1/);
    });

    it('refuses when Partner Center names another record, or either side is linked elsewhere', () => {
      refusedWith(judgeBinding(open({ soleClaimant: true, partnerCenterNames: 'C9' })), /with CRM record C9/);
      refusedWith(judgeBinding(open({ soleClaimant: true, referralLinkedTo: 'C2' })), /already linked to CRM record C2/);
      refusedWith(judgeBinding(open({ soleClaimant: true, recordLinkedTo: 'R7' })), /already linked to referral R7/);
    });

    it('asks the CRM for the other claimants only where the answer decides', () => {
      assert.equal(mayBindAsOnlyClaimant(open()), true);
      assert.equal(mayBindAsOnlyClaimant(open({ sameDeal: false })), false);
      assert.equal(mayBindAsOnlyClaimant(open({ referralClosed: true })), false, 'a closed deal binds without asking');
      assert.equal(mayBindAsOnlyClaimant(open({ partnerCenterNames: 'C1' })), false);
      assert.equal(mayBindAsOnlyClaimant(open({ referralLinkedTo: 'C2' })), false);
      assert.equal(mayBindAsOnlyClaimant(open({ createdByConnector: true })), false, 'a create intent binds without asking');
    });
  });

  describe('isSameDeal', () => {
    const deal = (dealName: string, customer: string) => ({ dealName, customer: { name: customer } }) as Parameters<typeof isSameDeal>[0];
    it('matches the deal name and customer name, case and spacing aside', () => {
      assert.equal(isSameDeal(deal('Contoso  Azure migration ', 'Contoso Ltd'), deal('contoso azure migration', 'CONTOSO LTD')), true);
    });
    it('matches a deal name the CRM holds shortened', () => {
      assert.equal(isSameDeal(deal('Contoso Azure mig…', 'Contoso Ltd'), deal('Contoso Azure migration wave two', 'Contoso Ltd')), true);
    });
    it('carriesDealName: the deal name alone (a record made from the referral, its account matched under another name)', () => {
      assert.equal(carriesDealName(deal('Contoso Azure mig…', 'Contoso Limited'), deal('Contoso Azure migration wave two', 'Contoso Ltd')), true);
      assert.equal(carriesDealName(deal('Another deal entirely', 'Contoso Ltd'), deal('Contoso Azure migration', 'Contoso Ltd')), false);
    });

    it('isOwnCrmCreate: a kept create intent vouches only for a record carrying the deal name', () => {
      const referral = deal('Contoso Azure migration', 'Contoso Ltd');
      assert.equal(isOwnCrmCreate(true, deal('Contoso Azure migration', 'Contoso Limited'), referral), true);
      assert.equal(isOwnCrmCreate(true, deal('Another deal entirely', 'Contoso Ltd'), referral), false);
      assert.equal(isOwnCrmCreate(false, deal('Contoso Azure migration', 'Contoso Ltd'), referral), false);
      assert.equal(isOwnCrmCreate(true, undefined, referral), false);
    });
    it('matches a record closed as the referral is, renamed after the close; not an open one or one closed otherwise', () => {
      const closed = (dealName: string, customer: string, substatus: 'Won' | 'Lost' | 'Accepted') => ({ ...deal(dealName, customer), substatus });
      assert.equal(isSameDeal(closed('Renamed after the win', 'Contoso Ltd', 'Won'), closed('Contoso deal', 'Contoso Ltd', 'Won')), true);
      assert.equal(isSameDeal(closed('Renamed after the win', 'Contoso Ltd', 'Lost'), closed('Contoso deal', 'Contoso Ltd', 'Won')), false);
      assert.equal(isSameDeal(closed('Renamed', 'Contoso Ltd', 'Accepted'), closed('Contoso deal', 'Contoso Ltd', 'Accepted')), false);
      assert.equal(isSameDeal(closed('Renamed after the win', 'Fabrikam', 'Won'), closed('Contoso deal', 'Contoso Ltd', 'Won')), false);
    });
    it("matches a record closed as the referral is under its deal name, whose account was renamed after the close (model seed 1807)", () => {
      const closed = (dealName: string, customer: string, substatus: 'Expired' | 'Lost' | 'Accepted') => ({ ...deal(dealName, customer), substatus });
      assert.equal(isSameDeal(closed('P2P inbound 1', 'Account 19 Ltd', 'Expired'), closed('P2P inbound 1', 'Woodgrove Bank', 'Expired')), true);
      assert.equal(isSameDeal(closed('P2P inbound 1', 'Account 19 Ltd', 'Lost'), closed('P2P inbound 1', 'Woodgrove Bank', 'Expired')), false);
      assert.equal(isSameDeal(closed('P2P inbound 1', 'Account 19 Ltd', 'Accepted'), closed('P2P inbound 1', 'Woodgrove Bank', 'Accepted')), false);
    });
    it('does not match another deal name, another customer, or a missing name', () => {
      assert.equal(isSameDeal(deal('Fabrikam deal', 'Contoso Ltd'), deal('Contoso deal', 'Contoso Ltd')), false);
      assert.equal(isSameDeal(deal('Contoso deal', 'Fabrikam'), deal('Contoso deal', 'Contoso Ltd')), false);
      assert.equal(isSameDeal({ dealName: 'Contoso deal' } as Parameters<typeof isSameDeal>[0], deal('Contoso deal', 'Contoso Ltd')), false);
      assert.equal(isSameDeal(deal('…', 'Contoso Ltd'), deal('Contoso deal', 'Contoso Ltd')), false);
    });
  });
});
