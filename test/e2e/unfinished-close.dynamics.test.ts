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
import type { World } from '../../sandbox/world.js';
import { webApi } from '../helpers/dataverse-web-api.js';
import { expiredLeftOpen, runUnfinishedCloseSuite, type UnfinishedCloseCase } from './unfinished-close.suite.js';

/**
 * The opportunity as a connector before 2026-12-04 left it: never closed (open, no Opportunity Close
 * activity) while its status columns say Closed. Made here from the closed one this version creates, with
 * the Web API calls that undo the close (the activity deleted, the row set Open).
 */
async function olderVersion(world: World, crmId: string): Promise<void> {
  const closes = [...world.set.dataverse.store.table('opportunityclose')!.rows.entries()].filter(([, row]) => row._opportunityid_value === crmId);
  assert.equal(closes.length, 1, 'this version created the opportunity closed');
  await webApi(world, 'DELETE', `opportunitycloses(${closes[0]![0]})`);
  await webApi(world, 'PATCH', `opportunities(${crmId})`, { statecode: 0, statuscode: 1 });
}

const DYNAMICS: UnfinishedCloseCase = { kind: 'dynamics', olderVersion, reopenedField: /Status/ };

runUnfinishedCloseSuite(DYNAMICS, (world) => {
  it('without the privilege to read activities, such a record stays as it reads (a reopen, not sent) and the sync goes on', async () => {
    const { crmId } = await expiredLeftOpen(world(), 'Expired, activities not readable', DYNAMICS);
    world().set.dataverse.store.privileges.delete('prvReadActivity');

    const reports = await world().syncToQuiet();
    assert.deepEqual(reports.map((r) => r.outcome), reports.map(() => 'ok'), 'every run ends well');
    const view = await world().seller.read(crmId);
    assert.equal(view.isClosed, false, 'nothing says the close is the connector\'s: the record is left open');
    assert.equal(view.syncState, 'closed', view.syncMessage);
  });
});
