/**
 * Requests copied from Salesforce's REST API Developer Guide, sent unchanged (host and token substituted),
 * and the answers the guide documents. Raw HTTP, so the wire is checked rather than jsforce's reading of it.
 */
import assert from 'node:assert/strict';
import { Connection } from 'jsforce';
import type { SalesforceSandbox } from '../../sandbox/salesforce/index.js';
import { startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';

describe('Salesforce sandbox answers the documented examples', function () {
  this.timeout(30_000);
  let h: SalesforceHarness;
  let sb: SalesforceSandbox;
  let token: string;
  const get = (path: string) => fetch(`${sb.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const utc = (ms: number) => encodeURIComponent(new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00'));

  before(async () => {
    h = await startSalesforceHarness({ setup: false });
    sb = h.sandbox;
    sb.seed();
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: sb.credentials.clientId, client_secret: sb.credentials.clientSecret });
    token = ((await (await fetch(`${sb.url}/services/oauth2/token`, { method: 'POST', body: form })).json()) as { access_token: string }).access_token;
  });
  after(() => h?.close());

  // https://developer.salesforce.com/docs/platform/api-rest/guide/dome-discoveryresource.md
  // curl https://MyDomainName.my.salesforce.com/services/data/v62.0/ -H "Authorization: Bearer token"
  it('Resources by Version: GET /services/data/vXX.X/ lists resource names and URIs, identity included', async () => {
    const res = await get('/services/data/v62.0/');
    assert.equal(res.status, 200);
    const body = (await res.json()) as Record<string, string>;
    for (const name of ['sobjects', 'query', 'queryAll', 'composite', 'limits', 'tooling']) assert.equal(body[name], `/services/data/v62.0/${name}`, name);
    assert.match(body.identity!, /\/id\/00D[a-zA-Z0-9]{15}\/005[a-zA-Z0-9]{15}$/);
  });

  it('jsforce identity() without user info reads the identity URL from Resources by Version', async () => {
    const conn = new Connection({ instanceUrl: sb.url, accessToken: token, version: '62.0' });
    const identity = await conn.identity();
    assert.equal(identity.username, sb.credentials.username);
  });

  // https://developer.salesforce.com/docs/platform/api-rest/guide/dome-get-updated.md
  // curl …/services/data/v62.0/sobjects/Merchandise__c/updated/?start=2013-05-06T00%3A00%3A00%2B00%3A00&end=… →
  // {"ids":[…],"latestDateCovered":"2013-05-08T21:20:00.000+0000"}
  it('sObject Get Updated lists the IDs changed in the window and latestDateCovered', async () => {
    const now = sb.clock.nowMs();
    const before = sb.store.all('Opportunity').length;
    sb.clock.advance(120_000);
    const edited = sb.store.all('Opportunity')[0]!.Id as string;
    assert.equal(sb.seller.editOpportunity(edited, { NextStep: 'Call back' }).ok, true);
    sb.clock.advance(120_000);
    const res = await get(`/services/data/v62.0/sobjects/Opportunity/updated/?start=${utc(now + 60_000)}&end=${utc(sb.clock.nowMs())}`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { ids: string[]; latestDateCovered: string };
    assert.deepEqual(body.ids, [edited]);
    assert.match(body.latestDateCovered, /^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000\+0000$/);
    assert.ok(before > 1);
  });

  // Same page: "Results are returned for no more than 30 days previous to the day the call is executed."
  it('sObject Get Updated refuses a start more than 30 days back, and a window of a minute or less', async () => {
    const now = sb.clock.nowMs();
    const old = await get(`/services/data/v62.0/sobjects/Opportunity/updated/?start=${utc(now - 31 * 86_400_000)}&end=${utc(now)}`);
    assert.equal(old.status, 400);
    assert.equal(((await old.json()) as { errorCode: string }[])[0]!.errorCode, 'INVALID_REPLICATION_DATE');
    const minute = Math.floor(now / 60_000) * 60_000;
    const short = await get(`/services/data/v62.0/sobjects/Opportunity/updated/?start=${utc(minute - 60_000)}&end=${utc(minute)}`);
    assert.equal(short.status, 400);
    assert.equal(((await short.json()) as { errorCode: string }[])[0]!.errorCode, 'INVALID_REPLICATION_DATE');
  });

  it('jsforce sobject().updated() reads the same answer', async () => {
    const conn = new Connection({ instanceUrl: sb.url, accessToken: token, version: '62.0' });
    const now = sb.clock.nowMs();
    const result = await conn.sobject('Opportunity').updated(new Date(now - 86_400_000).toISOString(), new Date(now).toISOString());
    assert.ok(Array.isArray(result.ids));
    assert.ok(result.latestDateCovered);
  });

  const composite = async (request: unknown) => {
    const res = await fetch(`${sb.url}/services/data/v62.0/composite`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(request) });
    assert.equal(res.status, 200);
    return ((await res.json()) as { compositeResponse: { body: unknown; httpHeaders: Record<string, string>; httpStatusCode: number; referenceId: string }[] }).compositeResponse;
  };

  // https://developer.salesforce.com/docs/platform/api-rest/guide/dome-composite-record-manipulation.md (the
  // "refAccount" example): a later subrequest uses an earlier one's result through @{referenceId.field}, in
  // its body and in its URL (https://developer.salesforce.com/docs/platform/api-rest/guide/resources-composite-composite.md).
  it('Composite resolves @{reference} expressions in bodies and URLs, and gives created records a Location header', async () => {
    const answers = await composite({ allOrNone: true, compositeRequest: [
      { method: 'POST', url: '/services/data/v62.0/sobjects/Account', referenceId: 'refAccount', body: { Name: 'Sample Account' } },
      { method: 'POST', url: '/services/data/v62.0/sobjects/Contact', referenceId: 'refContact', body: { LastName: 'Sample Contact', AccountId: '@{refAccount.id}' } },
      { method: 'GET', url: '/services/data/v62.0/query/?q=SELECT+Id+FROM+Contact+WHERE+LastName+=+\'Sample+Contact\'', referenceId: 'refQuery' },
      { method: 'GET', url: '/services/data/v62.0/sobjects/Contact/@{refQuery.records[0].Id}?fields=AccountId', referenceId: 'refRead' },
    ] });
    assert.deepEqual(answers.map((a) => a.httpStatusCode), [201, 201, 200, 200]);
    const accountId = (answers[0]!.body as { id: string }).id;
    assert.equal(answers[0]!.httpHeaders.Location, `/services/data/v62.0/sobjects/Account/${accountId}`);
    assert.equal(sb.store.get('Contact', (answers[1]!.body as { id: string }).id)!.AccountId, accountId);
    assert.equal((answers[3]!.body as { AccountId: string }).AccountId, accountId);
  });

  // Composite Subrequest Result (https://developer.salesforce.com/docs/atlas.en-us.238.0.api_rest.meta/api_rest/resources_composite_subrequest_result.htm):
  // "If allOrNone is set to true in the composite request and a subrequest returns an error, all other
  // subrequests return the 400 HTTP status code", and the whole request is rolled back.
  it('Composite with allOrNone true rolls every subrequest back and answers the others 400 PROCESSING_HALTED', async () => {
    const accounts = sb.store.all('Account').length;
    const answers = await composite({ allOrNone: true, compositeRequest: [
      { method: 'POST', url: '/services/data/v62.0/sobjects/Account', referenceId: 'refAccount', body: { Name: 'Rolled Back Account' } },
      { method: 'POST', url: '/services/data/v62.0/sobjects/Contact', referenceId: 'badContact', body: { FirstName: 'No last name', AccountId: '@{refAccount.id}' } },
      { method: 'GET', url: '/services/data/v62.0/limits', referenceId: 'after' },
    ] });
    assert.deepEqual(answers.map((a) => [a.referenceId, a.httpStatusCode]), [['refAccount', 400], ['badContact', 400], ['after', 400]]);
    assert.equal((answers[1]!.body as { errorCode: string }[])[0]!.errorCode, 'REQUIRED_FIELD_MISSING');
    for (const i of [0, 2]) assert.equal((answers[i]!.body as { errorCode: string }[])[0]!.errorCode, 'PROCESSING_HALTED');
    assert.equal(sb.store.all('Account').length, accounts, 'the account created first is rolled back');
  });

  it('Composite with allOrNone false keeps what succeeded', async () => {
    const accounts = sb.store.all('Account').length;
    const answers = await composite({ allOrNone: false, compositeRequest: [
      { method: 'POST', url: '/services/data/v62.0/sobjects/Account', referenceId: 'refAccount', body: { Name: 'Kept Account' } },
      { method: 'POST', url: '/services/data/v62.0/sobjects/Contact', referenceId: 'badContact', body: { FirstName: 'No last name' } },
    ] });
    assert.deepEqual(answers.map((a) => a.httpStatusCode), [201, 400]);
    assert.equal(sb.store.all('Account').length, accounts + 1);
  });

  // https://developer.salesforce.com/docs/platform/salesforce-soql-sosl/guide/sforce-api-calls-soql-select-dateformats.md:
  // date and dateTime values are unquoted literals (`WHERE CreatedDate > 2005-10-08T01:02:03Z`). A quoted one is
  // refused ("value of filter criterion for field … must be of type dateTime and should not be enclosed in
  // quotes"); the sandbox compared it as text and answered no rows, so a reader quoting its watermark saw nothing.
  it('SOQL refuses quoted date, dateTime and number values instead of matching nothing', async () => {
    const soql = (q: string) => get(`/services/data/v62.0/query/?q=${encodeURIComponent(q)}`);
    for (const [where, field, type] of [
      ["SystemModstamp > '2024-01-01T00:00:00Z'", 'SystemModstamp', 'dateTime'],
      ["CloseDate > '2024-01-01'", 'CloseDate', 'date'],
      ["Amount > '5'", 'Amount', 'double'],
    ]) {
      const res = await soql(`SELECT Id FROM Opportunity WHERE ${where}`);
      assert.equal(res.status, 400, where);
      const [error] = (await res.json()) as { errorCode: string; message: string }[];
      assert.equal(error!.errorCode, 'INVALID_FIELD');
      assert.equal(error!.message, `value of filter criterion for field '${field}' must be of type ${type} and should not be enclosed in quotes`);
    }
    const unquoted = await soql('SELECT Id FROM Opportunity WHERE SystemModstamp > 2024-01-01T00:00:00Z AND CloseDate > 2000-01-01 AND Amount > 5');
    assert.equal(unquoted.status, 200);
    assert.ok(((await unquoted.json()) as { totalSize: number }).totalSize > 0);
  });

  // Conditional Request Headers (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/intro_rest_conditional_requests.htm):
  // If-Modified-Since / If-Unmodified-Since "compare the precondition to the last modified date of the record",
  // following HTTP 1.1 (304 Not Modified for a GET, 412 Precondition Failed for a PATCH).
  it('sObject Rows honour If-Modified-Since (304) and If-Unmodified-Since (412)', async () => {
    const rec = sb.store.all('Opportunity')[1]!;
    const url = `${sb.url}/services/data/v62.0/sobjects/Opportunity/${rec.Id}`;
    const modified = Date.parse(String(rec.LastModifiedDate));
    const httpDate = (ms: number) => new Date(ms).toUTCString();
    const since = (ms: number) => fetch(url, { headers: { authorization: `Bearer ${token}`, 'If-Modified-Since': httpDate(ms) } });
    assert.equal((await since(modified + 60_000)).status, 304);
    assert.equal((await since(modified - 60_000)).status, 200);
    const patch = (ms: number, NextStep: string) => fetch(url, { method: 'PATCH', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'If-Unmodified-Since': httpDate(ms) }, body: JSON.stringify({ NextStep }) });
    assert.equal((await patch(modified - 60_000, 'Stale write')).status, 412);
    assert.notEqual(sb.store.get('Opportunity', rec.Id)!.NextStep, 'Stale write');
    assert.equal((await patch(modified + 60_000, 'Fresh write')).status, 204);
    assert.equal(sb.store.get('Opportunity', rec.Id)!.NextStep, 'Fresh write');
  });
});
