/**
 * Issue 12, item 6: `cosell conflicts resolve ID --take partner-center` writes Partner Center's value to
 * the CRM (it printed "settled" and then nothing was written on Salesforce); a conflict whose sides come
 * to agree by themselves is closed. Both CRMs.
 */
import { asyncStateStore } from '../../core/store/async-over-sync.js';
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { settleConflict } from '../../core/engine/settle-conflict.js';
import { OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';
import { referralOf, unwrap } from './lifecycle.suite.js';

const MINUTE = 60_000;

/**
 * A deal whose help type the seller and Partner Center change differently between two syncs, under the
 * manual policy: its conflict is open when this returns.
 */
async function dealInConflict(world: World, name: string): Promise<{ crmId: string; referralId: string }> {
  const crmId = await world.seller.createDeal(dealSpec(name, { share: true, helpType: 'proof-of-concept' }));
  await world.syncToQuiet();
  const referralId = (await world.seller.read(crmId)).referralId!;
  world.set.clock.advance(MINUTE);
  await world.seller.optIn(crmId, { helpType: 'technical-architecture' });
  unwrap(world.set.partnerCenter.service.change(OUR_PARTNER_ORG, referralId, (json) => ({ ok: true, value: { ...json, inviteContext: { ...json.inviteContext, assistanceRequestCode: 'QuotesOrLicensing' } } })));
  await world.syncToQuiet();
  return { crmId, referralId };
}

/** Both sides hold Partner Center's help type, the record says synced, and a further sync writes nothing. */
async function agreeOnPartnerCenter(world: World, crmId: string, referralId: string): Promise<void> {
  const [deal] = await world.runtime.crm.getDeals([crmId]);
  assert.equal(deal!.referral.helpType, 'quotes-licensing');
  assert.equal(referralOf(world, referralId).inviteContext?.assistanceRequestCode, 'QuotesOrLicensing');
  assert.equal((await world.seller.read(crmId)).syncState, 'synced');
  assert.equal((await world.sync()).writes, 0);
}

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) describe(`settling a conflict for Partner Center (${kind}, end to end)`, function () {
  this.timeout(120_000);

  it('item 6: --take partner-center writes Partner Center\'s value onto the CRM record, and both sides then agree', async () => {
    const world = await startWorld(kind, { sync: { conflictPolicy: 'manual' } });
    try {
      const { crmId, referralId } = await dealInConflict(world, 'Take Partner Center');
      const [conflict] = world.runtime.store.listConflicts();
      assert.ok(conflict);
      assert.equal((await world.seller.read(crmId)).syncState, 'conflict');
      await settleConflict(asyncStateStore(world.runtime.store), conflict.id, 'partner-center', world.set.clock.iso());
      const reports = await world.syncToQuiet();
      assert.ok(reports.some((r) => r.writes > 0), 'settling writes the value to the CRM');
      await agreeOnPartnerCenter(world, crmId, referralId);
    } finally {
      await world.close();
    }
  });

  it('a seller who edits the field again while the conflict waits: the conflict shows the new value, and settling converges with no new conflict', async () => {
    const world = await startWorld(kind, { sync: { conflictPolicy: 'manual' } });
    try {
      const { crmId, referralId } = await dealInConflict(world, 'Edited again');
      const [first] = world.runtime.store.listConflicts();
      assert.equal(first?.crm.helpType, 'technical-architecture');

      world.set.clock.advance(MINUTE);
      await world.seller.optIn(crmId, { helpType: 'workload-value-proposition' });
      await world.syncToQuiet();
      const open = world.runtime.store.listConflicts();
      assert.deepEqual(open.map((c) => [c.id, c.crm.helpType, c.partnerCenter.helpType]), [[first!.id, 'workload-value-proposition', 'quotes-licensing']], 'the same conflict, showing the CRM as it is now');

      await settleConflict(asyncStateStore(world.runtime.store), first!.id, 'partner-center', world.set.clock.iso());
      await world.syncToQuiet();
      assert.deepEqual(world.runtime.store.listConflicts(), [], 'settling did not open the conflict again');
      await agreeOnPartnerCenter(world, crmId, referralId);
    } finally {
      await world.close();
    }
  });

  it('sides that come to agree without an admin close the conflict, and the next edit on one side flows (found by the model-based test)', async () => {
    const world = await startWorld(kind, { sync: { conflictPolicy: 'manual' } });
    try {
      const { crmId, referralId } = await dealInConflict(world, 'Agreed later');
      // The seller takes Partner Center's help type: nothing is left to settle.
      world.set.clock.advance(MINUTE);
      await world.seller.optIn(crmId, { helpType: 'quotes-licensing' });
      await world.syncToQuiet();
      assert.deepEqual(world.runtime.store.listConflicts(), [], 'nothing is left to settle');
      assert.equal(world.runtime.store.listConflicts({ includeResolved: true })[0]?.resolution, 'partner-center', "Partner Center's value stood");
      await agreeOnPartnerCenter(world, crmId, referralId);
      // A later edit on one side only is an edit, not the old conflict.
      world.set.clock.advance(MINUTE);
      await world.seller.optIn(crmId, { helpType: 'workload-value-proposition' });
      await world.syncToQuiet();
      assert.equal(referralOf(world, referralId).inviteContext?.assistanceRequestCode, 'WorkloadSpecificValueProposition');
      assert.equal((await world.seller.read(crmId)).syncState, 'synced');
    } finally {
      await world.close();
    }
  });
});
