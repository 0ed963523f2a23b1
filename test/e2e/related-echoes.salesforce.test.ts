/**
 * Issue 13: an idle Salesforce run costs one Composite call, also inside the five-minute re-read margin after
 * another user changed a deal's related rows (a new primary contact: a contact and a contact role, which do
 * not move the opportunity's SystemModstamp). The run that read that change handed the rows' versions on in
 * its cursor; the next run lists the same rows again (the margin) but, their versions known and the deal
 * settled, reads no opportunity and writes nothing; the same after an account edit. Before, every run inside the
 * margin read the deal again.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { startWorld } from '../../sandbox/world.js';
import { referralOf } from './lifecycle.suite.js';

const MINUTE = 60_000;

describe('related-row changes already synced, inside the re-read margin (Salesforce, end to end)', function () {
  this.timeout(120_000);

  it('an idle run reads no opportunity and writes nothing', async () => {
    const world = await startWorld('salesforce');
    try {
      const crmId = await world.seller.createDeal(dealSpec('Contact changed by a colleague'));
      await world.syncToQuiet();
      world.set.clock.advance(10 * MINUTE);
      await world.syncToQuiet();
      const { referralId } = await world.seller.read(crmId);
      assert.ok(referralId);

      const contact = { firstName: 'Alex', lastName: 'Buyer', email: 'alex.buyer@customer.example', phone: '+1 425 555 0199' };
      await world.seller.setPrimaryContact(crmId, contact);
      world.set.clock.advance(MINUTE);
      const read = await world.syncToQuiet();
      assert.equal(read[0]!.counts.crmRead, 1, 'the change is read');
      assert.equal(referralOf(world, referralId).customerProfile?.team?.[0]?.email, contact.email, 'and reaches Partner Center');

      world.set.clock.advance(MINUTE);
      const counters = world.set.salesforce.counters;
      counters.reset();
      const idle = await world.sync();
      const calls = counters.snapshot();
      assert.equal(idle.writes, 0);
      assert.equal(idle.counts.crmRead ?? 0, 0, 'no opportunity handed to the engine');
      assert.equal(counters.get('composite'), 1, `one Composite call: ${JSON.stringify(calls)}`);
      assert.deepEqual(Object.keys(calls).filter((k) => !k.startsWith('composite')), [], 'no call besides it');
      // One: the listing, which also asks for changed accounts (account-changes.ts); no opportunity read by ID.
      assert.equal(counters.get('composite.query:Opportunity'), 1, 'the listing only: no opportunity read by ID');
      assert.equal(counters.get('composite:refused'), 0, 'within Salesforce\'s Composite limits');

      // A further change to the same rows inside the margin is new: read and synced.
      const row = world.set.salesforce.store.all('Contact').find((c) => c.Email === contact.email)!;
      assert.deepEqual(world.set.salesforce.seller.editRecord('Contact', row.Id, { Email: 'alex.b@customer.example' }), { ok: true });
      world.set.clock.advance(MINUTE);
      const edited = await world.syncToQuiet();
      assert.equal(edited[0]!.counts.crmRead, 1);
      assert.equal(referralOf(world, referralId).customerProfile?.team?.[0]?.email, 'alex.b@customer.example');

      // The same for the account: an edit by a colleague is read once, then known.
      world.set.clock.advance(10 * MINUTE);
      await world.syncToQuiet();
      await world.seller.editAccount(crmId, { city: 'Bellevue' });
      world.set.clock.advance(MINUTE);
      const accountRead = await world.syncToQuiet();
      assert.equal(accountRead[0]!.counts.crmRead, 1);
      assert.equal(referralOf(world, referralId).customerProfile?.address?.city, 'Bellevue');
      world.set.clock.advance(MINUTE);
      counters.reset();
      const idleAfterAccount = await world.sync();
      assert.equal(idleAfterAccount.counts.crmRead ?? 0, 0, 'the known account version costs nothing');
      assert.equal(counters.get('composite'), 1);
      assert.deepEqual(Object.keys(counters.snapshot()).filter((k) => !k.startsWith('composite')), []);
    } finally {
      await world.close();
    }
  });
});
