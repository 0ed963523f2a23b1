/**
 * The sandbox answers as Salesforce's REST API documents: token responses and errors, session errors,
 * Sforce-Limit-Info, query pages, error arrays, collection results, upsert status codes, derived fields.
 * Raw HTTP (global fetch) so that the shapes are checked, not jsforce's reading of them.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { signJwtAssertion } from '../../connectors/salesforce/jwt.js';
import { idChecksum, type SalesforceSandbox } from '../../sandbox/salesforce/index.js';
import { startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';

describe('Salesforce sandbox wire format', function () {
  this.timeout(30_000);
  let h: SalesforceHarness;
  let sb: SalesforceSandbox;
  let token: string;
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${sb.url}/services/data/v62.0${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
  const soql = (q: string) => api(`/query?q=${encodeURIComponent(q)}`);
  const tokenRequest = (form: Record<string, string>) => fetch(`${sb.url}/services/oauth2/token`, { method: 'POST', body: new URLSearchParams(form) });

  before(async () => {
    h = await startSalesforceHarness({ setup: false });
    sb = h.sandbox;
    sb.seed();
    const res = await tokenRequest({ grant_type: 'client_credentials', client_id: sb.credentials.clientId, client_secret: sb.credentials.clientSecret });
    token = ((await res.json()) as { access_token: string }).access_token;
  });
  after(() => h?.close());

  it('issues JWT bearer tokens with the documented fields', async () => {
    const assertion = signJwtAssertion({ clientId: sb.credentials.clientId, username: sb.credentials.username, audience: sb.credentials.audience, privateKeyPem: sb.credentials.privateKeyPem });
    const res = await tokenRequest({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
    assert.equal(res.status, 200);
    const body = (await res.json()) as Record<string, string>;
    for (const key of ['access_token', 'instance_url', 'id', 'token_type', 'issued_at', 'signature']) assert.ok(body[key], key);
    assert.equal(body.instance_url, sb.url);
    assert.match(body.id!, /\/id\/00D[a-zA-Z0-9]{15}\/005[a-zA-Z0-9]{15}$/);
    assert.equal(body.token_type, 'Bearer');
  });

  it('refuses bad credentials with {error, error_description}', async () => {
    const other = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const cases: [Record<string, string>, string][] = [
      [{ grant_type: 'client_credentials', client_id: sb.credentials.clientId, client_secret: 'wrong' }, 'invalid_client'],
      [{ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: signJwtAssertion({ clientId: sb.credentials.clientId, username: sb.credentials.username, audience: sb.url, privateKeyPem: other }) }, 'invalid_grant'],
      [{ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: signJwtAssertion({ clientId: 'nope', username: sb.credentials.username, audience: sb.url, privateKeyPem: sb.credentials.privateKeyPem }) }, 'invalid_client_id'],
      [{ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: signJwtAssertion({ clientId: sb.credentials.clientId, username: sb.credentials.username, audience: 'https://elsewhere.example', privateKeyPem: sb.credentials.privateKeyPem }) }, 'invalid_grant'],
      [{ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: signJwtAssertion({ clientId: sb.credentials.clientId, username: 'nobody@x.example', audience: sb.url, privateKeyPem: sb.credentials.privateKeyPem }) }, 'invalid_grant'],
    ];
    for (const [form, error] of cases) {
      const res = await tokenRequest(form);
      assert.equal(res.status, 400);
      const body = (await res.json()) as Record<string, string>;
      assert.equal(body.error, error);
      assert.ok(body.error_description);
    }
  });

  it('answers 401 INVALID_SESSION_ID without a valid token, and Sforce-Limit-Info on API calls', async () => {
    const res = await fetch(`${sb.url}/services/data/v62.0/limits`, { headers: { authorization: 'Bearer forged' } });
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    const ok = await api('/limits');
    assert.equal(ok.status, 200);
    assert.match(ok.headers.get('sforce-limit-info') ?? '', /^api-usage=\d+\/100000$/);
    assert.match(ok.headers.get('content-type') ?? '', /^application\/json/);
    const limits = (await ok.json()) as { DailyApiRequests: { Max: number; Remaining: number } };
    assert.equal(limits.DailyApiRequests.Max, 100_000);
  });

  it('pages queries at 2,000 rows with totalSize, done and nextRecordsUrl', async () => {
    sb.generate({ opportunities: 2100, seed: 3 });
    const first = (await (await soql('SELECT Id, Name, SystemModstamp, Account.Name FROM Opportunity ORDER BY SystemModstamp, Id')).json()) as { totalSize: number; done: boolean; nextRecordsUrl: string; records: Record<string, unknown>[] };
    assert.equal(first.totalSize, 2400);
    assert.equal(first.done, false);
    assert.equal(first.records.length, 2000);
    assert.match(first.nextRecordsUrl, /^\/services\/data\/v62\.0\/query\/01g[^/]+-2000$/);
    const rec = first.records[0]!;
    assert.deepEqual(Object.keys(rec.attributes as object), ['type', 'url']);
    assert.match(String(rec.SystemModstamp), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
    assert.equal((rec.Account as { attributes: { type: string } }).attributes.type, 'Account');
    const id = String(rec.Id);
    assert.equal(id.length, 18);
    assert.equal(id.slice(0, 3), '006');
    assert.equal(id.slice(15), idChecksum(id.slice(0, 15)));
    const second = (await (await api(first.nextRecordsUrl.replace('/services/data/v62.0', ''))).json()) as { done: boolean; records: unknown[] };
    assert.equal(second.done, true);
    assert.equal(second.records.length, 400);
  });

  it('evaluates WHERE, ORDER BY, LIMIT, relationships, subqueries and COUNT()', async () => {
    const q = async (text: string) => (await (await soql(text)).json()) as { totalSize: number; records: Record<string, unknown>[] };
    const won = await q("SELECT Id, IsWon, IsClosed, Probability FROM Opportunity WHERE StageName = 'Closed Won' AND (Amount > 1000 OR Amount = null) LIMIT 5");
    assert.ok(won.records.length > 0);
    for (const r of won.records) assert.deepEqual([r.IsWon, r.IsClosed, r.Probability], [true, true, 100]);
    const notClosed = await q('SELECT Id FROM Opportunity WHERE NOT IsClosed = true');
    const open = await q('SELECT Id FROM Opportunity WHERE IsClosed = false');
    assert.equal(notClosed.totalSize, open.totalSize);
    const like = await q("SELECT Name FROM Account WHERE Name LIKE 'contoso%' ORDER BY Name DESC, Id ASC");
    assert.ok(like.records.every((r) => String(r.Name).startsWith('Contoso')));
    const names = like.records.map((r) => String(r.Name));
    assert.deepEqual(names, [...names].sort((a, b) => b.localeCompare(a, 'en', { sensitivity: 'base' })));
    const count = await q("SELECT COUNT() FROM Opportunity WHERE StageName IN ('Closed Won', 'Closed Lost')");
    assert.equal(count.records.length, 0);
    assert.ok(count.totalSize > 0);
    const dated = await q('SELECT Id FROM Opportunity WHERE SystemModstamp > 2000-01-01T00:00:00.000Z AND CreatedDate < 2999-01-01T00:00:00Z');
    assert.equal(dated.totalSize, 2400);
    const sub = await q('SELECT Id, (SELECT User.Email FROM OpportunityTeamMembers), (SELECT Contact.Email FROM OpportunityContactRoles WHERE IsPrimary = true) FROM Opportunity LIMIT 1');
    const team = sub.records[0]!.OpportunityTeamMembers as { totalSize: number; records: { User: { Email: string } }[] };
    assert.ok(team.totalSize >= 1 && team.records[0]!.User.Email.includes('@'));
  });

  it('answers errors as [{message, errorCode, fields}]', async () => {
    const expectError = async (res: Response, status: number, errorCode: string) => {
      assert.equal(res.status, status);
      const body = (await res.json()) as { errorCode: string; message: string }[];
      assert.ok(Array.isArray(body));
      assert.equal(body[0]!.errorCode, errorCode);
      assert.ok(body[0]!.message);
    };
    await expectError(await soql('SELECT FROM'), 400, 'MALFORMED_QUERY');
    await expectError(await soql('SELECT Nope__c FROM Opportunity'), 400, 'INVALID_FIELD');
    await expectError(await soql('SELECT Id FROM Nope__c'), 400, 'INVALID_TYPE');
    await expectError(await api(`/sobjects/Opportunity/0065gzzzzzzzzzz${idChecksum('0065gzzzzzzzzzz')}`), 404, 'NOT_FOUND');
    await expectError(await api('/sobjects/Opportunity', { method: 'POST', body: JSON.stringify({ Name: 'x' }) }), 400, 'REQUIRED_FIELD_MISSING');
    await expectError(await api('/sobjects/Opportunity', { method: 'POST', body: JSON.stringify({ Name: 'x', CloseDate: '2027-01-01', StageName: 'Dreaming' }) }), 400, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    await expectError(await api('/sobjects/Opportunity', { method: 'POST', body: JSON.stringify({ Name: 'x', CloseDate: '2027-01-01', StageName: 'Prospecting', Amount: -5 }) }), 400, 'FIELD_CUSTOM_VALIDATION_EXCEPTION');
    await expectError(await api('/sobjects/Opportunity', { method: 'POST', body: JSON.stringify({ Name: 'x', Cosell_Sync__c: true }) }), 400, 'INVALID_FIELD');
    const tooMany = Array.from({ length: 201 }, (_, i) => ({ attributes: { type: 'Account' }, Name: `A${i}` }));
    await expectError(await api('/composite/sobjects', { method: 'POST', body: JSON.stringify({ allOrNone: false, records: tooMany }) }), 400, 'EXCEEDED_ID_LIMIT');
  });

  it('derives stage fields, audit fields and returns per-record collection results', async () => {
    const res = await api('/composite/sobjects', { method: 'POST', body: JSON.stringify({ allOrNone: false, records: [
      { attributes: { type: 'Opportunity' }, Name: 'Wire deal', CloseDate: '2027-02-01', StageName: 'Negotiation/Review' },
      { attributes: { type: 'Opportunity' }, Name: 'Missing date', StageName: 'Prospecting' },
    ] }) });
    assert.equal(res.status, 200);
    const results = (await res.json()) as { id?: string; success: boolean; errors: { statusCode: string; fields: string[] }[] }[];
    assert.equal(results[0]!.success, true);
    assert.equal(results[1]!.success, false);
    assert.equal(results[1]!.errors[0]!.statusCode, 'REQUIRED_FIELD_MISSING');
    assert.deepEqual(results[1]!.errors[0]!.fields, ['CloseDate']);
    const rec = (await (await api(`/sobjects/Opportunity/${results[0]!.id}`)).json()) as Record<string, unknown>;
    assert.deepEqual([rec.Probability, rec.IsClosed, rec.IsWon, rec.ForecastCategoryName], [90, false, false, 'Pipeline']);
    assert.ok(rec.CreatedDate && rec.LastModifiedDate && rec.SystemModstamp);
    sb.clock.advance(60_000);
    assert.equal((await api(`/sobjects/Opportunity/${results[0]!.id}`, { method: 'PATCH', body: JSON.stringify({ StageName: 'Closed Won' }) })).status, 204);
    const after = (await (await api(`/sobjects/Opportunity/${results[0]!.id}`)).json()) as Record<string, unknown>;
    assert.deepEqual([after.Probability, after.IsClosed, after.IsWon], [100, true, true]);
    assert.ok(String(after.SystemModstamp) > String(rec.SystemModstamp));
  });

  it('creates custom fields through the Tooling API and upserts on an external ID (201 then 200)', async () => {
    const before = (await (await api('/sobjects/Opportunity/describe')).json()) as { fields: { name: string }[] };
    assert.ok(!before.fields.some((f) => f.name === 'Ext_Key__c'));
    const created = await api('/tooling/sobjects/CustomField', { method: 'POST', body: JSON.stringify({ FullName: 'Opportunity.Ext_Key__c', Metadata: { label: 'Ext key', type: 'Text', length: 20, externalId: true, unique: true } }) });
    assert.equal(created.status, 201);
    const again = await api('/tooling/sobjects/CustomField', { method: 'POST', body: JSON.stringify({ FullName: 'Opportunity.Ext_Key__c', Metadata: { label: 'Ext key', type: 'Text', length: 20 } }) });
    assert.equal(again.status, 400);
    const listed = (await (await api(`/tooling/query?q=${encodeURIComponent("SELECT DeveloperName, TableEnumOrId FROM CustomField WHERE TableEnumOrId = 'Opportunity'")}`)).json()) as { records: { DeveloperName: string }[] };
    assert.ok(listed.records.some((r) => r.DeveloperName === 'Ext_Key'));
    const body = JSON.stringify({ Name: 'Upserted', CloseDate: '2027-03-01', StageName: 'Prospecting' });
    const first = await api('/sobjects/Opportunity/Ext_Key__c/K-1', { method: 'PATCH', body });
    assert.equal(first.status, 201);
    assert.equal(((await first.json()) as { created: boolean }).created, true);
    const second = await api('/sobjects/Opportunity/Ext_Key__c/K-1', { method: 'PATCH', body });
    assert.equal(second.status, 200);
    assert.equal(((await second.json()) as { created: boolean }).created, false);
  });

  it('runs Composite subrequests as one API call and reports getDeleted in the documented shape', async () => {
    const usage = sb.store.apiUsage;
    const q = (soql: string) => `/services/data/v62.0/query/?q=${encodeURIComponent(soql)}`;
    const res = await api('/composite', { method: 'POST', body: JSON.stringify({ allOrNone: false, compositeRequest: [
      { method: 'GET', url: q('SELECT Id FROM Account LIMIT 2'), referenceId: 'accounts' },
      { method: 'GET', url: q('SELECT Nope FROM Account'), referenceId: 'broken' },
    ] }) });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { compositeResponse: { referenceId: string; httpStatusCode: number; body: unknown }[] };
    assert.deepEqual(body.compositeResponse.map((r) => [r.referenceId, r.httpStatusCode]), [['accounts', 200], ['broken', 400]]);
    assert.equal((body.compositeResponse[0]!.body as { records: unknown[] }).records.length, 2);
    assert.equal(sb.store.apiUsage, usage + 1, 'a composite call counts once');

    const victim = sb.store.all('Opportunity')[0]!.Id;
    assert.equal((await api(`/sobjects/Opportunity/${victim}`, { method: 'DELETE' })).status, 204);
    const start = new Date(sb.clock.nowMs() - 3_600_000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
    const end = new Date(sb.clock.nowMs() + 60_000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
    const deleted = (await (await api(`/sobjects/Opportunity/deleted/?start=${encodeURIComponent(start)}&end=${encodeURIComponent(end)}`)).json()) as { deletedRecords: { id: string; deletedDate: string }[]; earliestDateAvailable: string; latestDateCovered: string };
    assert.deepEqual(deleted.deletedRecords.map((d) => d.id), [victim]);
    assert.match(deleted.latestDateCovered, /:00\.000\+0000$/, 'minute precision');
    assert.ok(deleted.earliestDateAvailable);
  });

  it('answers each Composite subrequest with the body and status the same request gets on its own, in the documented envelope', async () => {
    const q = (soql: string) => `/services/data/v62.0/query/?q=${encodeURIComponent(soql)}`;
    const subrequests = [
      { method: 'GET', url: q('SELECT Id, Name, CreatedDate, Account.Name FROM Opportunity ORDER BY Id LIMIT 3'), referenceId: 'deals' },
      { method: 'GET', url: q('SELECT Nope FROM Account'), referenceId: 'broken' },
      { method: 'GET', url: '/services/data/v62.0/nowhere', referenceId: 'missing' },
      { method: 'GET', url: q('SELECT COUNT() FROM Account') },
    ];
    const res = await api('/composite', { method: 'POST', body: JSON.stringify({ allOrNone: false, compositeRequest: subrequests }) });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json;charset=UTF-8$/);
    const body = (await res.json()) as { compositeResponse: Record<string, unknown>[] };
    assert.deepEqual(Object.keys(body), ['compositeResponse']);
    for (const [i, sub] of subrequests.entries()) {
      const answer = body.compositeResponse[i]!;
      assert.deepEqual(Object.keys(answer), ['body', 'httpHeaders', 'httpStatusCode', ...(sub.referenceId ? ['referenceId'] : [])]);
      assert.deepEqual(answer.httpHeaders, {});
      assert.equal(answer.referenceId, sub.referenceId);
      if (sub.referenceId === 'missing') {
        assert.deepEqual([answer.httpStatusCode, answer.body], [404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]]);
        continue;
      }
      const alone = await fetch(`${sb.url}${sub.url}`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(answer.httpStatusCode, alone.status, sub.url);
      assert.deepEqual(answer.body, await alone.json(), sub.url);
    }
  });

  it('getDeleted follows Salesforce\'s window rules: more than a minute, 15 days from the start of the day, seconds ignored', async () => {
    const at = (ms: number) => encodeURIComponent(new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00'));
    const getDeleted = async (start: number, end: number) => {
      const res = await api(`/sobjects/OpportunityTeamMember/deleted/?start=${at(start)}&end=${at(end)}`);
      return { status: res.status, body: (await res.json()) as { errorCode?: string; message?: string }[] & { latestDateCovered?: string; earliestDateAvailable?: string } };
    };
    const now = sb.clock.nowMs();
    const minuteStart = Math.floor(now / 60_000) * 60_000;
    const oneMinute = await getDeleted(minuteStart - 60_000, minuteStart + 59_000);
    assert.equal(oneMinute.status, 400);
    assert.equal(oneMinute.body[0]!.errorCode, 'INVALID_REPLICATION_DATE');
    assert.match(oneMinute.body[0]!.message!, /more than one minute/);
    const dayStart = Math.floor(now / 86_400_000) * 86_400_000;
    const tooOld = await getDeleted(dayStart - 15 * 86_400_000 - 60_000, now);
    assert.equal(tooOld.body[0]!.errorCode, 'INVALID_REPLICATION_DATE');
    const oldest = await getDeleted(dayStart - 15 * 86_400_000, now);
    assert.equal(oldest.status, 200);
    assert.equal(Date.parse(oldest.body.earliestDateAvailable!.replace('+0000', 'Z')), dayStart - 15 * 86_400_000);
    const future = await getDeleted(now - 600_000, now + 3_600_000);
    assert.equal(Date.parse(future.body.latestDateCovered!.replace('+0000', 'Z')), minuteStart, 'covered up to now, never after end');
  });

  it('getDeleted after a purge: earliestDateAvailable is the last purged deletion; after an emptied Recycle Bin an earlier start is refused', async () => {
    const at = (ms: number) => encodeURIComponent(new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00'));
    const iso = (sf: string) => Date.parse(sf.replace('+0000', 'Z'));
    const getDeleted = async (start: number, end: number) => {
      const res = await api(`/sobjects/Contact/deleted/?start=${at(start)}&end=${at(end)}`);
      return { status: res.status, body: (await res.json()) as { errorCode?: string; message?: string }[] & { deletedRecords?: { id: string }[]; latestDateCovered?: string; earliestDateAvailable?: string } };
    };
    const control = (body: unknown) => fetch(`${sb.url}/_sandbox/deleted/purge`, { method: 'POST', body: JSON.stringify(body) });
    const start = sb.clock.nowMs() - 3_600_000;
    const created = (await (await api('/sobjects/Contact', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ LastName: 'Purged' }) })).json()) as { id: string };
    assert.equal((await api(`/sobjects/Contact/${created.id}`, { method: 'DELETE' })).status, 204);
    const deletedAt = Date.parse(sb.store.now());
    sb.clock.advance(120_000);
    assert.deepEqual((await getDeleted(start, sb.clock.nowMs())).body.deletedRecords?.map((d) => d.id), [created.id]);

    // The background purge of an oversized delete log: the entry is gone, and the answer says from when.
    assert.deepEqual(await (await control({ type: 'Contact' })).json(), { purged: 1 });
    const purged = await getDeleted(start, sb.clock.nowMs());
    assert.equal(purged.status, 200);
    assert.deepEqual(purged.body.deletedRecords, []);
    assert.equal(iso(purged.body.earliestDateAvailable!), deletedAt, 'the timestamp of the last physically deleted object');
    assert.ok(iso(purged.body.earliestDateAvailable!) > start);

    // An administrator empties the Recycle Bin: a window starting before it is refused.
    sb.clock.advance(60_000);
    await control({ type: 'Contact', recycleBin: true });
    const emptiedAt = sb.clock.nowMs();
    sb.clock.advance(180_000);
    const refused = await getDeleted(start, sb.clock.nowMs());
    assert.equal(refused.status, 400);
    assert.equal(refused.body[0]!.errorCode, 'INVALID_REPLICATION_DATE');
    assert.equal((await getDeleted(emptiedAt + 60_000, sb.clock.nowMs())).status, 200, 'a window after the purge is answered');
  });

  it('answers 403 REQUEST_LIMIT_EXCEEDED once the daily limit is used up', async () => {
    const saved = sb.store.dailyLimit;
    sb.store.dailyLimit = sb.store.apiUsage;
    const res = await api('/limits');
    assert.equal(res.status, 403);
    assert.equal(((await res.json()) as { errorCode: string }[])[0]!.errorCode, 'REQUEST_LIMIT_EXCEEDED');
    sb.store.dailyLimit = saved;
  });
});
