/**
 * A tenant's bulk CSV export and import run by a worker (core/worker/csv-jobs.ts): submitted as a job
 * with the file, run with the tenant's Partner Center sign-in against the sandbox, the produced file kept
 * for the command; a job whose tenant cannot sign in fails with its reason and is not run again.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../core/logger.js';
import { readCsvJob, runCsvJob, submitCsvJob } from '../../core/worker/csv-jobs.js';
import { OUR_PARTNER_ORG } from '../../sandbox/entra/index.js';
import { startSandboxSet, type SandboxSet } from '../../sandbox/launch.js';
import { addSandboxTenant } from '../../sandbox/tenant.js';
import { useTenantSecretsDir } from '../tenants/tenant-secrets-dir.js';
import { csvText } from '../csv/helpers/csv.js';
import { SAMPLE_HEADER, SEED_SAMPLE_ROW } from '../csv/helpers/fixtures.js';
import { useThrowawayPgDatabase } from '../helpers/pg-database.js';

describe('tenant CSV jobs run by a worker (PostgreSQL, sandboxes)', function () {
  this.timeout(120_000);
  const database = useThrowawayPgDatabase();
  const masterKey = randomBytes(32);
  const dir = mkdtempSync(join(tmpdir(), 'cosell-csv-jobs-'));
  useTenantSecretsDir(dir);
  let set: SandboxSet;
  before(async () => {
    set = await startSandboxSet({ seed: false });
    await addSandboxTenant({ db: database().db, set, kind: 'salesforce', tenantId: 'contoso', masterKey, dir });
  });
  after(async () => {
    await set?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const worker = () => ({ db: database().db, masterKey, logger: silentLogger() });

  it("exports the tenant's referrals and imports a file into its Partner Center organisation", async () => {
    const { db } = database();
    const sent = set.partnerCenter.actAs('msft').sendReferral({ deal: { dealName: 'Exported by a worker' } });
    assert.ok(sent.ok);
    const exportId = await submitCsvJob(db.pool, 'contoso', { kind: 'export', filter: {} }, undefined, new Date());
    await runCsvJob(worker(), exportId);
    const exported = await readCsvJob(db.pool, exportId);
    assert.equal(exported?.state, 'done', exported?.message);
    assert.equal(exported?.summary?.written, 1);
    assert.match(exported!.output!, /Exported by a worker/);

    const file = csvText(SAMPLE_HEADER, [{ ...SEED_SAMPLE_ROW, 'Engagement ID': '', 'Referral ID': '', 'Deal Name': 'Imported by a worker', 'Estimated Close Date': '1/30/2027' }]);
    const importId = await submitCsvJob(db.pool, 'contoso', { kind: 'import', dryRun: false }, Buffer.from(file), new Date());
    await runCsvJob(worker(), importId);
    const imported = await readCsvJob(db.pool, importId);
    assert.equal(imported?.state, 'done', imported?.message);
    assert.equal(imported?.summary?.created, 1);
    assert.match(imported!.output!, /Imported by a worker/, 'the results file');
    assert.ok(set.partnerCenter.store.ownedBy(OUR_PARTNER_ORG).some((r) => r.name === 'Imported by a worker'));
  });

  it('stores why a job failed, and a retry of it does nothing', async () => {
    const { db } = database();
    await db.pool.query('DELETE FROM tenant_token_caches WHERE tenant_id = $1', ['contoso']);
    const id = await submitCsvJob(db.pool, 'contoso', { kind: 'export', filter: {} }, undefined, new Date());
    await runCsvJob(worker(), id);
    const failed = await readCsvJob(db.pool, id);
    assert.equal(failed?.state, 'failed');
    assert.match(failed!.message!, /signed in|sign in/i);
    await runCsvJob(worker(), id);
    assert.equal((await readCsvJob(db.pool, id))?.state, 'failed');
  });
});
