/**
 * Lookups over many values go as Composite statements of up to 40,000 characters of values, five a call
 * (connectors/salesforce/in-list-queries.ts), where each 6,000 characters (about 150 values) were a plain
 * query call: creating 5,000 opportunities from Partner Center made 35 such calls (bench, 2026-12-07).
 */
import assert from 'node:assert/strict';
import { queryInLists } from '../../connectors/salesforce/in-list-queries.js';
import { queryAll } from '../../connectors/salesforce/related-write-parts.js';
import { quote, quoteId } from '../../connectors/salesforce/soql.js';
import { seedOptedIn, startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';

describe('Salesforce lookups over many values: statements in Composite calls', function () {
  this.timeout(60_000);
  let h: SalesforceHarness;
  beforeEach(async () => {
    h = await startSalesforceHarness();
  });
  afterEach(() => h?.close());

  it('the team members of 2,000 opportunities: one Composite call, no plain query, every member found', async () => {
    const ids = seedOptedIn(h.sandbox, 2000, { teamPerOpportunity: 1 });
    h.sandbox.counters.reset();
    const members = await queryAll(h.adapter.client, (list) => `SELECT Id, OpportunityId FROM OpportunityTeamMember WHERE OpportunityId IN (${list.join(', ')})`, ids, quoteId);
    // 2,000 IDs of about 22 characters: two statements; their 2,000 rows and a continuation in a second call.
    const calls = h.sandbox.counters.snapshot();
    assert.equal(calls['query:OpportunityTeamMember'] ?? 0, 0, JSON.stringify(calls));
    assert.ok((calls.composite ?? 0) <= 2, JSON.stringify(calls));
    assert.deepEqual([...new Set(members.map((m) => m.OpportunityId))].sort(), [...ids].sort());
  });

  it('two lookups share a call, each answered in its own list, and none with values makes no call', async () => {
    seedOptedIn(h.sandbox, 5);
    const accounts = h.sandbox.store.all('Account');
    h.sandbox.counters.reset();
    const names = [...accounts.map((a) => String(a.Name)), ...Array.from({ length: 3000 }, (_, i) => `Nobody ${i}`)];
    const [byName, byId] = await queryInLists(h.adapter.client, [
      { soqlFor: (list) => `SELECT Id, Name FROM Account WHERE Name IN (${list.join(', ')})`, values: names, quote },
      { soqlFor: (list) => `SELECT Id FROM Account WHERE Id IN (${list.join(', ')})`, values: accounts.slice(0, 2).map((a) => String(a.Id)), quote: quoteId },
    ]);
    assert.deepEqual(h.sandbox.counters.snapshot(), { composite: 1, 'composite.query:Account': 3 });
    assert.deepEqual(byName!.map((a) => a.Id).sort(), accounts.map((a) => a.Id).sort());
    assert.deepEqual(byId!.map((a) => a.Id).sort(), accounts.slice(0, 2).map((a) => a.Id).sort());
    assert.deepEqual(await queryInLists(h.adapter.client, [{ soqlFor: () => 'unused', values: [], quote }]), [[]]);
    assert.equal(h.sandbox.counters.get('composite'), 1, 'no values: no call');
  });
});
