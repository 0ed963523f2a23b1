/**
 * Partner Center referrals take JSON bodies only: "415 Unsupported Media Type — The content type of the
 * request is a format which service doesn't support" ("Referrals API response codes"). A request copied
 * without its `Content-Type: application/json` line (curl -d sends a form type) must be refused, not
 * applied as if it were JSON.
 */
import assert from 'node:assert/strict';
import { startPcTestEnv, type ErrorBody, type PcTestEnv } from '../helpers/partner-center-sandbox.js';

describe('Partner Center sandbox: request media type', () => {
  let env: PcTestEnv;
  let id: string;
  before(async () => {
    env = await startPcTestEnv();
    const list = await env.call<{ value: Array<{ id: string; status: string }> }>('admin', 'GET', "/v1.0/engagements/referrals?$filter=status eq 'Active'");
    id = list.body.value[0]!.id;
  });
  after(async () => env.close());

  const patch = [{ op: 'replace', path: '/details/notes', value: 'changed by a form-typed body' }];

  for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
    it(`refuses a PATCH sent as ${contentType} with 415 in the documented error shape, and changes nothing`, async () => {
      const before = await env.call<{ details: { notes?: string }; eTag: string }>('admin', 'GET', `/v1.0/engagements/referrals/${id}`);
      const result = await env.call<ErrorBody>('admin', 'PATCH', `/v1.0/engagements/referrals/${id}`, { body: patch, headers: { 'content-type': contentType } });
      assert.equal(result.status, 415);
      assert.equal(result.body.error.code, 'invalidRequest');
      assert.equal(result.body.error.target, 'Content-Type');
      assert.match(result.body.error.message, new RegExp(`Content-Type ${contentType.replace(/[+/.]/g, '\\$&')} is not supported; send application/json`));
      const after = await env.call<{ details: { notes?: string }; eTag: string }>('admin', 'GET', `/v1.0/engagements/referrals/${id}`);
      assert.deepEqual([after.body.details.notes, after.body.eTag], [before.body.details.notes, before.body.eTag]);
    });
  }

  it('refuses a POST without a Content-Type header with 415', async () => {
    const response = await fetch(`${env.pc.url}/v1.0/engagements/referrals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await env.token('admin')}` },
      body: new Uint8Array(Buffer.from(JSON.stringify({ name: 'Deal without a content type' }))),
    });
    assert.equal(response.status, 415);
    assert.equal(((await response.json()) as ErrorBody).error.target, 'Content-Type');
  });

  it('accepts application/json with a charset, and the JSON Patch media type', async () => {
    for (const contentType of ['application/json; charset=utf-8', 'application/json-patch+json']) {
      const result = await env.call('admin', 'PATCH', `/v1.0/engagements/referrals/${id}`, { body: [{ op: 'replace', path: '/details/notes', value: contentType }], headers: { 'content-type': contentType } });
      assert.equal(result.status, 204, contentType);
    }
  });
});
