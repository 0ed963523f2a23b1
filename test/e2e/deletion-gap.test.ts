/**
 * An opportunity deleted just before a pause longer than the CRM keeps deletions (Salesforce getDeleted:
 * 15 days; Dataverse change tracking: a 7-day token, whose fallback query lists no deletions) is still
 * noticed: the feed says its deletions are incomplete, the engine checks that every linked record exists,
 * and the missing one is orphaned exactly as a listed deletion would be. Found by the model-based test
 * (Salesforce seeds 54 and 62, Dynamics 15 and 62).
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { startWorld, type CrmKind } from '../../sandbox/world.js';
import { moveFeedPast } from './lifecycle.suite.js';

const DAY = 86_400_000;

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) {
  describe(`an opportunity deleted before a pause past the deletion feed's memory (${kind}, end to end)`, function () {
    this.timeout(180_000);

    it('orphans the link of the deleted record and leaves the other links active', async () => {
      const world = await startWorld(kind);
      try {
        const gone = await world.seller.createDeal(dealSpec('Deleted before the pause'));
        const kept = await world.seller.createDeal(dealSpec('Still there after the pause'));
        await world.syncToQuiet();
        const referralId = (await world.seller.read(gone)).referralId;
        assert.ok(referralId, 'the deal reached Partner Center');
        await moveFeedPast(world);
        await world.seller.deleteDeal(gone);
        world.set.clock.advance(16 * DAY);
        await world.syncToQuiet();
        const link = world.runtime.store.getLinkByCrmId(gone);
        assert.equal(link?.state, 'crm-deleted', 'the deleted record is noticed although the deletion feed no longer lists it');
        assert.equal(world.runtime.store.getLinkByReferralId(referralId)?.crmId, gone, 'the referral stays paired with the deleted record, never made again');
        assert.equal(world.runtime.store.getLinkByCrmId(kept)?.state, 'active');
        assert.equal((await world.sync()).writes, 0, 'a further sync writes nothing');
      } finally {
        await world.close();
      }
    });
  });
}
