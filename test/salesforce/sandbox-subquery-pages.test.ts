/**
 * The sandbox pages parent-to-child subquery results as Salesforce documents (sandbox/salesforce/README.md):
 * a parent's child result holds its first 200 rows with `done: false` and a locator of its own that Query
 * More follows; child rows count toward a page's batch size, so a page of parents with many children ends
 * early. Raw HTTP (global fetch), so that the shapes are checked, not a client's reading of them.
 */
import assert from 'node:assert/strict';
import { SOLUTION_OBJECT, SOLUTION_PARENT_FIELD } from '../../mappings/custom-fields.salesforce.js';
import type { SalesforceSandbox } from '../../sandbox/salesforce/index.js';
import { LOCATOR_LIFETIME_MS } from '../../sandbox/salesforce/query-pages.js';
import { insertRaw } from '../../sandbox/salesforce/seed.js';
import { seedOptedIn, startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';

interface Result {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Record<string, unknown>[];
}

describe('Salesforce sandbox: subquery results are paged', function () {
  this.timeout(60_000);
  let h: SalesforceHarness;
  let sb: SalesforceSandbox;
  let token: string;
  let ids: string[];
  const fetchPath = (path: string) => fetch(`${sb.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const get = async (path: string): Promise<Result> => {
    const res = await fetchPath(path);
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.json()) as Result;
  };
  const soql = (q: string) => get(`/services/data/v62.0/query?q=${encodeURIComponent(q)}`);
  const addSolutions = (oppId: string, count: number) => {
    for (let i = 0; i < count; i += 1) insertRaw(sb.store, SOLUTION_OBJECT, { [SOLUTION_PARENT_FIELD]: oppId, Name: `Extra ${i}` });
  };

  /** A token lives 2 hours of sandbox time: a test that moves the clock further signs in again. */
  const signIn = async () => {
    const res = await fetch(`${sb.url}/services/oauth2/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: sb.credentials.clientId, client_secret: sb.credentials.clientSecret }) });
    token = ((await res.json()) as { access_token: string }).access_token;
  };

  before(async () => {
    h = await startSalesforceHarness();
    sb = h.sandbox;
    ids = seedOptedIn(sb, 36, { teamPerOpportunity: 1 });
    await signIn();
  });
  after(() => h?.close());

  it('hands out the first 200 child rows and a locator for the rest, which Query More follows to the end', async () => {
    addSolutions(ids[0]!, 449);
    const first = await soql(`SELECT Id, (SELECT Id, Name FROM Cosell_Solutions__r ORDER BY Id ASC) FROM Opportunity WHERE Id = '${ids[0]}'`);
    assert.equal(first.done, true, 'one parent: the parent page itself is complete');
    const child = first.records[0]!.Cosell_Solutions__r as Result;
    assert.equal(child.totalSize, 450);
    assert.equal(child.done, false);
    assert.equal(child.records.length, 200);
    assert.match(child.nextRecordsUrl ?? '', /^\/services\/data\/v62\.0\/query\/01g[0-9a-f]+-200$/);
    const rows = [...child.records];
    let next: string | undefined = child.nextRecordsUrl;
    let pages = 0;
    while (next) {
      const more = await get(next);
      assert.equal(more.totalSize, 450);
      rows.push(...more.records);
      next = more.done ? undefined : more.nextRecordsUrl;
      pages += 1;
    }
    assert.equal(pages, 2, 'two more pages of at most 200');
    const rowIds = rows.map((r) => String(r.Id));
    assert.equal(new Set(rowIds).size, 450);
    assert.deepEqual(rowIds, [...rowIds].sort(), 'in the subquery\'s order across pages');
    assert.ok(rows.every((r) => (r.attributes as { type: string }).type === SOLUTION_OBJECT));
  });

  it('keeps a child result of 200 rows or fewer whole, and an empty one null', async () => {
    addSolutions(ids[1]!, 199);
    const res = await soql(`SELECT Id, (SELECT Id FROM Cosell_Solutions__r), (SELECT Id FROM Cosell_Partner_Invitations__r) FROM Opportunity WHERE Id = '${ids[1]}'`);
    const child = res.records[0]!.Cosell_Solutions__r as Result;
    assert.deepEqual([child.totalSize, child.done, child.records.length, child.nextRecordsUrl], [200, true, 200, undefined]);
    assert.equal(res.records[0]!.Cosell_Partner_Invitations__r, null);
  });

  it('counts child rows toward the batch size: a page of parents ends before their children pass 2,000 rows', async () => {
    const heavy = ids.slice(2, 22);
    for (const id of heavy) addSolutions(id, 149);
    const list = heavy.map((id) => `'${id}'`).join(', ');
    const first = await soql(`SELECT Id, (SELECT Id FROM Cosell_Solutions__r) FROM Opportunity WHERE Id IN (${list}) ORDER BY Id ASC`);
    // Each parent weighs 1 + 150 rows: 13 of them (1,963 rows) fit in 2,000, a 14th would not.
    assert.equal(first.records.length, 13);
    assert.equal(first.totalSize, 20);
    assert.equal(first.done, false);
    assert.match(first.nextRecordsUrl ?? '', /-13$/);
    const second = await get(first.nextRecordsUrl!);
    assert.equal(second.done, true);
    const parents = [...first.records, ...second.records].map((r) => String(r.Id));
    assert.deepEqual(parents, [...heavy].sort());
    for (const r of [...first.records, ...second.records]) assert.equal((r.Cosell_Solutions__r as Result).records.length, 150);
  });

  it('pages a query without subqueries by rows alone, as before', async () => {
    const res = await soql('SELECT Id FROM Cosell_Solution__c ORDER BY Id ASC');
    assert.ok(res.totalSize > 2000);
    assert.equal(res.records.length, 2000);
    assert.match(res.nextRecordsUrl ?? '', /-2000$/);
  });

  it('keeps a query\'s locators, its children\'s too, for two days from the query: Query More then answers INVALID_QUERY_LOCATOR', async () => {
    const heavy = ids.slice(22, 34);
    for (const id of heavy) addSolutions(id, 300);
    const list = heavy.map((id) => `'${id}'`).join(', ');
    const first = await soql(`SELECT Id, (SELECT Id FROM Cosell_Solutions__r ORDER BY Id ASC) FROM Opportunity WHERE Id IN (${list}) ORDER BY Id ASC`);
    assert.equal(first.done, false, 'twelve parents of 201 rows each do not fit in one page');
    sb.clock.advance(LOCATOR_LIFETIME_MS - 60_000);
    await signIn();
    // A page read near the end of the query's two days hands out child locators that end with the query.
    const second = await get(first.nextRecordsUrl!);
    const lateChild = (second.records[0]!.Cosell_Solutions__r as Result).nextRecordsUrl!;
    const earlyChild = (first.records[0]!.Cosell_Solutions__r as Result).nextRecordsUrl!;
    assert.equal((await get(earlyChild)).records.length, 101, 'still open one minute before the end');
    sb.clock.advance(60_000);
    for (const url of [earlyChild, lateChild]) {
      const expired = await fetchPath(url);
      assert.equal(expired.status, 400);
      assert.deepEqual(await expired.json(), [{ message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR' }]);
    }
    // A new query hands out new locators.
    const again = await soql(`SELECT Id, (SELECT Id FROM Cosell_Solutions__r ORDER BY Id ASC) FROM Opportunity WHERE Id = '${heavy[0]}'`);
    assert.equal((await get((again.records[0]!.Cosell_Solutions__r as Result).nextRecordsUrl!)).records.length, 101);
  });
});
