/**
 * A seller edits, on the record, a field only Partner Center writes: Microsoft's status (read-only for
 * partners, CSV page "Microsoft Referral Status"), the referral ID or the engagement ID (set by Partner
 * Center at creation). Nothing is sent; Partner Center's value goes back onto the record, and the record
 * says so, naming the field, the value not sent and the rule, once. Until 2026-12-06 only a changed
 * location said why; these went back under a bare *synced* (both CRMs).
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { startWorld, type CrmKind } from '../../sandbox/world.js';
import { F } from '../../mappings/custom-fields.salesforce.js';
import { webApi } from '../helpers/dataverse-web-api.js';
import { referralOf } from './lifecycle.suite.js';

const EDITS = [
  { what: "Microsoft's status", salesforce: F.microsoftStatus, dynamics: 'cosell_microsoftstatus', value: 'Accepted', rule: 'microsoft.read_only' },
  { what: 'the engagement ID', salesforce: F.engagementId, dynamics: 'cosell_engagementid', value: 'aaaaaaaa-0000-4000-8000-000000000001', rule: 'identity.immutable' },
  { what: 'the referral ID', salesforce: F.referralId, dynamics: 'cosell_referralid', value: 'aaaaaaaa-0000-4000-8000-000000000002', rule: 'identity.immutable' },
] as const;

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) describe(`A field only Partner Center writes, edited on the record (${kind}, end to end)`, function () {
  this.timeout(120_000);

  for (const edit of EDITS) it(`${edit.what}: put back, and the record names the field, the value not sent and the rule [${edit.rule}]`, async () => {
    const world = await startWorld(kind);
    try {
      const crmId = await world.seller.createDeal(dealSpec('Partner Center fields', { helpType: 'proof-of-concept', share: true }));
      await world.syncToQuiet();
      const before = await world.seller.read(crmId);
      const referralId = before.referralId!;
      const pcBefore = JSON.stringify(referralOf(world, referralId));

      world.set.clock.advance(60_000);
      if (kind === 'salesforce') world.set.salesforce.seller.editOpportunity(crmId, { [edit.salesforce]: edit.value });
      else await webApi(world, 'PATCH', `opportunities(${crmId})`, { [edit.dynamics]: edit.value });
      const reports = await world.syncToQuiet();

      const after = await world.seller.read(crmId);
      assert.equal(after.microsoftStatus, before.microsoftStatus);
      assert.equal(after.referralId, referralId, 'the record shows Partner Center\'s values again');
      assert.equal(after.syncState, 'synced');
      assert.match(after.syncMessage ?? '', new RegExp(`${edit.value} was not sent and shows Partner Center's again: .*\\[${edit.rule.replace('.', '\\.')}\\]`), after.syncMessage);
      assert.equal(JSON.stringify(referralOf(world, referralId)), pcBefore, 'nothing was sent to Partner Center');
      assert.equal(reports.at(-1)!.writes, 0, 'the last sync writes nothing');

      world.set.clock.advance(60_000);
      await world.seller.edit(crmId, { notes: 'A later edit' });
      await world.syncToQuiet();
      assert.doesNotMatch((await world.seller.read(crmId)).syncMessage ?? '', /was not sent/, 'the note goes with the next change');
    } finally {
      await world.close();
    }
  });
});
