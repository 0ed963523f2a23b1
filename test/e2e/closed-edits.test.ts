/**
 * A seller edits a deal after Partner Center closed it (terminal states never change, so nothing more is
 * sent), seen as a seller sees it in each CRM: the record's sync state is `closed`, not "synced", with a
 * message naming the fields not sent, and Partner Center keeps its values; once the seller puts the
 * values back the record says "synced" again; every quiet sync writes nothing. Both CRMs, end to end
 * through the sandboxes. They used to say "synced" while the two disagreed, hidden from any filter.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { OUR_PARTNER_ORG } from '../../sandbox/partner-center/organizations.js';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';
import { referralOf, unwrap } from './lifecycle.suite.js';

const MINUTE = 60_000;

async function closedInPartnerCenter(world: World, name: string, closed: Record<string, string>): Promise<{ crmId: string; referralId: string }> {
  const crmId = await world.seller.createDeal(dealSpec(name, { share: true, stage: 'Qualified' }));
  await world.syncToQuiet();
  const referralId = (await world.seller.read(crmId)).referralId;
  assert.ok(referralId, `the outbound deal ${crmId} reached Partner Center`);
  world.set.clock.advance(MINUTE);
  unwrap(world.set.partnerCenter.service.change(OUR_PARTNER_ORG, referralId, (json) => ({ ok: true, value: { ...json, status: 'Closed', ...closed } })));
  await world.syncToQuiet();
  world.set.clock.advance(MINUTE);
  return { crmId, referralId };
}

async function assertQuiet(world: World, what: string): Promise<void> {
  const report = await world.sync();
  assert.equal(report.writes, 0, `${what}: a further sync writes nothing (${JSON.stringify(report.counts)})`);
}

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) describe(`CRM edits after Partner Center closed the deal (${kind}, end to end)`, function () {
  this.timeout(120_000);
  let world: World;
  beforeEach(async () => {
    world = await startWorld(kind);
  });
  afterEach(async () => world.close());

  it('a won deal edited in the CRM shows "closed" naming the fields, Partner Center unchanged; put back, it shows "synced"', async () => {
    const { crmId, referralId } = await closedInPartnerCenter(world, 'Won, then edited', { substatus: 'Won' });
    const closed = await world.seller.read(crmId);
    assert.equal(closed.syncState, 'synced', `a closed deal without CRM edits stays synced (${closed.syncMessage ?? ''})`);
    assert.equal(closed.isWon, true);
    await assertQuiet(world, 'closed, not edited');
    const pcBefore = referralOf(world, referralId);

    await world.seller.edit(crmId, { value: 99_000, notes: 'Customer asked for a second quote' });
    await world.syncToQuiet();
    const edited = await world.seller.read(crmId);
    assert.equal(edited.syncState, 'closed', edited.syncMessage);
    // A won Dynamics 365 opportunity's value is its Actual Revenue (connectors/dynamics/records.ts `wonValue`),
    // which the edit leaves as it was: of the two edits, only Description differs there.
    assert.match(edited.syncMessage ?? '', kind === 'salesforce' ? /^Closed in Partner Center, not sent: Amount, Description\. Won in Partner Center\./ : /^Closed in Partner Center, not sent: Description\. Won in Partner Center\./, `the fields by the CRM's own labels: ${edited.syncMessage}`);
    assert.deepEqual([edited.value, edited.notes], [99_000, 'Customer asked for a second quote'], 'the seller\'s edits stay on the record');
    const pcAfter = referralOf(world, referralId);
    assert.deepEqual([pcAfter.status, pcAfter.substatus, pcAfter.details?.dealValue, pcAfter.details?.notes, pcAfter.updatedAt], [pcBefore.status, pcBefore.substatus, pcBefore.details?.dealValue, pcBefore.details?.notes, pcBefore.updatedAt], 'Partner Center is not written');
    await assertQuiet(world, 'closed with CRM edits');

    world.set.clock.advance(MINUTE);
    await world.seller.edit(crmId, { value: closed.value, notes: closed.notes ?? '' });
    await world.syncToQuiet();
    const restored = await world.seller.read(crmId);
    assert.equal(restored.syncState, 'synced', restored.syncMessage);
    assert.doesNotMatch(restored.syncMessage ?? '', /not sent/);
    await assertQuiet(world, 'put back');
  });

  it('a lost deal whose close date the seller moves shows "closed" naming it, and the reason it was lost', async () => {
    const { crmId, referralId } = await closedInPartnerCenter(world, 'Lost, then edited', { substatus: 'Lost', statusReason: 'Customer chose another vendor' });
    const pcBefore = referralOf(world, referralId);
    await world.seller.edit(crmId, { closeDate: '2027-02-26' });
    await world.syncToQuiet();
    const edited = await world.seller.read(crmId);
    assert.equal(edited.syncState, 'closed', edited.syncMessage);
    assert.match(edited.syncMessage ?? '', new RegExp(`^Closed in Partner Center, not sent: ${kind === 'salesforce' ? 'Close Date' : 'Est\\. Close Date'}\\. Lost in Partner Center \\(Customer chose another vendor\\)\\.`));
    assert.equal(referralOf(world, referralId).details?.closingDateTime, pcBefore.details?.closingDateTime, 'Partner Center keeps its close date');
    await assertQuiet(world, 'lost with CRM edits');
  });
});
