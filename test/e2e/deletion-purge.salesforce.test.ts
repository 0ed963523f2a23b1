/**
 * Deletions Salesforce's getDeleted can no longer report although the connector's cursor is recent (issue 12):
 * an administrator emptied the Recycle Bin after the deletion (Salesforce refuses the window with
 * INVALID_REPLICATION_DATE), or the background purge of an oversized delete log removed it (the answer's
 * `earliestDateAvailable` is later than the window's start). Either way the first page says
 * `deletionsIncomplete`: the engine checks that each linked record still exists and handles the missing one
 * as a listed deletion, and every deal is read again so that a purged related-row deletion reaches Partner
 * Center too. Before, both were logged and the deletion was lost: the link stayed active on a record that
 * was gone.
 */
import assert from 'node:assert/strict';
import type { SalesforceAdapter } from '../../connectors/salesforce/index.js';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { purgeDeleteLog } from '../../sandbox/salesforce/delete-log.js';
import { startWorld, type World } from '../../sandbox/world.js';
import { moveFeedPast, referralOf } from './lifecycle.suite.js';

const DAY = 86_400_000;
const ROBIN = { firstName: 'Robin', lastName: 'Presales', phone: '+1 425 555 0102', email: 'robin.presales@partner.example' };

async function twoDealsSynced(world: World): Promise<{ gone: string; kept: string; referralId: string }> {
  const gone = await world.seller.createDeal(dealSpec('Deleted, then purged'));
  const kept = await world.seller.createDeal(dealSpec('Kept, its team member removed', { team: [dealSpec('x').team[0]!, ROBIN] }));
  await world.syncToQuiet();
  const referralId = (await world.seller.read(gone)).referralId;
  assert.ok(referralId, 'the deal reached Partner Center');
  await moveFeedPast(world);
  return { gone, kept, referralId };
}

function assertNoticed(world: World, gone: string, kept: string, referralId: string): void {
  assert.equal(world.runtime.store.getLinkByCrmId(gone)?.state, 'crm-deleted', 'the deleted record is noticed although getDeleted no longer lists it');
  assert.equal(world.runtime.store.getLinkByReferralId(referralId)?.crmId, gone, 'the referral stays paired with the deleted record, never made again');
  assert.equal(world.runtime.store.getLinkByCrmId(kept)?.state, 'active');
}

describe('deletions purged from Salesforce\'s delete log before the next sync (end to end)', function () {
  this.timeout(180_000);

  it('an emptied Recycle Bin (getDeleted refuses the window): the deleted opportunity is noticed', async () => {
    const world = await startWorld('salesforce');
    try {
      const { gone, kept, referralId } = await twoDealsSynced(world);
      await world.seller.deleteDeal(gone);
      world.set.clock.advance(3 * DAY);
      purgeDeleteLog(world.set.salesforce.store, { recycleBin: true });
      world.set.clock.advance(60_000);
      await world.syncToQuiet();
      assertNoticed(world, gone, kept, referralId);
      assert.equal((await world.sync()).writes, 0, 'a further sync writes nothing');
    } finally {
      await world.close();
    }
  });

  it('a purged delete log (earliestDateAvailable after the window start): the deleted opportunity and a removed team member are noticed', async () => {
    const world = await startWorld('salesforce');
    try {
      const { gone, kept, referralId } = await twoDealsSynced(world);
      const keptReferral = (await world.seller.read(kept)).referralId!;
      assert.equal(referralOf(world, keptReferral).team?.length, 2);
      const store = world.set.salesforce.store;
      const robin = store.all('User').find((u) => u.Email === ROBIN.email)!;
      const member = store.all('OpportunityTeamMember').find((m) => m.OpportunityId === kept && m.UserId === robin.Id)!;
      assert.ok((await (world.runtime.crm as SalesforceAdapter).client.deleteRecords([member.Id])).every((r) => r.success));
      await world.seller.deleteDeal(gone);
      world.set.clock.advance(2 * 3_600_000);
      purgeDeleteLog(store);
      await world.syncToQuiet();
      assertNoticed(world, gone, kept, referralId);
      assert.deepEqual((referralOf(world, keptReferral).team ?? []).map((m) => m.email), ['sam.seller@partner.example'], 'the purged team-member deletion reaches Partner Center');
      assert.equal((await world.sync()).writes, 0, 'a further sync writes nothing');
    } finally {
      await world.close();
    }
  });
});
