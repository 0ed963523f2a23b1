/**
 * Solution assessment deals can be created only by partners the solution assessments business team has
 * vetted (seed "Solution Assessment (SA)"; rule assessment.vetted_partners_only). The Partner Center
 * sandbox refuses such a create from an organisation that is not vetted; the connector asks first
 * (the sandbox's access extension), parks the CRM record with the rule, and sends nothing. Both CRMs.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import { sampleDeal } from '../../sandbox/partner-center/actors.js';
import { OTHER_PARTNER_ORG } from '../../sandbox/partner-center/organizations.js';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';

const ASSESSMENT = { id: 'SOL-ASSESS-AZMIG', kind: 'assessment' as const, assessmentLocation: 'US' };

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) {
  describe(`solution assessment deals need a vetted organisation (${kind}, end to end)`, function () {
    this.timeout(120_000);
    let world: World;
    beforeEach(async () => {
      world = await startWorld(kind);
    });
    afterEach(async () => world.close());

    it('parks an assessment deal of an organisation that is not vetted, naming the rule, and sends no create', async () => {
      world.set.partnerCenter.service.orgs.setAssessmentVetted(OUR_PARTNER_ORG, false);
      const creates = world.set.partnerCenter.counters.get('POST /v1.0/engagements/referrals');
      const crmId = await world.seller.createDeal(dealSpec('Assessment, not vetted', { share: true, solutions: [ASSESSMENT] }));
      await world.syncToQuiet();
      const view = await world.seller.read(crmId);
      assert.equal(view.syncState, 'error', view.syncMessage);
      assert.match(view.syncMessage ?? '', /not vetted by the solution assessments business team/);
      assert.match(view.syncMessage ?? '', /assessment\.vetted_partners_only/);
      assert.equal(view.referralId ?? undefined, undefined);
      assert.equal(world.set.partnerCenter.counters.get('POST /v1.0/engagements/referrals'), creates, 'the connector checked before sending');
      assert.equal(world.set.partnerCenter.store.all().filter((r) => r.externalReferenceId === crmId).length, 0);
    });

    it('creates the same deal for a vetted organisation, and an ordinary deal regardless of vetting', async () => {
      world.set.partnerCenter.service.orgs.setAssessmentVetted(OUR_PARTNER_ORG, false);
      const ordinary = await world.seller.createDeal(dealSpec('Ordinary deal, not vetted', { share: true }));
      await world.syncToQuiet();
      assert.equal((await world.seller.read(ordinary)).syncState, 'synced');
      world.set.partnerCenter.service.orgs.setAssessmentVetted(OUR_PARTNER_ORG, true);
      const crmId = await world.seller.createDeal(dealSpec('Assessment, vetted', { share: true, solutions: [ASSESSMENT] }));
      await world.syncToQuiet();
      const view = await world.seller.read(crmId);
      assert.equal(view.syncState, 'synced', view.syncMessage);
      assert.ok(view.referralId);
    });

    it('the Partner Center sandbox itself refuses an assessment create from an organisation that is not vetted', () => {
      const orgs = world.set.partnerCenter.service.orgs;
      assert.equal(orgs.assessmentVetted(OTHER_PARTNER_ORG), false);
      const refused = world.otherPartner.create(sampleDeal(orgs, OTHER_PARTNER_ORG, { dealType: 'solution-assessment', solutions: [ASSESSMENT] }));
      assert.equal(refused.ok, false);
      if (refused.ok) return;
      assert.equal(refused.failure.status, 400);
      assert.equal(refused.failure.innerError?.code, 'assessment.vetted_partners_only');
      assert.equal(refused.failure.target, 'solutions');
    });
  });
}
