/**
 * `cosell tenants check --connect`: the offline check says a tenant's config and references are sound;
 * it cannot see a rotated CRM secret or a revoked Partner Center sign-in, and such a tenant then failed
 * every scheduled cycle unattended. With --connect each tenant is asked what `cosell check` asks, through
 * the worker's own runtime: the real binary against a sandbox set made a tenant as an operator would.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../../core/cli/exit-codes.js';
import { getTenant } from '../../core/tenants/tenant-registry.js';
import { startSandboxSet, type SandboxSet } from '../../sandbox/launch.js';
import { addSandboxTenant } from '../../sandbox/tenant.js';
import { useTenantSecretsDir } from './tenant-secrets-dir.js';
import { SANDBOX_USERS } from '../../sandbox/entra/index.js';
import { cosell } from '../helpers/cli.js';
import { useThrowawayPgDatabase } from '../helpers/pg-database.js';

describe('cosell tenants check --connect', function () {
  this.timeout(180_000);
  const database = useThrowawayPgDatabase();
  const masterKey = randomBytes(32);
  const dir = mkdtempSync(join(tmpdir(), 'cosell-connect-check-'));
  useTenantSecretsDir(dir);
  let set: SandboxSet | undefined;
  after(async () => {
    await set?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const check = (...args: string[]) =>
    cosell(['tenants', 'check', ...args, '--database', 'env:CONNECT_CHECK_DATABASE_URL'], { env: { CONNECT_CHECK_DATABASE_URL: database().url, COSELL_MASTER_KEY: masterKey.toString('base64') } });

  it("says ready only when each tenant's CRM and Partner Center accept it, naming the tenant and what refused", async () => {
    const { db } = database();
    set = await startSandboxSet({ seed: false });
    await addSandboxTenant({ db, set, kind: 'dynamics', tenantId: 'contoso', masterKey, dir });
    await addSandboxTenant({ db, set, kind: 'salesforce', tenantId: 'fabrikam', masterKey, dir });

    const ready = await check('--connect');
    assert.equal(ready.code, EXIT.ok, ready.stdout + ready.stderr);
    assert.match(ready.stdout, /^contoso: ok\nfabrikam: ok\n$/);

    // The operator's Dataverse secret file now holds a secret Entra does not know (rotated in the portal).
    const tenant = await getTenant(db.pool, 'contoso');
    const secretRef = (tenant!.config as unknown as { crm: { dynamics: { clientSecret: string } } }).crm.dynamics.clientSecret;
    writeFileSync(secretRef.replace(/^file:/, ''), 'sandbox-secret-rotated-away', { mode: 0o600 });
    // And an admin revoked the sessions of the user who signed Partner Center in (fabrikam's sign-in).
    const revoked = await fetch(`${set.entra.url}/_sandbox/entra/revoke`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: SANDBOX_USERS.admin.username }) });
    assert.equal(revoked.status, 200);

    const offline = await check();
    assert.equal(offline.code, EXIT.ok, 'the offline check cannot see either (why --connect exists)');

    const connected = await check('--connect');
    assert.equal(connected.code, EXIT.notReady, connected.stdout + connected.stderr);
    assert.match(connected.stdout, /^contoso: not ready\n {2}.*(Dynamics|Dataverse|Entra).*(secret|credentials)/m);
    assert.match(connected.stdout, /^fabrikam: not ready\n(?: {2}.*\n)* {2}Partner Center sign-in: .*cosell login partner-center --tenant fabrikam/m);
    assert.ok(!connected.stdout.includes('sandbox-secret-rotated-away') && !connected.stderr.includes('sandbox-secret-rotated-away'), 'the secret never reaches the output');

    const one = await check('fabrikam', '--connect');
    assert.equal(one.code, EXIT.notReady);
    assert.doesNotMatch(one.stdout, /contoso/, 'one tenant named: only that tenant is checked');
  });
});
