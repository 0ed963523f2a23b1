/** How a lasting Partner Center failure is logged: once per streak, with its retries (connectors/partner-center/failure-streak.ts). */
import assert from 'node:assert/strict';
import { afterFailure, retriesSaid, streakEndSaid } from '../../connectors/partner-center/failure-streak.js';

describe('Partner Center failure streaks', () => {
  it('says what was retried, how often, how long it waited and that Retry-After was honoured', () => {
    const retries = Array.from({ length: 6 }, () => ({ reason: 'HTTP 503 (Retry-After 5)', waitMs: 5_000 }));
    assert.equal(retriesSaid(retries), 'retried 6 times over 30 s (6 × HTTP 503 (Retry-After 5); Retry-After honoured)');
    assert.equal(retriesSaid([{ reason: 'HTTP 500', waitMs: 400 }, { reason: 'connection reset (ECONNRESET)', waitMs: 900 }]), 'retried 2 times over 1 s (HTTP 500, connection reset (ECONNRESET))');
    assert.equal(retriesSaid([]), 'not retried');
  });
  it('the first failure of a streak is told, the same again is not; another failure starts a new streak', () => {
    const first = afterFailure(undefined, 'service_unavailable', '2026-12-06T10:00:00.000Z');
    assert.equal(first.first, true);
    const again = afterFailure(first.streak, 'service_unavailable', '2026-12-06T10:05:00.000Z');
    assert.deepEqual(again, { first: false, streak: { code: 'service_unavailable', since: '2026-12-06T10:00:00.000Z', failures: 2 } });
    assert.equal(afterFailure(again.streak, 'network', '2026-12-06T10:10:00.000Z').first, true);
    assert.match(streakEndSaid(again.streak), /answers again \(2 requests had failed with service_unavailable since 2026-12-06T10:00:00.000Z\)/);
  });
});
