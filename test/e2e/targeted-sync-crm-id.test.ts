/**
 * A webhook's targeted sync that creates the CRM record of an inbound referral sends the record's ID to
 * Partner Center (`externalReferenceId`) in the same sync, as a full run does. Found by the model-based
 * test with `cosell state rebuild` mid-run (Salesforce seed 1801): the targeted sync ran the Partner Center
 * page alone, so the referral named no CRM record until the next poll; a state store lost in between left
 * only the CRM naming the referral, and the rebuild parked both sides (binding.unconfirmed: "Same deal? Run
 * cosell link …") instead of linking the record the connector itself had made.
 */
import assert from 'node:assert/strict';
import { engineOptionsFor, openRuntime } from '../../core/cli/runtime.js';
import { runSyncOnce } from '../../core/engine/sync-engine.js';
import { runTargetedSync } from '../../core/engine/targeted-sync.js';
import { createLogger } from '../../core/logger.js';
import { startWorld, type CrmKind } from '../../sandbox/world.js';
import { unwrap } from './lifecycle.suite.js';
import { loseStore } from './lost-store.suite.js';

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) describe(`a targeted sync's new CRM record (${kind}, end to end)`, function () {
  this.timeout(120_000);

  it('is named in Partner Center at once, so a store lost before the next poll links it again', async () => {
    const world = await startWorld(kind);
    try {
      // `cosell serve` polls at its start: the CRM's feed has its starting point (targeted-sync.ts).
      await world.syncToQuiet();
      const inbound = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Inbound through a webhook' } }));
      const p2p = unwrap(world.otherPartner.sendReferral({ deal: { dealName: 'P2P inbound through a webhook' } }));
      world.runtime.partnerCenterClient.beginRun();
      const report = await runTargetedSync(world.runtime.engineDeps(), [inbound.id, p2p.id], engineOptionsFor(world.runtime.config));
      assert.equal(report.outcome, 'ok');
      const records = new Map<string, string>();
      for (const referralId of [inbound.id, p2p.id]) {
        const [crmId, ...more] = await world.seller.recordsForReferral(referralId);
        assert.ok(crmId && more.length === 0, `one CRM record for ${referralId}`);
        records.set(referralId, crmId);
        assert.equal(world.set.partnerCenter.store.get(referralId)?.externalReferenceId, crmId, `Partner Center names the record of ${referralId}`);
      }

      loseStore(world);
      const runtime = await openRuntime({ config: world.runtime.config, logger: createLogger({ level: 'silent' }), now: () => world.set.clock.now() });
      try {
        const sync = () => runSyncOnce(runtime.engineDeps(), engineOptionsFor(runtime.config));
        assert.equal((await sync()).outcome, 'ok');
        assert.deepEqual(runtime.store.listParked().map((p) => `${p.side} ${p.recordId}: ${p.reasons.map((r) => r.code).join(',')}`), [], 'nothing parked after the rebuild');
        for (const [referralId, crmId] of records) {
          assert.equal(runtime.store.getLinkByReferralId(referralId)?.crmId, crmId, `${referralId} is linked to its record again`);
          assert.deepEqual(await world.seller.recordsForReferral(referralId), [crmId], `no second record for ${referralId}`);
        }
        assert.equal((await sync()).writes, 0, 'a further sync writes nothing');
      } finally {
        runtime.close();
      }
    } finally {
      await world.close();
    }
  });
});
