/**
 * The same field (the help asked of Microsoft: shared, so the policy decides) changed in the CRM and in
 * Partner Center between two syncs, under each conflict policy, end to end on both CRMs.
 */
import { asyncStateStore } from '../../core/store/async-over-sync.js';
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import type { ConflictPolicy } from '../../core/engine/merge/three-way.js';
import { settleConflict } from '../../core/engine/settle-conflict.js';
import { OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';
import { referralOf, unwrap } from './lifecycle.suite.js';

const MINUTE = 60_000;

async function conflictingEdit(world: World, crmFirst: boolean): Promise<{ crmId: string; referralId: string }> {
  const crmId = await world.seller.createDeal(dealSpec('Policy deal', { share: true, helpType: 'proof-of-concept' }));
  await world.syncToQuiet();
  const referralId = (await world.seller.read(crmId)).referralId!;
  const pcEdit = () => unwrap(world.set.partnerCenter.service.change(OUR_PARTNER_ORG, referralId, (json) => ({ ok: true, value: { ...json, inviteContext: { ...json.inviteContext, assistanceRequestCode: 'QuotesOrLicensing' } } })));
  const crmEdit = () => world.seller.optIn(crmId, { helpType: 'technical-architecture' });
  world.set.clock.advance(MINUTE);
  if (crmFirst) await crmEdit();
  else pcEdit();
  world.set.clock.advance(MINUTE);
  if (crmFirst) pcEdit();
  else await crmEdit();
  return { crmId, referralId };
}

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) describe(`conflicting edits under each policy (${kind}, end to end)`, function () {
  this.timeout(120_000);
  const cases: [ConflictPolicy, boolean, string][] = [
    ['newest-wins', true, 'QuotesOrLicensing'],
    ['newest-wins', false, 'CustomerTechnicalArchitecture'],
    ['crm-wins', true, 'CustomerTechnicalArchitecture'],
    ['partner-center-wins', false, 'QuotesOrLicensing'],
  ];
  for (const [policy, crmFirst, winner] of cases) {
    it(`${policy}, ${crmFirst ? 'Partner Center' : 'the CRM'} edited last: both sides end with ${winner}`, async () => {
      const world = await startWorld(kind, { sync: { conflictPolicy: policy } });
      try {
        const { referralId } = await conflictingEdit(world, crmFirst);
        const reports = await world.syncToQuiet();
        assert.equal(reports[reports.length - 1]!.writes, 0);
        assert.equal(referralOf(world, referralId).inviteContext?.assistanceRequestCode, winner);
        const link = world.runtime.store.getLinkByReferralId(referralId)!;
        const deal = (await world.runtime.crm.getDeals([link.crmId]))[0]!;
        assert.equal(deal.referral.helpType, winner === 'QuotesOrLicensing' ? 'quotes-licensing' : 'technical-architecture');
      } finally {
        await world.close();
      }
    });
  }

  it('manual: the pair is parked for an admin, neither side changes, and the settled value then flows', async () => {
    const world = await startWorld(kind, { sync: { conflictPolicy: 'manual' } });
    try {
      const { crmId, referralId } = await conflictingEdit(world, true);
      await world.syncToQuiet();
      const [conflict] = world.runtime.store.listConflicts();
      assert.ok(conflict, 'a conflict is open');
      assert.deepEqual(conflict.fields, ['helpType']);
      assert.equal((await world.seller.read(crmId)).syncState, 'conflict');
      assert.equal(referralOf(world, referralId).inviteContext?.assistanceRequestCode, 'QuotesOrLicensing');
      // What `cosell conflicts resolve ID --take crm` does.
      const store = world.runtime.store;
      await settleConflict(asyncStateStore(store), conflict.id, 'crm', world.set.clock.iso());
      await world.syncToQuiet();
      assert.equal(referralOf(world, referralId).inviteContext?.assistanceRequestCode, 'CustomerTechnicalArchitecture');
      assert.equal((await world.seller.read(crmId)).syncState, 'synced');
      assert.equal(store.listConflicts().length, 0);
    } finally {
      await world.close();
    }
  });
});
