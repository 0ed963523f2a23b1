/**
 * The CRM's feed opened during the Partner Center phase (core/engine/crm-listing.ts, issue 13), both CRMs:
 * a deal changed on both sides, its CRM change a team member saved alone (a related row, which does not
 * move the opportunity's own version), is read once, decided once in the Partner Center phase with both
 * changes, and left out of the CRM phase; nothing is lost, and the cycle reads the CRM once (on Salesforce,
 * in the listing's first call itself).
 */
import assert from 'node:assert/strict';
import { billedCalls } from '../../bench/billing.js';
import { linkedWorld } from '../helpers/linked-world.js';
import type { CallCounter } from '../../sandbox/common/counters.js';
import { ok } from '../../sandbox/partner-center/failures.js';
import { OUR_PARTNER_ORG } from '../../sandbox/partner-center/index.js';
import type { CrmKind, World } from '../../sandbox/world.js';

const DEALS = 40;

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) {
  describe(`a deal changed on both sides while the CRM's feed is open (${kind})`, function () {
    this.timeout(120_000);
    let world: World;
    const crmCounter = (): CallCounter => (kind === 'salesforce' ? world.set.salesforce.counters : world.set.dataverse.counters);
    const openLinks = () => world.runtime.store.listLinks({ limit: DEALS }).filter((l) => l.base.status !== 'Closed');
    const pcReferral = (referralId: string) => world.set.partnerCenter.store.get(referralId);

    beforeEach(async () => {
      world = await linkedWorld(kind, DEALS);
    });
    afterEach(async () => world?.close());

    it("keeps the seller's new team member and Partner Center's notes, reading the CRM once", async () => {
      const [both, pcOnly] = openLinks();
      for (const [link, notes] of [[both!, 'Notes from Partner Center'], [pcOnly!, 'Other notes from Partner Center']] as const) {
        const changed = world.set.partnerCenter.service.change(OUR_PARTNER_ORG, link.referralId, (json) => ok({ ...json, details: { ...json.details, notes } }));
        assert.equal(changed.ok, true, JSON.stringify(changed));
      }
      await world.seller.addTeamMember(both!.crmId, { firstName: 'Robin', lastName: 'Presales', phone: '+1 425 555 0199', email: 'robin.presales@partner.example' }, { alone: true });

      crmCounter().reset();
      const run = await world.sync();
      assert.equal(run.outcome, 'ok');
      const calls = billedCalls(crmCounter().snapshot());
      // The listing's first call, which also reads both referrals' records (the listed deal among them), and one
      // write. On Salesforce the read rides in the listing's query (connectors/salesforce/folded-listing.ts), on
      // Dynamics 365 in the first $batch after the change-tracking GETs (connectors/dynamics/speculative-read.ts).
      assert.equal(calls.total, 2, `the cycle's CRM calls: ${JSON.stringify(calls.byEndpoint)}`);
      assert.equal(run.counts.pcUpdated, 1, JSON.stringify(run.counts));

      const team = (pcReferral(both!.referralId)?.team ?? []).map((m) => m.email);
      assert.ok(team.includes('robin.presales@partner.example'), `Partner Center's team: ${JSON.stringify(team)}`);
      const [deal, other] = await world.runtime.crm.getDeals([both!.crmId, pcOnly!.crmId]);
      assert.equal(deal?.referral.notes, 'Notes from Partner Center');
      assert.equal(other?.referral.notes, 'Other notes from Partner Center');
      assert.deepEqual(deal?.referral.team.map((m) => m.email).sort(), [...team].sort(), 'the same team on both sides');

      crmCounter().reset();
      const next = await world.sync();
      assert.equal(next.writes, 0, JSON.stringify(next.counts));
      assert.equal(billedCalls(crmCounter().snapshot()).total, 1, 'the next run asks the CRM once');
    });
  });
}
