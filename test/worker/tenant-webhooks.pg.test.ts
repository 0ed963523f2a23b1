/**
 * A multi-tenant install's webhook intake (core/serve/tenant-webhooks.ts): a signed delivery to a
 * tenant's URL records the named referral for a targeted sync of that tenant and wakes its job; the
 * tenant's job then hands the referral to a targeted sync and removes it. Refused deliveries (bad
 * signature, older than the bound, unknown tenant) record nothing and wake nobody, and neither does a
 * retry of an event already taken, which is acknowledged (200).
 */
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import { serveSchema } from '../../config/serve.js';
import { silentLogger } from '../../core/logger.js';
import { CertificateStore } from '../../core/serve/certificates.js';
import { tenantWebhookRoutes } from '../../core/serve/tenant-webhooks.js';
import { ReplayGuard } from '../../core/serve/replay-guard.js';
import { openMemoryStore } from '../../core/store/memory-store.js';
import { pendingReferrals } from '../../core/worker/referral-work.js';
import { runTenantJob } from '../../core/worker/tenant-job.js';
import { startPartnerCenterSandbox, type PartnerCenterSandbox } from '../../sandbox/partner-center/index.js';
import { createSigningIdentity, signBody } from '../../sandbox/partner-center/webhooks/certificate.js';
import { useThrowawayPgDatabase } from '../helpers/pg-database.js';
import { insertTenants } from './tenants-fixture.js';

describe('multi-tenant webhook intake (PostgreSQL)', function () {
  this.timeout(60_000);
  const database = useThrowawayPgDatabase();
  let pc: PartnerCenterSandbox;
  let app: FastifyInstance;
  const woken: string[] = [];

  before(async () => {
    const { db } = database();
    await insertTenants(db.pool, ['contoso', 'fabrikam']);
    pc = await startPartnerCenterSandbox();
    const settings = serveSchema.parse({ webhooks: { certificateHosts: [pc.url], trustSelfSigned: true } });
    app = Fastify();
    await app.register(async (scope) => tenantWebhookRoutes(scope, {
      pool: db.pool,
      queue: { wake: async (tenantId) => (woken.push(tenantId), { send: true }) },
      logger: silentLogger(),
      certificates: new CertificateStore(settings.webhooks),
      settings,
      replay: new ReplayGuard(openMemoryStore(), 60 * 60_000),
      now: () => new Date(pc.clock.nowMs()),
    }));
  });
  after(async () => {
    await app?.close();
    await pc?.close();
  });

  function delivery(referralId: string, options: { key?: ReturnType<typeof createSigningIdentity>; secondsLater?: number } = {}) {
    const body = JSON.stringify({ EventName: 'referral-updated', ResourceUri: `${pc.url}/engagements/v1/referrals/${referralId}`, ResourceName: 'referral', AuditUri: null, ResourceChangeUtcDate: new Date(pc.clock.nowMs() + (options.secondsLater ?? 0) * 1000).toISOString() });
    return {
      body,
      headers: { 'content-type': 'application/json', 'x-ms-certificate-url': `${pc.url}/webhooks/v1/certificate`, 'x-ms-signature-algorithm': 'rsa-sha256', authorization: `Signature ${signBody(body, options.key ?? pc.signing)}` },
    };
  }
  const post = (tenantId: string, d: ReturnType<typeof delivery>) => app.inject({ method: 'POST', url: `/tenants/${tenantId}/webhooks/partner-center`, headers: d.headers, payload: d.body });

  it("records a signed event's referral for that tenant only, wakes it, and the tenant's job syncs it and removes it", async () => {
    const { db } = database();
    const answer = await post('contoso', delivery('ref-announced'));
    assert.equal(answer.statusCode, 200, answer.body);
    assert.deepEqual(woken, ['contoso']);
    assert.deepEqual((await pendingReferrals(db.pool, 'contoso'))?.referralIds, ['ref-announced']);
    assert.equal(await pendingReferrals(db.pool, 'fabrikam'), undefined);

    const targeted: string[][] = [];
    const cycles = await runTenantJob(db.pool, 'contoso', { now: () => new Date(), runCycle: async () => assert.fail('no cycle was wanted'), runTargeted: async (_t, ids) => void targeted.push([...ids]) });
    assert.equal(cycles, 0);
    assert.deepEqual(targeted, [['ref-announced']]);
    assert.equal(await pendingReferrals(db.pool, 'contoso'), undefined, 'removed once synced');
  });

  it("acknowledges Partner Center's retry of an event taken (200) and refuses an old event (409), a bad signature (401) and an unknown tenant (404), recording nothing", async () => {
    const { db } = database();
    woken.length = 0;
    const once = delivery('ref-twice', { secondsLater: 1 });
    assert.equal((await post('fabrikam', once)).statusCode, 200);
    const retry = await post('fabrikam', once);
    assert.equal(retry.statusCode, 200);
    assert.deepEqual(JSON.parse(retry.body), { accepted: true, duplicate: true, action: 'none' });
    assert.equal((await post('fabrikam', delivery('ref-old', { secondsLater: -2 * 3600 }))).statusCode, 409);
    assert.equal((await post('fabrikam', delivery('ref-forged', { key: createSigningIdentity() }))).statusCode, 401);
    const unknown = await post('nobody', delivery('ref-elsewhere', { secondsLater: 2 }));
    assert.equal(unknown.statusCode, 404);
    assert.equal(JSON.parse(unknown.body).error.code, 'tenant_unknown');
    assert.deepEqual((await pendingReferrals(db.pool, 'fabrikam'))?.referralIds, ['ref-twice']);
    assert.deepEqual(woken, ['fabrikam']);
    const { rows } = await db.pool.query("SELECT 1 FROM tenant_referral_work WHERE referral_id IN ('ref-forged', 'ref-elsewhere', 'ref-old')");
    assert.equal(rows.length, 0);
  });
});
