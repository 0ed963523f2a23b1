/**
 * A seller deletes a linked opportunity by mistake and makes the deal again, typing its referral ID into the
 * new record. The old link says `crm-deleted`: the new record must be able to take the referral over, by the
 * command its refusal names (`cosell link NEW REFERRAL`), never stay refused with no way out.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { confirmLink } from '../../core/engine/confirm-link.js';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';
import { referralOf } from './lifecycle.suite.js';
import { statusLines } from '../helpers/status-lines.js';

const MINUTE = 60_000;

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) {
  describe(`a deleted linked record made again (${kind}, end to end)`, function () {
    this.timeout(120_000);
    let world: World;
    before(async () => {
      world = await startWorld(kind);
    });
    after(async () => world?.close());

    it('the new record naming the referral is refused with the command that links it; the command links it; the pair syncs', async () => {
      const oldId = await world.seller.createDeal(dealSpec('Deleted by mistake', { share: true }));
      await world.syncToQuiet();
      const { referralId } = await world.seller.read(oldId);
      assert.ok(referralId);
      world.set.clock.advance(MINUTE);
      await world.seller.deleteDeal(oldId);
      await world.sync();
      world.set.clock.advance(MINUTE);
      await world.sync();
      assert.equal(world.runtime.store.getLinkByReferralId(referralId)?.state, 'crm-deleted');
      assert.ok((await statusLines(world.runtime.store, world.set.clock.now())).some((l) => l.includes(`cosell link NEW-CRM-ID ${referralId}`)), 'cosell status names the command');

      world.set.clock.advance(MINUTE);
      const newId = await world.seller.createDeal(dealSpec('Deleted by mistake', { share: true }));
      await world.seller.typeReferralId(newId, referralId);
      await world.syncToQuiet();
      const refused = await world.seller.read(newId);
      assert.equal(refused.syncState, 'error');
      assert.match(refused.syncMessage ?? '', new RegExp(`cosell link ${newId} ${referralId}`), refused.syncMessage);
      assert.deepEqual(await world.seller.recordsForReferral(referralId), [newId]);

      const linked = await confirmLink({ store: world.runtime.store, crm: world.runtime.crm, partnerCenter: world.runtime.partnerCenter, now: () => world.set.clock.now() }, newId, referralId);
      assert.equal(linked.linked, true, linked.message);
      assert.equal(world.runtime.store.getLinkByCrmId(oldId), undefined, 'the deleted record no longer holds the referral');
      world.set.clock.advance(MINUTE);
      await world.syncToQuiet();
      assert.equal(world.runtime.store.getLinkByReferralId(referralId)?.crmId, newId);
      assert.equal(world.runtime.store.getLinkByReferralId(referralId)?.state, 'active');
      assert.equal((await world.seller.read(newId)).syncState, 'synced');
      assert.equal(referralOf(world, referralId).externalReferenceId, newId, 'Partner Center names the new record');
      await world.seller.edit(newId, { notes: 'Edited on the new record' });
      world.set.clock.advance(MINUTE);
      await world.sync();
      assert.equal(referralOf(world, referralId).details?.notes, 'Edited on the new record');
    });
  });
}
