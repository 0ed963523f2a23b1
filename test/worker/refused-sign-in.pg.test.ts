/**
 * A tenant whose CRM refuses its credentials (a person must fix them) is not tried again and again: its
 * failed cycle records why, naming the tenant, and the tenant waits for its next schedule occurrence, as a
 * single install's `cosell run` waits for its next turn. Before, the failed cycle stayed wanted, so the
 * queue's retries and then every scheduler tick signed in to the CRM again, every few seconds, forever.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../core/logger.js';
import { getTenant } from '../../core/tenants/tenant-registry.js';
import { startSandboxSet, type SandboxSet } from '../../sandbox/launch.js';
import { addSandboxTenant } from '../../sandbox/tenant.js';
import { useTenantSecretsDir } from '../tenants/tenant-secrets-dir.js';
import { useThrowawayPgDatabase } from '../helpers/pg-database.js';

describe('a tenant whose CRM refuses its credentials (worker)', function () {
  this.timeout(120_000);
  const database = useThrowawayPgDatabase();
  const masterKey = randomBytes(32);
  const dir = mkdtempSync(join(tmpdir(), 'cosell-refused-'));
  useTenantSecretsDir(dir);
  let set: SandboxSet | undefined;
  after(async () => {
    await set?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails its cycle once, naming the tenant, and waits for the next schedule occurrence', async () => {
    // Imported as the registry imports the CRM connectors (dynamically): mocha's static imports of a test
    // file load another copy of core/errors.ts under tsx, and the engine would not know the connector's
    // AuthError for what it is (the CLI and the worker load one copy).
    const { runTenantCycle } = await import('../../core/worker/tenant-cycle.js');
    const { runTenantJob } = await import('../../core/worker/tenant-job.js');
    const { readTenantWork, requestCycle, scheduledTenants, wantsCycle } = await import('../../core/worker/tenant-work.js');
    const { db } = database();
    set = await startSandboxSet({ seed: false });
    await addSandboxTenant({ db, set, kind: 'salesforce', tenantId: 'contoso', masterKey, dir });
    // The operator's key file now holds a key the connected app does not know.
    const tenant = await getTenant(db.pool, 'contoso');
    const keyRef = (tenant!.config as unknown as { crm: { salesforce: { auth: { privateKey: string } } } }).crm.salesforce.auth.privateKey;
    const wrongKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    writeFileSync(keyRef.replace(/^file:/, ''), wrongKey, { mode: 0o600 });

    await requestCycle(db.pool, 'contoso', new Date());
    const job = () => runTenantJob(db.pool, 'contoso', {
      now: () => new Date(),
      runCycle: async (tenantId) => void (await runTenantCycle({ db, tenantId, masterKey, logger: silentLogger(), owner: 'test-worker' })),
    });
    await assert.rejects(job(), /The sync cycle of tenant contoso failed: (AuthError: )?Salesforce refused the connector's credentials/);
    const work = await readTenantWork(db.pool, 'contoso');
    assert.match(work?.lastOutcome ?? '', /^failed: The sync cycle of tenant contoso failed: (AuthError: )?Salesforce refused/);
    assert.equal(wantsCycle(work), false, 'the refused cycle waits for the next schedule occurrence');
    assert.deepEqual((await scheduledTenants(db.pool)).filter((t) => t.wants).map((t) => t.tenantId), [], 'no scheduler tick wakes it before then');

    // The queue's retry of the job finds nothing to do: no further sign-in to the CRM.
    const signIns = set.salesforce.counters.get('token');
    assert.equal(await job(), 0);
    assert.equal(set.salesforce.counters.get('token'), signIns);

    // A later occurrence (or a manual request) tries again.
    await requestCycle(db.pool, 'contoso', new Date(Date.now() + 60_000));
    assert.equal(wantsCycle(await readTenantWork(db.pool, 'contoso')), true);
  });

  it('a referral a webhook announced does not wake the tenant again and again either', async () => {
    const { runTenantTargetedSync } = await import('../../core/worker/tenant-cycle.js');
    const { runTenantJob } = await import('../../core/worker/tenant-job.js');
    const { scheduledTenants } = await import('../../core/worker/tenant-work.js');
    const { pendingReferrals, requestReferralSync } = await import('../../core/worker/referral-work.js');
    const { db } = database();
    const sent = set!.partnerCenter.actAs('msft').sendReferral({ deal: { dealName: 'Announced while the key is wrong' } });
    assert.ok(sent.ok);
    await requestReferralSync(db.pool, 'contoso', [sent.value.id], new Date());
    const input = { db, masterKey, logger: silentLogger(), owner: 'test-worker' };
    const job = () => runTenantJob(db.pool, 'contoso', {
      now: () => new Date(),
      runCycle: async () => undefined,
      runTargeted: async (tenantId, ids) => void (await runTenantTargetedSync({ ...input, tenantId }, ids)),
      maxCycles: 0,
    });
    await assert.rejects(job(), /The targeted sync of tenant contoso failed: (AuthError: )?Salesforce refused/);
    assert.equal(await pendingReferrals(db.pool, 'contoso'), undefined, 'left to the next scheduled cycle');
    assert.deepEqual((await scheduledTenants(db.pool)).filter((t) => t.wants).map((t) => t.tenantId), ['contoso'], 'only the cycle the test above asked for');
    const signIns = set!.salesforce.counters.get('token');
    assert.equal(await job(), 0);
    assert.equal(set!.salesforce.counters.get('token'), signIns);
  });
});
