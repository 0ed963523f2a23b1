/**
 * A lost state store and deals that were closed when the connector first met them: the connector made
 * their CRM records, but Partner Center takes no change on a closed deal, so it never took their CRM IDs.
 * Once the store is gone only the CRM names the referral. Found by a walkthrough: after `cosell state
 * rebuild` on the seeded sandboxes, six such pairs came back parked as unconfirmed bindings and every
 * sync exited 7 until an admin linked each one by hand. They are linked again when the record is the
 * referral's deal (same deal name and customer); a record that is not stays parked.
 *
 * Edited after the close (found walking the README with an admin, 2026-12-06): a won deal renamed in the
 * CRM was parked after every rebuild until an admin ran `cosell link` again, and under the manual policy
 * every field a seller edited on a closed deal came back as a conflict, though Partner Center can take none
 * of them. They are linked again and the record tells the edits as after any close (sync state `closed`).
 * So is one whose account, shared with an open deal of the same customer, was renamed through that deal
 * after the close (found by the model-based test with `cosell state rebuild`, Salesforce seed 1807).
 */
import assert from 'node:assert/strict';
import { runSyncOnce } from '../../core/engine/sync-engine.js';
import { openRuntime } from '../../core/cli/runtime.js';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { startWorld, type CrmKind } from '../../sandbox/world.js';
import { afterLostStore, loseStore } from './lost-store.suite.js';

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

  it('deals a seller edited after the close are linked again under the manual policy: no conflict, the edits told on the record', async () => {
    const HOUR = 3_600_000;
    const world = await startWorld(kind, { seed: true, sync: { conflictPolicy: 'manual' } });
    let runtime: Awaited<ReturnType<typeof openRuntime>> | undefined;
    try {
      await world.syncToQuiet();
      const closed = world.set.partnerCenter.store.all().filter((r) => !r.externalReferenceId);
      const wonId = closed.find((r) => r.substatus === 'Won')?.id;
      const lostId = closed.find((r) => r.substatus === 'Lost')?.id;
      assert.ok(wonId && lostId, 'the seed has a won and a lost deal whose CRM ID Partner Center never took');
      const [renamed] = await world.seller.recordsForReferral(wonId);
      const [revalued] = await world.seller.recordsForReferral(lostId);
      const outbound = await world.seller.createDeal(dealSpec('Outbound won, then edited'));
      await world.syncToQuiet();
      world.set.clock.advance(HOUR);
      await world.seller.win(outbound);
      world.set.clock.advance(100 * HOUR); // past the 72-hour hold on a registration-eligible Won
      await world.syncToQuiet();
      world.set.clock.advance(HOUR);
      await world.seller.edit(renamed!, { name: 'Renamed after the win' });
      await world.seller.edit(revalued!, { value: 12_345 });
      await world.seller.edit(outbound, { name: 'Outbound renamed after the win' });
      await world.syncToQuiet();

      loseStore(world);
      runtime = await openRuntime({ config: world.runtime.config, now: () => world.set.clock.now() });
      const sync = () => runSyncOnce(runtime!.engineDeps(), { policy: 'manual', holdWonHours: world.runtime.config.sync.holdWonHours });
      for (let i = 0; i < 4 && (await sync()).writes > 0; i += 1);
      assert.deepEqual(runtime.store.listParked().map((p) => `${p.recordId}: ${p.reasons.map((r) => r.code).join()}`), [], 'nothing parked: the renamed won deal is its referral\'s');
      assert.deepEqual(runtime.store.listConflicts().map((c) => `${c.crmId}: ${c.fields.join()}`), [], 'no conflict on a closed deal');
      for (const crmId of [renamed!, revalued!, outbound]) {
        const record = await world.seller.read(crmId);
        assert.equal(record.syncState, 'closed', `${record.name}: ${record.syncMessage}`);
        assert.match(record.syncMessage ?? '', /^Closed in Partner Center, not sent: /);
      }
      assert.equal((await world.seller.read(renamed!)).name, 'Renamed after the win', "the seller's edit stays in the CRM");
      assert.equal((await sync()).writes, 0);
    } finally {
      runtime?.close();
      await world.close();
    }
  });

  it("a deal that expired before the connector met it is linked again after its shared account was renamed through another deal (model seed 1807)", async () => {
    const world = await startWorld(kind);
    try {
      // Both referrals name the same customer, so both records share one account.
      const expired = world.otherPartner.sendReferral({ deal: { dealName: 'Expired before the first sync' } });
      assert.ok(expired.ok);
      world.set.clock.advance(15 * 24 * 3_600_000);
      const open = world.microsoft.sendReferral({ deal: { dealName: 'Open deal of the same customer' } });
      assert.ok(open.ok);
      await world.syncToQuiet();
      const [expiredRecord] = await world.seller.recordsForReferral(expired.value.id);
      const [openRecord] = await world.seller.recordsForReferral(open.value.id);
      assert.ok(expiredRecord && openRecord);
      assert.equal(world.set.partnerCenter.store.get(expired.value.id)?.externalReferenceId, undefined, 'Partner Center never took the closed deal\'s CRM ID');
      await world.seller.editAccount(openRecord, { name: 'Woodgrove Renamed Ltd' });
      await world.syncToQuiet();
      const [closedDeal] = await world.runtime.crm.getDeals([expiredRecord]);
      assert.equal(closedDeal?.referral.customer.name, 'Woodgrove Renamed Ltd', 'the closed deal shares the renamed account');

      await afterLostStore(world, async (runtime, sync) => {
        for (let i = 0; i < 4 && (await sync()).writes > 0; i += 1);
        assert.deepEqual(runtime.store.listParked().map((p) => `${p.recordId}: ${p.reasons.map((r) => r.code).join()}`), [], 'nothing parked');
        assert.equal(runtime.store.getLinkByReferralId(expired.value.id)?.crmId, expiredRecord, 'the expired deal is linked to its record again');
        assert.equal((await sync()).writes, 0);
      });
    } finally {
      await world.close();
    }
  });
});
