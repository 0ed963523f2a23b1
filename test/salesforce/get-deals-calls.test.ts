/**
 * Reading deals by ID (the Partner Center phase reads the CRM side of the referrals that changed; the
 * engine's read-ahead asks for ~430 at once in a 1%-changed cycle at 50,000 deals) costs one API call per
 * 1,000 IDs: one query per 200 IDs selects the opportunities with their related rows as subqueries, five
 * such queries in one Composite call (connectors/salesforce/deals-by-id.ts).
 */
import assert from 'node:assert/strict';
import { billedCalls } from '../../bench/billing.js';
import { seedOptedIn, startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';

describe('Salesforce getDeals: one call per 1,000 IDs', function () {
  this.timeout(60_000);
  let h: SalesforceHarness;
  let ids: string[];

  before(async () => {
    h = await startSalesforceHarness();
    ids = seedOptedIn(h.sandbox, 1_001, { teamPerOpportunity: 2 });
    // The stage list is read once and cached; read it before counting.
    await h.adapter.getDeals(ids.slice(0, 1));
  });
  beforeEach(() => h.sandbox.counters.reset());
  after(() => h?.close());

  it('reads 450 deals with their team, solutions and contact role in one Composite call', async () => {
    const wanted = ids.slice(0, 450);
    const deals = await h.adapter.getDeals(wanted);
    assert.equal(deals.length, 450);
    assert.deepEqual(deals.map((d) => d.crmId), wanted);
    assert.ok(deals.every((d) => d.referral.team.length === 2 && d.referral.solutions.length === 1 && d.referral.customerContact?.email.includes('@')));
    const calls = billedCalls(h.sandbox.counters.snapshot());
    assert.equal(calls.total, 1, JSON.stringify(calls.byEndpoint));
    assert.deepEqual(calls.byEndpoint, { composite: 1, 'composite.query:Opportunity': 3 }, 'three queries of 200, 200 and 50 IDs');
  });

  it('reads 1,001 deals in two calls', async () => {
    const deals = await h.adapter.getDeals(ids);
    assert.equal(deals.length, 1_001);
    assert.equal(billedCalls(h.sandbox.counters.snapshot()).total, 2);
  });
});
