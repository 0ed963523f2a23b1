/**
 * Fault injection (429 + Retry-After, 500, 503 + Retry-After, slow, dropped connections, and failures
 * after a create was committed), the call counter, persistence between runs, and the bulk generator.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { referralToApi } from '../../connectors/partner-center/mapping.js';
import { OUR_PARTNER_ORG, sampleDeal } from '../../sandbox/partner-center/index.js';
import { startPcTestEnv, type ErrorBody, type PcTestEnv } from '../helpers/partner-center-sandbox.js';

const REFERRALS = '/v1.0/engagements/referrals';

describe('Partner Center sandbox: faults and counters', () => {
  let env: PcTestEnv;
  beforeEach(async () => {
    env = await startPcTestEnv({ seed: 'none' });
  });
  afterEach(async () => env?.close());

  const body = () => referralToApi(sampleDeal(env.pc.service.orgs, OUR_PARTNER_ORG));

  it('answers 429 and 503 with Retry-After and 500 in the documented error shape', async () => {
    for (const [kind, status, code] of [['throttled', 429, 'serviceNotAvailable'], ['unavailable', 503, 'serviceNotAvailable'], ['server-error', 500, 'generalException']] as const) {
      env.pc.faults.configure({ rate: 1, kinds: { [kind]: 1 }, retryAfterSeconds: 7, limit: 1 });
      const res = await env.call<ErrorBody>('admin', 'GET', REFERRALS);
      assert.equal(res.status, status, kind);
      assert.equal(res.body.error.code, code);
      if (status !== 500) assert.equal(res.headers.get('retry-after'), '7');
      assert.equal((await env.call('admin', 'GET', REFERRALS)).status, 200, 'the limit of one fault is used up');
    }
  });

  it('drops the connection, before the work or after a committed create', async () => {
    env.pc.faults.configure({ rate: 1, kinds: { drop: 1 }, match: '^POST ', limit: 1 });
    await assert.rejects(env.call('admin', 'POST', REFERRALS, { body: body() }));
    assert.equal(env.pc.store.size, 0, 'dropped before the work: nothing created');

    env.pc.faults.configure({ rate: 1, kinds: { 'commit-then-drop': 1 }, match: '^POST ', limit: 1 });
    await assert.rejects(env.call('admin', 'POST', REFERRALS, { body: { ...body(), externalReferenceId: 'CRM-DROPPED' } }));
    const lookup = await env.call<{ value: unknown[] }>('admin', 'GET', `${REFERRALS}?$filter=${encodeURIComponent("externalReferenceId eq 'CRM-DROPPED'")}`);
    assert.equal(lookup.body.value.length, 1, 'the create was committed although the client saw no answer');
  });

  it('answers 500 after committing a create; a retry with the same request-id gets the same referral', async () => {
    env.pc.faults.configure({ rate: 1, kinds: { 'commit-then-error': 1 }, match: '^POST ', limit: 1 });
    const headers = { 'request-id': 'f00d0000-0000-4000-8000-000000000001' };
    const failed = await env.call<ErrorBody>('admin', 'POST', REFERRALS, { body: body(), headers });
    assert.equal(failed.status, 500);
    assert.equal(env.pc.store.size, 1);
    const retried = await env.call('admin', 'POST', REFERRALS, { body: body(), headers });
    assert.equal(retried.status, 201);
    assert.equal(env.pc.store.size, 1, 'no duplicate');
  });

  it('slows responses down without failing them', async () => {
    env.pc.faults.configure({ rate: 1, kinds: { slow: 1 }, slowMs: 50, limit: 1 });
    assert.equal((await env.call('admin', 'GET', REFERRALS)).status, 200);
    assert.equal(env.pc.faults.injectedCount(), 1);
  });

  it('injects a configured share of faults through the control, and counts calls per endpoint', async () => {
    await env.call(null, 'PUT', '/_sandbox/partner-center/faults', { body: { rate: 0.5, kinds: { throttled: 1 }, seed: 42 } });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i += 1) statuses.push((await env.call('admin', 'GET', REFERRALS)).status);
    const throttled = statuses.filter((s) => s === 429).length;
    assert.ok(throttled > 5 && throttled < 35, `${throttled} of 40 throttled`);
    await env.call(null, 'DELETE', '/_sandbox/partner-center/faults');
    const counters = await env.call<{ total: number; byEndpoint: Record<string, number> }>(null, 'GET', '/_sandbox/partner-center/counters');
    assert.equal(counters.body.byEndpoint['GET /v1.0/engagements/referrals'], 40);
    assert.equal(counters.body.total, 40, 'controls are not counted');
  });
});

describe('Partner Center sandbox: persistence and bulk data', () => {
  it('keeps its data in persistFile between runs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pc-sandbox-'));
    const persistFile = join(dir, 'state.json');
    try {
      const first = await startPcTestEnv({ seed: 'default', persistFile });
      const count = first.pc.store.size;
      const created = await first.call('admin', 'POST', REFERRALS, { body: { ...referralToApi(sampleDeal(first.pc.service.orgs, OUR_PARTNER_ORG)), name: 'Survives a restart' } });
      await first.close();
      const second = await startPcTestEnv({ seed: 'default', persistFile });
      try {
        assert.equal(second.pc.store.size, count + 1);
        const read = await second.call('admin', 'GET', `${REFERRALS}/${String(created.body.id)}`);
        assert.equal(read.body.name, 'Survives a restart');
        assert.equal(read.body.eTag, created.body.eTag);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('seeds a few dozen realistic referrals and generates bulk data on request', async () => {
    const env = await startPcTestEnv({ seed: 'default' });
    try {
      const ours = env.pc.store.ownedBy(OUR_PARTNER_ORG);
      assert.ok(ours.length >= 25);
      const kinds = new Set(ours.map((r) => `${r.direction}/${r.dealType}`));
      for (const kind of ['Outgoing/Private', 'Outgoing/PartnerLed', 'Outgoing/CoSell', 'Outgoing/PartnerToPartner', 'Outgoing/SolutionAssessment', 'Incoming/CoSell', 'Incoming/PartnerToPartner']) assert.ok(kinds.has(kind), kind);
      assert.deepEqual(new Set(ours.filter((r) => r.direction === 'Incoming').map((r) => r.substatus)), new Set(['Pending', 'Received', 'Accepted', 'Declined', 'Expired']));
      assert.ok(new Set(ours.map((r) => r.locationId)).size >= 3);
      const reset = await env.call<{ referrals: number }>(null, 'POST', '/_sandbox/partner-center/reset', { body: { seed: 'none', bulk: 5_000 } });
      assert.equal(reset.body.referrals, 5_000);
      const page = await env.call<{ '@odata.count': number }>('admin', 'GET', `${REFERRALS}?$filter=${encodeURIComponent("substatus eq 'Won'")}&$top=1`);
      assert.equal(page.body['@odata.count'], 1_250);
    } finally {
      await env.close();
    }
  });
});
