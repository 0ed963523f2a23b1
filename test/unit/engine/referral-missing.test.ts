/**
 * A referral Partner Center answers 404 for (the connector's account lost sight of it: a Referrals User
 * taken off the deal's team or location scope, partner-center-api.md §1.2) is linked as orphaned, and comes
 * back when Partner Center shows it again. Until 2026-12-06 a referral seen again in Partner Center's feed
 * was merged and its record marked synced, but its link stayed `referral-missing`, so the CRM phase skipped
 * every later seller edit of that record for good while the record said synced.
 */
import assert from 'node:assert/strict';
import type { Referral } from '../../../core/model/index.js';
import { fakeWorld } from '../../helpers/fake-world.js';
import { fakeLinkedDeal } from '../../helpers/fake-linked-deal.js';

describe('a referral Partner Center stopped showing, then shows again (engine)', () => {
  it('is orphaned while it is gone, then linked as active again: seller edits reach it once more', async () => {
    const world = fakeWorld({ policy: 'newest-wins' });
    const { crm, pc, store, advance } = world;
    const sync = async () => {
      advance(60_000);
      return world.sync();
    };
    const { crmId, referralId } = await fakeLinkedDeal(world);

    // Partner Center no longer shows the referral to the connector: the seller's edit meets a 404.
    const hidden: Referral = pc.referrals.get(referralId)!;
    pc.referrals.delete(referralId);
    crm.edit(crmId, (o) => (o.referral.notes = 'Edited while Partner Center did not show it'));
    await sync();
    assert.equal(store.getLinkByReferralId(referralId)?.state, 'referral-missing');
    assert.equal(crm.records.get(crmId)!.status!.state, 'orphaned');

    // Shown again, with a change of its own (the feed lists it).
    pc.referrals.set(referralId, hidden);
    pc.actAs(referralId, (r) => ({ ...r, value: 123_000 }));
    await sync();
    assert.equal(store.getLinkByReferralId(referralId)?.state, 'active', 'the link is active again');
    assert.equal(crm.records.get(crmId)!.status!.state, 'synced');
    assert.equal(crm.records.get(crmId)!.referral.value, 123_000, "Partner Center's change reached the record");
    assert.equal(pc.referrals.get(referralId)!.notes, 'Edited while Partner Center did not show it', 'the edit it could not send then is sent now');

    // A later seller edit goes out as for any linked deal.
    crm.edit(crmId, (o) => (o.referral.notes = 'Edited after it came back'));
    await sync();
    assert.equal(pc.referrals.get(referralId)!.notes, 'Edited after it came back');
    await sync();
    assert.equal((await sync()).writes, 0, 'then quiet');
  });
});
