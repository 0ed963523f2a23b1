/**
 * The pure decisions behind parking: the back-off, when a refusal is stored again, and shortening text to
 * fit a CRM field without it ever flowing back as an edit.
 */
import assert from 'node:assert/strict';
import { retryAfter, retryDelayMs, RETRY_FIRST_WAIT_MS, RETRY_MAX_WAIT_MS } from '../../../core/engine/backoff.js';
import { isDue, parkDecision, withCrmVersion, type ParkRequest } from '../../../core/engine/parking.js';
import { fitToCrm, isShortenedForm, restoreShortened, shorten, shortenedNote } from '../../../core/engine/shorten.js';
import { inboundFromMicrosoft } from '../../helpers/referrals.js';

const MIN = 60_000;
const T0 = '2026-03-02T08:00:00.000Z';
const later = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();

describe('parking', () => {
  describe('back-off', () => {
    it('waits 10 minutes after the first failure and doubles the wait with each further one', () => {
      assert.deepEqual([1, 2, 3, 4, 5].map(retryDelayMs), [10, 20, 40, 80, 160].map((m) => m * MIN));
      assert.equal(retryDelayMs(1), RETRY_FIRST_WAIT_MS);
    });

    it('never waits longer than a day, however many attempts failed', () => {
      assert.equal(retryDelayMs(8), 1280 * MIN);
      for (const n of [9, 10, 50, 1_000_000]) assert.equal(retryDelayMs(n), RETRY_MAX_WAIT_MS);
      assert.equal(RETRY_MAX_WAIT_MS, 24 * 60 * MIN);
    });

    it('treats nonsense attempt counts as the first attempt', () => {
      for (const n of [0, -3, Number.NaN]) assert.equal(retryDelayMs(n), RETRY_FIRST_WAIT_MS);
    });

    it('gives the retry time as an ISO instant after the wait', () => {
      assert.equal(retryAfter(T0, 2), later(20 * MIN));
    });
  });

  describe('when a refusal is stored', () => {
    const request: ParkRequest = { side: 'partner-center', recordId: 'ref-1', name: 'Big deal', reasons: [{ code: 'crm.STRING_TOO_LONG', field: 'dealName', message: 'too long', severity: 'error' }], fingerprint: 'f1' };

    it('parks a first refusal with one attempt and a retry time', () => {
      assert.deepEqual(parkDecision(undefined, request, T0), { ...request, parkedAt: T0, attempts: 1, retryAt: later(10 * MIN) });
    });

    it('ignores the same refusal of the same content before the retry is due (an echo is not an attempt)', () => {
      const first = parkDecision(undefined, request, T0)!;
      assert.equal(parkDecision(first, request, later(5 * MIN)), undefined);
      assert.equal(isDue(first, later(5 * MIN)), false);
    });

    it('counts another attempt, keeping the first park time, once due, when the content changed, or when the reasons changed', () => {
      const first = parkDecision(undefined, request, T0)!;
      const due = parkDecision(first, request, later(10 * MIN))!;
      assert.deepEqual([due.attempts, due.parkedAt, due.retryAt], [2, T0, later(30 * MIN)]);
      assert.equal(parkDecision(first, { ...request, fingerprint: 'f2' }, later(MIN))?.attempts, 2);
      assert.equal(parkDecision(first, { ...request, reasons: [{ ...request.reasons[0]!, message: 'other' }] }, later(MIN))?.attempts, 2);
    });

    it('keeps the name known from an earlier park when a later request has none', () => {
      const first = parkDecision(undefined, request, T0)!;
      const { name: _n, ...anonymous } = request;
      assert.equal(parkDecision(first, { ...anonymous, fingerprint: 'f2' }, T0)?.name, 'Big deal');
    });
  });

  describe("the CRM record's version a park keeps", () => {
    const park = parkDecision(undefined, { side: 'crm', recordId: 'opp-1', reasons: [{ code: 'create.team.required', field: 'team', message: 'no team', severity: 'error' }], fingerprint: 'f1' }, T0)!;

    it('is the version read when nothing was written onto the record', () => {
      assert.equal(withCrmVersion({ ...park, crmEtag: 'old' }, 'read', null).crmEtag, 'read');
    });

    it("is the one the write of the reason reports (the engine's own save), else none: the record is read again", () => {
      assert.equal(withCrmVersion(park, 'read', { key: 'opp-1', ok: true, crmId: 'opp-1', etag: 'written' }).crmEtag, 'written');
      assert.equal('crmEtag' in withCrmVersion({ ...park, crmEtag: 'old' }, 'read', { key: 'opp-1', ok: true, crmId: 'opp-1' }), false, 'saved, but maybe over a seller\'s save');
      assert.equal('crmEtag' in withCrmVersion({ ...park, crmEtag: 'old' }, 'read', { key: 'opp-1', ok: false, code: 'transient', message: 'timed out' }), false);
      assert.equal('crmEtag' in withCrmVersion(park, 'read', undefined), false, 'no result');
    });
  });

  describe('shortening to fit the CRM', () => {
    const long = `Contoso large deal ${'and more words '.repeat(30)}`.slice(0, 300);

    it('cuts to the limit with an ellipsis, leaves fitting text alone, and never splits a surrogate pair', () => {
      assert.equal(long.length, 300);
      const cut = shorten(long, 120);
      assert.equal(cut.length <= 120, true);
      assert.equal(cut.endsWith('…'), true);
      assert.equal(long.startsWith(cut.slice(0, -1)), true);
      assert.equal(shorten('short', 120), 'short');
      assert.equal(shorten('ab😀cd', 4), 'ab…');
    });

    it('fits only free text the CRM keeps shorter, and names what it shortened', () => {
      const referral = inboundFromMicrosoft({ dealName: long, notes: 'fits' });
      const fitted = fitToCrm(referral, { dealName: 120, notes: 2000, 'customerContact.email': 5 });
      assert.equal(fitted.referral.dealName, shorten(long, 120));
      assert.equal(fitted.referral.notes, 'fits');
      assert.equal(fitted.referral.customerContact?.email, referral.customerContact?.email, 'an e-mail address is never shortened');
      assert.deepEqual(fitted.shortened, [{ field: 'dealName', length: 300, max: 120 }]);
      assert.match(shortenedNote(fitted.shortened, 'Salesforce'), /deal name \(300 characters, Salesforce keeps 120\).*full text is in Partner Center/);
      assert.equal(shortenedNote([], 'Salesforce'), '');
    });

    it('reads a shortened form of the base as the base (whatever the limit), and a real edit as an edit', () => {
      const base = inboundFromMicrosoft({ dealName: long });
      assert.equal(restoreShortened({ ...base, dealName: shorten(long, 120) }, base).dealName, long);
      assert.equal(restoreShortened({ ...base, dealName: shorten(long, 200) }, base).dealName, long, 'a widened field is not an edit');
      assert.equal(restoreShortened({ ...base, dealName: 'Renamed by the seller' }, base).dealName, 'Renamed by the seller');
      assert.equal(isShortenedForm('Contoso…', 'Fabrikam deal'), false);
    });
  });
});
