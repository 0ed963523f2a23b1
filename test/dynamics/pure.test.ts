/** The adapter's pure parts: options, OData builders, `$batch` format, conversions and error mapping. */
import assert from 'node:assert/strict';
import { buildBatch, parseBatchResponse } from '../../connectors/dynamics/batch-format.js';
import { parseDynamicsOptions } from '../../connectors/dynamics/config.js';
import { resolveSecret as resolveSecretRef } from '../../config/secrets.js';
import { fromCrmValue, touches } from '../../connectors/dynamics/convert.js';
import { batchFailure } from '../../connectors/dynamics/errors.js';
import { statusColumns } from '../../connectors/dynamics/payloads.js';
import { inFilter, watermarkFilter } from '../../connectors/dynamics/queries.js';
import { ConfigError } from '../../core/errors.js';
import { effectiveFieldTable } from '../../mappings/fields.dynamics.js';

const base = { environmentUrl: 'https://contoso.crm.dynamics.com/', tenantId: 't', clientId: 'c', clientSecret: 'env:X' };

describe('Dynamics 365 adapter: pure parts', () => {
  it('validates options with defaults and names the failing path', () => {
    const options = parseDynamicsOptions(base);
    assert.equal(options.environmentUrl, 'https://contoso.crm.dynamics.com');
    assert.equal(options.publisherPrefix, 'cosell_');
    assert.equal(options.pageSize, 5000);
    assert.throws(() => parseDynamicsOptions({ ...base, clientSecret: 'hunter2' }), (e: ConfigError) => e.path === 'crm > dynamics > clientSecret' && !e.message.includes('hunter2'));
    assert.throws(() => parseDynamicsOptions({ ...base, pageSize: 6000 }), /crm > dynamics > pageSize/);
  });

  it('resolves env: secret references without echoing values', async () => {
    process.env.COSELL_TEST_SECRET_REF = 's3cret';
    assert.equal(await resolveSecretRef('env:COSELL_TEST_SECRET_REF'), 's3cret');
    await assert.rejects(resolveSecretRef('env:COSELL_TEST_MISSING'), /COSELL_TEST_MISSING is not set/);
  });

  it('builds In and watermark filters, the property name as an OData string', () => {
    assert.equal(inFilter('cosell_referralid', ['a', 'b"c']), 'Microsoft.Dynamics.CRM.In(PropertyName=\'cosell_referralid\',PropertyValues=["a","b\\"c"])');
    assert.equal(watermarkFilter('2026-11-23T10:00:00.123Z'), 'modifiedon ge 2026-11-23T10:00:00Z');
  });

  it('builds a $batch body with change sets and reads the answer, a failed change set as one part', () => {
    const built = buildBatch([
      { kind: 'changeset', operations: [{ method: 'POST', url: 'accounts', body: { name: 'A' }, contentId: '1' }, { method: 'POST', url: 'opportunities', body: { 'parentaccountid@odata.bind': '$1' }, contentId: '2' }] },
      { kind: 'operation', operation: { method: 'PATCH', url: 'opportunities(1)', headers: { 'If-Match': '*' }, body: {} } },
    ], 'https://org/api/data/v9.2/');
    assert.match(built.contentType, /^multipart\/mixed; boundary=batch_/);
    assert.match(built.body, /Content-ID: 2\r\n\r\nPOST https:\/\/org\/api\/data\/v9\.2\/opportunities HTTP\/1\.1/);
    const answer = '--batchresponse_1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: 2\r\n\r\nHTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n\r\n{"error":{"code":"0x80040203","message":"bad"}}\r\n--batchresponse_1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nHTTP/1.1 412 Precondition Failed\r\n\r\n{"error":{"code":"0x80060882","message":"stale"}}\r\n--batchresponse_1--\r\n';
    const parsed = parseBatchResponse(answer, 'multipart/mixed; boundary=batchresponse_1');
    assert.equal(parsed.length, 2);
    assert.equal(parsed[0]!.kind === 'operation' && parsed[0]!.response.status, 400);
    assert.equal(parsed[1]!.kind === 'operation' && batchFailure('k', parsed[1]!.response.status, parsed[1]!.response.body, 'opportunity 1').ok, false);
    const conflict = batchFailure('k', 412, { error: { code: '0x80060882', message: 'stale' } }, 'opportunity 1');
    assert.ok(!conflict.ok && conflict.code === 'conflict' && conflict.message.startsWith('opportunity 1'));
    const duplicate = batchFailure('k', 412, { error: { code: '0x80040237', message: 'A record with matching key values already exists.' } }, 'x');
    assert.ok(!duplicate.ok && duplicate.code === 'validation');
  });

  it('names the canonical field and Dataverse\'s code of a refused write, and cuts a sync message to its column', () => {
    const fields = effectiveFieldTable('cosell_');
    const pathOf = (column: string, table?: string) => fields.find((f) => f.column === column && (!table || f.table === table))?.path;
    const body = { error: { code: '0x80044331', message: "A validation error occurred.  The length of the 'name' attribute of the 'account' entity exceeded the maximum allowed length of '160'." } };
    const tooLong = batchFailure('k', 400, body, 'opportunity 1', pathOf);
    assert.ok(!tooLong.ok);
    assert.deepEqual([tooLong.code, tooLong.field, tooLong.rule], ['validation', 'customer.name', '0x80044331'], 'the account name, not the opportunity name');
    const plugin = batchFailure('k', 400, { error: { code: '0x80040265', message: 'Every opportunity needs a territory.' } }, 'opportunity 1', pathOf);
    assert.ok(!plugin.ok && plugin.field === undefined && plugin.rule === '0x80040265');
    const message = statusColumns(fields, { state: 'error', message: 'x'.repeat(2500) }).cosell_syncmessage as string;
    assert.equal(message.length, 2000);
    assert.ok(message.endsWith('…'));
  });

  it('cuts a long status text to its column without splitting a character in two', () => {
    const fields = effectiveFieldTable('cosell_');
    // The 500-character Deal Registration column, cut where an emoji (two UTF-16 units) straddles the cut.
    const note = statusColumns(fields, { state: 'synced', message: '', registrationNote: `${'n'.repeat(498)}😀 and more` }).cosell_registrationnote as string;
    assert.ok(note.length <= 500 && note.endsWith('…'), note);
    assert.doesNotMatch(note, /[\ud800-\udbff](?![\udc00-\udfff])/, 'no lone high surrogate: Dataverse would keep a broken character');
  });

  it('converts choice values by the field table and says which values are allowed', () => {
    const fields = effectiveFieldTable('cosell_');
    const help = fields.find((f) => f.path === 'helpType')!;
    assert.deepEqual(fromCrmValue(help, 100_000_006), { ok: true, value: 'general' });
    const bad = fromCrmValue(help, 7);
    assert.ok(!bad.ok && /cosell_helptype holds option 7/.test(bad.message));
    assert.equal(effectiveFieldTable('acme_', { 'customer.duns': { column: 'new_duns' } }).find((f) => f.path === 'customer.duns')!.column, 'new_duns');
  });

  it('finds the columns behind changed canonical paths', () => {
    assert.ok(touches('team[].email', ['team[2].email']));
    assert.ok(touches('customer.city', ['customer']));
    assert.ok(!touches('customer.city', ['customerContact.email']));
    assert.ok(touches('dealName', ['dealName']));
  });
});
