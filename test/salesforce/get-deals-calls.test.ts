/**
 * Reading deals by ID (the Partner Center phase reads the CRM side of the referrals that changed) costs one
 * API call per 200 IDs: the opportunities and their related rows are five queries of one Composite call.
 */
import assert from 'node:assert/strict';
import { billedCalls } from '../../bench/billing.js';
import { seedOptedIn, startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';

describe('Salesforce getDeals: one call per 200 IDs', function () {
  this.timeout(60_000);
  let h: SalesforceHarness;
  let ids: string[];

  before(async () => {
    h = await startSalesforceHarness();
    ids = seedOptedIn(h.sandbox, 250, { teamPerOpportunity: 2 });
    // The stage list is read once and cached; read it before counting.
    await h.adapter.getDeals(ids.slice(0, 1));
    h.sandbox.counters.reset();
  });
  after(() => h?.close());

  it('reads 250 deals with their team, solutions and contact role in two calls', async () => {
    const deals = await h.adapter.getDeals(ids);
    assert.equal(deals.length, 250);
    assert.deepEqual(deals.map((d) => d.crmId), ids);
    assert.ok(deals.every((d) => d.referral.team.length === 2 && d.referral.solutions.length === 1));
    assert.equal(billedCalls(h.sandbox.counters.snapshot()).total, 2, JSON.stringify(h.sandbox.counters.snapshot()));
  });
});
