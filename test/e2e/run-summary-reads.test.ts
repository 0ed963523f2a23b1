/**
 * The run summary counts the opportunities a run read, both CRMs. A change picked up through the referral
 * reads its record to merge it (crm-read-ahead.ts); until 2026-12-06 only the CRM's feed pages were counted,
 * and the summary said "read 1 referrals and 0 opportunities" for a run that read and updated one (found
 * walking the README with an admin). A deal changed on both sides is read once and counted once.
 */
import assert from 'node:assert/strict';
import { describeRun } from '../../core/cli/run-report.js';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import type { CrmKind } from '../../sandbox/world.js';
import { worldPerTest } from '../helpers/world-per-test.js';
import { moveFeedPast, unwrap } from './lifecycle.suite.js';

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) describe(`the run summary's opportunities read (${kind}, end to end)`, function () {
  this.timeout(120_000);
  const each = worldPerTest(kind);

  async function linkedDeal(): Promise<{ crmId: string; referralId: string }> {
    const crmId = await each.world.seller.createDeal(dealSpec('Counted deal'));
    await each.world.syncToQuiet();
    const { referralId } = await each.world.seller.read(crmId);
    assert.ok(referralId);
    await moveFeedPast(each.world);
    return { crmId, referralId };
  }
  const renameInPartnerCenter = (referralId: string) =>
    unwrap(each.world.set.partnerCenter.service.change(OUR_PARTNER_ORG, referralId, (json) => ({ ok: true, value: { ...json, name: 'Renamed in Partner Center' } })));

  it('counts the record a Partner Center change was merged with', async () => {
    const { referralId } = await linkedDeal();
    renameInPartnerCenter(referralId);
    const run = await each.world.sync();
    assert.equal(run.counts.crmUpdated, 1, JSON.stringify(run.counts));
    assert.equal(run.counts.crmRead, 1, JSON.stringify(run.counts));
    assert.match(describeRun(run), /: read 1 referrals and 1 opportunities;/);
  });

  it('counts a deal changed on both sides once', async () => {
    const { crmId, referralId } = await linkedDeal();
    renameInPartnerCenter(referralId);
    await each.world.seller.edit(crmId, { notes: 'Edited in the CRM too' });
    const run = await each.world.sync();
    assert.equal(run.counts.crmRead, 1, JSON.stringify(run.counts));
  });
});
