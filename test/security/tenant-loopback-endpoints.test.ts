/**
 * A tenant's endpoints on the worker's own machine (loopback) need the operator's consent, as any custom
 * host does. Until 2026-12-07 loopback was allowed to every config (the sandboxes listen there), so a
 * tenant's config could point its token endpoint at another service of the worker's machine and the worker
 * (here `tenants check --connect`, which builds the worker's runtime) posted the tenant's client secret to it
 * over https, or probed the machine's ports. The local service is a https listener reached as 127.0.0.1
 * (test/helpers/catching-listener.ts). A single install keeps loopback for its sandboxes.
 */
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { operatorConsent, tenantConsent } from '../../config/endpoint-consent.js';
import { judgeEndpoints } from '../../config/endpoint-policy.js';
import { EXIT } from '../../core/cli/exit-codes.js';
import { ConfigError } from '../../core/errors.js';
import { silentLogger } from '../../core/logger.js';
import { addTenant, validateTenantDefinition } from '../../core/tenants/tenant-registry.js';
import { openTenantRuntime } from '../../core/worker/tenant-runtime.js';
import { dynamicsConfigAt, startCatchingListener, type CatchingListener } from '../helpers/catching-listener.js';
import { cosell } from '../helpers/cli.js';
import { useThrowawayPgDatabase } from '../helpers/pg-database.js';
import { ORGANISATION, SECRET_VALUES, useTempConfigFiles } from '../tenants/tenant-fixtures.js';

const MASTER = SECRET_VALUES.SCALE_TEST_MASTER_KEY;
const OWN_SECRET = 'tenant-own-dataverse-secret-7c1e';

describe("endpoint policy: a tenant's loopback and private addresses", () => {
  const refs = ['http://127.0.0.1:5432/', 'https://localhost:8443/token', 'https://[::1]/x', 'https://169.254.169.254/latest/meta-data', 'https://10.0.0.7/api'].map((url, i) => ({ key: `k${i}`, url }));

  it("refuses each without the operator's consent, naming the host and the command that allows them all", () => {
    const verdicts = judgeEndpoints(refs, { consent: tenantConsent('contoso', []) });
    assert.deepEqual(verdicts.map((v) => v.verdict), ['refused', 'refused', 'refused', 'refused', 'refused']);
    assert.match(verdicts[0]!.reason, /^127\.0\.0\.1:5432 is on the machine the connector runs on \(loopback\)/);
    assert.ok(verdicts[0]!.reason.includes('cosell tenants allow-endpoint contoso 127.0.0.1:5432 localhost:8443 [::1] 169.254.169.254 10.0.0.7'), verdicts[0]!.reason);
  });

  it('allows exactly the loopback host:port the operator named, as a custom endpoint', () => {
    const verdicts = judgeEndpoints(refs.slice(0, 2), { consent: tenantConsent('contoso', ['127.0.0.1:5432']) });
    assert.deepEqual(verdicts.map((v) => v.verdict), ['custom', 'refused']);
    assert.match(verdicts[0]!.reason, /allowed by the operator for tenant contoso/);
  });

  it("keeps loopback for a single install's sandboxes, and still refuses its private addresses", () => {
    const verdicts = judgeEndpoints(refs, { consent: operatorConsent({}) });
    assert.deepEqual(verdicts.map((v) => v.verdict), ['loopback', 'loopback', 'loopback', 'refused', 'refused']);
  });
});

describe("tenants: endpoints on the worker's machine need the operator's consent", function () {
  this.timeout(120_000);
  const opened = useThrowawayPgDatabase();
  let listener: CatchingListener;
  before(async () => (listener = await startCatchingListener({ reachedAs: '127.0.0.1' })));
  after(() => listener.close());
  const fileOf = useTempConfigFiles();
  const configOf = (tenantId: string) => dynamicsConfigAt(listener, `env:COSELL_TENANT_${tenantId.toUpperCase()}__DV_SECRET`, false);
  const tenants = (args: string[]) =>
    cosell(['tenants', ...args, '--database', 'env:LOOPBACK_TEST_DATABASE_URL'], {
      env: {
        LOOPBACK_TEST_DATABASE_URL: opened().url,
        COSELL_MASTER_KEY: MASTER,
        COSELL_TENANT_LOCAL__DV_SECRET: OWN_SECRET,
        COSELL_TENANT_EDITED__DV_SECRET: OWN_SECRET,
        NODE_EXTRA_CA_CERTS: listener.certFile,
        // The worker's own consent is for its own config, never a tenant's.
        COSELL_ALLOW_ENDPOINTS: listener.host,
      },
    });

  it('refuses at add a config pointing its token endpoint at a local service, naming the tenant, the key, the host and the command', async () => {
    const added = await tenants(['add', 'local', fileOf(configOf('local')), '--organisation', ORGANISATION]);
    assert.equal(added.code, EXIT.config, added.stdout + added.stderr);
    assert.ok(added.stderr.includes('crm > dynamics > authorityMetadata > token_endpoint'), added.stderr);
    assert.ok(added.stderr.includes(`${listener.host} is on the machine the connector runs on (loopback)`), added.stderr);
    assert.ok(added.stderr.includes(`cosell tenants allow-endpoint local ${listener.host}`), added.stderr);
    const connected = await tenants(['check', '--connect']);
    assert.ok(!`${connected.stdout}${connected.stderr}`.includes(OWN_SECRET));
    assert.deepEqual(listener.received, []);
  });

  it('refuses at load and in check a row whose consent was taken back, before anything connects', async () => {
    const db = opened().db;
    const config = parse(configOf('edited')) as unknown;
    await addTenant(db.pool, validateTenantDefinition({ tenantId: 'edited', displayName: 'edited', pcOrganisation: ORGANISATION, schedule: '0 0 1 1 *', config, allowedEndpoints: [listener.host] }, 'tenant.yaml'));
    await db.pool.query(`UPDATE tenants SET allowed_endpoints = '{}' WHERE tenant_id = 'edited'`);
    await assert.rejects(
      () => openTenantRuntime({ db, tenantId: 'edited', masterKey: Buffer.from(MASTER, 'base64'), logger: silentLogger(), env: { ...process.env, COSELL_TENANT_EDITED__DV_SECRET: OWN_SECRET } }),
      (error: unknown) => error instanceof ConfigError && /^tenant edited is not valid:\n {2}crm > dynamics > authorityMetadata > token_endpoint: /.test(error.message) && error.message.includes(`cosell tenants allow-endpoint edited ${listener.host}`),
    );
    const checked = await tenants(['check', 'edited', '--connect']);
    assert.equal(checked.code, EXIT.notReady, checked.stdout + checked.stderr);
    assert.ok(checked.stdout.includes(`cosell tenants allow-endpoint edited ${listener.host}`), checked.stdout);
    assert.deepEqual(listener.received, []);
  });

  it('sends the tenant its secret to the local host once the operator allows it', async () => {
    const added = await tenants(['add', 'local', fileOf(configOf('local')), '--organisation', ORGANISATION, '--allow-endpoint', listener.host]);
    assert.equal(added.code, EXIT.ok, added.stderr);
    await tenants(['check', 'local', '--connect']);
    assert.ok(listener.received.some((r) => r.startsWith('POST /token') && r.includes(`client_secret=${OWN_SECRET}`)), listener.received.join('\n'));
  });
});
