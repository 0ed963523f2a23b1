/**
 * Reading deals by ID (the Partner Center phase reads the CRM side of the referrals that changed; the
 * engine's read-ahead asks for ~430 at once in a 1%-changed cycle at 50,000 deals). "If the SOQL statement
 * selects two or more custom fields of type long text, the batch size can't be greater than 200 records"
 * (child rows counted), and a Composite call holds five query operations: a read that selected the four long
 * text fields with the related rows as subqueries took five batches per 200 IDs, one call each. The read
 * keeps each long text field in a statement of its own (connectors/salesforce/deals-by-id.ts `byIdQueries`):
 * two deal queries (the seller's notes, contact role, team and solutions: 2,000 records a batch), the
 * invitation rows, and one query per connector-kept field: one call per `IDS_PER_CALL` IDs.
 */
import assert from 'node:assert/strict';
import { billedCalls } from '../../bench/billing.js';
import { IDS_IN_ONE_READ, IDS_PER_CALL } from '../../connectors/salesforce/deals-by-id.js';
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

  it('reads 450 deals with their team, solutions and contact role in one Composite call of five queries', async () => {
    const wanted = ids.slice(0, 450);
    const deals = await h.adapter.getDeals(wanted);
    assert.equal(deals.length, 450);
    assert.deepEqual(deals.map((d) => d.crmId), wanted);
    assert.ok(deals.every((d) => d.referral.team.length === 2 && d.referral.solutions.length === 1 && d.referral.customerContact?.email.includes('@')));
    const calls = billedCalls(h.sandbox.counters.snapshot());
    // Two deal queries of 225 IDs; each deal weighs 5 records (itself, 2 team members, a solution, a contact
    // role): 1,125 a query, one 2,000-record batch. Then the invitation rows and the two kept fields.
    // Selecting every long text field in one statement, 200 records a batch, this read took 5 calls.
    assert.equal(calls.total, 1, JSON.stringify(calls.byEndpoint));
    assert.deepEqual(calls.byEndpoint, { composite: 1, 'composite.query:Opportunity': 4, 'composite.query:Cosell_Partner_Invitation__c': 1 });
  });

  it('reads 1,001 deals in one call per IDS_PER_CALL IDs (six at 200 records a batch)', async () => {
    const deals = await h.adapter.getDeals(ids);
    assert.equal(deals.length, 1_001);
    // 400 deals of 5 records a deal query: one batch each.
    assert.equal(billedCalls(h.sandbox.counters.snapshot()).total, Math.ceil(1_001 / IDS_PER_CALL));
  });

  it('reads 1,000 deals of 5 records each in two calls, as two calls of 800 and 200 IDs did', async () => {
    const deals = await h.adapter.getDeals(ids.slice(0, IDS_IN_ONE_READ));
    assert.equal(deals.length, IDS_IN_ONE_READ);
    assert.ok(deals.every((d) => d.referral.team.length === 2));
    // Two deal queries of 500 deals of 5 records: 2,500 each, two batches; both Query Mores in the second call.
    assert.equal(billedCalls(h.sandbox.counters.snapshot()).total, 2);
  });
});

describe('Salesforce getDeals: a read of up to 1,000 IDs', function () {
  this.timeout(60_000);
  let h: SalesforceHarness;
  let ids: string[];

  before(async () => {
    h = await startSalesforceHarness();
    ids = seedOptedIn(h.sandbox, IDS_IN_ONE_READ, { teamPerOpportunity: 1 });
    await h.adapter.getDeals(ids.slice(0, 1));
  });
  after(() => h?.close());

  // A 1% cycle at 50,000 deals reads its 500 Partner Center changes and 500 seller edits together (the engine's
  // read-ahead with the listed rows). Read 800 IDs a call, that was two calls; each deal is 4 records (itself,
  // a team member, a solution, a contact role), so two deal queries of 500 each fill one 2,000-record batch.
  it('reads 1,000 deals of 4 records each in one call', async () => {
    h.sandbox.counters.reset();
    const deals = await h.adapter.getDeals(ids);
    assert.equal(deals.length, IDS_IN_ONE_READ);
    assert.deepEqual(deals.map((d) => d.crmId), ids);
    assert.ok(deals.every((d) => d.referral.team.length === 1 && d.referral.solutions.length === 1 && d.referral.customerContact?.email.includes('@')));
    const calls = billedCalls(h.sandbox.counters.snapshot());
    assert.equal(calls.total, 1, JSON.stringify(calls.byEndpoint));
  });
});
