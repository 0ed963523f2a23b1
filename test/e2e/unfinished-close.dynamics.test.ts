/**
 * A Dynamics 365 opportunity left open while the status the connector last wrote on it says Closed, seen
 * as a seller sees it, end to end through the sandboxes. Two causes look alike on the record:
 * - the connector's own close never happened: until 2026-12-04 (4205772) a referral already closed when the
 *   connector first met it (an initial sync of past referrals, one declined or expired before the first run)
 *   was created as an open opportunity whose status columns said Closed; the link's base says Closed too.
 *   Since 2026-12-06 (8009d59) such a record read as a seller's reopen: it said "closed, not sent: Status"
 *   and stayed open for good;
 * - the seller reopened a deal that was closed: terminal states never change in Partner Center, so the
 *   record says the reopen is not sent and the opportunity stays open (the seller's choice).
 * Dataverse creates an Opportunity Close activity whenever an opportunity is closed ("Activity that is
 * created automatically when an opportunity is closed", opportunityclose table reference), so only the
 * second has one.
 */
import assert from 'node:assert/strict';
import { OUR_PARTNER_ORG } from '../../sandbox/partner-center/organizations.js';
import { startWorld, type World } from '../../sandbox/world.js';
import { webApi } from '../helpers/dataverse-web-api.js';
import { referralOf, unwrap } from './lifecycle.suite.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * The opportunity as a connector before 2026-12-04 left it: never closed (open, no Opportunity Close
 * activity) while its status columns say Closed. Made here from the closed one this version creates, with
 * the Web API calls that undo the close (the activity deleted, the row set Open).
 */
async function asAnOlderVersionLeftIt(world: World, crmId: string): Promise<void> {
  const closes = [...world.set.dataverse.store.table('opportunityclose')!.rows.entries()].filter(([, row]) => row._opportunityid_value === crmId);
  assert.equal(closes.length, 1, 'this version created the opportunity closed');
  await webApi(world, 'DELETE', `opportunitycloses(${closes[0]![0]})`);
  await webApi(world, 'PATCH', `opportunities(${crmId})`, { statecode: 0, statuscode: 1 });
}

describe('a Dynamics 365 opportunity open while its stored status says Closed (end to end)', function () {
  this.timeout(120_000);
  let world: World;
  beforeEach(async () => {
    world = await startWorld('dynamics');
  });
  afterEach(async () => world.close());

  it("an opportunity an older version created open for a referral already closed is closed now, and says synced", async () => {
    const sent = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Expired before the first sync' } }));
    world.set.clock.advance(15 * DAY);
    world.set.partnerCenter.expireDue();
    assert.equal(referralOf(world, sent.id).substatus, 'Expired');
    await world.syncToQuiet();
    const [crmId, ...others] = await world.seller.recordsForReferral(sent.id);
    assert.ok(crmId);
    assert.deepEqual(others, []);
    world.set.clock.advance(MINUTE);
    await asAnOlderVersionLeftIt(world, crmId);
    assert.equal((await world.seller.read(crmId)).isClosed, false);
    assert.equal((await world.seller.read(crmId)).referralStatus, 'Closed/Expired', 'its status columns say Closed');

    await world.syncToQuiet();
    assert.deepEqual(await world.seller.recordsForReferral(sent.id), [crmId], 'one record, no duplicate');
    const view = await world.seller.read(crmId);
    assert.equal(view.isClosed, true, `the opportunity is closed as Partner Center closed it (${view.syncState}: ${view.syncMessage ?? ''})`);
    assert.equal(view.isWon, false);
    assert.equal(view.syncState, 'synced', view.syncMessage);
    assert.match(view.syncMessage ?? '', /^Expired in Partner Center/);
    const [deal] = await world.runtime.crm.getDeals([crmId]);
    assert.deepEqual([deal!.referral.status, deal!.referral.substatus], ['Closed', 'Expired'], 'read back as Partner Center has it');
    assert.equal((await world.sync()).writes, 0, 'a further sync writes nothing');
  });

  it('without the privilege to read activities, such a record stays as it reads (a reopen, not sent) and the sync goes on', async () => {
    const sent = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Expired, activities not readable' } }));
    world.set.clock.advance(15 * DAY);
    world.set.partnerCenter.expireDue();
    await world.syncToQuiet();
    const [crmId] = await world.seller.recordsForReferral(sent.id);
    world.set.clock.advance(MINUTE);
    await asAnOlderVersionLeftIt(world, crmId!);
    world.set.dataverse.store.privileges.delete('prvReadActivity');

    const reports = await world.syncToQuiet();
    assert.deepEqual(reports.map((r) => r.outcome), reports.map(() => 'ok'), 'every run ends well');
    const view = await world.seller.read(crmId!);
    assert.equal(view.isClosed, false, 'nothing says the close is the connector\'s: the record is left open');
    assert.equal(view.syncState, 'closed', view.syncMessage);
  });

  it('a deal the connector closed for Partner Center and the seller reopened stays open and says the reopen is not sent', async () => {
    const sent = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Closed by the connector, reopened' } }));
    await world.syncToQuiet();
    const [crmId] = await world.seller.recordsForReferral(sent.id);
    world.set.clock.advance(MINUTE);
    unwrap(world.set.partnerCenter.service.change(OUR_PARTNER_ORG, sent.id, (json) => ({ ok: true, value: { ...json, status: 'Closed', substatus: 'Declined', statusReason: 'Customer chose another vendor' } })));
    await world.syncToQuiet();
    assert.equal((await world.seller.read(crmId!)).isClosed, true, 'the connector closed it');
    world.set.clock.advance(MINUTE);

    await world.seller.reopen(crmId!);
    await world.syncToQuiet();
    const view = await world.seller.read(crmId!);
    assert.equal(view.isClosed, false, "the seller's reopen stands");
    assert.equal(view.syncState, 'closed', view.syncMessage);
    assert.match(view.syncMessage ?? '', /^Closed in Partner Center, not sent: [^.]*Status/);
    assert.deepEqual([referralOf(world, sent.id).status, referralOf(world, sent.id).substatus], ['Closed', 'Declined'], 'Partner Center keeps its terminal state');
    assert.equal((await world.sync()).writes, 0, 'a further sync writes nothing');
  });
});
