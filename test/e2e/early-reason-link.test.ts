/**
 * A link stored by a version before 2026-12-06 (9816ae0): a decline or loss reason picked while the deal was
 * open was taken as synced into the link's base although Partner Center (Active) kept none. The seller then
 * closes the deal as lost with that reason: Partner Center must get the reason with Lost (it refuses a Lost
 * without one, close_reason.required). Both CRMs, end to end, the link's base rewritten as the older version
 * left it.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';
import { referralOf } from './lifecycle.suite.js';

const MINUTE = 60_000;

/** The link's base as the older version stored it: the reason taken as synced on the open deal. */
function baseTookTheReason(world: World, crmId: string): void {
  world.runtime.store.transaction((tx) => {
    const link = tx.getLinkByCrmId(crmId);
    assert.ok(link, `deal ${crmId} is linked`);
    assert.equal(link.base.status, 'Active');
    tx.putLink({ ...link, base: { ...link.base, closeReason: 'budget-not-adequate', closeNotes: 'Budget cut for the year' } });
  });
}

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) describe(`a link whose base took a loss reason early, under an older version (${kind}, end to end)`, function () {
  this.timeout(120_000);
  let world: World;
  beforeEach(async () => {
    world = await startWorld(kind);
  });
  afterEach(async () => world.close());

  it('the lost close goes to Partner Center with the reason picked in the CRM', async () => {
    const crmId = await world.seller.createDeal(dealSpec('Reason picked under an older version', { share: true, stage: 'Qualified' }));
    await world.syncToQuiet();
    const { referralId } = await world.seller.read(crmId);
    assert.ok(referralId);
    world.set.clock.advance(MINUTE);
    await world.seller.setCloseReason(crmId, 'budget-not-adequate');
    await world.syncToQuiet();
    assert.equal(referralOf(world, referralId).statusReasonCode, undefined, 'Partner Center (Active) keeps no reason');
    baseTookTheReason(world, crmId);
    world.set.clock.advance(MINUTE);

    await world.seller.lose(crmId, 'budget-not-adequate');
    await world.syncToQuiet();
    const r = referralOf(world, referralId);
    assert.deepEqual([r.status, r.substatus, r.statusReasonCode], ['Closed', 'Lost', 'ProjectBudgetNotAdequate']);
    const view = await world.seller.read(crmId);
    assert.equal(view.syncState, 'synced', view.syncMessage);
    assert.equal((await world.sync()).writes, 0, 'a further sync writes nothing');
  });
});
