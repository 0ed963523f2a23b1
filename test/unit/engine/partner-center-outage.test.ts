/** What a record says while Partner Center does not answer, decided without I/O (core/engine/partner-center-outage.ts). */
import assert from 'node:assert/strict';
import { AuthError, ConnectorError, RateLimitError } from '../../../core/errors.js';
import { holdsUnsentChange, isWaitingStatus, outageOf, SIGN_IN_REFUSED, storedOutage, toldInOutage, waitingMessage, waitingStatus, type Outage } from '../../../core/engine/partner-center-outage.js';
import { SYNC_OFF_MESSAGE, wasPaused } from '../../../core/engine/paused-pair.js';
import type { CrmDeal } from '../../../core/engine/crm-port.js';
import type { Link } from '../../../core/store/state-store.js';
import { outboundDeal } from '../../helpers/referrals.js';

const NOW = '2026-12-06T19:20:31.000Z';
const outage: Outage = { since: '2026-12-06T13:05:00.000Z', reason: 'HTTP 503' };
const unavailable = new ConnectorError('service_unavailable', 'Partner Center list failed: HTTP 503', true, { status: 503 });
const base = outboundDeal();
const link = (over: Partial<Link> = {}): Link => ({
  crmId: base.crmId!, referralId: base.referralId!, base, state: 'active', updatedAt: NOW,
  lastStatus: { state: 'synced', message: '', lastSyncedAt: '2026-12-06T12:00:00.000Z', referralId: base.referralId! }, ...over,
});
const deal = (over: Partial<CrmDeal['referral']> = {}, optedIn = true): CrmDeal => ({ crmId: base.crmId!, modifiedAt: NOW, intent: { optedIn }, referral: { ...base, ...over }, problems: [] });

