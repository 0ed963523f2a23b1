/**
 * A lost state store and deals that were closed when the connector first met them: the connector made
 * their CRM records, but Partner Center takes no change on a closed deal, so it never took their CRM IDs.
 * Once the store is gone only the CRM names the referral. Found by a walkthrough: after `cosell state
 * rebuild` on the seeded sandboxes, six such pairs came back parked as unconfirmed bindings and every
 * sync exited 7 until an admin linked each one by hand. They are linked again when the record is the
 * referral's deal (same deal name and customer); a record that is not stays parked.
 */
import assert from 'node:assert/strict';
import { runSyncOnce } from '../../core/engine/sync-engine.js';
import { openRuntime } from '../../core/cli/runtime.js';
import { startWorld, type CrmKind } from '../../sandbox/world.js';
import { loseStore } from './lost-store.suite.js';

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) describe(`a lost store with deals closed before the connector met them (${kind}, end to end)`, function () {
  this.timeout(180_000);

  it('links every pair again, closed ones included, and parks nothing', async () => {
    const world = await startWorld(kind, { seed: true });
    let runtime: Awaited<ReturnType<typeof openRuntime>> | undefined;
    try {
      await world.syncToQuiet();
      const linked = world.runtime.store.countLinks().active;
      const closedWithoutReference = world.set.partnerCenter.store.all().filter((r) => !r.externalReferenceId && ['Won', 'Lost', 'Declined', 'Expired'].includes(String(r.substatus ?? r.status)));
      assert.ok(closedWithoutReference.length > 0, 'the seed has closed deals whose CRM ID Partner Center never took');

      loseStore(world);
      runtime = await openRuntime({ config: world.runtime.config, now: () => world.set.clock.now() });
      const sync = () => runSyncOnce(runtime!.engineDeps(), { holdWonHours: world.runtime.config.sync.holdWonHours });
      for (let i = 0; i < 4 && (await sync()).writes > 0; i += 1);
      assert.deepEqual(runtime.store.listParked().map((p) => `${p.recordId}: ${p.reasons.map((r) => r.code).join()}`), [], 'nothing parked');
      assert.equal(runtime.store.countLinks().active, linked, 'every pair linked again');
      assert.equal((await sync()).writes, 0);
    } finally {
      runtime?.close();
      await world.close();
    }
  });
});
