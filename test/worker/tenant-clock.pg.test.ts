/**
 * A tenant's engine keeps to Partner Center's clock as a single install's does, and keeps the offset in the
 * tenant's store (PostgreSQL): `cosell status --tenant` reckons the age of the runs the engine stamped by it.
 * Until 2026-12-06 a tenant runtime learned the offset afresh and kept it nowhere, so status judged a
 * tenant's runs by this machine's clock: with Partner Center 3 h ahead, a run 4 h old read "1 h ago".
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../core/logger.js';
import { CLOCK_OFFSET_META } from '../../core/service-clock.js';
import { pgStateStore } from '../../core/store/pg/pg-store.js';
import { runTenantCycle } from '../../core/worker/tenant-cycle.js';
import { startSandboxSet, type SandboxSet } from '../../sandbox/launch.js';
import { addSandboxTenant } from '../../sandbox/tenant.js';
import { useTenantSecretsDir } from '../tenants/tenant-secrets-dir.js';
import { cosell } from '../helpers/cli.js';
import { useThrowawayPgDatabase } from '../helpers/pg-database.js';

const HOUR = 3_600_000;

describe("a tenant's engine clock, kept in PostgreSQL and read by cosell status --tenant", function () {
  this.timeout(120_000);
  const database = useThrowawayPgDatabase();
  const masterKey = randomBytes(32);
  const dir = mkdtempSync(join(tmpdir(), 'cosell-tenant-clock-'));
  useTenantSecretsDir(dir);
  let set: SandboxSet | undefined;
  after(async () => {
    await set?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps Partner Center's offset in the tenant's store and reckons the tenant's run ages by it", async () => {
    const { db, url } = database();
    set = await startSandboxSet({ seed: false });
    await addSandboxTenant({ db, set, kind: 'salesforce', tenantId: 'contoso', masterKey, dir });
    set.clock.advance(3 * HOUR);

    const cycle = await runTenantCycle({ db, tenantId: 'contoso', masterKey, logger: silentLogger(), owner: 'test-worker' });
    assert.equal(cycle.outcome, 'ok', cycle.message);
    const store = await pgStateStore(db, 'contoso');
    const offset = await store.getMeta(CLOCK_OFFSET_META);
    assert.ok(typeof offset === 'number' && Math.abs(offset - 3 * HOUR) < 60_000, `the tenant's store keeps Partner Center's offset (${String(offset)})`);
    const [run] = await store.listRuns(1);
    assert.ok(Math.abs(Date.parse(run!.startedAt) - (Date.now() + 3 * HOUR)) < 60_000, `the cycle's run is stamped by Partner Center's clock (${run!.startedAt})`);

    // A run the engine stamped four hours ago by its clock: by this machine's it is one hour old.
    const stoppedAt = Date.now() + offset - 4 * HOUR;
    const last = await store.startRun(new Date(stoppedAt).toISOString());
    await store.finishRun(last.id, { outcome: 'ok', finishedAt: new Date(stoppedAt + 5_000).toISOString(), counts: {} });
    const status = await cosell(['status', '--tenant', 'contoso', '--database', 'env:CLOCK_TEST_DATABASE_URL'], { env: { CLOCK_TEST_DATABASE_URL: url } });
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /Newest run started (4 h|3 h 59 min) ago/);
  });
});
