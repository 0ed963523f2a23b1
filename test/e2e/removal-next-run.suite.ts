/**
 * A seller removes one solution row, or the deal's contact role, and nothing else on the deal changes:
 * the very next sync carries the removal to Partner Center, and the one after it writes nothing
 * (docs/sync.md, "Related rows removed on their own").
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';
import type { DealSpec } from '../../sandbox/consoles/types.js';
import { referralOf } from './lifecycle.suite.js';

const SOLUTIONS = [{ id: 'SOL-1234-PQRS', kind: 'own' as const }, { id: 'SOL-5678-WXYZ', kind: 'own' as const }];

export async function linkedDeal(world: World, name: string, extra: Partial<DealSpec> = {}): Promise<{ crmId: string; referralId: string }> {
  const crmId = await world.seller.createDeal(dealSpec(name, { solutions: SOLUTIONS, ...extra }));
  await world.syncToQuiet();
  const { referralId } = await world.seller.read(crmId);
  assert.ok(referralId, 'the deal reached Partner Center');
  const referral = referralOf(world, referralId);
  assert.deepEqual(referral.details?.requirements?.solutions?.map((s) => s.id), SOLUTIONS.map((s) => s.id));
  assert.equal(referral.customerProfile?.team?.length, 1, 'the contact reached Partner Center');
  // Later than the feed's re-read overlap: nothing of the link's own run is read again by chance.
  world.set.clock.advance(3_600_000);
  assert.equal((await world.sync()).writes, 0, 'the linked deal is settled');
  return { crmId, referralId };
}

export function runRemovalNextRunSuite(kind: CrmKind): void {
  describe(`a related row removed on its own reaches Partner Center on the next run (${kind}, end to end)`, function () {
    this.timeout(120_000);
    let world: World;
    beforeEach(async () => {
      world = await startWorld(kind);
    });
    afterEach(async () => {
      await world.close();
    });

    it('one solution removed: the next run removes it from the referral, the one after writes nothing', async () => {
      const { crmId, referralId } = await linkedDeal(world, 'Solution removed');
      world.set.clock.advance(60_000);
      await world.seller.removeSolution(crmId, 'SOL-5678-WXYZ', { alone: true });
      const run = await world.sync();
      assert.equal(run.outcome, 'ok');
      assert.deepEqual(referralOf(world, referralId).details?.requirements?.solutions?.map((s) => s.id), ['SOL-1234-PQRS'], 'the first run after the removal carried it');
      assert.equal((await world.sync()).writes, 0, 'a further run writes nothing');
      assert.equal((await world.seller.read(crmId)).syncState, 'synced');
    });

    it('the contact role removed: the next run removes the contact from the referral, the one after writes nothing', async () => {
      const { crmId, referralId } = await linkedDeal(world, 'Contact removed');
      world.set.clock.advance(60_000);
      await world.seller.removeContacts(crmId);
      const run = await world.sync();
      assert.equal(run.outcome, 'ok');
      assert.equal(referralOf(world, referralId).customerProfile?.team?.length ?? 0, 0, 'the first run after the removal carried it');
      assert.equal((await world.sync()).writes, 0, 'a further run writes nothing');
      assert.equal((await world.seller.read(crmId)).syncState, 'synced');
    });
  });
}
