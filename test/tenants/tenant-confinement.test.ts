/**
 * A tenant's config names only its own secrets, and its credentials go to a custom host only with the
 * operator's consent for that tenant. Until 2026-12-06 a tenant config could say `clientSecret:
 * env:COSELL_MASTER_KEY` and `allowCustomEndpoints: true` with its own token endpoint, and the worker (here
 * `tenants check --connect`, which builds the worker's runtime) posted the master key there as the "client
 * secret". The host is a local https listener reached as 0.0.0.0 (test/helpers/catching-listener.ts).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { EXIT } from '../../core/cli/exit-codes.js';
import { ConfigError } from '../../core/errors.js';
import { silentLogger } from '../../core/logger.js';
import { addTenant, validateTenantDefinition } from '../../core/tenants/tenant-registry.js';
import { enforceTenantScope, resolveTenantSecret, tenantEnvProblem, tenantFileProblem, tenantReferenceProblem, tenantScopeProblems } from '../../core/tenants/tenant-secret-scope.js';
import { openTenantRuntime } from '../../core/worker/tenant-runtime.js';
import { dynamicsConfigAt, startCatchingListener, type CatchingListener } from '../helpers/catching-listener.js';
import { cosell } from '../helpers/cli.js';
import { useThrowawayPgDatabase } from '../helpers/pg-database.js';
import { ORGANISATION, SECRET_VALUES, useTempConfigFiles } from './tenant-fixtures.js';

const MASTER = SECRET_VALUES.SCALE_TEST_MASTER_KEY;
const OWN_SECRET = 'tenant-own-dataverse-secret-51ab';

function dynamicsTenantConfig(clientSecret: string, listener: CatchingListener, allowCustomEndpoints: boolean): string {
  return dynamicsConfigAt(listener, clientSecret, allowCustomEndpoints);
}

describe('tenants: secret references confined to the tenant, endpoints allowed by the operator', function () {
  this.timeout(120_000);
  const opened = useThrowawayPgDatabase();
  let listener: CatchingListener;
  before(async () => (listener = await startCatchingListener()));
  after(() => listener.close());
  const fileOf = useTempConfigFiles();
  const tenants = (args: string[]) =>
    cosell(['tenants', ...args, '--database', 'env:CONFINE_TEST_DATABASE_URL'], {
      env: { CONFINE_TEST_DATABASE_URL: opened().url, COSELL_MASTER_KEY: MASTER, COSELL_TENANT_OWNHOST__DV_SECRET: OWN_SECRET, NODE_EXTRA_CA_CERTS: listener.certFile, COSELL_ALLOW_ENDPOINTS: '' },
    });

  it("refuses at add a config naming the worker's master key and its own host; the host receives nothing", async () => {
    const added = await tenants(['add', 'grabber', fileOf(dynamicsTenantConfig('env:COSELL_MASTER_KEY', listener, true)), '--organisation', ORGANISATION]);
    assert.equal(added.code, EXIT.config, added.stdout + added.stderr);
    assert.ok(added.stderr.includes(`to send credentials there, the operator allows it with: cosell tenants allow-endpoint grabber ${listener.host}`), added.stderr);
    const checked = await tenants(['check', '--connect']);
    assert.ok(!`${checked.stdout}${checked.stderr}${added.stderr}`.includes(MASTER));
    assert.deepEqual(listener.received, []);
  });

  it("refuses the master key reference at add even when the operator allows the host, naming the key and the rule", async () => {
    const added = await tenants(['add', 'grabber', fileOf(dynamicsTenantConfig('env:COSELL_MASTER_KEY', listener, false)), '--organisation', ORGANISATION, '--allow-endpoint', listener.host]);
    assert.equal(added.code, EXIT.config, added.stdout + added.stderr);
    assert.match(added.stderr, /crm > dynamics > clientSecret: the environment variable COSELL_MASTER_KEY is not tenant grabber's: a tenant's config may name only variables COSELL_TENANT_GRABBER__<NAME>/);
    assert.ok(!added.stderr.includes(MASTER));
    assert.deepEqual(listener.received, []);
  });

  it("refuses at load a row edited later to name the master key, before anything connects; check says so", async () => {
    const db = opened().db;
    const config = parse(dynamicsTenantConfig('env:COSELL_TENANT_EDITED__DV_SECRET', listener, false)) as unknown;
    await addTenant(db.pool, validateTenantDefinition({ tenantId: 'edited', displayName: 'edited', pcOrganisation: ORGANISATION, schedule: '0 0 1 1 *', config, allowedEndpoints: [listener.host] }, 'tenant.yaml'));
    await db.pool.query(`UPDATE tenants SET config_json = replace(config_json::text, 'env:COSELL_TENANT_EDITED__DV_SECRET', 'env:COSELL_MASTER_KEY')::json WHERE tenant_id = 'edited'`);
    await assert.rejects(
      () => openTenantRuntime({ db, tenantId: 'edited', masterKey: Buffer.from(MASTER, 'base64'), logger: silentLogger(), env: { ...process.env, COSELL_MASTER_KEY: MASTER } }),
      (error: unknown) => error instanceof ConfigError && error.path === 'tenant edited > crm > dynamics > clientSecret' && /COSELL_MASTER_KEY is not tenant edited's/.test(error.message) && !error.message.includes(MASTER),
    );
    const checked = await tenants(['check', 'edited']);
    assert.equal(checked.code, EXIT.notReady);
    assert.match(checked.stdout, /edited: not ready\n {2}crm > dynamics > clientSecret: the environment variable COSELL_MASTER_KEY is not tenant edited's/);
    assert.deepEqual(listener.received, []);
  });

  it("sends the tenant's own secret to a host the operator allowed for it, and only while allowed", async () => {
    const added = await tenants(['add', 'ownhost', fileOf(dynamicsTenantConfig('env:COSELL_TENANT_OWNHOST__DV_SECRET', listener, false)), '--organisation', ORGANISATION, '--allow-endpoint', listener.host]);
    assert.equal(added.code, EXIT.ok, added.stderr);
    const connected = await tenants(['check', 'ownhost', '--connect']);
    // Judged with the tenant's consent, not the worker's environment (COSELL_ALLOW_ENDPOINTS is empty here).
    assert.doesNotMatch(connected.stdout, /endpoint crm > dynamics > authorityMetadata > token_endpoint/, connected.stdout);
    assert.ok(listener.received.some((r) => r.startsWith('POST /token') && r.includes(`client_secret=${OWN_SECRET}`)), listener.received.join('\n'));
    const revoked = await tenants(['allow-endpoint', 'ownhost', listener.host, '--revoke']);
    assert.match(revoked.stdout, /Tenant ownhost may send credentials to: Microsoft's and Salesforce's well-known hosts only\./);
    const checked = await tenants(['check', 'ownhost']);
    assert.equal(checked.code, EXIT.notReady);
    assert.ok(checked.stdout.includes(`cosell tenants allow-endpoint ownhost ${listener.host}`), checked.stdout);
  });
});

describe("tenants: a reference's namespace", () => {
  it("takes only the tenant's own variables, never the worker's or another tenant's", () => {
    assert.equal(tenantEnvProblem('contoso-eu', 'COSELL_TENANT_CONTOSO_EU__SF_KEY'), undefined);
    for (const name of ['COSELL_MASTER_KEY', 'COSELL_DATABASE_URL', 'COSELL_TOKEN_KEY', 'COSELL_TENANT_FABRIKAM__SF_KEY', 'COSELL_TENANT_CONTOSO_EU__', 'COSELL_TENANT_CONTOSO_EU__sf_key', 'cosell_tenant_contoso_eu__SF_KEY']) {
      assert.ok(tenantEnvProblem('contoso-eu', name), name);
    }
    // Tenant a cannot reach tenant a--b's namespace (COSELL_TENANT_A__B__…) nor a-'s (COSELL_TENANT_A___…).
    assert.ok(tenantEnvProblem('a', 'COSELL_TENANT_A__B__KEY'));
    assert.ok(tenantEnvProblem('a', 'COSELL_TENANT_A___KEY'));
    assert.equal(tenantEnvProblem('a--b', 'COSELL_TENANT_A__B__KEY'), undefined);
    assert.equal(tenantEnvProblem('a-', 'COSELL_TENANT_A___KEY'), undefined);
    assert.ok(tenantReferenceProblem('contoso', 'vault:kv/x'));
  });

  it("confines Partner Center's scripted variables too: the defaults are the worker's own", () => {
    const scripted = (names: Record<string, string>) => ({ partnerCenter: { authMode: 'password', scripted: names } });
    const worker = tenantScopeProblems('contoso', scripted({ usernameEnv: 'COSELL_PC_USERNAME', passwordEnv: 'COSELL_PC_PASSWORD', clientSecretEnv: 'COSELL_MASTER_KEY' }));
    assert.deepEqual(worker.map((p) => p.path), ['partnerCenter > scripted > usernameEnv', 'partnerCenter > scripted > passwordEnv', 'partnerCenter > scripted > clientSecretEnv']);
    const own = scripted({ usernameEnv: 'COSELL_TENANT_CONTOSO__PC_USER', passwordEnv: 'COSELL_TENANT_CONTOSO__PC_PASSWORD', clientSecretEnv: 'COSELL_TENANT_CONTOSO__PC_SECRET' });
    assert.deepEqual(tenantScopeProblems('contoso', own), []);
    assert.throws(() => enforceTenantScope('fabrikam', own), (e: unknown) => e instanceof ConfigError && e.path === 'tenant fabrikam > partnerCenter > scripted > usernameEnv');
  });

  it("takes only files under the operator's folder for the tenant, and no link out of it", async () => {
    const root = mkdtempSync(join(tmpdir(), 'cosell-tenant-files-'));
    const env = { COSELL_TENANT_SECRETS_DIR: root };
    try {
      mkdirSync(join(root, 'a'), { mode: 0o700 });
      mkdirSync(join(root, 'a-b'), { mode: 0o700 });
      writeFileSync(join(root, 'a', 'key'), 'sandbox-own', { mode: 0o600 });
      writeFileSync(join(root, 'a-b', 'key'), 'sandbox-other', { mode: 0o600 });
      assert.equal(tenantFileProblem('a', join(root, 'a', 'key'), env), undefined);
      for (const file of [join(root, 'a-b', 'key'), `${root}/a/../a-b/key`, '/run/secrets/db-url', 'a/key', join(root, 'a')]) assert.ok(tenantFileProblem('a', file, env), file);
      assert.match(tenantFileProblem('a', join(root, 'a', 'key'), {})!, /COSELL_TENANT_SECRETS_DIR/);
      assert.equal(await resolveTenantSecret('a', `file:${join(root, 'a', 'key')}`, 'k', env), 'sandbox-own');
      symlinkSync(join(root, 'a-b', 'key'), join(root, 'a', 'link'));
      await assert.rejects(() => resolveTenantSecret('a', `file:${join(root, 'a', 'link')}`, 'k', env), (e: unknown) => e instanceof ConfigError && /leads out of tenant a's folder/.test(e.message) && !e.message.includes('sandbox-other'));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
