/**
 * A Dynamics 365 seller works the opportunity as the product's own forms do, through the Web API the forms
 * use: the Close Opportunity dialog (LoseOpportunity with its status reason, no connector field touched) and
 * removing the customer contact with the documented disassociate request. Each reaches Partner Center.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { startWorld, type World } from '../../sandbox/world.js';
import { webApi } from '../helpers/dataverse-web-api.js';
import { referralOf } from './lifecycle.suite.js';

const MINUTE = 60_000;

async function outboundSynced(world: World, name: string): Promise<{ crmId: string; referralId: string }> {
  const crmId = await world.seller.createDeal(dealSpec(name, { share: true }));
  await world.syncToQuiet();
  const { referralId } = await world.seller.read(crmId);
  assert.ok(referralId, `the deal ${crmId} reached Partner Center`);
  world.set.clock.advance(MINUTE);
  return { crmId, referralId };
}

const loseInDialog = (world: World, crmId: string, status: number) =>
  webApi(world, 'POST', 'LoseOpportunity', { Status: status, OpportunityClose: { subject: 'Lost', 'opportunityid@odata.bind': `/opportunities(${crmId})` } });

describe('a Dynamics 365 seller closes and edits through the standard forms (end to end)', function () {
  this.timeout(120_000);
  let world: World;
  beforeEach(async () => {
    world = await startWorld('dynamics');
  });
  afterEach(async () => world.close());

  it('closed as lost with status reason Out-Sold and no loss reason: Partner Center has it lost to another vendor', async () => {
    // The connector itself closes "customer chose another vendor" as Out-Sold (write-plan.ts); read back the same way.
    const { crmId, referralId } = await outboundSynced(world, 'Out-sold in the dialog');
    await loseInDialog(world, crmId, 5);
    await world.syncToQuiet();
    const r = referralOf(world, referralId);
    assert.deepEqual([r.status, r.substatus, r.statusReasonCode], ['Closed', 'Lost', 'CustomerChoseAnotherVendor']);
    const view = await world.seller.read(crmId);
    assert.equal(view.syncState, 'synced', view.syncMessage);
    assert.equal((await world.sync()).writes, 0, 'a further sync writes nothing');
  });

  it('closed as lost with status reason Canceled and no loss reason: the record asks for the reason', async () => {
    const { crmId, referralId } = await outboundSynced(world, 'Canceled in the dialog');
    await loseInDialog(world, crmId, 4);
    await world.syncToQuiet();
    assert.equal(referralOf(world, referralId).substatus, 'Accepted', 'nothing Partner Center would refuse is sent');
    const view = await world.seller.read(crmId);
    assert.equal(view.syncState, 'error');
    assert.match(view.syncMessage ?? '', /close_reason\.required/);
  });

  it('the customer contact removed with DELETE …/parentcontactid/$ref is removed in Partner Center', async () => {
    const { crmId, referralId } = await outboundSynced(world, 'Contact disassociated');
    assert.equal(referralOf(world, referralId).customerProfile?.team?.length, 1);
    await webApi(world, 'DELETE', `opportunities(${crmId})/parentcontactid/$ref`);
    await world.syncToQuiet();
    assert.deepEqual(referralOf(world, referralId).customerProfile?.team ?? [], []);
    assert.equal((await world.seller.read(crmId)).syncState, 'synced');
    assert.equal((await world.sync()).writes, 0, 'a further sync writes nothing');
  });

  for (const typed of ['co-sell', 'Co-sell deal', 'CO-SELL']) {
    it(`"Co-sell Deal Type" typed as "${typed}" on a deal whose answers make it private: refused on the record, nothing created`, async () => {
      // The column is free text; a label typed as Partner Center shows it was ignored, and a Private deal made.
      const crmId = await world.seller.createDeal(dealSpec(`Typed ${typed}`, { optIn: false }));
      await webApi(world, 'PATCH', `opportunities(${crmId})`, { cosell_dealtype: typed, cosell_syncwithpartnercenter: true });
      await world.syncToQuiet();
      const view = await world.seller.read(crmId);
      assert.equal(view.referralId, undefined, 'no referral is created');
      assert.equal(view.syncState, 'error');
      assert.match(view.syncMessage ?? '', /deal_type\.mismatch/);
    });
  }

  it('"Co-sell Deal Type" typed as something that is no deal type: the record names the field and the choices', async () => {
    const crmId = await world.seller.createDeal(dealSpec('Typed nonsense', { optIn: false }));
    await webApi(world, 'PATCH', `opportunities(${crmId})`, { cosell_dealtype: 'Joint deal', cosell_syncwithpartnercenter: true });
    await world.syncToQuiet();
    const view = await world.seller.read(crmId);
    assert.equal(view.referralId, undefined, 'no referral is created');
    assert.equal(view.syncState, 'error');
    assert.match(view.syncMessage ?? '', /^Co-sell Deal Type: .*"Joint deal".*Co-sell deal/, 'named by the column\'s label (crmlabels)');
  });
});
