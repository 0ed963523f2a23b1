/**
 * The cursor a run stores leaves the run's own writes out of the next window (connectors/salesforce/feed-window.ts
 * `ownThrough`): it is the server's time after those writes, so the engine sends the writes it holds before
 * asking the feed for its last page (core/engine/crm-port.ts `writesBeforeNext`). Until 2026-12-07 the writes the
 * buffer held (up to a batch: at 5,000 outbound deals the last 1,000, then 2,000) went out after that time was
 * taken, and the next run listed them all again; a full first listing batch then cost a Query More call.
 */
import assert from 'node:assert/strict';
import { billedCalls } from '../../bench/billing.js';
import { seedCrmDeals } from '../../bench/seed.js';
import { worldPerTest } from '../helpers/world-per-test.js';

/** Write-backs of five collections of 200: two Composite calls, [read, 4 PATCHes] [read, 1 PATCH, read]. */
const DEALS = 1000;
/** The records of the last write call: its saves are in the second its answer's Date names (the sandbox's, at the request). */
const LAST_CALL = 200;

describe('Salesforce: the stored window leaves the run\'s writes out', function () {
  this.timeout(240_000);
  const w = worldPerTest('salesforce');

  it('takes the anchor after the buffered writes: the next run lists only those of the last write call', async () => {
    const world = w.world;
    world.set.clock.advance(-10 * 60_000);
    seedCrmDeals('salesforce', world.set, DEALS);
    world.set.clock.advance(10 * 60_000);
    // Each PATCH takes a while at Salesforce: the answers that follow it come in a later second than its saves.
    const store = world.set.salesforce.store;
    store.afterCompositeSubrequest = (method) => {
      if (method === 'PATCH') world.set.clock.advance(1_500);
    };
    const first = await world.sync();
    store.afterCompositeSubrequest = undefined;
    assert.equal(first.outcome, 'ok');
    assert.equal(first.counts.crmUpdated, DEALS, JSON.stringify(first.counts));

    const cursor = world.runtime.store.getCursor('crm') as { ownThrough?: string; userId?: string } | undefined;
    assert.ok(cursor?.ownThrough && cursor.userId, JSON.stringify(cursor));
    const own = store.all('Opportunity').filter((o) => String(o.LastModifiedById).slice(0, 15) === cursor.userId!.slice(0, 15));
    assert.equal(own.length, DEALS, 'the run wrote every deal');
    // The window's own-writes condition (LastModifiedById != us OR SystemModstamp >= ownThrough) leaves them out,
    // but for the last call's, saved in the second the anchor names (whole seconds, cut down: feed-window.ts).
    // Taken before the buffered writes, the anchor left all 1,000 in.
    const inWindow = own.filter((o) => Date.parse(String(o.SystemModstamp)) >= Date.parse(cursor.ownThrough!));
    assert.ok(inWindow.length <= LAST_CALL, `${inWindow.length} written at or after the anchor ${cursor.ownThrough}`);

    world.set.salesforce.counters.reset();
    const second = await world.sync();
    assert.equal(second.writes, 0, JSON.stringify(second.counts));
    assert.equal(billedCalls(world.set.salesforce.counters.snapshot()).total, 1);
  });
});
