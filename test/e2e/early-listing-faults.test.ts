/**
 * The CRM's feed opened early (core/engine/crm-listing.ts, issue 13) when the run goes wrong, both CRMs
 * (tests written in review of that change; both failed on it):
 *
 * 1. Dynamics, delta token past its life: the watermark fallback read its first page in full when the
 *    listing was opened (start of the Partner Center phase), and the CRM phase decided that page after the
 *    Partner Center phase's update of the same deal was written (with the run's creates). The listed
 *    content predated our write: it was taken for a seller's edit and Partner Center's change sent back.
 * 2. Salesforce: the opportunity created for a new inbound referral was read by ID after the listing's last
 *    page (the anchor). A run that failed (or stopped) on that read had committed the anchor already; the
 *    next window left our own create out, so the CRM ID never reached Partner Center.
 */
import assert from 'node:assert/strict';
import { linkedWorld } from '../helpers/linked-world.js';
import { ok } from '../../sandbox/partner-center/failures.js';
import { OUR_PARTNER_ORG } from '../../sandbox/partner-center/index.js';
import type { CrmKind, World } from '../../sandbox/world.js';

const DEALS = 20;
const DAY = 86_400_000;

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) {
  describe(`the CRM feed opened early, after a pause past the delta token's life (${kind})`, function () {
    this.timeout(240_000);
    let world: World;
    const openLinks = () => world.runtime.store.listLinks({ limit: DEALS + 10 }).filter((l) => l.base.status !== 'Closed');
    const referralOf = (referralId: string) => world.set.partnerCenter.store.get(referralId);

    beforeEach(async () => {
      world = await linkedWorld(kind, DEALS);
    });
    afterEach(async () => world?.close());

    it("keeps Partner Center's change of a deal changed on both sides after a pause past the delta token's life", async () => {
      world.set.clock.advance(8 * DAY);
      const [deal] = openLinks();
      const changed = world.set.partnerCenter.service.change(OUR_PARTNER_ORG, deal!.referralId, (json) => ok({ ...json, details: { ...json.details, dealValue: 424_242 } }));
      assert.equal(changed.ok, true, JSON.stringify(changed));
      await world.seller.edit(deal!.crmId, { notes: 'Seller note' });
      // A new inbound referral: its create is written before the CRM phase, with the update above.
      const sent = world.microsoft.sendReferral({ deal: { dealName: 'Inbound after the pause' } });
      assert.ok(sent.ok, JSON.stringify(sent));

      const first = await world.sync();
      const [afterFirst] = await world.runtime.crm.getDeals([deal!.crmId]);
      // After the run the link says synced: both sides must then hold Partner Center's value.
      assert.equal(world.runtime.store.getLinkByCrmId(deal!.crmId)?.lastStatus?.state, 'synced');
      assert.equal(afterFirst?.referral.value, 424_242, "the CRM's value after the run");
      assert.equal(referralOf(deal!.referralId)?.details?.dealValue, 424_242, "Partner Center's value after the run (its own change, sent back as a seller's edit)");
      const runs = [first, ...(await world.syncToQuiet())];
      assert.equal(runs.at(-1)!.outcome, 'ok');
      const [crmDeal] = await world.runtime.crm.getDeals([deal!.crmId]);
      assert.equal(referralOf(deal!.referralId)?.details?.notes, 'Seller note', "Partner Center's notes");
      assert.equal(crmDeal?.referral.value, 424_242, "the CRM's value");
      assert.equal(referralOf(deal!.referralId)?.details?.dealValue, 424_242, "Partner Center's value");
    });
  });
}

/**
 * Salesforce's sandbox answers with the wall clock in its Date header (sandbox/salesforce/index.ts passes no
 * clock to `listen`), so this test leaves the sandbox clock on the wall clock and lets a real second pass
 * after the create: the anchor's `ownThrough` then lies after the created opportunity's SystemModstamp, as
 * it does against a live org, where the rest of the run takes far longer than a second.
 */
