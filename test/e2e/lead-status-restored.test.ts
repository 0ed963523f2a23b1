/**
 * A lead the connector created for a lead referral (sync.leadsAsCrmLeads) carries the connector's status
 * fields, as an opportunity does: a seller (or a CRM workflow) who sets its sync state to "error", types a
 * message or clears Partner Center's status has the truth written back by the next sync, and nothing of it
 * reaches Partner Center. Until 2026-12-06 the lead read every run did not read those fields, and such an
 * edit stood for ever (both CRMs), while an opportunity's was put right.
 */
import assert from 'node:assert/strict';
import type { CrmKind } from '../../sandbox/world.js';
import { worldPerTest } from '../helpers/world-per-test.js';
import { editLeadStatusAsSeller } from './lead-status-edit.js';
import { leadFor } from './leads-kept-current.suite.js';
import { referralOf } from './lifecycle.suite.js';

const MINUTE = 60_000;

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) describe(`the connector's status fields edited on a lead (${kind}, end to end)`, function () {
  this.timeout(120_000);
  const each = worldPerTest(kind, { sync: { leadsAsCrmLeads: true } });

  it('a synced lead set to error with a typed message says synced again; nothing reaches Partner Center', async () => {
    const { world } = each;
    const { referralId, leadId } = await leadFor(world, 'Lead typed over');
    const before = await world.seller.readLead(leadId);
    assert.equal(before.syncState, 'synced');
    const pcBefore = JSON.stringify(referralOf(world, referralId));

    world.set.clock.advance(MINUTE);
    await editLeadStatusAsSeller(world, leadId);
    const reports = await world.syncToQuiet();

    const after = await world.seller.readLead(leadId);
    assert.equal(after.syncState, 'synced', 'the lead says synced again');
    assert.equal(after.syncMessage ?? '', before.syncMessage ?? '');
    assert.equal(after.referralStatus, before.referralStatus, "Partner Center's status is shown again");
    assert.equal(after.answerBy, before.answerBy);
    assert.equal(JSON.stringify(referralOf(world, referralId)), pcBefore, 'the status fields are not a seller edit to send');
    assert.ok(reports[0]!.writes > 0, 'the first sync after the edit puts the status back');
    assert.equal(reports.at(-1)!.writes, 0, 'and the next writes nothing');
  });
});
