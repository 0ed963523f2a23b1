/**
 * A customer Partner Center changed on one referral is written to the CRM account and contact through that
 * referral's deal; the other deals of the customer share them. The run that writes the change carries it to
 * their referrals too: no record may say *synced* while its referral holds the old customer (until 2026-12-06
 * both CRMs left that to the next run, and for one run the other deals said synced over the old customer).
 */
import assert from 'node:assert/strict';
import type { CrmKind } from '../../sandbox/world.js';
import { referralOf } from './lifecycle.suite.js';
import { changeCustomerInPartnerCenter, phoneOf, withSharedDeals } from './shared-deals.suite.js';

for (const kind of ['dynamics', 'salesforce'] as CrmKind[]) {
  describe(`a shared customer changed in Partner Center on one referral (${kind}, end to end)`, function () {
    this.timeout(180_000);

    for (const sellerToo of [false, true]) it(`reaches every other deal's referral in the same run${sellerToo ? ', one of them also edited by a seller (its write in the same run)' : ''}`, () => withSharedDeals(kind, async (world, deals) => {
      if (sellerToo) await world.seller.edit(deals[1]!.crmId, { name: 'Renamed by the seller' });
      changeCustomerInPartnerCenter(world, deals[0]!.referralId, (profile) => ({
        ...profile, name: 'Woodgrove Bank Renamed', team: profile.team!.map((m) => ({ ...m, phoneNumber: '+1 206 555 0123' })),
      }));
      await world.sync();
      for (const d of deals) {
        const record = await world.seller.read(d.crmId);
        assert.deepEqual(
          { state: record.syncState, name: referralOf(world, d.referralId).customerProfile?.name, phone: phoneOf(world, d.referralId) },
          { state: 'synced', name: 'Woodgrove Bank Renamed', phone: '+1 206 555 0123' },
          `after one run, deal ${d.crmId}: its referral holds the new customer`,
        );
      }
      if (sellerToo) assert.equal(referralOf(world, deals[1]!.referralId).name, 'Renamed by the seller');
      assert.equal((await world.sync()).writes, 0, 'a further sync writes nothing');
    }));
  });
}
