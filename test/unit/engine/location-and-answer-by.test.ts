import assert from 'node:assert/strict';
import { locationForNewDeal } from '../../../core/engine/deal-location.js';
import { locationChangeRefusal, withLocationRefusal } from '../../../core/engine/location-note.js';
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
    const text = locationChangeRefusal(emptyReferral({ location: 'loc-b' }), pc);
    assert.match(text, /loc-b was not sent/);
    assert.match(text, /\(it is loc-a\)\. \[location\.immutable\]/);
  });
  it('says nothing while the record holds the same location or none', () => {
    assert.equal(locationChangeRefusal(emptyReferral({ location: 'loc-a' }), pc), '');
    assert.equal(locationChangeRefusal(emptyReferral(), pc), '');
  });
  it('keeps the last refusal on a quiet sync, drops it once something else is said', () => {
    const last = { state: 'synced' as const, message: locationChangeRefusal(emptyReferral({ location: 'loc-b' }), pc) };
    assert.equal(withLocationRefusal('', emptyReferral({ location: 'loc-a' }), pc, true, last), last.message);
    assert.equal(withLocationRefusal('', emptyReferral({ location: 'loc-a' }), pc, false, last), '');
    assert.equal(withLocationRefusal('other', emptyReferral({ location: 'loc-a' }), pc, true, last), 'other');
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
