/**
 * Record binding (issue 14), end to end on each CRM's sandbox: a seller typing a referral ID into a
 * record does not pull that referral into it; the record and the referral are parked with the reason,
 * nothing is created twice, and `cosell link` confirms the pair while the referral has no link yet.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { confirmLink } from '../../core/engine/confirm-link.js';
import { OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';
import { referralOf, unwrap } from './lifecycle.suite.js';

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) {
  describe(`record binding, end to end on ${kind === 'salesforce' ? 'Salesforce' : 'Dynamics 365'}`, function () {
    this.timeout(120_000);
    let world: World;
    beforeEach(async () => {
      world = await startWorld(kind);
    });
    afterEach(async () => world.close());

    const link = (crmId: string, referralId: string) =>
      confirmLink({ store: world.runtime.store, crm: world.runtime.crm, partnerCenter: world.runtime.partnerCenter, now: () => world.set.clock.now() }, crmId, referralId);

    it('a referral ID typed into a record is refused until "cosell link" confirms it; then the pair syncs', async () => {
      const sent = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Claimed by a seller' } }));
      // The seller's own record of the deal (shared with Microsoft, as the referral is: visibility cannot be withdrawn).
      const crmId = await world.seller.createDeal(dealSpec('Seller record', { optIn: false, share: true }));
      await world.seller.typeReferralId(crmId, sent.id);
      await world.syncToQuiet();

      const refused = await world.seller.read(crmId);
      assert.equal(refused.syncState, 'error');
      assert.match(refused.syncMessage ?? '', new RegExp(`^Partner Center referral ID: Partner Center shows referral ${sent.id} with no CRM record`, 'i'), 'the CRM label of the field, then the reason');
      assert.match(refused.syncMessage ?? '', new RegExp(`cosell link ${crmId} ${sent.id}`));
      assert.deepEqual(await world.seller.recordsForReferral(sent.id), [crmId], 'no second record was created for the referral');
      assert.equal(world.runtime.store.getLinkByReferralId(sent.id), undefined, 'not linked');
      assert.equal(referralOf(world, sent.id).externalReferenceId ?? undefined, undefined, 'Partner Center was not told');
      assert.ok(world.runtime.store.getParked('partner-center', sent.id), 'the referral is parked with the reason too');

      const confirmed = await link(crmId, sent.id);
      assert.equal(confirmed.linked, true, confirmed.message);
      assert.match(confirmed.message, /"Sync with Partner Center" box is unticked/);
      // What the merge will overwrite in Partner Center, with both values, before it does (found walking the README).
      const labels = world.runtime.crm.fieldLabels;
      assert.match(confirmed.message, /The merge replaces \d+ field\(s\) in Partner Center with the record's values:/);
      assert.ok(confirmed.message.includes(`\n  ${labels.dealName}: "Claimed by a seller" → "Seller record"`), confirmed.message);
      assert.ok(confirmed.message.includes(`\n  ${labels.value}: 250000 → 48000`), confirmed.message);
      assert.ok(confirmed.message.includes(`: "Woodgrove Bank" → "Seller record Customer Ltd"`), confirmed.message);
      await world.syncToQuiet();
      // The record's box is unticked: linked, but paused until the seller ticks it (core/engine/paused-pair.ts).
      assert.equal((await world.seller.read(crmId)).syncState, 'pending');
      assert.equal(referralOf(world, sent.id).externalReferenceId ?? undefined, undefined, 'nothing is sent while the box is unticked');
      await world.seller.optIn(crmId);
      await world.syncToQuiet();
      // Once confirmed, the record's values are the CRM's side of the deal and reach Partner Center.
      assert.equal(referralOf(world, sent.id).externalReferenceId, crmId, "Partner Center now shows the record's ID");
      assert.equal(referralOf(world, sent.id).name, 'Seller record');
      const view = await world.seller.read(crmId);
      assert.equal(view.syncState, 'synced');
      assert.equal(view.referralId, sent.id);
      assert.equal(world.runtime.store.getParked('crm', crmId), undefined);
      assert.deepEqual(await world.seller.recordsForReferral(sent.id), [crmId]);
    });

    it('"cosell link" refuses a referral that Partner Center shows with another record', async () => {
      const owner = await world.seller.createDeal(dealSpec('Owner record'));
      await world.syncToQuiet();
      const referralId = world.runtime.store.getLinkByCrmId(owner)!.referralId;
      const other = await world.seller.createDeal(dealSpec('Other record', { optIn: false }));
      const result = await link(other, referralId);
      assert.equal(result.linked, false);
      assert.match(result.message, new RegExp(`already linked to CRM record ${owner}`));
      assert.equal(world.runtime.store.getLinkByReferralId(referralId)!.crmId, owner, 'the existing link stands');
    });

    it('"cosell link" confirms a referral whose CRM reference names no record (a bulk CSV import\'s key), and refuses one naming a record the CRM has', async () => {
      const sent = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Imported with a content key' } }));
      const csvKey = 'csv-5eaf5beaaf7e76588b738457942fce46';
      unwrap(world.set.partnerCenter.service.change(OUR_PARTNER_ORG, sent.id, (json) => ({ ok: true, value: { ...json, externalReferenceId: csvKey } })));
      const crmId = await world.seller.createDeal(dealSpec('Seller record', { share: true }));
      await world.seller.typeReferralId(crmId, sent.id);
      await world.syncToQuiet();
      assert.match((await world.seller.read(crmId)).syncMessage ?? '', new RegExp(`with CRM record ${csvKey}: not linked\\. Same deal\\? Run "cosell link ${crmId}`), 'the sync sends the admin to "cosell link"');

      const other = await world.seller.createDeal(dealSpec('Record Partner Center names', { optIn: false }));
      unwrap(world.set.partnerCenter.service.change(OUR_PARTNER_ORG, sent.id, (json) => ({ ok: true, value: { ...json, externalReferenceId: other } })));
      const refused = await link(crmId, sent.id);
      assert.equal(refused.linked, false);
      assert.match(refused.message, new RegExp(`shows referral ${sent.id} with CRM (record|reference) ${other}, not ${crmId}`));

      unwrap(world.set.partnerCenter.service.change(OUR_PARTNER_ORG, sent.id, (json) => ({ ok: true, value: { ...json, externalReferenceId: csvKey } })));
      const confirmed = await link(crmId, sent.id);
      assert.equal(confirmed.linked, true, confirmed.message);
      assert.match(confirmed.message, new RegExp(`CRM reference "${csvKey}" names no CRM record; the merge replaces it with ${crmId}`));
      await world.syncToQuiet();
      assert.equal(referralOf(world, sent.id).externalReferenceId, crmId, "Partner Center now shows the record's ID");
      assert.equal((await world.seller.read(crmId)).syncState, 'synced');
      assert.deepEqual(await world.seller.recordsForReferral(sent.id), [crmId], 'no second record');
    });

    if (kind === 'dynamics') {
      // Salesforce's referral-ID field is unique, so the CRM itself refuses this edit there.
      it("a record claiming another record's referral is parked and the referral stays with its record", async () => {
        const owner = await world.seller.createDeal(dealSpec('Owner record'));
        await world.syncToQuiet();
        const referralId = world.runtime.store.getLinkByCrmId(owner)!.referralId;
        const before = referralOf(world, referralId).name;
        const thief = await world.seller.createDeal(dealSpec('Claiming record', { optIn: false }));
        await world.seller.typeReferralId(thief, referralId);
        await world.seller.edit(thief, { name: 'Renamed by the claiming record' });
        await world.syncToQuiet();
        const view = await world.seller.read(thief);
        assert.equal(view.syncState, 'error');
        assert.match(view.syncMessage ?? '', new RegExp(`already linked to CRM record ${owner}`));
        assert.equal(referralOf(world, referralId).name, before, 'nothing of the claiming record reached the referral');
        assert.equal(world.runtime.store.getLinkByReferralId(referralId)!.crmId, owner);
      });
    }
  });
}
