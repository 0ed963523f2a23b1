/**
 * A deal parked for something the settings decide goes through in the first run after the admin fixes the
 * settings, not at the end of its back-off (core/engine/settings-change.ts). Here: an outbound deal whose record
 * names no location, with no `sync.defaultLocation`, is refused before anything is sent (Location is mandatory
 * and cannot change after creation); the admin sets the default, and the next run creates its referral.
 * Until 2026-12-07 it waited for its back-off (10 minutes, then 20, … up to 24 hours): neither change feed
 * lists a settings change.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';
import { referralOf } from './lifecycle.suite.js';

for (const kind of ['salesforce', 'dynamics'] as const satisfies readonly CrmKind[]) {
  describe(`a settings fix retries parked deals at once (${kind}, end to end)`, function () {
    this.timeout(120_000);
    let world: World | undefined;
    afterEach(async () => world?.close());

    it('a deal parked for want of a location is created in the first run after sync.defaultLocation is set', async () => {
      world = await startWorld(kind, { sync: { defaultLocation: undefined } });
      const deal = await world.seller.createDeal(dealSpec('Deal without a location'));
      await world.syncToQuiet();
      // Past the CRM feed's late-commit margin (Salesforce re-reads 300 s of its own writes: the park reason's
      // write-back), still inside the first back-off (10 minutes).
      world.set.clock.advance(6 * 60_000);
      await world.syncToQuiet();
      const parked = await world.runtime.store.listParked();
      assert.deepEqual(parked.map((p) => [p.side, p.recordId]), [['crm', deal]], 'parked, as nothing says where the deal belongs');
      assert.ok(parked[0]!.retryAt! > world.set.clock.now().toISOString(), 'its back-off retry is later');
      assert.equal((await world.seller.read(deal)).referralId, undefined);

      // The admin edits the config (as `cosell run` takes an edited file at its next turn).
      world.runtime.config.sync.defaultLocation = 'loc-us-redmond';
      const report = await world.sync();
      assert.equal(report.outcome, 'ok');
      const referralId = (await world.seller.read(deal)).referralId;
      assert.ok(referralId, 'the run right after the fix created the referral');
      assert.equal(referralOf(world, referralId).locationId, 'loc-us-redmond');
      assert.deepEqual(await world.runtime.store.listParked(), [], 'the park is settled');
    });

    it('an edit that decides nothing (the interval) retries no parked deal', async () => {
      world = await startWorld(kind, { sync: { defaultLocation: undefined } });
      const deal = await world.seller.createDeal(dealSpec('Deal without a location either'));
      await world.syncToQuiet();
      const before = await world.runtime.store.listParked();
      assert.equal(before.length, 1);
      world.runtime.config.sync.intervalMinutes = 1;
      const report = await world.sync();
      assert.equal(report.writes, 0, 'nothing retried, nothing written');
      assert.deepEqual(await world.runtime.store.listParked(), before, 'the park and its back-off are as they were');
      assert.equal((await world.seller.read(deal)).referralId, undefined);
    });
  });
}
