/**
 * A partner invitation the seller deletes in the CRM (Salesforce `Cosell_Partner_Invitation__c` row, Dynamics
 * 365 invitation row, or the invite-partner field emptied). Partner Center cannot withdraw an invitation: its
 * PATCH takes only `replace` and `add` (partner-center-api.md §1.6) and the inviter cannot change an
 * invitation once made (§1.11, seed "Partner to Partner (P2P) deal"). So the partner stays invited, and the
 * seller is told so on the record, naming the partner and the rule, once: quiet syncs write nothing more, and
 * the note goes with the record's next change. Until 2026-12-06 the deletion was ignored under *synced*.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { OTHER_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import { startWorld, type CrmKind } from '../../sandbox/world.js';
import { referralOf } from './lifecycle.suite.js';

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) describe(`A partner invitation deleted in the CRM (${kind}, end to end)`, function () {
  this.timeout(120_000);

  for (const how of ['row', 'invite-partner field'] as const) it(`(${how}) stays in Partner Center, and the record says why, naming the partner and the rule, until its next change`, async () => {
    const world = await startWorld(kind);
    try {
      const crmId = await world.seller.createDeal(dealSpec('Invitation deleted'));
      await world.syncToQuiet();
      const { referralId } = await world.seller.read(crmId);
      if (how === 'row') {
        await world.seller.requestInvitation(crmId, { partnerId: OTHER_PARTNER_ORG, closeDate: '2027-01-15', value: 5_000, currency: 'USD', notes: 'Help', teamEmails: [], solutionIds: [], helpNeeded: 'Delivery' });
      } else {
        await world.seller.invitePartner(crmId, OTHER_PARTNER_ORG);
      }
      await world.syncToQuiet();
      assert.deepEqual(referralOf(world, referralId!).partnerInvitations?.map((i) => i.organizationId), [OTHER_PARTNER_ORG]);

      world.set.clock.advance(60_000);
      await world.seller.deleteInvitation(crmId, OTHER_PARTNER_ORG);
      const reports = await world.syncToQuiet();
      assert.deepEqual(referralOf(world, referralId!).partnerInvitations?.map((i) => i.organizationId), [OTHER_PARTNER_ORG], 'Partner Center keeps the invitation');
      const told = await world.seller.read(crmId);
      assert.equal(told.syncState, 'synced');
      assert.match(told.syncMessage ?? '', new RegExp(`${OTHER_PARTNER_ORG}.*stays in Partner Center`), told.syncMessage);
      assert.match(told.syncMessage ?? '', /\[invitation\.cannot_withdraw\]/);
      assert.equal(reports.at(-1)!.writes, 0, 'the last sync writes nothing');
      assert.equal((await world.sync()).writes, 0, 'the note is written once, not again on every sync');
      assert.match((await world.seller.read(crmId)).syncMessage ?? '', /invitation\.cannot_withdraw/, 'the note stays while nothing else changes');

      world.set.clock.advance(60_000);
      await world.seller.edit(crmId, { notes: 'Seen: the partner stays invited' });
      await world.syncToQuiet();
      const later = await world.seller.read(crmId);
      assert.equal(later.syncState, 'synced');
      assert.doesNotMatch(later.syncMessage ?? '', /invitation\.cannot_withdraw/, 'the note goes with the next change');
      assert.equal((await world.sync()).writes, 0);
    } finally {
      await world.close();
    }
  });
});
