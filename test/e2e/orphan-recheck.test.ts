/**
 * The connector signed in as a Referrals User loses sight of a deal (an admin narrows the user's location
 * scope: Partner Center answers 404, partner-center-api.md §1.2) and gets it back without any change to
 * the referral, so Partner Center's feed never lists it again. The orphaned link is checked again on its
 * own and the seller's edit made meanwhile reaches Partner Center (core/engine/orphan-checks.ts). Until
 * 2026-12-06 the link stayed orphaned until someone changed the deal in Partner Center.
 */
import assert from 'node:assert/strict';
import { defaultUserLocations } from '../../sandbox/partner-center/organizations.js';
import { OUR_PARTNER_ORG, sampleDeal } from '../../sandbox/partner-center/index.js';
import { SANDBOX_USERS } from '../../sandbox/entra/index.js';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';
import { referralOf } from './lifecycle.suite.js';

const MINUTE = 60_000;
const SAM = SANDBOX_USERS.seller.username.toLowerCase();

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) {
  describe(`an orphaned link comes back once Partner Center shows the referral again (${kind}, end to end)`, function () {
    this.timeout(120_000);
    let world: World;
    const userLocations = defaultUserLocations();
    before(async () => {
      world = await startWorld(kind, { signInAs: 'seller', userLocations });
    });
    after(async () => world?.close());

    it('checked again on its own: active again, the edit held meanwhile sent, without a change in Partner Center', async () => {
      const pc = world.set.partnerCenter;
      const team = [{ firstName: 'Sam', lastName: 'Seller', phone: '+1 425 555 0101', email: SANDBOX_USERS.seller.username }];
      const created = pc.actAs(OUR_PARTNER_ORG).create(sampleDeal(pc.service.orgs, OUR_PARTNER_ORG, { dealName: 'Seen by Sam', location: 'loc-us-redmond', team }));
      assert.ok(created.ok);
      const referralId = created.value.id;
      await world.syncToQuiet();
      const crmId = world.runtime.store.getLinkByReferralId(referralId)?.crmId;
      assert.ok(crmId, 'the referral reached the CRM');

      // An admin takes Redmond out of Sam's scope; the seller edits the deal.
      userLocations[SAM] = [];
      world.set.clock.advance(MINUTE);
      await world.seller.edit(crmId, { notes: 'Edited while Partner Center hid the deal' });
      await world.sync();
      assert.equal(world.runtime.store.getLinkByReferralId(referralId)?.state, 'referral-missing');
      assert.equal((await world.seller.read(crmId)).syncState, 'orphaned');

      // The scope is given back; the referral itself does not change.
      userLocations[SAM] = ['loc-us-redmond'];
      world.set.clock.advance(15 * MINUTE);
      const run = await world.sync();
      assert.equal(run.outcome, 'ok');
      assert.equal(world.runtime.store.getLinkByReferralId(referralId)?.state, 'active', 'the link is active again');
      assert.equal(referralOf(world, referralId).details?.notes, 'Edited while Partner Center hid the deal', 'the held edit reached Partner Center');
      assert.equal((await world.seller.read(crmId)).syncState, 'synced');
      world.set.clock.advance(MINUTE);
      const idle = await world.sync();
      assert.equal(idle.counts.orphanChecks ?? 0, 0, 'nothing left to check');
    });
  });
}
