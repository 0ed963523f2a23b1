/**
 * The Dataverse sandbox checks the application user's privileges as Dataverse does: a request on a table
 * whose privilege its role lacks is refused with 403 and code 0x80040220 naming the privilege, alone or
 * inside a `$batch`, and nothing is written.
 */
import assert from 'node:assert/strict';
import { startDataverseSandbox, type DataverseSandbox } from '../../sandbox/dataverse/index.js';
import { TokenSigner } from '../../sandbox/entra/index.js';
import { applicationToken } from '../helpers/dataverse-token.js';

const signer = new TokenSigner('test-key');
const MISSING = /^Principal user \(Id=[0-9a-f-]{36}, type=8, roleCount=\d+, privilegeCount=\d+, .*\), is missing (\w+) privilege \(Id=[0-9a-f-]{36}\) on OTC=(\d+) for entity '(\w+)'/;

describe('Dataverse sandbox: privileges', function () {
  this.timeout(20_000);
  let dv: DataverseSandbox;
  let api: string;
  const call = async (method: string, path: string, body?: string, extra: Record<string, string> = {}) => {
    const res = await fetch(`${api}${path}`, {
      method,
      headers: { Authorization: `Bearer ${applicationToken(signer, dv.environmentUrl)}`, Accept: 'application/json', 'Content-Type': 'application/json', ...extra },
      ...(body !== undefined ? { body } : {}),
    });
    const text = await res.text();
    return { status: res.status, text, json: (res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined) as { error: { code: string; message: string } } };
  };
  const opportunity = () => [...dv.store.table('opportunity')!.rows.keys()][0]!;
  beforeEach(async () => {
    dv = await startDataverseSandbox({ signer, seed: 'default' });
    api = `${dv.url}/api/data/v9.2/`;
  });
  afterEach(async () => dv.close());

  it('refuses an update without prvWriteOpportunity with 403 0x80040220 naming it, and writes nothing', async () => {
    dv.store.privileges.delete('prvWriteOpportunity');
    const id = opportunity();
    const before = dv.store.table('opportunity')!.rows.get(id)!.name;
    const res = await call('PATCH', `opportunities(${id})`, JSON.stringify({ name: 'Changed' }));
    assert.equal(res.status, 403);
    assert.equal(res.json.error.code, '0x80040220');
    const m = MISSING.exec(res.json.error.message);
    assert.deepEqual(m?.slice(1), ['prvWriteOpportunity', '3', 'opportunity']);
    assert.equal(dv.store.table('opportunity')!.rows.get(id)!.name, before);
    assert.equal((await call('GET', `opportunities(${id})?$select=name`)).status, 200);
  });

  it('checks Create, Read and Delete, and a PATCH that would create needs Create', async () => {
    dv.store.privileges.delete('prvReadAccount');
    dv.store.privileges.delete('prvCreateContact');
    dv.store.privileges.delete('prvDeleteOpportunity');
    assert.match((await call('GET', 'accounts?$select=name')).json.error.message, /missing prvReadAccount privilege .* on OTC=1 /);
    assert.match((await call('POST', 'contacts', '{"lastname":"X"}')).json.error.message, /missing prvCreateContact privilege/);
    assert.match((await call('PATCH', 'contacts(d0000000-0000-4000-8000-00000000c0c0)', '{"lastname":"X"}')).json.error.message, /missing prvCreateContact privilege/);
    assert.equal((await call('DELETE', `opportunities(${opportunity()})`)).status, 403);
    assert.ok(dv.store.table('opportunity')!.rows.has(opportunity()));
  });

  it('checks Append and AppendTo when a write binds a lookup', async () => {
    dv.store.privileges.delete('prvAppendToAccount');
    const account = [...dv.store.table('account')!.rows.keys()][0]!;
    const res = await call('POST', 'contacts', JSON.stringify({ lastname: 'Bound', 'parentcustomerid_account@odata.bind': `/accounts(${account})` }));
    assert.equal(res.status, 403);
    assert.match(res.json.error.message, /missing prvAppendToAccount privilege/);
    assert.equal((await call('POST', 'contacts', '{"lastname":"Unbound"}')).status, 204);
  });

  it('refuses the operation inside a $batch change set with 403 and rolls the change set back', async () => {
    dv.store.privileges.delete('prvWriteOpportunity');
    const part = (cid: string, method: string, url: string, body: unknown) =>
      `Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: ${cid}\r\n\r\n${method} ${api}${url} HTTP/1.1\r\nContent-Type: application/json; type=entry\r\n\r\n${JSON.stringify(body)}`;
    const body = `--batch_p\r\nContent-Type: multipart/mixed; boundary=cs_p\r\n\r\n--cs_p\r\n${part('1', 'POST', 'accounts', { name: 'In Batch' })}\r\n--cs_p\r\n${part('2', 'PATCH', `opportunities(${opportunity()})`, { name: 'Refused' })}\r\n--cs_p--\r\n--batch_p--\r\n`;
    const res = await call('POST', '$batch', body, { 'Content-Type': 'multipart/mixed; boundary=batch_p' });
    assert.match(res.text, /HTTP\/1\.1 403 Forbidden/);
    assert.match(res.text, /0x80040220.*missing prvWriteOpportunity privilege/);
    assert.ok(![...dv.store.table('account')!.rows.values()].some((r) => r.name === 'In Batch'));
  });

  it('answers again once the privilege is granted through the control', async () => {
    const control = (b: unknown) => fetch(`${dv.url}/_sandbox/dataverse/privileges`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(b) });
    await control({ revoke: ['prvWriteOpportunity'] });
    assert.equal((await call('PATCH', `opportunities(${opportunity()})`, '{"name":"A"}')).status, 403);
    await control({ grant: ['prvWriteOpportunity'] });
    assert.equal((await call('PATCH', `opportunities(${opportunity()})`, '{"name":"A"}')).status, 204);
  });
});
