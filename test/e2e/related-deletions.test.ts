/**
 * Issue 12, item 4: in Salesforce, deleting an opportunity's team member, solution row or contact role
 * does not move the opportunity's SystemModstamp, and the deleted rows are gone from every query (team
 * members skip the Recycle Bin). Such deletions still reach Partner Center on the next sync, through
 * getDeleted on the related objects and the connector's index of related row → opportunity.
 */
import assert from 'node:assert/strict';
import { SOLUTION_FIELDS, SOLUTION_OBJECT, SOLUTION_PARENT_FIELD } from '../../mappings/custom-fields.salesforce.js';
import type { SalesforceAdapter } from '../../connectors/salesforce/index.js';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { startWorld } from '../../sandbox/world.js';
import { moveFeedPast, referralOf } from './lifecycle.suite.js';

const HOUR = 3_600_000;
const ROBIN = { firstName: 'Robin', lastName: 'Presales', phone: '+1 425 555 0102', email: 'robin.presales@partner.example' };

describe('related records deleted through the Salesforce API (end to end)', function () {
  this.timeout(120_000);

  it('item 4: a removed team member, solution and contact role reach Partner Center with the opportunity untouched', async () => {
    const world = await startWorld('salesforce');
    try {
      const spec = dealSpec('Related deletions', {
        team: [dealSpec('x').team[0]!, ROBIN],
        solutions: [{ id: 'SOL-1234-PQRS', kind: 'own' }, { id: 'SOL-5678-WXYZ', kind: 'own' }],
      });
      const crmId = await world.seller.createDeal(spec);
      await world.syncToQuiet();
      const { referralId } = await world.seller.read(crmId);
      assert.ok(referralId, 'the deal reached Partner Center');
      const before = referralOf(world, referralId);
      assert.equal(before.team?.length, 2);
      assert.equal(before.details?.requirements?.solutions?.length, 2);
      assert.equal(before.customerProfile?.team?.length, 1);

      // Well past the opportunity feed's re-read overlap: a later deal moves the feed's watermark on.
      world.set.clock.advance(HOUR);
      await world.seller.createDeal(dealSpec('Later deal'));
      await world.syncToQuiet();
      const store = world.set.salesforce.store;
      const opportunityStamp = store.get('Opportunity', crmId)!.SystemModstamp;
      const robin = store.all('User').find((u) => u.Email === ROBIN.email)!;
      const member = store.all('OpportunityTeamMember').find((m) => m.OpportunityId === crmId && m.UserId === robin.Id)!;
      const solution = store.all(SOLUTION_OBJECT).find((s) => s[SOLUTION_PARENT_FIELD] === crmId && s[SOLUTION_FIELDS.solutionId] === 'SOL-5678-WXYZ')!;
      const results = await (world.runtime.crm as SalesforceAdapter).client.deleteRecords([member.Id, solution.Id]);
      assert.ok(results.every((r) => r.success), JSON.stringify(results));
      assert.equal(store.get('Opportunity', crmId)!.SystemModstamp, opportunityStamp, 'the opportunity itself was not touched');

      await world.syncToQuiet();
      const after = referralOf(world, referralId);
      assert.deepEqual((after.team ?? []).map((m) => m.email), ['sam.seller@partner.example']);
      assert.deepEqual(after.details?.requirements?.solutions?.map((s) => s.id), ['SOL-1234-PQRS']);
      assert.equal((await world.seller.read(crmId)).syncState, 'synced');
      assert.equal((await world.sync()).writes, 0, 'a further sync writes nothing');

      // The primary contact role: its deletion brings the deal back to the engine too, and a deal read
      // without a primary contact had it removed (docs/sync.md, values emptied): Partner Center's goes too.
      world.set.clock.advance(HOUR);
      const role = store.all('OpportunityContactRole').find((r) => r.OpportunityId === crmId)!;
      assert.ok((await (world.runtime.crm as SalesforceAdapter).client.deleteRecords([role.Id]))[0]!.success);
      const deletedAt = store.deletedLog.find((d) => d.id === role.Id)!.deletedDate;
      await world.syncToQuiet();
      // Dated by the deletion, or later: the removal now reaches Partner Center, and the sync status written
      // back onto the record moves its stamp (the same second as the deletion or the next one).
      const readAt = world.runtime.store.getLinkByCrmId(crmId)?.crmModifiedAt;
      assert.ok(readAt !== undefined && Date.parse(readAt) >= Date.parse(deletedAt), `the deal was read again after the deletion (${readAt} against ${deletedAt})`);
      assert.equal(referralOf(world, referralId).customerProfile?.team?.length ?? 0, 0);
    } finally {
      await world.close();
    }
  });

  it('a related row deleted before a pause longer than getDeleted keeps deletions (15 days) still reaches Partner Center', async () => {
    const world = await startWorld('salesforce');
    try {
      const crmId = await world.seller.createDeal(dealSpec('Deleted before a pause', { solutions: [{ id: 'SOL-1234-PQRS', kind: 'own' }, { id: 'SOL-5678-WXYZ', kind: 'own' }] }));
      await world.syncToQuiet();
      const { referralId } = await world.seller.read(crmId);
      assert.ok(referralId);
      await moveFeedPast(world);
      await world.seller.removeSolution(crmId, 'SOL-5678-WXYZ');
      // No sync for 18 days (the model-based test found this): getDeleted no longer lists the row.
      world.set.clock.advance(18 * 24 * HOUR);
      await world.syncToQuiet();
      assert.deepEqual(referralOf(world, referralId).details?.requirements?.solutions?.map((s) => s.id), ['SOL-1234-PQRS']);
      assert.equal((await world.seller.read(crmId)).syncState, 'synced');
      assert.equal((await world.sync()).writes, 0, 'a further sync writes nothing');
    } finally {
      await world.close();
    }
  });
});
