/**
 * A seller copies a synced opportunity (Salesforce's Clone; a copied Dynamics 365 opportunity) and leaves
 * "Sync with Partner Center" unticked. The copy carries the original's status fields: "synced", last synced,
 * the Partner Center link and status. It has no link and does not sync, so it must not say it does. Until
 * 2026-12-06 the engine skipped such a record and the copy said "synced" for ever (both CRMs). Now the
 * status fields of a record without a link and not opted in are emptied, as on a record never synced; a
 * copy that kept the original's referral ID is parked (never bound to the original's referral, never a
 * second referral), and says so.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import type { CrmKind, World } from '../../sandbox/world.js';
import { worldPerTest } from '../helpers/world-per-test.js';
import { copyOf } from '../helpers/crm-copies.js';

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) describe(`a copy of a synced opportunity, not opted in (${kind}, end to end)`, function () {
  this.timeout(120_000);
  const each = worldPerTest(kind);

  async function syncedOriginal(world: World): Promise<{ crmId: string; referralId: string }> {
    const crmId = await world.seller.createDeal(dealSpec('Original deal', { share: true }));
    await world.syncToQuiet();
    const view = await world.seller.read(crmId);
    assert.equal(view.syncState, 'synced');
    return { crmId, referralId: view.referralId! };
  }

  it('the copy shows no status; the original keeps its link; ticking the box later makes a referral of its own', async () => {
    const { world } = each;
    const original = await syncedOriginal(world);
    const referrals = world.set.partnerCenter.store.all().length;
    const copyId = copyOf(world, original.crmId);
    const reports = await world.syncToQuiet();

    const copy = await world.seller.read(copyId);
    assert.equal(copy.syncState, undefined, `the copy does not say ${copy.syncState ?? ''}`);
    assert.equal(copy.lastSynced, undefined);
    assert.equal(copy.referralLink, undefined, "the original's Partner Center link is not on the copy");
    assert.equal(copy.referralStatus, undefined);
    assert.equal(copy.syncMessage, undefined);
    if (world.kind === 'dynamics') {
      // Co-sell Deal Type is also the seller's own answer on Dynamics 365: emptying the status keeps it.
      const rows = world.set.dataverse.store.table('opportunity')!.rows;
      assert.ok(rows.get(original.crmId)!.cosell_dealtype, 'the original shows its deal type');
      assert.equal(rows.get(copyId)!.cosell_dealtype, rows.get(original.crmId)!.cosell_dealtype, "the seller's deal type on the copy is kept");
    }
    assert.equal(world.set.partnerCenter.store.all().length, referrals, 'no referral for the copy');
    assert.equal(world.runtime.store.getLinkByCrmId(copyId), undefined);
    assert.equal(world.runtime.store.getLinkByReferralId(original.referralId)!.crmId, original.crmId);
    assert.equal((await world.seller.read(original.crmId)).syncState, 'synced');
    assert.equal(reports.at(-1)!.writes, 0, 'the last sync writes nothing');

    // A copy takes no related rows: the seller adds the team and a solution, then ticks the box.
    await world.seller.addTeamMember(copyId, { firstName: 'Ava', lastName: 'Garcia', email: 'ava.garcia@contoso-partner.example', phone: '+1 425 555 0100' });
    await world.seller.addSolution(copyId, { id: 'SOL-Microsoft365', kind: 'microsoft' });
    await world.seller.optIn(copyId, { share: true });
    await world.syncToQuiet();
    const synced = await world.seller.read(copyId);
    assert.equal(synced.syncState, 'synced', synced.syncMessage);
    assert.ok(synced.referralId && synced.referralId !== original.referralId, 'the copy has a referral of its own');
    assert.equal(world.runtime.store.getLinkByReferralId(original.referralId)!.crmId, original.crmId);
  });

  it('a record unticked while parked no longer says error', async () => {
    const { world } = each;
    const crmId = await world.seller.createDeal(dealSpec('Parked then unticked', { consent: false, helpType: 'technical-architecture', share: true }));
    await world.syncToQuiet();
    assert.equal((await world.seller.read(crmId)).syncState, 'error');
    await world.seller.optOut(crmId);
    await world.syncToQuiet();
    const view = await world.seller.read(crmId);
    assert.equal(view.syncState, undefined);
    assert.equal(view.syncMessage, undefined);
  });

  if (kind === 'dynamics') it('a copy that kept the referral ID is parked, never bound to the original referral; emptying the ID empties the status', async () => {
    const { world } = each;
    const original = await syncedOriginal(world);
    const referrals = world.set.partnerCenter.store.all().length;
    const copyId = copyOf(world, original.crmId, true);
    await world.syncToQuiet();
    const copy = await world.seller.read(copyId);
    assert.equal(copy.syncState, 'error');
    assert.match(copy.syncMessage ?? '', /already linked to CRM record .*\[binding\.unconfirmed\]/);
    assert.equal(world.runtime.store.getLinkByReferralId(original.referralId)!.crmId, original.crmId);
    assert.equal(world.set.partnerCenter.store.all().length, referrals, 'no second referral');

    const res = await fetch(`${world.set.dataverse.url}/_sandbox/dataverse/seller/edit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: copyId, changes: { cosell_referralid: null } }) });
    assert.ok(res.ok);
    await world.syncToQuiet();
    const emptied = await world.seller.read(copyId);
    assert.equal(emptied.syncState, undefined);
    assert.equal(emptied.referralLink, undefined);
    assert.equal((await world.seller.read(original.crmId)).syncState, 'synced');
  });
});
