/**
 * The Dataverse sandbox answers as the Web API does: requests written as in Microsoft's documentation,
 * sent with fetch and a token from the Entra sandbox's signer.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDataverseSandbox, type DataverseSandbox } from '../../sandbox/dataverse/index.js';
import { TokenSigner } from '../../sandbox/entra/index.js';
import { applicationToken } from '../helpers/dataverse-token.js';

const signer = new TokenSigner('test-key');

const token = (audience: string): string => applicationToken(signer, audience);

describe('Dataverse sandbox: Web API behaviour', function () {
  this.timeout(20_000);
  let dv: DataverseSandbox;
  let api: string;
  let headers: Record<string, string>;
  const call = async (method: string, path: string, body?: unknown, extra: Record<string, string> = {}) => {
    const res = await fetch(path.startsWith('http') ? path : `${api}${path}`, {
      method, headers: { ...headers, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...extra }, ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    // Answers are free-form OData JSON that each test inspects by path.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    type Json = Record<string, any>;
    return { status: res.status, headers: res.headers, text, json: (text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined) as Json };
  };
  beforeEach(async () => {
    dv = await startDataverseSandbox({ signer, seed: 'default' });
    api = `${dv.url}/api/data/v9.2/`;
    headers = { Authorization: `Bearer ${token(dv.environmentUrl)}`, Accept: 'application/json', 'OData-MaxVersion': '4.0', 'OData-Version': '4.0' };
  });
  afterEach(async () => dv.close());

  it('refuses a missing token and a token for another audience with 401', async () => {
    assert.equal((await call('GET', 'WhoAmI', undefined, { Authorization: '' })).status, 401);
    const wrong = await call('GET', 'WhoAmI', undefined, { Authorization: `Bearer ${token('https://other.crm.dynamics.com')}` });
    assert.equal(wrong.status, 401);
    assert.match(wrong.json.error.message, /audience/);
  });

  it('creates with 204 and OData-EntityId, or 201 and the row with return=representation', async () => {
    const plain = await call('POST', 'accounts', { name: 'Contoso Pharmaceuticals' });
    assert.equal(plain.status, 204);
    assert.match(plain.headers.get('odata-entityid')!, /\/api\/data\/v9\.2\/accounts\([0-9a-f-]{36}\)$/);
    const rep = await call('POST', 'accounts?$select=name', { name: 'Fabrikam' }, { Prefer: 'return=representation' });
    assert.equal(rep.status, 201);
    assert.match(rep.json['@odata.etag'], /^W\/"\d+"$/);
    assert.equal(rep.json.name, 'Fabrikam');
  });

  it('upserts with PATCH unless If-Match: *, and answers a stale ETag with 412', async () => {
    const id = 'd0000000-0000-4000-8000-00000000000a';
    assert.equal((await call('PATCH', `accounts(${id})`, { name: 'Upserted' }, { 'If-Match': '*' })).status, 404);
    assert.equal((await call('PATCH', `accounts(${id})`, { name: 'Upserted' })).status, 204);
    const read = await call('GET', `accounts(${id})?$select=name`);
    assert.equal(read.json.name, 'Upserted');
    assert.equal((await call('PATCH', `accounts(${id})`, { name: 'Again' }, { 'If-None-Match': '*' })).status, 412);
    assert.equal((await call('PATCH', `accounts(${id})`, { name: 'Now' }, { 'If-Match': read.json['@odata.etag'] })).status, 204);
    const stale = await call('PATCH', `accounts(${id})`, { name: 'Late' }, { 'If-Match': read.json['@odata.etag'] });
    assert.equal(stale.status, 412);
    assert.deepEqual(stale.json, { error: { code: '0x80060882', message: "The version of the existing record doesn't match the RowVersion property provided." } });
  });

  it('pages with odata.maxpagesize and nextLink, refuses $skip and unknown columns', async () => {
    const first = await call('GET', 'opportunities?$select=name&$orderby=name asc', undefined, { Prefer: 'odata.maxpagesize=5' });
    assert.equal(first.json.value.length, 5);
    assert.equal(first.headers.get('preference-applied'), 'odata.maxpagesize=5');
    const second = await call('GET', first.json['@odata.nextLink'], undefined, { Prefer: 'odata.maxpagesize=5' });
    assert.equal(second.json.value.length, 5);
    assert.ok(second.json.value[0].name >= first.json.value[4].name);
    assert.equal((await call('GET', 'opportunities?$skip=5')).status, 400);
    const unknown = await call('GET', 'opportunities?$select=nosuchcolumn');
    assert.equal(unknown.status, 400);
    assert.match(unknown.json.error.message, /Could not find a property named 'nosuchcolumn'/);
    assert.equal((await call('GET', 'opportunities?$select=name&$top=2')).json.value.length, 2);
  });

  it('tracks changes: refuses $filter with track-changes, and refuses tokens older than 7 days', async () => {
    const refused = await call('GET', "opportunities?$select=name&$filter=name eq 'x'", undefined, { Prefer: 'odata.track-changes' });
    assert.equal(refused.status, 400);
    assert.match(refused.json.error.message, /The "\$filter" query parameter isn't supported when Change Tracking is enabled/);
    const initial = await call('GET', 'opportunities?$select=name', undefined, { Prefer: 'odata.track-changes' });
    assert.equal(initial.headers.get('preference-applied'), 'odata.track-changes');
    const delta = initial.json['@odata.deltaLink'] as string;
    assert.match(delta, /\$deltatoken=\d+%21/);
    dv.clock.advance(8 * 86_400_000);
    const expired = await call('GET', delta, undefined, { Prefer: 'odata.track-changes' });
    assert.equal(expired.status, 400);
    assert.equal(expired.json.error.code, '0x80044352');
  });

  it('runs a $batch: Content-ID references, atomic change sets, continue-on-error, 1,000 operations at most', async () => {
    const part = (cid: string, method: string, url: string, body?: unknown) =>
      `Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: ${cid}\r\n\r\n${method} ${api}${url} HTTP/1.1\r\nContent-Type: application/json; type=entry\r\n\r\n${body ? JSON.stringify(body) : ''}`;
    const changeset = (name: string, parts: string[]) => `Content-Type: multipart/mixed; boundary=${name}\r\n\r\n${parts.map((p) => `--${name}\r\n${p}`).join('\r\n')}\r\n--${name}--`;
    const body = [
      changeset('cs_ok', [part('1', 'POST', 'accounts', { name: 'Batch Account' }), part('2', 'POST', 'contacts', { lastname: 'Batch', 'parentcustomerid_account@odata.bind': '$1' })]),
      changeset('cs_bad', [part('3', 'POST', 'accounts', { name: 'Rolled Back' }), part('4', 'POST', 'contacts', { nosuchcolumn: 1 })]),
    ].map((p) => `--batch_x\r\n${p}`).join('\r\n') + '\r\n--batch_x--\r\n';
    const res = await call('POST', '$batch', body, { 'Content-Type': 'multipart/mixed; boundary=batch_x', Prefer: 'odata.continue-on-error' });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /^multipart\/mixed; boundary=batchresponse_/);
    assert.equal((res.text.match(/HTTP\/1\.1 204 No Content/g) ?? []).length, 2);
    assert.match(res.text, /HTTP\/1\.1 400 Bad Request/);
    const names = [...dv.store.table('account')!.rows.values()].map((r) => r.name);
    assert.ok(names.includes('Batch Account') && !names.includes('Rolled Back'));
    const contact = [...dv.store.table('contact')!.rows.values()].find((r) => r.lastname === 'Batch')!;
    assert.equal(names.includes('Batch Account') && dv.store.table('account')!.rows.get(String(contact._parentcustomerid_value))?.name, 'Batch Account');
    assert.equal(dv.counters.get('POST $batch'), 1);
    assert.equal(dv.counters.get('$batch operations'), 4);

    const many = Array.from({ length: 1001 }, (_, i) => `--b\r\n${part(String(i), 'GET', 'WhoAmI')}`).join('\r\n') + '\r\n--b--\r\n';
    const tooMany = await call('POST', '$batch', many, { 'Content-Type': 'multipart/mixed; boundary=b' });
    assert.equal(tooMany.status, 400);
    assert.match(tooMany.json.error.message, /exceeded the limit of 1000/);
  });

  it('closes opportunities with WinOpportunity and LoseOpportunity, and answers WhoAmI', async () => {
    const open = [...dv.store.table('opportunity')!.rows.values()].filter((r) => r.statecode === 0).map((r) => String(r.opportunityid));
    const win = await call('POST', 'WinOpportunity', { Status: 3, OpportunityClose: { subject: 'Won Opportunity', 'opportunityid@odata.bind': `${api}opportunities(${open[0]})` } });
    assert.equal(win.status, 204);
    assert.equal((await call('POST', 'WinOpportunity', { Status: 3, OpportunityClose: { subject: 'Again', 'opportunityid@odata.bind': `/opportunities(${open[0]})` } })).status, 400);
    assert.equal((await call('POST', 'LoseOpportunity', { Status: 3, OpportunityClose: { 'opportunityid@odata.bind': `/opportunities(${open[1]})` } })).status, 400);
    assert.equal((await call('POST', 'LoseOpportunity', { Status: 4, OpportunityClose: { 'opportunityid@odata.bind': `/opportunities(${open[1]})` } })).status, 204);
    assert.equal(dv.store.table('opportunity')!.rows.get(open[1]!)!.statuscode, 4);
    assert.equal((await call('PATCH', `opportunities(${open[2]})`, { statecode: 1 })).status, 400);
    const who = await call('GET', 'WhoAmI');
    assert.ok(who.json.UserId && who.json.BusinessUnitId && who.json.OrganizationId);
  });

  it('reopens a won opportunity with a PATCH of statecode 0, after which it can be lost', async () => {
    const [id] = [...dv.store.table('opportunity')!.rows.values()].filter((r) => r.statecode === 0).map((r) => String(r.opportunityid));
    assert.equal((await call('POST', 'WinOpportunity', { Status: 3, OpportunityClose: { 'opportunityid@odata.bind': `/opportunities(${id})` } })).status, 204);
    assert.equal((await call('PATCH', `opportunities(${id})`, { statecode: 2, statuscode: 4 }, { 'If-Match': '*' })).status, 400, 'closing takes the actions');
    assert.equal((await call('PATCH', `opportunities(${id})`, { statecode: 0, statuscode: 3 }, { 'If-Match': '*' })).status, 400, 'Won is no status reason of Open');
    assert.equal((await call('PATCH', `opportunities(${id})`, { statecode: 0, statuscode: 1 }, { 'If-Match': '*' })).status, 204);
    assert.deepEqual([dv.store.table('opportunity')!.rows.get(id!)!.statecode, dv.store.table('opportunity')!.rows.get(id!)!.statuscode], [0, 1]);
    assert.equal((await call('POST', 'LoseOpportunity', { Status: 5, OpportunityClose: { 'opportunityid@odata.bind': `/opportunities(${id})` } })).status, 204);
    assert.equal(dv.store.table('opportunity')!.rows.get(id!)!.statecode, 2);
  });

  it("checks a statuscode sent without statecode against the row's state, as Dataverse does (\"3 is not a valid status code for state code OpportunityState.Open\")", async () => {
    const [open, won] = [...dv.store.table('opportunity')!.rows.values()].filter((r) => r.statecode === 0).map((r) => String(r.opportunityid));
    const row = (id: string) => dv.store.table('opportunity')!.rows.get(id)!;
    for (const statuscode of [3, 4, 99]) {
      const refused = await call('PATCH', `opportunities(${open})`, { statuscode }, { 'If-Match': '*' });
      assert.equal(refused.status, 400, `statuscode ${statuscode} on an open opportunity`);
      assert.equal(refused.json.error.code, '0x80040203');
      assert.match(refused.json.error.message, new RegExp(`^${statuscode} is not a valid status code for state code OpportunityState\\.Open on opportunity ${open}`));
    }
    assert.deepEqual([row(open!).statecode, row(open!).statuscode], [0, 1], 'nothing saved');
    assert.equal((await call('PATCH', `opportunities(${open})`, { statuscode: 2 }, { 'If-Match': '*' })).status, 204, 'On Hold is a status reason of Open');
    assert.equal(row(open!).statuscode, 2);

    const created = await call('POST', 'opportunities', { name: 'Created as won', statuscode: 3 });
    assert.equal(created.status, 400, 'a new opportunity is Open');

    assert.equal((await call('POST', 'WinOpportunity', { Status: 3, OpportunityClose: { 'opportunityid@odata.bind': `/opportunities(${won})` } })).status, 204);
    const lostReason = await call('PATCH', `opportunities(${won})`, { statuscode: 4 }, { 'If-Match': '*' });
    assert.equal(lostReason.status, 400, 'Canceled is no status reason of Won');
    assert.match(lostReason.json.error.message, /^4 is not a valid status code for state code OpportunityState\.Won on opportunity /);
    assert.deepEqual([row(won!).statecode, row(won!).statuscode], [1, 3]);
  });

  it('answers under the Web API version the request used: @odata.context and OData-EntityId name v9.0 / v9.1 too', async () => {
    for (const version of ['v9.0', 'v9.1']) {
      const read = await call('GET', `${dv.url}/api/data/${version}/opportunities?$top=1&$select=name`);
      assert.equal(read.status, 200);
      assert.equal(read.json['@odata.context'], `${dv.url}/api/data/${version}/$metadata#opportunities(name)`);
      const created = await call('POST', `${dv.url}/api/data/${version}/accounts`, { name: `Created through ${version}` });
      assert.equal(created.status, 204);
      assert.match(created.headers.get('OData-EntityId') ?? '', new RegExp(`^${dv.url}/api/data/${version.replace('.', '\\.')}/accounts\\([0-9a-f-]{36}\\)$`));
    }
  });

  it("refuses text longer than its column with Dataverse's StringLengthTooLong error", async () => {
    const tooLong = await call('POST', 'accounts', { name: 'x'.repeat(161) });
    assert.equal(tooLong.status, 400);
    assert.deepEqual(tooLong.json.error, {
      code: '0x80044331',
      message: "A validation error occurred.  The length of the 'name' attribute of the 'account' entity exceeded the maximum allowed length of '160'.",
    });
    assert.equal((await call('POST', 'accounts', { name: 'x'.repeat(160) })).status, 204);
  });

  it("runs the organisation's plug-in steps on create and update: a refusal is 400 0x80040265 with the plug-in's message", async () => {
    dv.store.plugins.push({ table: 'account', messages: ['Create', 'Update'], refuses: (row) => (row.telephone1 ? undefined : 'Every account needs a phone number (ContosoAccountRules).') });
    const refused = await call('POST', 'accounts', { name: 'No phone' });
    assert.equal(refused.status, 400);
    assert.deepEqual(refused.json.error, { code: '0x80040265', message: 'Every account needs a phone number (ContosoAccountRules).' });
    const created = await call('POST', 'accounts?$select=accountid', { name: 'With phone', telephone1: '+1 425 555 0100' }, { Prefer: 'return=representation' });
    assert.equal(created.status, 201);
    const cleared = await call('PATCH', `accounts(${String(created.json.accountid)})`, { telephone1: null });
    assert.equal(cleared.status, 400, 'the plug-in sees the row as it would be saved');
    assert.equal(cleared.json.error.code, '0x80040265');
  });

  it('has no connector columns until the metadata API creates them', async () => {
    assert.equal((await call('PATCH', `opportunities(${[...dv.store.table('opportunity')!.rows.keys()][2]})`, { cosell_syncstate: 'synced' }, { 'If-Match': '*' })).status, 400);
    const created = await call('POST', "EntityDefinitions(LogicalName='opportunity')/Attributes", {
      '@odata.type': 'Microsoft.Dynamics.CRM.StringAttributeMetadata', AttributeType: 'String', SchemaName: 'cosell_syncstate', MaxLength: 20,
      DisplayName: { LocalizedLabels: [{ Label: 'Sync State', LanguageCode: 1033 }] },
    });
    assert.equal(created.status, 204);
    const attrs = await call('GET', "EntityDefinitions(LogicalName='opportunity')/Attributes?$select=LogicalName");
    assert.ok(attrs.json.value.some((a: { LogicalName: string }) => a.LogicalName === 'cosell_syncstate'));
    assert.equal((await call('PATCH', `opportunities(${[...dv.store.table('opportunity')!.rows.keys()][2]})`, { cosell_syncstate: 'synced' }, { 'If-Match': '*' })).status, 204);
  });

  it('answers service protection 429s with Retry-After past its request limit', async () => {
    const limited = await startDataverseSandbox({ signer, seed: 'empty', limits: { requests: 2 } });
    try {
      const get = () => fetch(`${limited.url}/api/data/v9.2/WhoAmI`, { headers: { Authorization: `Bearer ${token(limited.environmentUrl)}` } });
      assert.equal((await get()).status, 200);
      assert.equal((await get()).status, 200);
      const third = await get();
      assert.equal(third.status, 429);
      assert.ok(Number(third.headers.get('retry-after')) > 0);
      assert.equal(((await third.json()) as { error: { code: string } }).error.code, '0x80072322');
    } finally {
      await limited.close();
    }
  });

  it('persists its state to a JSON file and loads it again', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'dataverse-')), 'state.json');
    const first = await startDataverseSandbox({ signer, seed: 'empty', persistFile: file });
    first.store.insert('account', { name: 'Persisted Co' });
    await first.close();
    const second = await startDataverseSandbox({ signer, persistFile: file });
    try {
      assert.ok([...second.store.table('account')!.rows.values()].some((r) => r.name === 'Persisted Co'));
    } finally {
      await second.close();
    }
  });
});
