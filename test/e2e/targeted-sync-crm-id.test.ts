/**
 * A webhook's targeted sync that creates the CRM record of an inbound referral sends the record's ID to
 * Partner Center (`externalReferenceId`) in the same sync, as a full run does. Found by the model-based
 * test with `cosell state rebuild` mid-run (Salesforce seed 1801): the targeted sync ran the Partner Center
 * page alone, so the referral named no CRM record until the next poll; a state store lost in between left
 * only the CRM naming the referral, and the rebuild parked both sides (binding.unconfirmed: "Same deal? Run
 * cosell link …") instead of linking the record the connector itself had made.
 *
 * When that naming fails (Partner Center refuses the update; model seeds 2211 and 1812 met a CRM fault or
 * a kill there), the record is still the only one that names the referral, under its deal's names: a lost
 * store links it again by itself (core/engine/binding.ts). A second record carrying the same referral ID
 * (a seller's copy, which Dynamics 365 allows) makes the pair ambiguous: neither record is linked, and
 * nothing is created.
 */
import assert from 'node:assert/strict';
import { engineOptionsFor } from '../../core/cli/runtime.js';
import { runTargetedSync } from '../../core/engine/targeted-sync.js';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';
import { referralOf, unwrap } from './lifecycle.suite.js';
import { afterLostStore } from './lost-store.suite.js';

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

      await afterLostStore(world, async (runtime, sync) => {
        assert.equal((await sync()).outcome, 'ok');
        assert.deepEqual(runtime.store.listParked().map((p) => `${p.side} ${p.recordId}: ${p.reasons.map((r) => r.code).join(',')}`), [], 'nothing parked after the rebuild');
        for (const [referralId, crmId] of records) {
          assert.equal(runtime.store.getLinkByReferralId(referralId)?.crmId, crmId, `${referralId} is linked to its record again`);
          assert.deepEqual(await world.seller.recordsForReferral(referralId), [crmId], `no second record for ${referralId}`);
        }
        assert.equal((await sync()).writes, 0, 'a further sync writes nothing');
      });
    } finally {
      await world.close();
    }
  });

  /** A P2P referral whose CRM record a targeted sync made while Partner Center refused every update. */
  async function createdButNotNamed(world: World): Promise<{ referralId: string; crmId: string }> {
    await world.syncToQuiet();
    const p2p = unwrap(world.otherPartner.sendReferral({ deal: { dealName: 'P2P inbound, never named' } }));
    world.set.partnerCenter.faults.configure({ rate: 1, kinds: { 'server-error': 1 }, match: '^PATCH ' });
    world.runtime.partnerCenterClient.beginRun();
    await runTargetedSync(world.runtime.engineDeps(), [p2p.id], engineOptionsFor(world.runtime.config));
    world.set.partnerCenter.faults.configure(undefined);
    const [crmId, ...more] = await world.seller.recordsForReferral(p2p.id);
    assert.ok(crmId && more.length === 0, 'the targeted sync made one CRM record');
    assert.equal(referralOf(world, p2p.id).externalReferenceId ?? undefined, undefined, 'Partner Center was never told its ID');
    return { referralId: p2p.id, crmId };
  }

  it('whose ID never reached Partner Center is linked again after a lost store, without cosell link', async () => {
    const world = await startWorld(kind, { fastRetries: true });
    try {
      const { referralId, crmId } = await createdButNotNamed(world);
      await afterLostStore(world, async (runtime, sync) => {
        assert.equal((await sync()).outcome, 'ok');
        assert.deepEqual(runtime.store.listParked().map((p) => `${p.side} ${p.recordId}: ${p.reasons.map((r) => r.code).join(',')}`), [], 'nothing parked after the rebuild');
        assert.equal(runtime.store.getLinkByReferralId(referralId)?.crmId, crmId, 'linked to the record the connector made');
        assert.deepEqual(await world.seller.recordsForReferral(referralId), [crmId], 'no second record');
        assert.equal(referralOf(world, referralId).externalReferenceId, crmId, "Partner Center now names the record");
        assert.equal((await sync()).writes, 0, 'a further sync writes nothing');
      });
    } finally {
      await world.close();
    }
  });

  // Salesforce keeps the referral-ID field unique (an external ID): a second record cannot carry it there.
  if (kind === 'dynamics') it('is not linked after a lost store while a second record carries the same referral ID and names', async () => {
    const world = await startWorld(kind, { fastRetries: true });
    try {
      const { referralId, crmId } = await createdButNotNamed(world);
      const original = await world.seller.read(crmId);
      const spec = dealSpec(original.name!);
      const customer = referralOf(world, referralId).customerProfile?.name;
      assert.ok(customer);
      const copy = await world.seller.createDeal({ ...spec, customer: { ...spec.customer, name: customer }, optIn: false });
      await world.seller.typeReferralId(copy, referralId);
      await afterLostStore(world, async (runtime, sync) => {
        await sync();
        assert.equal(runtime.store.getLinkByReferralId(referralId), undefined, 'neither record is linked');
        assert.ok(runtime.store.getParked('crm', crmId)?.reasons.some((r) => r.code === 'binding.unconfirmed'), 'the record is parked for cosell link');
        assert.deepEqual((await world.seller.recordsForReferral(referralId)).sort(), [copy, crmId].sort(), 'nothing created');
        assert.equal(referralOf(world, referralId).externalReferenceId ?? undefined, undefined, 'Partner Center names neither');
      });
    } finally {
      await world.close();
    }
  });
});
