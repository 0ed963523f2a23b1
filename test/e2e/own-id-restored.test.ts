/**
 * The CRM record's ID on our referral (`externalReferenceId`) is the connector's to write: a stale bulk CSV
 * export re-imported into Partner Center (its CRM ID column empty, or another record's ID) changed it, and
 * the next syncs left it so while the record said synced: an emptied ID read as "no opinion", another ID as
 * an edit of a CRM-owned field (found walking the bulk CSV import). The next sync now puts it back, both
 * CRMs, and the one after writes nothing.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import type { StoredReferral } from '../../sandbox/partner-center/store.js';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';
import { referralOf, unwrap } from './lifecycle.suite.js';

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) describe(`the CRM record ID changed in Partner Center (${kind}, end to end)`, function () {
  this.timeout(120_000);
  let world: World;
  beforeEach(async () => {
    world = await startWorld(kind);
  });
  afterEach(async () => world.close());

  const inPartnerCenter = (referralId: string, externalReferenceId: string | undefined) =>
    unwrap(world.set.partnerCenter.service.change(OUR_PARTNER_ORG, referralId, (json: StoredReferral) => {
      const next = { ...json } as StoredReferral & { externalReferenceId?: string };
      if (externalReferenceId === undefined) delete next.externalReferenceId;
      else next.externalReferenceId = externalReferenceId;
      return { ok: true, value: next };
    }));

  for (const [what, value] of [['emptied', undefined], ['another record\'s ID', 'OPP-FROM-AN-OLD-FILE']] as const) {
    it(`puts the record's ID back when it was ${what}, and the record says synced only then`, async () => {
      const crmId = await world.seller.createDeal(dealSpec(`Own ID ${what}`));
      await world.syncToQuiet();
      const referralId = (await world.seller.read(crmId)).referralId!;
      const ours = (referralOf(world, referralId) as { externalReferenceId?: string }).externalReferenceId;
      assert.ok(ours && ours.toLowerCase() === crmId.toLowerCase(), `Partner Center holds the record's ID (${ours})`);

      world.set.clock.advance(60_000);
      inPartnerCenter(referralId, value);
      await world.syncToQuiet();
      assert.equal((referralOf(world, referralId) as { externalReferenceId?: string }).externalReferenceId, ours);
      const record = await world.seller.read(crmId);
      assert.equal(record.syncState, 'synced', record.syncMessage);
      assert.equal((await world.sync()).writes, 0, 'a further sync writes nothing');
    });
  }
});
