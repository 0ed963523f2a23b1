/**
 * The sandbox caps a query's batches at 200 records when its statement selects two or more custom long text
 * fields, as Salesforce documents for REST and SOAP queries ("If the SOQL statement selects two or more custom
 * fields of type long text, the batch size can't be greater than 200 records", Change the Batch Size in
 * Queries). Counted anywhere in the statement, subqueries included; child rows count toward the batch as
 * always; standard long text (Description) does not count. Query, QueryAll, Query More and Composite query
 * subrequests alike. Raw HTTP (global fetch), so that the shapes are checked, not a client's reading of them.
 */
import assert from 'node:assert/strict';
import { F, INVITATION_FIELDS, INVITATION_OBJECT, SOLUTION_PARENT_FIELD } from '../../mappings/custom-fields.salesforce.js';
import type { SalesforceSandbox } from '../../sandbox/salesforce/index.js';
import { insertRaw } from '../../sandbox/salesforce/seed.js';
import { seedOptedIn, startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';

interface Result {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Record<string, unknown>[];
}

const N = 500;

describe('Salesforce sandbox: two custom long text fields cap a batch at 200 records', function () {
  this.timeout(60_000);
  let h: SalesforceHarness;
  let sb: SalesforceSandbox;
  let token: string;
  let ids: string[];
  const call = async (path: string, init: RequestInit = {}): Promise<unknown> => {
    const res = await fetch(`${sb.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers as Record<string, string> | undefined) } });
    assert.equal(res.status, 200, await res.clone().text());
    return res.json();
  };
  const soql = (q: string, resource = 'query', headers: Record<string, string> = {}) => call(`/services/data/v62.0/${resource}?q=${encodeURIComponent(q)}`, { headers }) as Promise<Result>;
  /** Every batch's size, following `nextRecordsUrl` to the end. */
  const batches = async (first: Result): Promise<number[]> => {
    const sizes = [first.records.length];
    let next = first.done ? undefined : first.nextRecordsUrl;
    while (next) {
      const more = (await call(next)) as Result;
      sizes.push(more.records.length);
      next = more.done ? undefined : more.nextRecordsUrl;
    }
    return sizes;
  };

  before(async () => {
    h = await startSalesforceHarness();
    sb = h.sandbox;
    ids = seedOptedIn(sb, N);
    // One invitation per opportunity: its Notes__c is a custom long text field on the child object.
    for (const id of ids) insertRaw(sb.store, INVITATION_OBJECT, { [SOLUTION_PARENT_FIELD]: id, Name: 'Invitation', [INVITATION_FIELDS.notes]: 'notes' });
    const res = await fetch(`${sb.url}/services/oauth2/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: sb.credentials.clientId, client_secret: sb.credentials.clientSecret }) });
    token = ((await res.json()) as { access_token: string }).access_token;
  });
  after(() => h?.close());

  it('pages a query with one custom long text field (and the standard Description) at 2,000', async () => {
    const first = await soql(`SELECT Id, Description, ${F.notesToMicrosoft} FROM Opportunity`);
    assert.equal(first.totalSize, N);
    assert.deepEqual(await batches(first), [N]);
  });

  it('pages a query with two custom long text fields at 200, Query More included, whatever batchSize asks', async () => {
    const q = `SELECT Id, ${F.invitations}, ${F.outsideTeam} FROM Opportunity ORDER BY Id`;
    const first = await soql(q);
    assert.equal(first.totalSize, N);
    assert.deepEqual(await batches(first), [200, 200, 100]);
    assert.deepEqual(await batches(await soql(q, 'query', { 'sforce-query-options': 'batchSize=1000' })), [200, 200, 100]);
    assert.deepEqual(await batches(await soql(q, 'queryAll')), [200, 200, 100], 'QueryAll too');
  });

  it('counts a long text field of a subquery, and the child rows toward the 200', async () => {
    const q = `SELECT Id, ${F.notesToMicrosoft}, (SELECT Id, ${INVITATION_FIELDS.notes} FROM Cosell_Partner_Invitations__r) FROM Opportunity ORDER BY Id`;
    const first = await soql(q);
    assert.equal(first.records.length, 100, 'each opportunity with its invitation weighs 2 records');
    assert.deepEqual(await batches(first), [100, 100, 100, 100, 100]);
    // The same subquery beside no other long text field: one such field, 2,000 a batch (1,000 parents).
    assert.deepEqual(await batches(await soql(`SELECT Id, (SELECT Id, ${INVITATION_FIELDS.notes} FROM Cosell_Partner_Invitations__r) FROM Opportunity`)), [N]);
  });

  it('caps a Composite query subrequest and its Query More the same way', async () => {
    const q = `SELECT Id, ${F.notesToMicrosoft}, ${F.outsideTeam} FROM Opportunity ORDER BY Id`;
    const body = { compositeRequest: [{ method: 'GET', url: `/services/data/v62.0/query?q=${encodeURIComponent(q)}`, referenceId: 'q' }] };
    const answer = (await call('/services/data/v62.0/composite', { method: 'POST', body: JSON.stringify(body) })) as { compositeResponse: { body: Result; httpStatusCode: number }[] };
    const first = answer.compositeResponse[0]!;
    assert.equal(first.httpStatusCode, 200);
    assert.equal(first.body.records.length, 200);
    const more = { compositeRequest: [{ method: 'GET', url: first.body.nextRecordsUrl!, referenceId: 'more' }] };
    const next = (await call('/services/data/v62.0/composite', { method: 'POST', body: JSON.stringify(more) })) as { compositeResponse: { body: Result }[] };
    assert.equal(next.compositeResponse[0]!.body.records.length, 200);
  });
});
