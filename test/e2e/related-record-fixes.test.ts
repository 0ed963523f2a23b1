/**
 * Issue 12, item 5: a deal parked for something wrong on a record it was built from (the account's
 * country) is released when only that record is fixed; the opportunity itself is never saved again,
 * so its own change feed does not bring it back. Both CRMs.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { startWorld, type CrmKind } from '../../sandbox/world.js';
import { moveFeedPast, referralOf } from './lifecycle.suite.js';

const HOUR = 3_600_000;

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) describe(`fixing only a related record (${kind}, end to end)`, function () {
  this.timeout(120_000);

  it('item 5: fixing only the account\'s country releases the parked deal, and later edits go through', async () => {
    const world = await startWorld(kind);
    try {
      const spec = dealSpec('Account fix');
      const crmId = await world.seller.createDeal({ ...spec, customer: { ...spec.customer, country: 'United States' } });
      await world.syncToQuiet();
      const parked = await world.seller.read(crmId);
      assert.equal(parked.syncState, 'error');
      assert.match(parked.syncMessage ?? '', /country/i);
      assert.equal(parked.referralId, undefined);
      // Well past any re-read overlap of the opportunity feed: only the account's change can bring it back.
      world.set.clock.advance(HOUR);
      await world.seller.createDeal(dealSpec('Later deal'));
      await world.syncToQuiet();
      await world.seller.editAccount(crmId, { country: 'US' });
      await world.syncToQuiet();
      const fixed = await world.seller.read(crmId);
      assert.equal(fixed.syncState, 'synced', fixed.syncMessage);
      assert.ok(fixed.referralId, 'the deal reached Partner Center');
      assert.equal(world.runtime.store.getParked('crm', crmId), undefined, 'the stale reason is gone');
      await world.seller.edit(crmId, { name: 'Account fix, renamed' });
      await world.syncToQuiet();
      assert.equal(referralOf(world, fixed.referralId!).name, 'Account fix, renamed');
      assert.equal((await world.sync()).writes, 0);
    } finally {
      await world.close();
    }
  });

  it('editing only the account of a synced deal reaches Partner Center, and an invalid country on it parks the deal with the reason', async () => {
    const world = await startWorld(kind);
    try {
      const crmId = await world.seller.createDeal(dealSpec('Account edit'));
      await world.syncToQuiet();
      const { referralId } = await world.seller.read(crmId);
      assert.ok(referralId);
      await moveFeedPast(world);
      await world.seller.editAccount(crmId, { name: 'Account edit Holdings' });
      await world.syncToQuiet();
      assert.equal(referralOf(world, referralId).customerProfile?.name, 'Account edit Holdings');
      assert.equal((await world.seller.read(crmId)).syncState, 'synced');

      await moveFeedPast(world);
      await world.seller.editAccount(crmId, { country: 'Narnia' });
      await world.syncToQuiet();
      const parked = await world.seller.read(crmId);
      assert.equal(parked.syncState, 'error', 'the record does not say synced while its account holds a country Partner Center cannot take');
      assert.match(parked.syncMessage ?? '', /narnia/i);
      assert.equal((await world.sync()).writes, 0);
    } finally {
      await world.close();
    }
  });
});
