/**
 * A solution assessment deal worked through its own sales stages in the CRM (an assessment sales process
 * in Salesforce, an assessment business process flow in Dynamics 365): each assessment stage reaches
 * Partner Center as the standard stage it is carried as (mappings/assessment-stages.ts, UNVERIFIED), a
 * skipped stage is parked naming assessment.stages_in_order, and Won follows the last one. Both CRMs.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { salesStageToApi } from '../../core/model/sales-stage.js';
import { ASSESSMENT_STAGE_TABLE } from '../../mappings/assessment-stages.js';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';
import { referralOf, unwrap } from './lifecycle.suite.js';
import { OUR_PARTNER_ORG } from '../../sandbox/partner-center/organizations.js';

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) {
  describe(`solution assessment stages from the CRM (${kind}, end to end)`, function () {
    this.timeout(120_000);
    let world: World;
    beforeEach(async () => {
      world = await startWorld(kind);
    });
    afterEach(async () => world.close());

    it('carries each assessment stage to Partner Center in order, parks a skipped one, then wins', async () => {
      const crmId = await world.seller.createDeal(dealSpec('Assessment through its stages', { share: true, solutions: [{ id: 'SOL-ASSESS-AZMIG', kind: 'assessment', assessmentLocation: 'US' }] }));
      await world.syncToQuiet();
      const referralId = (await world.seller.read(crmId)).referralId!;
      assert.ok(referralId, 'the assessment deal was created');

      await world.seller.setCrmStage(crmId, ASSESSMENT_STAGE_TABLE[1]!.crmStage); // skips the first stage
      await world.syncToQuiet();
      const skipped = await world.seller.read(crmId);
      assert.equal(skipped.syncState, 'error');
      assert.match(skipped.syncMessage ?? '', /assessment\.stages_in_order/);
      assert.equal(referralOf(world, referralId).salesStage ?? undefined, undefined, 'nothing was sent');

      for (const row of ASSESSMENT_STAGE_TABLE) {
        await world.seller.setCrmStage(crmId, row.crmStage);
        await world.syncToQuiet();
        const view = await world.seller.read(crmId);
        assert.equal(view.syncState, 'synced', `at ${row.crmStage}: ${view.syncMessage}`);
        assert.equal(referralOf(world, referralId).salesStage, salesStageToApi(row.carriedAs), `at ${row.crmStage}`);
      }
      await world.seller.win(crmId);
      await world.syncToQuiet();
      assert.equal(referralOf(world, referralId).substatus, 'Won');
    });

    it("a stage set in Partner Center reaches the CRM as the assessment process's stage, not the standard process's", async () => {
      const crmId = await world.seller.createDeal(dealSpec('Assessment moved in Partner Center', { share: true, solutions: [{ id: 'SOL-ASSESS-AZMIG', kind: 'assessment', assessmentLocation: 'US' }] }));
      await world.syncToQuiet();
      const referralId = (await world.seller.read(crmId)).referralId!;
      for (const row of ASSESSMENT_STAGE_TABLE.slice(0, 2)) {
        // The partner marks the next stage in Partner Center's own lifecycle view.
        unwrap(world.set.partnerCenter.service.change(OUR_PARTNER_ORG, referralId, (json) => ({ ok: true, value: { ...json, salesStage: salesStageToApi(row.carriedAs) } })));
        await world.syncToQuiet();
        const view = await world.seller.read(crmId);
        assert.equal(view.stage, row.crmStage, `Partner Center's ${salesStageToApi(row.carriedAs)}: ${view.syncMessage ?? ''}`);
        assert.equal(view.syncState, 'synced', view.syncMessage);
      }
      assert.equal((await world.sync()).writes, 0, 'a further sync writes nothing');
    });
  });
}
