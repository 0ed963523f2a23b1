/**
 * A linked CRM record deleted, then restored with its ID (Salesforce's Recycle Bin, Dataverse's restore):
 * the CRM lists it again, so the link is active again, Partner Center's changes made meanwhile reach it and
 * its edits are sent. Until 2026-12-06 its link stayed `crm-deleted` and every later edit was skipped, while
 * the record still showed the status it had before the deletion.
 */
import assert from 'node:assert/strict';
import { fakeWorld } from '../../helpers/fake-world.js';
import { fakeLinkedDeal } from '../../helpers/fake-linked-deal.js';

const MINUTE = 60_000;

describe('a deleted linked record restored with its ID (engine)', () => {
  it('is active again: Partner Center\'s change meanwhile reaches it, its edit reaches Partner Center', async () => {
    const world = fakeWorld({ policy: 'newest-wins' });
    const { crm, pc, store, sync, advance } = world;
    const { crmId, referralId } = await fakeLinkedDeal(world);

    const saved = structuredClone(crm.records.get(crmId)!);
    crm.remove(crmId);
    advance(MINUTE);
    await sync();
    assert.equal(store.getLinkByCrmId(crmId)?.state, 'crm-deleted');
    pc.actAs(referralId, (r) => ({ ...r, value: 777_000 }));
    advance(MINUTE);
    await sync();

    // Restored from the recycle bin, then edited.
    crm.records.set(crmId, saved);
    crm.edit(crmId, (o) => (o.referral.notes = 'Edited after the restore'));
    advance(MINUTE);
    await sync();
    assert.equal(store.getLinkByCrmId(crmId)?.state, 'active', 'the link is active again');
    assert.equal(pc.referrals.get(referralId)!.notes, 'Edited after the restore');
    assert.equal(crm.records.get(crmId)!.referral.value, 777_000, "Partner Center's change made meanwhile reached the record");
    assert.equal(crm.records.get(crmId)!.status!.state, 'synced');
    advance(MINUTE);
    await sync();
    advance(MINUTE);
    assert.equal((await sync()).writes, 0, 'then quiet');
  });
});