for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) {
  describe(`the CRM feed opened early, in a run that fails reading what it created (${kind})`, function () {
    this.timeout(240_000);
    let world: World;
    const referralOf = (referralId: string) => world.set.partnerCenter.store.get(referralId);

    beforeEach(async () => {
      world = await linkedWorld(kind, DEALS, { pastMargins: false });
    });
    afterEach(async () => world?.close());

    it('sends the CRM ID of an opportunity made for an inbound referral to Partner Center', async () => {
      const [changed] = world.runtime.store.listLinks({ limit: DEALS + 10 }).filter((l) => l.base.status !== 'Closed');
      const edit = world.set.partnerCenter.service.change(OUR_PARTNER_ORG, changed!.referralId, (json) => ok({ ...json, details: { ...json.details, notes: 'Notes from Partner Center' } }));
      assert.equal(edit.ok, true, JSON.stringify(edit));
      const sent = world.microsoft.sendReferral({ deal: { dealName: 'Inbound, read after the listing' } });
      assert.ok(sent.ok, JSON.stringify(sent));
      const referralId = sent.value.id;

      const crm = world.runtime.crm;
      const write = crm.write.bind(crm);
      crm.write = async (writes) => {
        const results = await write(writes);
        if (writes.some((w) => w.kind === 'create')) await new Promise((resolve) => setTimeout(resolve, 1_100));
        return results;
      };
      // The CRM fails the one read of the opportunities this run created (a transient outage after the
      // adapter's retries): the run fails there, after the listing's last page.
      const existing = new Set(world.runtime.store.listLinks({ limit: DEALS + 10 }).map((l) => l.crmId));
      const getDeals = crm.getDeals.bind(crm);
      let failed = false;
      crm.getDeals = async (ids) => {
        if (!failed && ids.length > 0 && ids.every((id) => !existing.has(id))) {
          failed = true;
          throw new Error('CRM unavailable (injected)');
        }
        return getDeals(ids);
      };
      const run = await world.sync();
      crm.getDeals = getDeals;
      crm.write = write;
      assert.equal(failed, true, 'the created opportunity was read by ID after the listing');
      assert.equal(run.outcome, 'failed');

      const runs = await world.syncToQuiet();
      assert.equal(runs.at(-1)!.outcome, 'ok');
      const link = world.runtime.store.listLinks({ limit: DEALS + 10 }).find((l) => l.referralId === referralId);
      assert.ok(link, 'the new referral is linked');
      assert.equal(referralOf(referralId)?.externalReferenceId, link.crmId, `Partner Center holds the opportunity's CRM ID (runs after the failure: ${JSON.stringify(runs.map((r) => r.counts))})`);
    });
  });
}

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) {
  describe(`the CRM feed that cannot be opened early (${kind})`, function () {
    this.timeout(240_000);
    let world: World;

    beforeEach(async () => {
      world = await linkedWorld(kind, DEALS);
    });
    afterEach(async () => world?.close());

    it("still syncs both sides in the run: the feed's first call is made again for the CRM phase", async () => {
      const [pcSide, crmSide] = world.runtime.store.listLinks({ limit: DEALS + 10 }).filter((l) => l.base.status !== 'Closed');
      const changed = world.set.partnerCenter.service.change(OUR_PARTNER_ORG, pcSide!.referralId, (json) => ok({ ...json, details: { ...json.details, notes: 'Notes from Partner Center' } }));
      assert.equal(changed.ok, true, JSON.stringify(changed));
      await world.seller.edit(crmSide!.crmId, { notes: 'Seller note' });
      const crm = world.runtime.crm;
      const openChanges = crm.openChanges!.bind(crm);
      let refused = 0;
      crm.openChanges = async () => {
        refused += 1;
        throw new Error('the first call was refused (injected)');
      };
      const run = await world.sync();
      crm.openChanges = openChanges;
      assert.equal(refused, 1, 'the run tried to open the feed early once');
      assert.equal(run.outcome, 'ok', JSON.stringify(run));
      const [pcDeal] = await crm.getDeals([pcSide!.crmId]);
      assert.equal(pcDeal?.referral.notes, 'Notes from Partner Center');
      assert.equal(world.set.partnerCenter.store.get(crmSide!.referralId)?.details?.notes, 'Seller note');
    });
  });
}
