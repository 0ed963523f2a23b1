/**
 * Issue 17, part 1: the Partner Center sandbox follows the documentation where it used to follow the
 * connector. Decimals are decimals, the documented required properties are required, a close as Lost
 * needs only the documented `statusReason`, and the sandbox imports nothing from `connectors/`.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { DOCUMENTED_PRIVATE_DEAL } from '../helpers/partner-center-docs.js';
import { innerCodes, startPcTestEnv, type ErrorBody, type PcTestEnv } from '../helpers/partner-center-sandbox.js';

const REFERRALS = '/v1.0/engagements/referrals';

const PRIVATE_DEAL = DOCUMENTED_PRIVATE_DEAL;

describe('Partner Center sandbox: fidelity to the documentation', () => {
  let env: PcTestEnv;
  before(async () => {
    env = await startPcTestEnv({ seed: 'none' });
  });
  after(async () => env?.close());

  const create = async () => {
    const res = await env.call('admin', 'POST', REFERRALS, { body: PRIVATE_DEAL });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return `${REFERRALS}/${String(res.body.id)}`;
  };

  it('refuses a create without each property the documentation marks Required, listing every one in the error shape', async () => {
    const { type: _type, consent: _consent, ...withoutTypeAndConsent } = PRIVATE_DEAL;
    const res = await env.call<ErrorBody>('admin', 'POST', REFERRALS, { body: withoutTypeAndConsent });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'invalidRequest');
    assert.equal(res.body.error.target, 'type');
    assert.deepEqual(innerCodes(res.body), ['requiredProperty', 'requiredProperty']);
    assert.match(res.body.error.message, /type is required.*consent is required/);
    assert.equal(env.pc.store.size, 0, 'nothing was created');
  });

  it('refuses a type outside the documented ReferralType values', async () => {
    const res = await env.call<ErrorBody>('admin', 'POST', REFERRALS, { body: { ...PRIVATE_DEAL, type: 'Private' } });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.target, 'type');
  });

  it('stores and serves dealValue as a decimal: "10000" becomes 10000, "12.5" 12.5, and text is refused naming the property', async () => {
    const url = await create();
    const patched = await env.call('admin', 'PATCH', url, { body: [{ op: 'replace', path: '/details/dealValue', value: '12.5' }], headers: { prefer: 'return=representation' } });
    assert.equal((patched.body.details as { dealValue: unknown }).dealValue, 12.5);
    const refused = await env.call<ErrorBody>('admin', 'PATCH', url, { body: [{ op: 'replace', path: '/details/dealValue', value: 'ten thousand' }] });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.target, 'details.dealValue');
    assert.deepEqual(innerCodes(refused.body), ['invalidValue']);
    const created = await env.call('admin', 'POST', REFERRALS, { body: { ...PRIVATE_DEAL, details: { ...PRIVATE_DEAL.details, dealValue: '10000' } } });
    assert.equal((created.body.details as { dealValue: unknown }).dealValue, 10000);
  });

  it('closes as Lost with the documented statusReason alone; the statusReasonCode extension stays optional', async () => {
    const url = await create();
    const lost = await env.call('admin', 'PATCH', url, {
      body: [{ op: 'replace', path: '/status', value: 'Closed' }, { op: 'replace', path: '/substatus', value: 'Lost' }, { op: 'add', path: '/statusReason', value: 'Customer chose another vendor' }],
      headers: { prefer: 'return=representation' },
    });
    assert.equal(lost.status, 200, JSON.stringify(lost.body));
    assert.deepEqual([lost.body.status, lost.body.substatus, lost.body.statusReason], ['Closed', 'Lost', 'Customer chose another vendor']);
    assert.equal(lost.body.statusReasonCode, undefined, 'the sandbox does not invent the extension');

    const other = await create();
    const withCode = await env.call('admin', 'PATCH', other, {
      body: [{ op: 'replace', path: '/status', value: 'Closed' }, { op: 'replace', path: '/substatus', value: 'Lost' }, { op: 'add', path: '/statusReasonCode', value: 'NotACustomer' }],
    });
    assert.equal(withCode.status, 204, JSON.stringify(withCode.body));
  });

  it('still refuses a close as Lost with no reason at all (Partner Center asks for one)', async () => {
    const url = await create();
    const res = await env.call<ErrorBody>('admin', 'PATCH', url, { body: [{ op: 'replace', path: '/status', value: 'Closed' }, { op: 'replace', path: '/substatus', value: 'Lost' }] });
    assert.equal(res.status, 400);
    assert.deepEqual(innerCodes(res.body), ['close_reason.required']);
  });

  it('serves @odata.context of a list exactly as "Get a list of referrals" shows it', async () => {
    const res = await env.call('admin', 'GET', REFERRALS);
    assert.equal(res.body['@odata.context'], `${env.pc.apiBaseUrl}/v1.0/$metadata#Referrals`);
  });
});

describe('Partner Center sandbox: independent of the connector', () => {
  const root = resolve(import.meta.dirname, '../../sandbox/partner-center');
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
    });

  it('imports nothing from connectors/, in any file', () => {
    const offenders: string[] = [];
    for (const file of files(root)) {
      for (const match of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
        const spec = match[1] as string;
        const target = spec.startsWith('.') ? relative(resolve(root, '../..'), resolve(dirname(file), spec)) : spec;
        if (target.split(/[\\/]/)[0] === 'connectors') offenders.push(`${relative(root, file)} → ${spec}`);
      }
    }
    assert.deepEqual(offenders, []);
  });

  it('has a lint rule that forbids it (no-restricted-imports scoped to sandbox/partner-center)', () => {
    const config = readFileSync(resolve(import.meta.dirname, '../../eslint.config.js'), 'utf8');
    assert.match(config, /files: \['sandbox\/partner-center\/\*\*\/\*\.ts'\][\s\S]*?'no-restricted-imports'[\s\S]*?connectors/);
  });
});
