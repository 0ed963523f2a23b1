/**
 * Inbound referrals for one customer share one matched CRM account. An edit of that account, made through
 * one deal, changes the customer of every deal that uses the account (docs/sync.md: the customer fields are
 * shared, and flow both ways), so it must reach every one of their referrals, not only the deal it was made
 * through. Found by the model-based test (Dynamics 365, 21 seeds, e.g. seed 17).
 */
import assert from 'node:assert/strict';
import { OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import type { CrmKind, World } from '../../sandbox/world.js';
import { worldPerTest } from '../helpers/world-per-test.js';
import { referralOf, unwrap } from './lifecycle.suite.js';

/** Two inbound referrals for the same customer, synced: their deals share one matched account. */
async function twoDealsOfOneCustomer(world: World, firstName: string, secondName: string) {
  const first = unwrap(world.microsoft.sendReferral({ deal: { dealName: firstName } }));
  const second = unwrap(world.microsoft.sendReferral({ deal: { dealName: secondName } }));
  await world.syncToQuiet();
  return { first, second };
}

for (const kind of ['dynamics', 'salesforce'] as CrmKind[]) {
  describe(`an account shared by inbound deals, edited through one of them (${kind}, end to end)`, function () {
    this.timeout(180_000);
    const each = worldPerTest(kind);

    it('reaches the referral of every deal that uses the account', async () => {
      const { world } = each;
      const { first, second } = await twoDealsOfOneCustomer(world, 'First shared-account deal', 'Second shared-account deal');
      const [firstCrm] = await world.seller.recordsForReferral(first.id);
      const [secondCrm] = await world.seller.recordsForReferral(second.id);
      assert.ok(firstCrm && secondCrm, 'both referrals have an opportunity');
      assert.equal(referralOf(world, first.id).customerProfile?.name, referralOf(world, second.id).customerProfile?.name, 'one customer');
      for (let round = 0; round < 3; round += 1) {
        const name = `Woodgrove Bank Renamed ${round}`;
        await world.seller.editAccount(round % 2 === 0 ? firstCrm : secondCrm, { name, country: round === 1 ? 'DE' : 'US' });
        await world.syncToQuiet();
        const pairs: [string, string][] = [[first.id, firstCrm], [second.id, secondCrm]];
        for (const [referralId, crmId] of pairs) {
          const deal = await world.seller.read(crmId);
          assert.equal(referralOf(world, referralId).customerProfile?.name, name, `round ${round}: referral ${referralId} has the account's new name`);
          assert.equal(referralOf(world, referralId).customerProfile?.address?.country, round === 1 ? 'DE' : 'US', `round ${round}: and its country`);
          assert.equal(deal.syncState, 'synced');
        }
        assert.equal((await world.sync()).writes, 0, 'a further sync writes nothing');
      }
    });

    it('reaches the other deals when Partner Center changed it through one referral while the seller edited another deal (model-based test, Dynamics 365 seed 1407)', async () => {
      const { world } = each;
      const { first, second } = await twoDealsOfOneCustomer(world, 'Edited in Partner Center', 'Edited by the seller');
      const [secondCrm] = await world.seller.recordsForReferral(second.id);
      unwrap(world.set.partnerCenter.service.change(OUR_PARTNER_ORG, first.id, (json) => ({ ok: true, value: { ...json, customerProfile: { ...json.customerProfile!, address: { ...json.customerProfile!.address, city: 'Tacoma' } } } })));
      await world.seller.edit(secondCrm!, { name: 'Renamed by the seller' });
      await world.syncToQuiet();
      assert.equal(referralOf(world, second.id).customerProfile?.address?.city, 'Tacoma', "the shared account's new city reached the other deal's referral");
      assert.equal(referralOf(world, second.id).name, 'Renamed by the seller');
    });

    it('reaches the other deals when Partner Center renamed the customer through one referral and nothing else changed (model-based test, Salesforce seed 1711)', async () => {
      const { world } = each;
      const { first, second } = await twoDealsOfOneCustomer(world, 'Renamed in Partner Center', 'Left alone');
      unwrap(world.set.partnerCenter.service.change(OUR_PARTNER_ORG, first.id, (json) => ({ ok: true, value: { ...json, customerProfile: { ...json.customerProfile!, name: 'PC Customer 21' } } })));
      await world.syncToQuiet();
      assert.equal(referralOf(world, second.id).customerProfile?.name, 'PC Customer 21', "the shared account's new name reached the other deal's referral");
      assert.equal((await world.sync()).writes, 0, 'a further sync writes nothing');
    });
  });
}
