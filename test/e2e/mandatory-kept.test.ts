/**
 * What Partner Center requires on every create and update row of the bulk CSV (seed: "Customer Name",
 * "Customer Address Line 1", "Customer City", "Customer Country", "Team member 1" and "Solution 1" are
 * mandatory) cannot be emptied from the CRM: rules update.customer.required, update.team.required and
 * update.solution.required park the record with the reason, and Partner Center keeps what it had.
 *
 * Found walking Dynamics 365 on 2026-12-06: a seller deleted a synced deal's only solution row, and the next
 * sync sent Partner Center an empty solution list while the record said "synced" (the CSV import refuses
 * the same change; `cosell link` of a record without team rows did the same to the referral's team). An
 * emptied account city read as "no opinion": Partner Center kept the old city, `cosell explain` said
 * "unchanged" with the CRM showing none, and the record said synced. An optional account field (State)
 * emptied in the CRM is now emptied in Partner Center too.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import type { CrmKind, World } from '../../sandbox/world.js';
import { worldPerTest } from '../helpers/world-per-test.js';
import { referralOf } from './lifecycle.suite.js';

const MINUTE = 60_000;

for (const kind of ['dynamics', 'salesforce'] as CrmKind[]) describe(`mandatory values kept, optional ones emptied (${kind}, end to end)`, function () {
  this.timeout(120_000);
  const current = worldPerTest(kind);
  const w = (): World => current.world;

  /** A deal synced to Partner Center, then the seller's edit a minute later, synced until quiet. */
  async function editSynced(name: string, edit: (crmId: string) => Promise<void>): Promise<{ crmId: string; referralId: string }> {
    const crmId = await w().seller.createDeal(dealSpec(name));
    await w().syncToQuiet();
    const referralId = (await w().seller.read(crmId)).referralId!;
    assert.ok(referralId, 'the deal reached Partner Center');
    w().set.clock.advance(MINUTE);
    await edit(crmId);
    await w().syncToQuiet();
    return { crmId, referralId };
  }

  async function assertParked(crmId: string, ...patterns: RegExp[]): Promise<void> {
    const record = await w().seller.read(crmId);
    assert.equal(record.syncState, 'error', record.syncMessage);
    for (const pattern of patterns) assert.match(record.syncMessage ?? '', pattern);
  }

  it('the last solution removed: parked, Partner Center keeps it, and a new solution syncs', async () => {
    const { crmId, referralId } = await editSynced('Last solution deal', (id) => w().seller.removeSolution(id, 'SOL-1234-PQRS'));
    const solutions = () => (referralOf(w(), referralId).details?.requirements?.solutions ?? []).map((s) => s.id);
    assert.deepEqual(solutions(), ['SOL-1234-PQRS'], 'Partner Center keeps its last solution');
    await assertParked(crmId, /update\.solution\.required/, /SOL-1234-PQRS/);

    w().set.clock.advance(MINUTE);
    await w().seller.addSolution(crmId, { id: 'SOL-5678-WXYZ', kind: 'own' });
    await w().syncToQuiet();
    assert.deepEqual(solutions(), ['SOL-5678-WXYZ']);
    assert.equal((await w().seller.read(crmId)).syncState, 'synced');
  });

  it('the last team member removed: parked, and Partner Center keeps its team', async () => {
    const { crmId, referralId } = await editSynced('Last member deal', (id) => w().seller.removeTeamMember(id, 'sam.seller@partner.example'));
    assert.deepEqual((referralOf(w(), referralId).team ?? []).map((m) => m.email), ['sam.seller@partner.example']);
    await assertParked(crmId, /update\.team\.required/);
  });

  it('an emptied account city: parked, Partner Center keeps its city, and a new city syncs', async () => {
    const { crmId, referralId } = await editSynced('Emptied city deal', (id) => w().seller.editAccount(id, { city: '' }));
    assert.equal(referralOf(w(), referralId).customerProfile?.address?.city, 'Seattle');
    await assertParked(crmId, /update\.customer\.required/, /Seattle/);

    w().set.clock.advance(MINUTE);
    await w().seller.editAccount(crmId, { city: 'Tacoma' });
    await w().syncToQuiet();
    assert.equal(referralOf(w(), referralId).customerProfile?.address?.city, 'Tacoma');
    assert.equal((await w().seller.read(crmId)).syncState, 'synced');
  });

  it('an emptied account state (optional) is emptied in Partner Center, and the pair goes quiet', async () => {
    const { crmId, referralId } = await editSynced('Emptied state deal', (id) => w().seller.editAccount(id, { state: '' }));
    const state = referralOf(w(), referralId).customerProfile?.address?.state;
    assert.ok(!state, `Partner Center's state is emptied, not "${state}"`);
    assert.equal((await w().seller.read(crmId)).syncState, 'synced');
    assert.equal((await w().sync()).writes, 0, 'a further sync writes nothing');
  });
});
