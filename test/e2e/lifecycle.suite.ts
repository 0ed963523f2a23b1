/**
 * The co-sell life cycle played from inside the CRM, across the real sandboxes (Partner Center, Entra ID
 * and the CRM's), with the real clients and the real engine. One suite, run for each CRM: the engine
 * must not know which CRM it drives, and a seller in either CRM sees the same behaviour.
 */
import assert from 'node:assert/strict';
import type { StoredReferral } from '../../sandbox/partner-center/store.js';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';
import { OTHER_PARTNER_ORG, OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

export function unwrap<T>(result: { ok: true; value: T } | { ok: false; failure: unknown }): T {
  if (!result.ok) throw new Error(`sandbox refused: ${JSON.stringify(result.failure)}`);
  return result.value;
}

/**
 * Moves the CRM feed's watermark an hour on (a later deal, synced), past any re-read overlap, so that only
 * a change the feed must find by itself can bring an older record back.
 */
export async function moveFeedPast(world: World): Promise<void> {
  world.set.clock.advance(3_600_000);
  await world.seller.createDeal(dealSpec(`Later deal ${world.set.clock.iso()}`));
  await world.syncToQuiet();
}

export function referralOf(world: World, id: string): StoredReferral {
  const r = world.set.partnerCenter.store.get(id);
  assert.ok(r, `referral ${id} is not in the Partner Center sandbox`);
  return r;
}

export function runLifecycleSuite(kind: CrmKind): void {
  describe(`co-sell life cycle from inside ${kind === 'salesforce' ? 'Salesforce' : 'Dynamics 365'} (end to end)`, function () {
    this.timeout(120_000);
    let world: World;
    beforeEach(async () => {
      world = await startWorld(kind);
    });
    afterEach(async () => world.close());

    async function inboundFromMicrosoft(name: string): Promise<{ referralId: string; crmId: string }> {
      const sent = unwrap(world.microsoft.sendReferral({ deal: { dealName: name } }));
      await world.syncToQuiet();
      const records = await world.seller.recordsForReferral(sent.id);
      assert.equal(records.length, 1, `inbound referral ${sent.id} must have exactly one CRM record, has ${records.length}`);
      return { referralId: sent.id, crmId: records[0]! };
    }

    it('inbound: received → accepted → every sales stage → won, one CRM record throughout', async () => {
      const { referralId, crmId } = await inboundFromMicrosoft('Inbound to won');
      assert.equal(referralOf(world, referralId).status, 'New');
      await world.seller.accept(crmId);
      await world.syncToQuiet();
      assert.equal(referralOf(world, referralId).status, 'Active');
      assert.equal(referralOf(world, referralId).substatus, 'Accepted');
      for (const [stage, api] of [['Qualified', 'Qualify'], ['Developed', 'Develop'], ['Proposed', 'Propose'], ['Negotiated', 'Close']] as const) {
        await world.seller.setStage(crmId, stage);
        await world.syncToQuiet();
        assert.equal(referralOf(world, referralId).salesStage, api, `after ${stage}`);
      }
      await world.seller.win(crmId);
      await world.syncToQuiet();
      assert.equal(referralOf(world, referralId).substatus, 'Won');
      assert.equal((await world.seller.recordsForReferral(referralId)).length, 1);
      assert.equal((await world.seller.read(crmId)).syncState, 'synced');
    });

    it('inbound: declined from the CRM with a reason', async () => {
      const { referralId, crmId } = await inboundFromMicrosoft('Inbound declined');
      await world.seller.decline(crmId, 'chose-another-vendor');
      await world.syncToQuiet();
      const r = referralOf(world, referralId);
      assert.deepEqual([r.status, r.substatus], ['Closed', 'Declined']);
    });

    it('inbound: closed as lost before it was answered, then declined on the closed record, reaches Partner Center as Declined', async () => {
      // The CRM's own way to drop a deal is to close it as lost; Partner Center cannot lose a referral no one
      // accepted, so the record says why, and the seller's Decline answer then settles it.
      const { referralId, crmId } = await inboundFromMicrosoft('Inbound lost unanswered');
      await world.seller.lose(crmId, 'chose-another-vendor');
      await world.syncToQuiet();
      const refused = await world.seller.read(crmId);
      assert.equal(refused.syncState, 'error');
      assert.match(refused.syncMessage ?? '', /decline/i, 'the record tells the seller to decline it');
      await world.seller.decline(crmId, 'chose-another-vendor');
      await world.syncToQuiet();
      const r = referralOf(world, referralId);
      assert.deepEqual([r.status, r.substatus, r.statusReasonCode], ['Closed', 'Declined', 'CustomerChoseAnotherVendor']);
      const view = await world.seller.read(crmId);
      assert.equal(view.syncState, 'synced', view.syncMessage);
      assert.equal(view.isClosed, true);
    });

    it('inbound: accepted, then lost with a reason', async () => {
      const { referralId, crmId } = await inboundFromMicrosoft('Inbound lost');
      await world.seller.accept(crmId);
      await world.syncToQuiet();
      await world.seller.lose(crmId, 'budget-not-adequate');
      await world.syncToQuiet();
      assert.deepEqual([referralOf(world, referralId).status, referralOf(world, referralId).substatus], ['Closed', 'Lost']);
    });

    it('inbound: accepted, then answered Decline: the record says to close it as lost, and closed as lost it reaches Partner Center', async () => {
      // Decline answers a referral only while it waits (New); the answer given later was ignored under "synced",
      // and the lost close that followed was then taken for that decline and refused run after run.
      const { referralId, crmId } = await inboundFromMicrosoft('Inbound accepted then declined');
      await world.seller.accept(crmId);
      await world.syncToQuiet();
      await world.seller.decline(crmId, 'budget-not-adequate');
      await world.syncToQuiet();
      const refused = await world.seller.read(crmId);
      assert.equal(refused.syncState, 'error');
      assert.match(refused.syncMessage ?? '', /close it as lost/i, 'the record names what to do instead');
      await world.seller.lose(crmId, 'budget-not-adequate');
      await world.syncToQuiet();
      const r = referralOf(world, referralId);
      assert.deepEqual([r.status, r.substatus, r.statusReasonCode], ['Closed', 'Lost', 'ProjectBudgetNotAdequate']);
      const view = await world.seller.read(crmId);
      assert.equal(view.syncState, 'synced', view.syncMessage);
    });

    it('inbound: expires after 14 days without an answer, and the CRM record shows it', async () => {
      const { referralId, crmId } = await inboundFromMicrosoft('Inbound expired');
      world.set.clock.advance(15 * DAY);
      world.set.partnerCenter.expireDue();
      await world.syncToQuiet();
      assert.equal(referralOf(world, referralId).substatus, 'Expired');
      const view = await world.seller.read(crmId);
      assert.equal(view.isClosed, true, 'the expired deal is closed in the CRM');
      assert.notEqual(view.syncState, 'error', view.syncMessage);
    });

    it('outbound: private → partner-led → co-sell, and Microsoft takes it up', async () => {
      const crmId = await world.seller.createDeal(dealSpec('Outbound upgrade'));
      await world.syncToQuiet();
      const referralId = (await world.seller.read(crmId)).referralId!;
      assert.ok(referralId, 'the referral ID is written back onto the CRM record');
      assert.equal(referralOf(world, referralId).consent?.consentToShareReferralWithMicrosoftSellers, false);
      await world.seller.optIn(crmId, { share: true });
      await world.syncToQuiet();
      assert.equal(referralOf(world, referralId).consent?.consentToShareReferralWithMicrosoftSellers, true);
      await world.seller.optIn(crmId, { helpType: 'proof-of-concept' });
      await world.syncToQuiet();
      assert.equal(referralOf(world, referralId).inviteContext?.assistanceRequestCode, 'ProofOfConceptOrDemo');
      unwrap(world.microsoft.respond(referralId, 'accept'));
      await world.syncToQuiet();
      assert.equal((await world.seller.read(crmId)).microsoftStatus, 'Accepted');
    });

    it('P2P: a seller invites another partner from the CRM, and the invitation reaches Partner Center once', async () => {
      const crmId = await world.seller.createDeal(dealSpec('P2P deal'));
      await world.syncToQuiet();
      const referralId = (await world.seller.read(crmId)).referralId!;
      await world.seller.invitePartner(crmId, OTHER_PARTNER_ORG);
      await world.syncToQuiet();
      const r = referralOf(world, referralId);
      assert.deepEqual(r.partnerInvitations?.map((i) => i.organizationId), [OTHER_PARTNER_ORG]);
      assert.equal(r.dealType, 'PartnerToPartner');
      assert.equal((await world.seller.read(crmId)).syncState, 'synced');
      assert.equal((await world.sync()).writes, 0);
    });

    it('outbound: a deal Partner Center would refuse is parked with its reasons on the record, and goes through once fixed', async () => {
      const crmId = await world.seller.createDeal(dealSpec('Missing solution', { solutions: [] }));
      await world.syncToQuiet();
      const parked = await world.seller.read(crmId);
      assert.equal(parked.syncState, 'error');
      assert.match(parked.syncMessage ?? '', /solution/i);
      assert.equal(parked.referralId, undefined);
      await world.seller.addSolution(crmId, { id: 'SOL-1234-PQRS', kind: 'own' });
      await world.syncToQuiet();
      const fixed = await world.seller.read(crmId);
      assert.equal(fixed.syncState, 'synced', fixed.syncMessage);
      assert.ok(fixed.referralId);
    });

    it('outbound: a parked deal the seller deletes is no longer parked after the next sync (not only at its next retry)', async () => {
      const crmId = await world.seller.createDeal(dealSpec('Parked then deleted', { solutions: [] }));
      await world.syncToQuiet();
      assert.deepEqual(world.runtime.store.listParked({ side: 'crm' }).map((p) => p.recordId), [crmId]);
      await world.seller.deleteDeal(crmId);
      const run = await world.sync();
      assert.deepEqual(world.runtime.store.listParked({ side: 'crm' }), [], 'a deleted record cannot sync: nothing is left to retry');
      assert.equal(run.parkedTotal ?? 0, 0, 'sync ends with 0, not 7');
    });

    it('solution assessment: one assessment with its location, every sales stage in order, then won', async () => {
      const crmId = await world.seller.createDeal(dealSpec('Assessment deal', { share: true, solutions: [{ id: 'SOL-ASSESS-AZMIG', kind: 'assessment', assessmentLocation: 'US' }] }));
      await world.syncToQuiet();
      const view = await world.seller.read(crmId);
      assert.equal(view.syncState, 'synced', view.syncMessage);
      const referralId = view.referralId!;
      assert.equal(referralOf(world, referralId).dealType, 'SolutionAssessment');
      await world.seller.setStage(crmId, 'Developed'); // skips Qualified
      await world.syncToQuiet();
      const skipped = await world.seller.read(crmId);
      assert.equal(skipped.syncState, 'error');
      assert.match(skipped.syncMessage ?? '', /assessment\.stages_in_order/);
      for (const stage of ['Qualified', 'Developed', 'Proposed', 'Negotiated'] as const) {
        await world.seller.setStage(crmId, stage);
        await world.syncToQuiet();
        assert.equal((await world.seller.read(crmId)).syncState, 'synced', `at ${stage}`);
      }
      await world.seller.win(crmId);
      await world.syncToQuiet();
      assert.equal(referralOf(world, referralId).substatus, 'Won');
    });

    it('registration: a registrable Won within 72 hours is held, then sent when the gap ends', async () => {
      const crmId = await world.seller.createDeal(dealSpec('Registrable', { share: true, solutions: [{ id: 'SOL-AZIP-0001', kind: 'own', incentiveEligible: true }] }));
      await world.syncToQuiet();
      const referralId = (await world.seller.read(crmId)).referralId!;
      world.set.clock.advance(HOUR);
      await world.seller.win(crmId);
      await world.syncToQuiet();
      const held = await world.seller.read(crmId);
      assert.equal(held.syncState, 'held', held.syncMessage);
      assert.ok(held.heldUntil);
      assert.notEqual(referralOf(world, referralId).substatus, 'Won');
      world.set.clock.advance(72 * HOUR);
      await world.syncToQuiet();
      assert.equal(referralOf(world, referralId).substatus, 'Won');
    });

    it('team and solutions edited on both sides merge as sets', async () => {
      const crmId = await world.seller.createDeal(dealSpec('Team edits'));
      await world.syncToQuiet();
      const referralId = (await world.seller.read(crmId)).referralId!;
      await world.seller.addTeamMember(crmId, { firstName: 'Robin', lastName: 'Presales', phone: '+1 425 555 0199', email: 'robin.presales@partner.example' });
      await world.seller.addSolution(crmId, { id: 'SOL-5678-WXYZ', kind: 'microsoft' });
      await world.syncToQuiet();
      const r = referralOf(world, referralId);
      assert.deepEqual((r.team ?? []).map((m) => m.email).sort(), ['robin.presales@partner.example', 'sam.seller@partner.example']);
      assert.deepEqual(r.details?.requirements?.solutions?.map((s) => s.id).sort(), ['SOL-1234-PQRS', 'SOL-5678-WXYZ']);
      const quiet = await world.sync();
      assert.equal(quiet.writes, 0, JSON.stringify(quiet.counts));
    });

    it('a team member and a solution added in Partner Center reach the CRM record, and the CRM\'s own addition reaches Partner Center', async () => {
      const crmId = await world.seller.createDeal(dealSpec('Team both sides'));
      await world.syncToQuiet();
      const referralId = (await world.seller.read(crmId)).referralId!;
      const colleague = { firstName: 'Pat', lastName: 'Colleague', phoneNumber: '+1 425 555 0177', email: 'pat.colleague@partner.example' };
      const addedInPc = { id: 'SOL-9999-PCUI', solutionType: '1P', name: 'Added in Partner Center' };
      unwrap(world.set.partnerCenter.service.change(OUR_PARTNER_ORG, referralId, (json) => ({
        ok: true,
        value: { ...json, team: [...(json.team ?? []), colleague], details: { ...json.details, requirements: { ...json.details?.requirements, solutions: [...(json.details?.requirements?.solutions ?? []), addedInPc] } } },
      })));
      await world.seller.addTeamMember(crmId, { firstName: 'Robin', lastName: 'Presales', phone: '+1 425 555 0199', email: 'robin.presales@partner.example' });
      await world.syncToQuiet();
      const expected = ['pat.colleague@partner.example', 'robin.presales@partner.example', 'sam.seller@partner.example'];
      assert.deepEqual((referralOf(world, referralId).team ?? []).map((m) => m.email).sort(), expected);
      // Salesforce team members are Salesforce users: a Partner Center colleague who is not one cannot be
      // put on the opportunity team, and must not be removed from Partner Center for that either.
      const onRecord = kind === 'salesforce' ? expected.filter((e) => e !== colleague.email) : expected;
      assert.deepEqual((await world.seller.read(crmId)).teamEmails.map((e) => e.toLowerCase()).sort(), onRecord);
      assert.deepEqual([...(await world.seller.read(crmId)).solutionIds].sort(), ['SOL-1234-PQRS', 'SOL-9999-PCUI'], 'the solution added in Partner Center is on the CRM record');
      assert.equal((await world.sync()).writes, 0);
      assert.deepEqual((referralOf(world, referralId).team ?? []).map((m) => m.email).sort(), expected);
    });

    it('a cycle with no changes makes no writes and reads one change-feed page per side', async () => {
      await world.seller.createDeal(dealSpec('Idle one'));
      await inboundFromMicrosoft('Idle two');
      await world.syncToQuiet();
      const before = world.set.partnerCenter.counters.total();
      const idle = await world.sync();
      assert.equal(idle.writes, 0);
      assert.equal(idle.counts.pcPages, 1);
      // Salesforce's feed hands back one more page, with no deals and no call, that anchors the next
      // window after the run's writes (connectors/salesforce/feed-window.ts).
      assert.ok((idle.counts.crmPages ?? 0) >= 1 && (idle.counts.crmPages ?? 0) <= 2, JSON.stringify(idle.counts));
      assert.equal(world.set.partnerCenter.counters.total() - before, 1, JSON.stringify(world.set.partnerCenter.counters.snapshot()));
    });
  });
}
