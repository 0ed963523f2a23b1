import assert from 'node:assert/strict';
import { locationForNewDeal } from '../../../core/engine/deal-location.js';
import { ownedFieldRefusal, withOwnedFieldRefusal } from '../../../core/engine/owned-fields-note.js';
import { emptyReferral } from '../../../core/model/referral.js';
import { answerByDates } from '../../../core/rules/deadlines.js';

describe('location for a new deal (pure)', () => {
  const defaults = { defaultLocation: 'loc-default', locationByOwner: { 'Sam@Example.com': 'loc-sam', 'user-7': 'loc-seven' } };
  it("takes the record's location first", () => {
    assert.equal(locationForNewDeal({ referral: { location: 'loc-record' }, owner: { id: 'user-7' } }, defaults), 'loc-record');
  });
  it("then the owner's by user ID, then by email without case", () => {
    assert.equal(locationForNewDeal({ referral: {}, owner: { id: 'user-7', email: 'sam@example.com' } }, defaults), 'loc-seven');
    assert.equal(locationForNewDeal({ referral: {}, owner: { id: 'user-9', email: 'sam@example.COM' } }, defaults), 'loc-sam');
  });
  it('then sync.defaultLocation, or none', () => {
    assert.equal(locationForNewDeal({ referral: {}, owner: { id: 'user-9' } }, defaults), 'loc-default');
    assert.equal(locationForNewDeal({ referral: {} }, {}), undefined);
  });
});

describe('a location change after creation (pure)', () => {
  const pc = emptyReferral({ location: 'loc-a' });
  it('is refused with the rule, naming both locations', () => {
    const text = ownedFieldRefusal(pc, emptyReferral({ location: 'loc-b' }), pc);
    assert.match(text, /loc-b was not sent/);
    assert.match(text, /\(it is loc-a\)\. \[location\.immutable\]/);
  });
  it('says nothing while the record holds the same location or none', () => {
    assert.equal(ownedFieldRefusal(pc, emptyReferral({ location: 'loc-a' }), pc), '');
    assert.equal(ownedFieldRefusal(pc, emptyReferral(), pc), '');
  });
  it('keeps the last refusal on a quiet sync, drops it once something else is said', () => {
    const last = { state: 'synced' as const, message: ownedFieldRefusal(pc, emptyReferral({ location: 'loc-b' }), pc) };
    assert.equal(withOwnedFieldRefusal('', pc, emptyReferral({ location: 'loc-a' }), pc, true, last), last.message);
    assert.equal(withOwnedFieldRefusal('', pc, emptyReferral({ location: 'loc-a' }), pc, false, last), '');
    assert.equal(withOwnedFieldRefusal('other', pc, emptyReferral({ location: 'loc-a' }), pc, true, last), 'other');
  });
});

describe("a change of Partner Center's other fields on the record (pure)", () => {
  const base = emptyReferral({ referralId: 'R-1', microsoft: { status: 'Pending', requestedAt: '2026-12-01T00:00:00.000Z' } });
  it("names Microsoft's status the seller edited, with the rule; the attributes the record does not hold are no edit", () => {
    const text = ownedFieldRefusal(base, emptyReferral({ referralId: 'R-1', microsoft: { status: 'Accepted' } }), base, { microsoft: "Microsoft's status" });
    assert.equal(text, "Microsoft's status Accepted was not sent and shows Partner Center's again: Microsoft's status on the deal is read-only; it changes only when Microsoft acts. [microsoft.read_only]");
  });
  it('says nothing when Partner Center moved on and the record still shows the value before (its write is on the way)', () => {
    const pc = emptyReferral({ referralId: 'R-1', microsoft: { status: 'Accepted', requestedAt: '2026-12-01T00:00:00.000Z' } });
    assert.equal(ownedFieldRefusal(base, base, pc), '');
  });
  it('names an edited referral ID by the rule that fixes identifiers', () => {
    assert.match(ownedFieldRefusal(base, emptyReferral({ referralId: 'R-2' }), base), /^Referral ID R-2 was not sent .*\[identity\.immutable\]$/);
  });
});

describe('answer-by dates (pure)', () => {
  it("an inbound New referral: its expiry, else creation + 14 days", () => {
    assert.deepEqual(answerByDates(emptyReferral({ direction: 'inbound', status: 'New', substatus: 'Received', expiresAt: '2026-01-20T00:00:00.000Z' })), { answerBy: '2026-01-20T00:00:00.000Z' });
    assert.deepEqual(answerByDates(emptyReferral({ direction: 'inbound', status: 'New', substatus: 'Received', createdAt: '2026-01-01T00:00:00.000Z' })), { answerBy: '2026-01-15T00:00:00.000Z' });
  });
  it('none once answered', () => {
    assert.deepEqual(answerByDates(emptyReferral({ direction: 'inbound', status: 'Active', substatus: 'Accepted', createdAt: '2026-01-01T00:00:00.000Z' })), {});
  });
  it("Microsoft's: request + 14 days while Pending or Received, none after", () => {
    const requested = { requestedAt: '2026-02-01T12:00:00.000Z' };
    assert.deepEqual(answerByDates(emptyReferral({ microsoft: { status: 'Pending', ...requested } })), { microsoftAnswerBy: '2026-02-15T12:00:00.000Z' });
    assert.deepEqual(answerByDates(emptyReferral({ microsoft: { status: 'Accepted', ...requested } })), {});
  });
});

describe('locationForNewDeal: business unit defaults', () => {
  it("uses the owner's own default first, then the business unit's (by ID or name without case), then the configured default", () => {
    const defaults = { defaultLocation: 'loc-default', locationByOwner: { 'u-1': 'loc-owner' }, locationByBusinessUnit: { 'bu-1': 'loc-unit', 'Contoso Japan': 'loc-jp' } };
    const deal = (owner: object) => ({ owner: owner as { id: string }, referral: {} });
    assert.equal(locationForNewDeal(deal({ id: 'u-1', businessUnit: { id: 'bu-1' } }), defaults), 'loc-owner');
    assert.equal(locationForNewDeal(deal({ id: 'u-2', businessUnit: { id: 'bu-1' } }), defaults), 'loc-unit');
    assert.equal(locationForNewDeal(deal({ id: 'u-2', businessUnit: { id: 'bu-9', name: 'CONTOSO JAPAN' } }), defaults), 'loc-jp');
    assert.equal(locationForNewDeal(deal({ id: 'u-2', businessUnit: { id: 'bu-9' } }), defaults), 'loc-default');
    assert.equal(locationForNewDeal({ ...deal({ id: 'u-1' }), referral: { location: 'loc-record' } }, defaults), 'loc-record');
  });
});
