/**
 * Consent as data (issue 14), end to end on each CRM's sandbox with the real clients and engine: the
 * customer contact leaves the CRM only while "Consent to share contacts" is ticked; a deal Partner Center
 * takes without a contact (private, partner-led) is sent without it; a co-sell deal, which needs one, is
 * parked with a reason naming the field; withdrawing consent removes the contact from the referral;
 * inbound referrals carry Partner Center's consent into the CRM.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import type { StoredReferral } from '../../sandbox/partner-center/store.js';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';
import { unwrap } from './lifecycle.suite.js';

function referralFor(world: World, crmId: string): StoredReferral | undefined {
  const found = world.set.partnerCenter.store.withExternalReferenceId(crmId);
  assert.ok(found.length <= 1, `one referral per CRM record, found ${found.length}`);
  return found[0];
}

const contactsOf = (r: StoredReferral) => r.customerProfile?.team ?? [];
const consentOf = (r: StoredReferral) => r.consent?.consentToShareInfoWithOthers;

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) {
  describe(`consent to share contacts, end to end on ${kind === 'salesforce' ? 'Salesforce' : 'Dynamics 365'}`, function () {
    this.timeout(120_000);
    let world: World;
    beforeEach(async () => {
      world = await startWorld(kind);
    });
    afterEach(async () => world.close());

    it('a private and a partner-led deal with consent unticked reach Partner Center with no customer contact', async () => {
      const priv = await world.seller.createDeal(dealSpec('Private no consent', { consent: false }));
      const led = await world.seller.createDeal(dealSpec('Partner led no consent', { consent: false, share: true }));
      await world.syncToQuiet();
      for (const [crmId, type] of [[priv, 'Private'], [led, 'PartnerLed']] as const) {
        const r = referralFor(world, crmId);
        assert.ok(r, `${type} deal reached Partner Center`);
        assert.equal(r.dealType, type);
        assert.deepEqual(contactsOf(r), [], 'no customer contact left the CRM');
        assert.equal(consentOf(r), false);
        assert.ok(!JSON.stringify(r).includes('casey.'), 'the contact appears nowhere in the referral');
        const view = await world.seller.read(crmId);
        assert.equal(view.syncState, 'synced');
        assert.match(view.syncMessage ?? '', /without the customer contact.*Consent to share contacts/);
      }
    });

    it('a co-sell deal with consent unticked is parked naming the field; ticking it sends the contact', async () => {
      const spec = dealSpec('Cosell no consent', { consent: false, helpType: 'technical-architecture', share: true });
      const crmId = await world.seller.createDeal(spec);
      await world.syncToQuiet();
      assert.equal(referralFor(world, crmId), undefined, 'nothing sent: Partner Center needs a contact for co-sell');
      const parked = await world.seller.read(crmId);
      assert.equal(parked.syncState, 'error');
      // The CRM's own label for the field (Salesforce "Consent to share contacts", Dynamics 365 "Consent To Share Contacts").
      assert.match(parked.syncMessage ?? '', /(^|; )Consent to share contacts: .*tick "Consent to share contacts"/i);
      assert.match(parked.syncMessage ?? '', /\[consent\.contact_required_for_help\]/);

      await world.seller.setConsent(crmId, true);
      await world.syncToQuiet();
      const r = referralFor(world, crmId);
      assert.ok(r, 'the deal reached Partner Center once consent was ticked');
      assert.equal(r.dealType, 'CoSell');
      assert.equal(consentOf(r), true);
      assert.deepEqual(contactsOf(r).map((m) => m.email), [spec.contact!.email]);
      assert.equal((await world.seller.read(crmId)).syncState, 'synced');
    });

    it('withdrawing consent removes the contact from the referral and the record says so; ticking it again sends it back', async () => {
      const spec = dealSpec('Consent withdrawn', { share: true });
      const crmId = await world.seller.createDeal(spec);
      await world.syncToQuiet();
      const referralId = referralFor(world, crmId)!.id;
      assert.deepEqual(contactsOf(referralFor(world, crmId)!).map((m) => m.email), [spec.contact!.email]);

      await world.seller.setConsent(crmId, false);
      await world.syncToQuiet();
      const withdrawn = world.set.partnerCenter.store.get(referralId)!;
      assert.deepEqual(contactsOf(withdrawn), [], 'the contact was removed from the referral');
      assert.equal(consentOf(withdrawn), false, "the CRM's withdrawal reached Partner Center");
      const view = await world.seller.read(crmId);
      assert.equal(view.consent, false, 'the withdrawal stands in the CRM');
      assert.equal(view.syncState, 'synced');
      assert.match(view.syncMessage ?? '', /removed from the referral/);
      assert.equal(view.contactEmail, spec.contact!.email, 'the CRM keeps its contact: Partner Center lacks it because consent keeps it back');
      assert.equal((await world.sync()).writes, 0, 'a further sync writes nothing');

      await world.seller.setConsent(crmId, true);
      await world.syncToQuiet();
      const again = world.set.partnerCenter.store.get(referralId)!;
      assert.deepEqual(contactsOf(again).map((m) => m.email), [spec.contact!.email]);
      assert.equal(consentOf(again), true);
      assert.equal((await world.seller.read(crmId)).syncMessage ?? '', '');
    });

    it('withdrawing consent on a co-sell deal parks it, naming the field: Partner Center needs the contact for co-sell', async () => {
      const crmId = await world.seller.createDeal(dealSpec('Cosell withdrawn', { helpType: 'proof-of-concept', share: true }));
      await world.syncToQuiet();
      const referralId = referralFor(world, crmId)!.id;
      await world.seller.setConsent(crmId, false);
      await world.syncToQuiet();
      const view = await world.seller.read(crmId);
      assert.equal(view.syncState, 'error');
      assert.match(view.syncMessage ?? '', /Consent to share contacts.*\[consent\.contact_required_for_help\]/);
      assert.equal(consentOf(world.set.partnerCenter.store.get(referralId)!), true, 'nothing was sent');
    });

    it("inbound referrals carry Partner Center's consent into the CRM", async () => {
      const given = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Inbound with consent' } }));
      const withheld = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Inbound without consent', consentToShareContacts: false, customerContact: undefined } }));
      await world.syncToQuiet();
      const [withId] = await world.seller.recordsForReferral(given.id);
      const [withoutId] = await world.seller.recordsForReferral(withheld.id);
      assert.equal((await world.seller.read(withId!)).consent, true);
      assert.equal((await world.seller.read(withoutId!)).consent, false);
    });
  });
}
