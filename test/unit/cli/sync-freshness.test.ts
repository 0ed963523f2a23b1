/**
 * How fresh the sync is, in `cosell status` (core/cli/sync-freshness.ts). The runs table gave timestamps
 * only: a stopped timer, or a week of failed runs, had to be worked out from them.
 */
import assert from 'node:assert/strict';
import { ageText, dueInterval, renderFreshness, syncFreshness } from '../../../core/cli/sync-freshness.js';
import type { RunRecord } from '../../../core/store/state-store.js';

const NOW = new Date('2026-12-06T12:00:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();
const FIVE = dueInterval(undefined, 5);
const run = (id: number, startedMinutesAgo: number, outcome?: RunRecord['outcome']): RunRecord => ({ id, startedAt: minutesAgo(startedMinutesAgo), ...(outcome ? { outcome } : {}), counts: {} });

describe('sync freshness in cosell status', () => {
  it('names the newest run and the newest successful one', () => {
    const fresh = syncFreshness([run(9, 4, 'failed'), run(8, 9, 'failed'), run(7, 14, 'ok')], NOW, 5, false);
    assert.deepEqual(fresh, { newestStartedAt: minutesAgo(4), lastSuccessful: { id: 7, startedAt: minutesAgo(14) } });
    assert.deepEqual(renderFreshness(fresh, NOW, 3, FIVE), ['\nNewest run started 4 min ago; last successful run: 7, started 14 min ago.']);
  });

  it('says when none of the runs read succeeded', () => {
    const fresh = syncFreshness([run(3, 1, 'failed'), run(2, 6, 'partial')], NOW, 5, false);
    assert.equal(fresh.lastSuccessful, undefined);
    assert.match(renderFreshness(fresh, NOW, 2, FIVE)[0]!, /none of the last 2 runs succeeded/);
  });

  it('calls the timer stopped when the newest run is older than three intervals and a minute, not before', () => {
    assert.equal(syncFreshness([run(5, 16, 'ok')], NOW, 5, false).silentMinutes, undefined, '16 min at 5-minute intervals');
    const stopped = syncFreshness([run(5, 2 * 1440 + 190, 'ok')], NOW, 5, false);
    assert.equal(stopped.silentMinutes, 2 * 1440 + 190);
    const lines = renderFreshness(stopped, NOW, 1, FIVE);
    assert.match(lines[1]!, /No run has started for 2 d 3 h, though runs are due every 5 minute\(s\) \(sync\.intervalMinutes\): if `cosell run` should be running, it is not/);
  });

  it('a run still going (its lock holder alive) is no silence; an unfinished run whose process ended is', () => {
    assert.equal(syncFreshness([run(5, 600)], NOW, 5, true).silentMinutes, undefined);
    assert.equal(syncFreshness([run(5, 600)], NOW, 5, false).silentMinutes, 600);
  });

  it('a live lock holder between runs is no silence: cosell serve holds the lock while it waits for its poll', () => {
    // serve polls every serve > pollIntervalMinutes (15 by default, often more with webhooks on), not every
    // sync.intervalMinutes: status called a healthy service's timer stopped, and --json told a monitor so.
    assert.equal(syncFreshness([run(7, 45, 'ok')], NOW, 5, true).silentMinutes, undefined);
    assert.equal(syncFreshness([run(7, 45, 'ok')], NOW, 5, false).silentMinutes, 45);
  });

  it('without an interval (a tenant, scheduled by the workers) it only gives ages', () => {
    const fresh = syncFreshness([run(5, 6000, 'ok')], NOW, undefined, false);
    assert.equal(fresh.silentMinutes, undefined);
    assert.equal(renderFreshness(fresh, NOW, 1, undefined).length, 1);
  });

  it('before the first run', () => {
    assert.deepEqual(syncFreshness([], NOW, 5, false), {});
    assert.deepEqual(renderFreshness({}, NOW, 0, FIVE), ['\nNo sync has run yet.']);
  });

  it("judges by the last cosell run's --interval when it differs from the config's: an hourly timer is not called stopped after 16 minutes", () => {
    const hourly = dueInterval(60, 5);
    assert.deepEqual(hourly, { minutes: 60, source: 'the --interval of the last cosell run' });
    assert.equal(syncFreshness([run(7, 45, 'ok')], NOW, hourly.minutes, false).silentMinutes, undefined);
    const stopped = syncFreshness([run(7, 200, 'ok')], NOW, hourly.minutes, false);
    assert.match(renderFreshness(stopped, NOW, 1, hourly)[1]!, /due every 60 minute\(s\) \(the --interval of the last cosell run\)/);
    assert.deepEqual(dueInterval(5, 5), FIVE, 'the same as the config: named by the config key');
    assert.deepEqual(dueInterval('x', 5), FIVE, 'nothing usable recorded');
  });

  it('writes ages people read', () => {
    assert.deepEqual([0.5, 1, 59, 60, 61, 1440, 1500].map(ageText), ['under a minute', '1 min', '59 min', '1 h', '1 h 1 min', '1 d', '1 d 1 h']);
  });
});