describe('outageOf', () => {
  it('a 5xx, a network failure or throttling past the retries, thrown by Partner Center, is an outage starting now', () => {
    assert.deepEqual(outageOf(unavailable, true, NOW, undefined), { since: NOW, reason: 'HTTP 503' });
    assert.deepEqual(outageOf(new ConnectorError('network', 'no connection', true), true, NOW, undefined), { since: NOW, reason: 'no connection' });
    assert.ok(outageOf(new RateLimitError('slow down', 5_000, { status: 429 }), true, NOW, undefined));
  });
  it('keeps the start and reason recorded while the outage lasts', () => {
    assert.deepEqual(outageOf(new ConnectorError('network', 'x', true), true, NOW, outage), outage);
  });
  it('a CRM failure, a refused change or any other error is none', () => {
    assert.equal(outageOf(unavailable, false, NOW, undefined), undefined);
    assert.equal(outageOf(new AuthError('refused', 'Run cosell login salesforce'), false, NOW, undefined), undefined);
    assert.equal(outageOf(new ConnectorError('validation', 'refused', false, { status: 400 }), true, NOW, undefined), undefined);
    assert.equal(outageOf(new Error('boom'), true, NOW, undefined), undefined);
  });
  it("Partner Center refusing the connector's sign-in is one too: the records say so, and that an administrator must sign in", () => {
    const refused = outageOf(new AuthError('refused', 'Run cosell login partner-center', { status: 401 }), true, NOW, undefined)!;
    assert.deepEqual(refused, { since: NOW, reason: SIGN_IN_REFUSED });
    assert.match(waitingMessage(refused), /^Not sent to Partner Center yet: Partner Center has refused the connector's sign-in since 2026-12-06 19:20 UTC; an administrator must sign in again or restore the Referrals role\. /);
    assert.ok(waitingMessage(refused).length <= 255, "fits Salesforce's message field");
  });
  it('reads back only a well-formed stored outage', () => {
    assert.deepEqual(storedOutage({ ...outage, extra: 1 }), outage);
    assert.equal(storedOutage(undefined), undefined);
    assert.equal(storedOutage({ since: 5 }), undefined);
  });
});

describe('waitingStatus', () => {
  it('a synced record with a change to send says pending, since when and why, keeping when it last synced', () => {
    const status = waitingStatus({ deal: deal({ value: 99 }), link: link(), parked: false, changed: true, outage })!;
    assert.equal(status.state, 'pending');
    assert.equal(status.message, waitingMessage(outage));
    assert.match(status.message, /since 2026-12-06 13:05 UTC \(HTTP 503\)/);
    assert.equal(status.lastSyncedAt, '2026-12-06T12:00:00.000Z');
    assert.equal(status.referralId, base.referralId);
    assert.ok(waitingMessage(outage).length <= 255, "fits Salesforce's message field");
  });
  it('once per outage: a record already told in this outage gets nothing; one told in an earlier outage is told again', () => {
    const told = waitingStatus({ deal: deal(), link: link(), parked: false, changed: true, outage })!;
    assert.equal(waitingStatus({ deal: deal(), link: link({ lastStatus: told }), parked: false, changed: true, outage }), undefined);
    const later: Outage = { since: '2026-12-07T08:00:00.000Z', reason: 'HTTP 503' };
    assert.equal(waitingStatus({ deal: deal(), link: link({ lastStatus: told }), parked: false, changed: true, outage: later })?.message, waitingMessage(later));
  });
  it('nothing for a record without a change, unticked, parked, or whose status already says it is not synced', () => {
    assert.equal(waitingStatus({ deal: deal(), link: link(), parked: false, changed: false, outage }), undefined);
    assert.equal(waitingStatus({ deal: deal({}, false), link: link(), parked: false, changed: true, outage }), undefined);
    assert.equal(waitingStatus({ deal: deal(), link: link(), parked: true, changed: true, outage }), undefined);
    for (const state of ['error', 'conflict', 'held', 'closed'] as const) {
      assert.equal(waitingStatus({ deal: deal(), link: link({ lastStatus: { state, message: 'why' } }), parked: false, changed: true, outage }), undefined, state);
    }
    assert.equal(waitingStatus({ deal: deal(), link: link({ state: 'crm-deleted' }), parked: false, changed: true, outage }), undefined);
  });
  it('a deal ticked for sync and not linked yet waits too', () => {
    assert.deepEqual(waitingStatus({ deal: deal(), parked: false, changed: false, outage }), { state: 'pending', message: waitingMessage(outage) });
  });
});

describe('toldInOutage', () => {
  it('a record told in this outage needs no reading in the outage: nothing more is written onto it, whatever it holds', () => {
    const told = link({ lastStatus: waitingStatus({ deal: deal(), link: link(), parked: false, changed: true, outage })! });
    assert.equal(toldInOutage(told, outage), true);
    assert.equal(waitingStatus({ deal: deal({ value: 1 }), link: told, parked: false, changed: true, outage }), undefined, 'an edit after the status write');
    assert.equal(waitingStatus({ deal: deal({}, false), link: told, parked: false, changed: true, outage }), undefined, 'unticked since');
    assert.equal(waitingStatus({ deal: deal(), link: told, parked: true, changed: true, outage }), undefined, 'parked since');
    assert.equal(toldInOutage(told, { since: '2026-12-07T08:00:00.000Z', reason: 'HTTP 503' }), false, 'a new outage is told again');
    assert.equal(toldInOutage(link(), outage), false);
    assert.equal(toldInOutage(link({ lastStatus: { state: 'pending', message: SYNC_OFF_MESSAGE } }), outage), false);
  });
});

describe('holdsUnsentChange', () => {
  it('a seller edit holds one; the record as synced (an echo of our own write) holds none', () => {
    assert.equal(holdsUnsentChange(deal(), link(), 'newest-wins'), false);
    assert.equal(holdsUnsentChange(deal({ value: 77_777 }), link(), 'newest-wins'), true);
  });
});

describe('a waiting status is not a seller switching sync off', () => {
  it('is told apart from the pause, so the end of an outage reads no referral again', () => {
    const waiting = waitingStatus({ deal: deal(), link: link(), parked: false, changed: true, outage })!;
    assert.equal(isWaitingStatus(waiting), true);
    assert.equal(isWaitingStatus({ state: 'pending', message: SYNC_OFF_MESSAGE }), false);
    assert.equal(wasPaused(link({ lastStatus: waiting })), false);
    assert.equal(wasPaused(link({ lastStatus: { state: 'pending', message: SYNC_OFF_MESSAGE } })), true);
  });
});
