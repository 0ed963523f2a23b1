/**
 * Counting rows as the Dataverse documentation shows it (query/count-rows; retrieve-entity-using-web-api,
 * "Retrieve navigation property values"), requests sent unchanged (host, IDs and token substituted).
 */
import assert from 'node:assert/strict';
import { useDocumentedExamplesSandbox } from '../helpers/dataverse-token.js';

describe('Dataverse sandbox counts rows as documented', function () {
  this.timeout(20_000);
  const sandbox = useDocumentedExamplesSandbox();
  const rowCount = async (url: string) => ((await (await fetch(`${sandbox.api}${url}`, { headers: sandbox.headers })).json()) as { value: unknown[] }).value.length;

  // "GET [Organization URI]/api/data/v9.2/accounts/$count" → "HTTP/1.1 200 OK", "Content-Type: text/plain", "10".
  it('GET accounts/$count answers the number alone as text/plain; $filter narrows it', async () => {
    const res = await fetch(`${sandbox.api}accounts/$count`, { headers: sandbox.headers });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    assert.equal(res.headers.get('odata-version'), '4.0');
    const all = await rowCount('accounts?$select=accountid');
    assert.equal(Number((await res.text()).replace(/^\uFEFF/, '')), all);
    const filtered = await fetch(`${sandbox.api}accounts/$count?$filter=${encodeURIComponent("contains(name,'Coffee')")}`, { headers: sandbox.headers });
    assert.equal(Number((await filtered.text()).replace(/^\uFEFF/, '')), await rowCount(`accounts?$select=accountid&$filter=${encodeURIComponent("contains(name,'Coffee')")}`));
  });

  // "GET …/accounts(…)/Account_Tasks/$count" → the number (with the UTF-8 byte order mark, the page notes).
  it('GET accounts(<id>)/Account_Tasks/$count counts the related rows', async () => {
    const post = (set: string, body: unknown) => fetch(`${sandbox.api}${set}`, { method: 'POST', headers: { ...sandbox.headers, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const account = /\(([0-9a-f-]{36})\)$/.exec((await post('accounts', { name: 'Counted' })).headers.get('odata-entityid')!)![1]!;
    for (const subject of ['Task 1', 'Task 2']) await post('tasks', { subject, 'regardingobjectid_account_task@odata.bind': `accounts(${account})` });
    const res = await fetch(`${sandbox.api}accounts(${account})/Account_Tasks/$count`, { headers: sandbox.headers });
    assert.equal(res.status, 200);
    // fetch's text() drops a byte order mark: the bytes show it.
    assert.equal(Buffer.from(await res.arrayBuffer()).toString('utf8'), '\uFEFF2');
  });

  // Prefer: odata.include-annotations="Microsoft.Dynamics.CRM.*" with $count=true and odata.maxpagesize=3.
  it('totalrecordcount annotations: the count with $count=true, -1 without; Preference-Applied names both preferences', async () => {
    const prefer = { ...sandbox.headers, Prefer: 'odata.maxpagesize=3, odata.include-annotations="Microsoft.Dynamics.CRM.*"' };
    const res = await fetch(`${sandbox.api}accounts?$select=name&$count=true`, { headers: prefer });
    const body = (await res.json()) as Record<string, unknown>;
    const all = await rowCount('accounts?$select=accountid');
    assert.equal(body['@odata.count'], all);
    assert.equal(body['@Microsoft.Dynamics.CRM.totalrecordcount'], all);
    assert.equal(body['@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded'], false);
    assert.equal((body.value as unknown[]).length, 3);
    assert.match(res.headers.get('preference-applied') ?? '', /odata\.maxpagesize=3/);
    assert.match(res.headers.get('preference-applied') ?? '', /odata\.include-annotations="Microsoft\.Dynamics\.CRM\.\*"/);
    const uncounted = (await (await fetch(`${sandbox.api}accounts?$select=name`, { headers: prefer })).json()) as Record<string, unknown>;
    assert.equal(uncounted['@Microsoft.Dynamics.CRM.totalrecordcount'], -1);
  });
});
