/**
 * Reading deals by ID (the Partner Center phase reads the CRM side of the referrals that changed; the
 * engine's read-ahead asks for ~430 at once in a 1%-changed cycle at 50,000 deals): one query per 200 IDs
 * selects the opportunities with their related rows as subqueries, five such queries in one Composite call
 * (connectors/salesforce/deals-by-id.ts). That was one API call per 1,000 IDs at 2,000 records a batch; the
 * statement selects four custom long text fields, so Salesforce answers it 200 records a batch, child rows
 * counted (the sandbox applies the rule since 2026-12-07), and each query's further batches come one a call.
 */
import assert from 'node:assert/strict';
import { billedCalls } from '../../bench/billing.js';
import { seedOptedIn, startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';

describe('Salesforce getDeals: calls per ID read', function () {
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

  it('reads 450 deals with their team, solutions and contact role in five Composite calls (200 records a batch)', async () => {
    const wanted = ids.slice(0, 450);
    const deals = await h.adapter.getDeals(wanted);
    assert.equal(deals.length, 450);
    assert.deepEqual(deals.map((d) => d.crmId), wanted);
    assert.ok(deals.every((d) => d.referral.team.length === 2 && d.referral.solutions.length === 1 && d.referral.customerContact?.email.includes('@')));
    const calls = billedCalls(h.sandbox.counters.snapshot());
    // Three queries of 200, 200 and 50 IDs; each deal weighs 5 records (itself, 2 team members, a solution, a
    // contact role), so the 200-ID queries take 5 batches each: 12 subrequests in 5 calls (1 at 2,000 a batch).
    assert.equal(calls.total, 5, JSON.stringify(calls.byEndpoint));
    assert.deepEqual(calls.byEndpoint, { composite: 5, 'composite.query:Opportunity': 12 });
  });

  it('reads 1,001 deals in six calls (two at 2,000 a batch)', async () => {
    const deals = await h.adapter.getDeals(ids);
    assert.equal(deals.length, 1_001);
    assert.equal(billedCalls(h.sandbox.counters.snapshot()).total, 6);
  });
});
