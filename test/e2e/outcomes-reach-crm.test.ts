/**
 * Issue 12, items 1–3: every outcome reaches the CRM record, not only Partner Center. A seller's decline
 * closes the opportunity; a referral that expired before its first sync arrives closed; the record's
 * "Partner Center status" field follows what Partner Center holds after every seller action. Both CRMs.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';
import { referralOf, unwrap } from './lifecycle.suite.js';

const DAY = 86_400_000;

async function quiet(world: World): Promise<void> {
  const reports = await world.syncToQuiet();
  const last = reports[reports.length - 1]!;
  assert.equal(last.writes, 0, `sync did not settle: ${JSON.stringify(reports.map((r) => r.counts))}`);
}

async function inbound(world: World, name: string): Promise<{ referralId: string; crmId: string }> {
  const sent = unwrap(world.microsoft.sendReferral({ deal: { dealName: name } }));
  await quiet(world);
  const [crmId] = await world.seller.recordsForReferral(sent.id);
  assert.ok(crmId, `no CRM record for ${sent.id}`);
  return { referralId: sent.id, crmId };
}

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) describe(`outcomes reach the CRM record (${kind}, end to end)`, function () {
  this.timeout(120_000);
  let world: World;
  beforeEach(async () => {
    world = await startWorld(kind);
  });
  afterEach(async () => world.close());

  it('item 1: a referral declined in the CRM closes the opportunity as lost and says Closed/Declined', async () => {
    const { referralId, crmId } = await inbound(world, 'Declined inbound');
    await world.seller.decline(crmId, 'chose-another-vendor');
    await quiet(world);
    const r = referralOf(world, referralId);
    assert.deepEqual([r.status, r.substatus], ['Closed', 'Declined']);
    const view = await world.seller.read(crmId);
    assert.equal(view.isClosed, true, 'the declined opportunity is closed');
    assert.equal(view.isWon, false);
    assert.equal(view.referralStatus, 'Closed/Declined');
    assert.equal(view.syncState, 'synced', view.syncMessage);
    assert.match(view.syncMessage ?? '', /declined/i, 'the record says why it is closed');
    const [deal] = await world.runtime.crm.getDeals([crmId]);
    assert.deepEqual([deal!.referral.status, deal!.referral.substatus], ['Closed', 'Declined']);
  });

  it('item 2: a referral that expired before its first sync arrives as a closed-lost opportunity that says it expired', async () => {
    const sent = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Expired unseen' } }));
    world.set.clock.advance(15 * DAY);
    world.set.partnerCenter.expireDue();
    assert.equal(referralOf(world, sent.id).substatus, 'Expired');
    await quiet(world);
    const [crmId] = await world.seller.recordsForReferral(sent.id);
    assert.ok(crmId);
    const view = await world.seller.read(crmId);
    assert.equal(view.isClosed, true, 'an expired referral is never an open opportunity');
    assert.equal(view.isWon, false);
    assert.equal(view.referralStatus, 'Closed/Expired');
    assert.equal(view.syncState, 'synced', view.syncMessage);
    assert.match(view.syncMessage ?? '', /expired/i);
    assert.doesNotMatch(view.syncMessage ?? '', /not sent/, 'nothing the seller did is refused');
    const [deal] = await world.runtime.crm.getDeals([crmId]);
    assert.deepEqual([deal!.referral.status, deal!.referral.substatus], ['Closed', 'Expired']);
  });

  it('an inbound team member the CRM cannot hold as a user (Microsoft\'s seller) stays on the deal in Partner Center', async () => {
    const { referralId, crmId } = await inbound(world, 'Team kept');
    assert.deepEqual((referralOf(world, referralId).team ?? []).map((m) => m.email), ['morgan@microsoft.example']);
    const [deal] = await world.runtime.crm.getDeals([crmId]);
    assert.deepEqual(deal!.referral.team.map((m) => m.email), ['morgan@microsoft.example']);
  });

  it('item 3: the Partner Center status field follows accept, lose and outbound creation', async () => {
    const { crmId } = await inbound(world, 'Accepted inbound');
    assert.equal((await world.seller.read(crmId)).referralStatus, 'New/Pending');
    await world.seller.accept(crmId);
    await quiet(world);
    assert.equal((await world.seller.read(crmId)).referralStatus, 'Active/Accepted');
    await world.seller.lose(crmId, 'budget-not-adequate');
    await quiet(world);
    assert.equal((await world.seller.read(crmId)).referralStatus, 'Closed/Lost');

    const outbound = await world.seller.createDeal(dealSpec('Outbound status'));
    await quiet(world);
    const referralId = (await world.seller.read(outbound)).referralId!;
    const r = referralOf(world, referralId);
    assert.equal((await world.seller.read(outbound)).referralStatus, `${r.status}/${r.substatus}`);
    await world.seller.win(outbound);
    await quiet(world);
    assert.equal(referralOf(world, referralId).substatus, 'Won');
    assert.equal((await world.seller.read(outbound)).referralStatus, 'Closed/Won');
  });
});
