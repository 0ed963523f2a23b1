/**
 * The engine sends its buffered writes before the Salesforce listing's last page stores the own-writes anchor
 * (core/engine/crm-port.ts `writesBeforeNext`): the listing's last page of deals commits with that flush, and
 * the anchor comes in a later page. A run that dies between the two (here: the anchor's commit fails, as a
 * kill before it would leave it) keeps the cursor of the last page, whose window still holds this run's
 * writes. The next runs must lose nothing the seller changed meanwhile and end quiet, with every deal synced.
 */
import assert from 'node:assert/strict';
import { seedCrmDeals } from '../../bench/seed.js';
import type { StoreTransaction } from '../../core/store/state-store.js';
import { worldPerTest } from '../helpers/world-per-test.js';

const DEALS = 300;

describe('Salesforce: a run killed between the early flush and the anchor', function () {
  this.timeout(240_000);
  const w = worldPerTest('salesforce');

  it('loses no seller change and ends quiet', async () => {
    const world = w.world;
    world.set.clock.advance(-10 * 60_000);
    const ids = seedCrmDeals('salesforce', world.set, DEALS);
    world.set.clock.advance(10 * 60_000);

    // The first anchor commit of the run fails, rolling its page back: the cursor stays at the last page of deals.
    const store = world.runtime.store;
    const transaction = store.transaction.bind(store);
    let killed = 0;
    let lastPageCursor: Record<string, unknown> | undefined;
    store.transaction = (<T>(work: (tx: StoreTransaction) => T): T =>
      transaction((tx) => {
        const putCursor = tx.putCursor.bind(tx);
        tx.putCursor = ((side, cursor) => {
          if (side === 'crm' && killed === 0 && (cursor as { ownThrough?: string }).ownThrough !== undefined) {
            killed += 1;
            throw new Error('killed before the anchor was stored');
          }
          if (side === 'crm') lastPageCursor = cursor as Record<string, unknown>;
          return putCursor(side, cursor);
        }) as typeof tx.putCursor;
        return work(tx);
      })) as typeof store.transaction;

    const first = await world.sync();
    assert.equal(killed, 1, 'the anchor commit was reached and failed');
    assert.equal(first.outcome, 'failed');
    assert.ok(lastPageCursor && lastPageCursor.ownThrough === undefined, 'the last page of deals committed without the anchor');
    assert.equal(ids.filter((id) => store.getLinkByCrmId(id) !== undefined).length, DEALS, 'every deal linked before the kill');

    // The seller edits two deals before the next run; Partner Center must get both.
    await world.seller.edit(ids[0]!, { notes: 'seller edit after the kill' });
    await world.seller.edit(ids[DEALS - 1]!, { value: 4242 });
    const reports = await world.syncToQuiet();
    assert.equal(reports[reports.length - 1]!.writes, 0, JSON.stringify(reports.map((r) => r.counts)));
    assert.ok(reports.length <= 3, `quiet after ${reports.length} runs`);
    const view0 = await world.seller.read(ids[0]!);
    const viewN = await world.seller.read(ids[DEALS - 1]!);
    const referrals = world.set.partnerCenter.store;
    assert.equal(referrals.get(view0.referralId!)?.details?.notes, 'seller edit after the kill');
    assert.equal(Number(referrals.get(viewN.referralId!)?.details?.dealValue), 4242);
  });
});
