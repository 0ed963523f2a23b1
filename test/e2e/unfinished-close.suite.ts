/**
 * A CRM opportunity left open while the status the connector last wrote on it says Closed, seen as a seller
 * sees it, end to end through the sandboxes, for either CRM. Two causes look alike on the record:
 * - the connector's own close never happened: until 2026-12-04 (4205772) a referral already closed when the
 *   connector first met it (an initial sync of past referrals, one declined or expired before the first run)
 *   was created as an open opportunity (Dynamics 365: status columns Closed; Salesforce: an open stage beside
 *   `Closed/…` in its status field); the link's base says Closed too. Such a record read as a seller's reopen:
 *   it said "closed, not sent" and stayed open for good (Dynamics 365 fixed 2026-12-06, Salesforce after);
 * - the seller reopened a deal that was closed: terminal states never change in Partner Center, so the
 *   record says the reopen is not sent and the opportunity stays open (the seller's choice).
 * `olderVersion` turns the closed opportunity this version creates into the one an older version left:
 * the CRM's own trace of a close (Dynamics 365's Opportunity Close activity, Salesforce's OpportunityHistory
 * row at a closed stage) taken away, the record open.
 */
import assert from 'node:assert/strict';
import { OUR_PARTNER_ORG } from '../../sandbox/partner-center/organizations.js';
import type { CrmKind, World } from '../../sandbox/world.js';
import { worldPerTest } from '../helpers/world-per-test.js';
import { referralOf, unwrap } from './lifecycle.suite.js';

export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

export interface UnfinishedCloseCase {
  kind: CrmKind;
  olderVersion(world: World, crmId: string): Promise<void>;
  /** The field a reopen is named by in the record's message. */
  reopenedField: RegExp;
}

/** An inbound referral that expired before the first sync, synced and then left open as an older version left it. */
export async function expiredLeftOpen(world: World, name: string, c: UnfinishedCloseCase): Promise<{ referralId: string; crmId: string }> {
  const sent = unwrap(world.microsoft.sendReferral({ deal: { dealName: name } }));
  world.set.clock.advance(15 * DAY);
  world.set.partnerCenter.expireDue();
  assert.equal(referralOf(world, sent.id).substatus, 'Expired');
  await world.syncToQuiet();
  const [crmId, ...others] = await world.seller.recordsForReferral(sent.id);
  assert.ok(crmId);
  assert.deepEqual(others, []);
  world.set.clock.advance(MINUTE);
  await c.olderVersion(world, crmId);
  assert.equal((await world.seller.read(crmId)).isClosed, false);
  assert.equal((await world.seller.read(crmId)).referralStatus, 'Closed/Expired', 'its status field says Closed');
  return { referralId: sent.id, crmId };
}

export function runUnfinishedCloseSuite(c: UnfinishedCloseCase, more: (world: () => World) => void = () => undefined): void {
  describe(`a ${c.kind} opportunity open while its stored status says Closed (end to end)`, function () {
    this.timeout(120_000);
    const each = worldPerTest(c.kind);

    it('an opportunity an older version created open for a referral already closed is closed now, and says synced', async () => {
      const { world } = each;
      const { referralId, crmId } = await expiredLeftOpen(world, 'Expired before the first sync', c);
      await world.syncToQuiet();
      assert.deepEqual(await world.seller.recordsForReferral(referralId), [crmId], 'one record, no duplicate');
      const view = await world.seller.read(crmId);
      assert.equal(view.isClosed, true, `the opportunity is closed as Partner Center closed it (${view.syncState}: ${view.syncMessage ?? ''})`);
      assert.equal(view.isWon, false);
      assert.equal(view.syncState, 'synced', view.syncMessage);
      assert.match(view.syncMessage ?? '', /^Expired in Partner Center/);
      const [deal] = await world.runtime.crm.getDeals([crmId]);
      assert.deepEqual([deal!.referral.status, deal!.referral.substatus], ['Closed', 'Expired'], 'read back as Partner Center has it');
      assert.equal((await world.sync()).writes, 0, 'a further sync writes nothing');
    });

    it('a deal the connector closed for Partner Center and the seller reopened stays open and says the reopen is not sent', async () => {
      const { world } = each;
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
      assert.match(view.syncMessage ?? '', new RegExp(`^Closed in Partner Center, not sent: [^.]*${c.reopenedField.source}`));
      assert.deepEqual([referralOf(world, sent.id).status, referralOf(world, sent.id).substatus], ['Closed', 'Declined'], 'Partner Center keeps its terminal state');
      assert.equal((await world.sync()).writes, 0, 'a further sync writes nothing');
    });

    more(() => each.world);
  });
}
