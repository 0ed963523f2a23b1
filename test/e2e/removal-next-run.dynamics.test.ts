import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { startWorld } from '../../sandbox/world.js';
import { referralOf } from './lifecycle.suite.js';
import { linkedDeal, runRemovalNextRunSuite } from './removal-next-run.suite.js';

runRemovalNextRunSuite('dynamics');

describe('a team row deleted on its own through the Dataverse Web API reaches Partner Center on the next run (end to end)', function () {
  this.timeout(120_000);

  it('the next run removes the member from the referral, the one after writes nothing', async () => {
    const world = await startWorld('dynamics');
    try {
      const robin = { firstName: 'Robin', lastName: 'Presales', phone: '+1 425 555 0102', email: 'robin.presales@partner.example' };
      const { crmId, referralId } = await linkedDeal(world, 'Team row removed', { team: [dealSpec('x').team[0]!, robin] });
      assert.equal(referralOf(world, referralId).team?.length, 2);
      world.set.clock.advance(60_000);
      await world.seller.removeTeamMember(crmId, robin.email, { alone: true });
      assert.equal((await world.sync()).outcome, 'ok');
      assert.deepEqual(referralOf(world, referralId).team?.map((m) => m.email), ['sam.seller@partner.example']);
      assert.equal((await world.sync()).writes, 0, 'a further run writes nothing');
    } finally {
      await world.close();
    }
  });
});
