/**
 * The refusal log (sandbox/partner-center/refusal-log.ts): every 4xx the API's handlers answered, with the
 * rule codes of each violation, and none of the injected faults. The model-based test reads it to check
 * that the connector sent nothing Partner Center had to refuse for a reason it could have known.
 */
import assert from 'node:assert/strict';
import { referralToApi } from '../../connectors/partner-center/mapping.js';
import { OUR_PARTNER_ORG, sampleDeal } from '../../sandbox/partner-center/index.js';
import { startPcTestEnv, type PcTestEnv } from '../helpers/partner-center-sandbox.js';

const REFERRALS = '/v1.0/engagements/referrals';

describe('Partner Center sandbox: refusal log', () => {
  let env: PcTestEnv;
  beforeEach(async () => {
    env = await startPcTestEnv({ seed: 'none' });
  });
  afterEach(async () => env?.close());

  it('keeps a rule refusal with its rule codes, and a 404, in the order answered', async () => {
    const broken = { ...referralToApi(sampleDeal(env.pc.service.orgs, OUR_PARTNER_ORG, { value: 0 })) };
    const refused = await env.call('admin', 'POST', REFERRALS, { body: broken });
    assert.equal(refused.status, 400);
    assert.equal((await env.call('admin', 'GET', `${REFERRALS}/00000000-0000-4000-8000-00000000dead`)).status, 404);
    const [rule, missing] = env.pc.refusals.entries;
    assert.equal(env.pc.refusals.entries.length, 2);
    assert.deepEqual([rule!.method, rule!.path, rule!.status, rule!.code], ['POST', REFERRALS, 400, 'invalidRequest']);
    assert.ok(rule!.rules.includes('format.value_positive'), `rule codes: ${rule!.rules.join(', ')}`);
    assert.deepEqual([missing!.method, missing!.status, missing!.code], ['GET', 404, 'itemNotFound']);
  });

  it('leaves out injected faults and successful answers', async () => {
    env.pc.faults.configure({ rate: 1, kinds: { throttled: 1 }, retryAfterSeconds: 0, limit: 1 });
    assert.equal((await env.call('admin', 'GET', REFERRALS)).status, 429);
    assert.equal((await env.call('admin', 'GET', REFERRALS)).status, 200);
    assert.equal((await env.call('admin', 'POST', REFERRALS, { body: referralToApi(sampleDeal(env.pc.service.orgs, OUR_PARTNER_ORG)) })).status, 201);
    assert.deepEqual(env.pc.refusals.entries, []);
    env.pc.refusals.record('2027-01-01T00:00:00Z', 'PATCH', REFERRALS, 412, { error: { code: 'preconditionFailed', message: 'stale' } });
    env.pc.refusals.clear();
    assert.deepEqual(env.pc.refusals.entries, [], 'cleared');
  });
});
