/** The scheduler's pure decisions: when a tenant is due, whether a cycle is wanted, whether to send a job. */
import assert from 'node:assert/strict';
import { ConfigError } from '../../core/errors.js';
import { dueTenants, latestOccurrence } from '../../core/worker/schedule.js';
import { wantsCycle } from '../../core/worker/tenant-work.js';
import { wakeDecision } from '../../core/worker/wake-decision.js';

const at = (iso: string) => new Date(iso);

describe('worker schedule (pure)', () => {
  it('the latest occurrence is at or before now, in UTC', () => {
    assert.equal(latestOccurrence('*/5 * * * *', at('2026-12-04T10:07:30Z')).toISOString(), '2026-12-04T10:05:00.000Z');
    assert.equal(latestOccurrence('*/5 * * * *', at('2026-12-04T10:05:00Z')).toISOString(), '2026-12-04T10:05:00.000Z', 'an occurrence exactly now counts');
    assert.equal(latestOccurrence('0 6 * * 1-5', at('2026-12-05T12:00:00Z')).toISOString(), '2026-12-04T06:00:00.000Z', 'Saturday: Friday 06:00');
  });

  it('a bad schedule names the tenant and the expression', () => {
    assert.throws(() => dueTenants([{ tenantId: 'contoso', schedule: 'every five minutes' }], at('2026-12-04T10:00:00Z')), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /tenant contoso.*"every five minutes".*cron/);
      return true;
    });
  });

  it('a tenant is due once per occurrence: never woken, or woken for an earlier occurrence', () => {
    const now = at('2026-12-04T10:07:00Z');
    const due = dueTenants([
      { tenantId: 'new', schedule: '*/5 * * * *' },
      { tenantId: 'behind', schedule: '*/5 * * * *', cycleWantedAt: at('2026-12-04T10:00:00Z') },
      { tenantId: 'current', schedule: '*/5 * * * *', cycleWantedAt: at('2026-12-04T10:05:00Z') },
      { tenantId: 'asked-by-hand', schedule: '*/5 * * * *', cycleWantedAt: at('2026-12-04T10:06:10Z') },
    ], now);
    assert.deepEqual(due.map((d) => [d.tenantId, d.occurrence.toISOString()]), [['new', '2026-12-04T10:05:00.000Z'], ['behind', '2026-12-04T10:05:00.000Z']]);
  });

  it('a cycle is wanted until a finished cycle was run for it (a cycle cut short by a dead worker finishes nothing)', () => {
    assert.equal(wantsCycle(undefined), false);
    assert.equal(wantsCycle({ cycleWantedAt: at('2026-12-04T10:05:00Z') }), true);
    assert.equal(wantsCycle({ cycleWantedAt: at('2026-12-04T10:05:00Z'), cycleDoneFor: at('2026-12-04T10:00:00Z') }), true);
    assert.equal(wantsCycle({ cycleWantedAt: at('2026-12-04T10:05:00Z'), cycleDoneFor: at('2026-12-04T10:05:00Z') }), false);
  });

  it('sends a wake-up only when the tenant has no job open; never queues one behind a running job', () => {
    assert.deepEqual(wakeDecision([]), { send: true });
    assert.deepEqual(wakeDecision(['created']), { send: false, reason: 'waiting' });
    assert.deepEqual(wakeDecision(['retry']), { send: false, reason: 'waiting' });
    assert.deepEqual(wakeDecision(['active']), { send: false, reason: 'running' });
    assert.deepEqual(wakeDecision(['retry', 'active']), { send: false, reason: 'running' });
  });
});
