/**
 * Issue 19 item 6, the rest of it, played in each CRM against the sandboxes: a referral kept as a CRM lead
 * that the seller has not converted yet is kept current as an opportunity is — edits in Partner Center, an
 * answer given there and the 14-day expiry show on the lead (its status, Partner Center's
 * status, the answer-by date, the sync message) — and the seller's answer given on the lead reaches
 * Partner Center through the same rules as one given on an opportunity. A state store lost and rebuilt
 * from the CRM finds its leads again by the referral ID each carries: no second lead, no opportunity.
 */
import assert from 'node:assert/strict';
import { describeRun } from '../../core/cli/run-report.js';
import { engineOptionsFor, openRuntime, type Runtime } from '../../core/cli/runtime.js';
import { runSyncOnce, type RunReport } from '../../core/engine/sync-engine.js';
import { silentLogger } from '../../core/logger.js';
import { OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';
import { referralOf, unwrap } from './lifecycle.suite.js';
import { loseStore } from './lost-store.suite.js';

const DAY = 86_400_000;

/** A marketing-qualified referral synced into the CRM as a lead (sync.leadsAsCrmLeads): its referral and lead IDs. */
export async function leadFor(w: World, dealName: string): Promise<{ referralId: string; leadId: string }> {
  const sent = unwrap(w.microsoft.sendReferral({ deal: { dealName }, qualification: 'MarketingQualified' }));
  await w.syncToQuiet();
  const [leadId] = await w.seller.leadsForReferral(sent.id);
  assert.ok(leadId, `the lead for ${dealName} is in the CRM`);
  return { referralId: sent.id, leadId };
}

export function runLeadsKeptCurrentSuite(kind: CrmKind): void {
  describe(`lead referrals kept current as CRM leads in ${kind === 'salesforce' ? 'Salesforce' : 'Dynamics 365'} (end to end)`, function () {
    this.timeout(120_000);
    let world: World | undefined;
    let rebuilt: Runtime | undefined;
    afterEach(async () => {
      rebuilt?.close();
      rebuilt = undefined;
      await world?.close();
    });

    it('run summaries count a lead as a lead, not as an opportunity', async () => {
      world = await startWorld(kind, { sync: { leadsAsCrmLeads: true } });
      unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Counted lead' }, qualification: 'Direct' }));
      unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Counted deal' } }));
      const [first] = await world.syncToQuiet();
      assert.equal(first!.counts.crmCreated, 1, 'one opportunity');
      assert.equal(first!.counts.leadsCreated, 1, 'one lead');
      assert.match(describeRun(first!), /created 0 referrals, 1 opportunities and 1 leads/);
      const firstRun = world.runtime.store.listRuns(10).at(-1);
      assert.equal(firstRun?.counts.leadsCreated, 1, 'the run record in the store counts the lead');
      assert.equal(firstRun?.counts.crmCreated, 1);
    });

    it("shows Partner Center's view on the lead: answer-by date, an edit in Partner Center, then the expiry", async () => {
      world = await startWorld(kind, { sync: { leadsAsCrmLeads: true } });
      const { referralId, leadId } = await leadFor(world, 'Lead kept current');
      let lead = await world.seller.readLead(leadId);
      assert.equal(lead.syncState, 'synced', lead.syncMessage);
      assert.match(lead.referralStatus ?? '', /^New\//);
      assert.ok(lead.answerBy, 'the lead shows when the 14 days to answer end');
      assert.equal(lead.open, true);

      world.set.clock.advance(60_000);
      // A user of our organisation edits the referral in Partner Center (Microsoft may change only its status).
      unwrap(world.set.partnerCenter.service.change(OUR_PARTNER_ORG, referralId, (json) => ({ ok: true, value: { ...json, name: 'Renamed in Partner Center' } })));
      await world.syncToQuiet();
      lead = await world.seller.readLead(leadId);
      assert.equal(lead.dealName, 'Renamed in Partner Center', 'the edit reaches the lead');

      world.set.clock.advance(15 * DAY);
      world.set.partnerCenter.expireDue();
      await world.syncToQuiet();
      assert.equal(referralOf(world, referralId).substatus, 'Expired');
      lead = await world.seller.readLead(leadId);
      assert.equal(lead.referralStatus, 'Closed/Expired');
      assert.equal(lead.answerBy, undefined, 'no answer is awaited any more');
      assert.equal(lead.open, false, 'the lead is closed, not converted');
      assert.match(lead.syncMessage ?? '', /expired/i);
      assert.equal((await world.sync()).writes, 0, 'a further sync writes nothing');
      assert.deepEqual(await world.seller.recordsForReferral(referralId), [], 'still no opportunity');
    });

    it('an edit in Partner Center made while the seller converts the lead reaches the new opportunity, not the converted lead', async () => {
      world = await startWorld(kind, { sync: { leadsAsCrmLeads: true } });
      const { referralId, leadId } = await leadFor(world, 'Lead converted during an edit');
      const opportunityId = await world.seller.convertLead(leadId);
      world.set.clock.advance(60_000);
      unwrap(world.set.partnerCenter.service.change(OUR_PARTNER_ORG, referralId, (json) => ({ ok: true, value: { ...json, name: 'Renamed while converting' } })));
      const [first] = await world.syncToQuiet();
      assert.equal(first!.counts.parked ?? 0, 0, 'nothing refused: the converted lead is not written');
      const record = await world.seller.read(opportunityId);
      assert.equal(record.name, 'Renamed while converting');
      assert.equal(record.syncState, 'synced', record.syncMessage);
      assert.deepEqual(await world.seller.recordsForReferral(referralId), [opportunityId]);
    });

    it('shows an answer given in Partner Center itself', async () => {
      world = await startWorld(kind, { sync: { leadsAsCrmLeads: true } });
      const { referralId, leadId } = await leadFor(world, 'Lead accepted in Partner Center');
      world.set.clock.advance(60_000);
      unwrap(world.set.partnerCenter.actAs(OUR_PARTNER_ORG).respond(referralId, 'accept'));
      await world.syncToQuiet();
      const lead = await world.seller.readLead(leadId);
      assert.equal(lead.referralStatus, 'Active/Accepted');
      assert.equal(lead.answerBy, undefined);
      assert.equal(lead.open, true, 'an accepted lead stays open for the seller to convert');
    });

    it("the seller's answer on the lead reaches Partner Center after the same rules: a decline needs a reason", async () => {
      world = await startWorld(kind, { sync: { leadsAsCrmLeads: true } });
      const declined = await leadFor(world, 'Lead declined');
      const accepted = await leadFor(world, 'Lead accepted');

      await world.seller.declineLead(declined.leadId);
      await world.seller.acceptLead(accepted.leadId);
      await world.syncToQuiet();
      assert.equal(referralOf(world, declined.referralId).status, 'New', 'a decline without a reason is not sent');
      let lead = await world.seller.readLead(declined.leadId);
      assert.equal(lead.syncState, 'error');
      assert.match(lead.syncMessage ?? '', /close_reason\.required/);
      assert.equal(referralOf(world, accepted.referralId).status, 'Active', 'the accept is sent');
      lead = await world.seller.readLead(accepted.leadId);
      assert.equal(lead.referralStatus, 'Active/Accepted');
      assert.equal(lead.answerBy, undefined);

      await world.seller.declineLead(declined.leadId, 'budget-not-adequate');
      await world.syncToQuiet();
      assert.deepEqual([referralOf(world, declined.referralId).status, referralOf(world, declined.referralId).substatus], ['Closed', 'Declined']);
      lead = await world.seller.readLead(declined.leadId);
      assert.equal(lead.syncState, 'synced', lead.syncMessage);
      assert.equal(lead.referralStatus, 'Closed/Declined');
      assert.equal(lead.open, false);

      const opportunityId = await world.seller.convertLead(accepted.leadId);
      await world.syncToQuiet();
      assert.deepEqual(await world.seller.recordsForReferral(accepted.referralId), [opportunityId], 'the accepted lead, converted, is followed');
      assert.equal((await world.sync()).writes, 0, 'a further sync writes nothing');
    });

    /** Loses the state store and opens the next process's runtime on an empty one. */
    async function afterLostStore(w: World): Promise<() => Promise<RunReport>> {
      loseStore(w);
      const runtime = await openRuntime({ config: w.runtime.config, logger: silentLogger(), now: () => w.set.clock.now() });
      rebuilt = runtime;
      return () => runSyncOnce(runtime.engineDeps(), engineOptionsFor(w.runtime.config));
    }

    it('a rebuilt store finds its leads again: no second lead, no opportunity, and a conversion made meanwhile followed', async () => {
      world = await startWorld(kind, { sync: { leadsAsCrmLeads: true } });
      const open = await leadFor(world, 'Lead before the loss');
      const converted = await leadFor(world, 'Lead converted while the store was lost');
      const opportunityId = await world.seller.convertLead(converted.leadId);

      const sync = await afterLostStore(world);
      const report = await sync();
      assert.equal(report.outcome, 'ok', report.message);
      assert.equal(report.counts.leadsCreated ?? 0, 0, 'no lead created again');
      assert.equal(report.counts.crmCreated ?? 0, 0, 'no opportunity created');
      await sync(); // the next run's lead pass follows the conversion made while the store was lost
      assert.deepEqual(await world.seller.leadsForReferral(open.referralId), [open.leadId]);
      assert.deepEqual(await world.seller.recordsForReferral(open.referralId), []);
      assert.deepEqual(await world.seller.recordsForReferral(converted.referralId), [opportunityId], 'the conversion made meanwhile is followed');
      assert.ok(rebuilt!.store.leads.getLead(open.leadId), 'the lead is known again');

      await world.seller.acceptLead(open.leadId);
      await sync();
      assert.equal(referralOf(world, open.referralId).status, 'Active', 'an answer on the re-found lead reaches Partner Center');
      assert.equal((await sync()).writes, 0, 'a further sync writes nothing');
      assert.deepEqual(await world.seller.leadsForReferral(open.referralId), [open.leadId], 'still one lead');
    });
  });
}
