/**
 * `cosell tenants set-config`: the upgrade path for a tenant whose references are now refused. `remove` +
 * `add` deleted its links, parked records and stored sign-in; set-config replaces the config only, after
 * validating it as `add` does, and prints the keys that changed, never their values.
 */
import assert from 'node:assert/strict';
import { EXIT } from '../../core/cli/exit-codes.js';
import { pgStateStore } from '../../core/store/pg/pg-store.js';
import { getTenant } from '../../core/tenants/tenant-registry.js';
import { cosell } from '../helpers/cli.js';
import { useThrowawayPgDatabase } from '../helpers/pg-database.js';
import { makeLink } from '../store/store-fixtures.js';
import { ORGANISATION, SECRET_VALUES, salesforceTenantConfig, tempConfigFile, tenantKeyEnv, tenantKeyVariable } from './tenant-fixtures.js';

describe('cosell tenants set-config', function () {
  this.timeout(120_000);
  const opened = useThrowawayPgDatabase();
  const first = tempConfigFile(salesforceTenantConfig(`env:${tenantKeyVariable('contoso')}`));
  const moved = tempConfigFile(salesforceTenantConfig('env:COSELL_TENANT_CONTOSO__SF_KEY_NEW'));
  const refused = tempConfigFile(salesforceTenantConfig('env:COSELL_DATABASE_URL'));
  after(() => [first, moved, refused].forEach((f) => f.cleanup()));
  const run = (args: string[]) =>
    cosell(['tenants', ...args, '--database', 'env:SCALE_TEST_DATABASE_URL'], {
      env: { SCALE_TEST_DATABASE_URL: opened().url, COSELL_MASTER_KEY: SECRET_VALUES.SCALE_TEST_MASTER_KEY, ...tenantKeyEnv('contoso') },
    });

  it('replaces the config, keeps the links, and names the changed key without its value', async () => {
    assert.equal((await run(['add', 'contoso', first.file, '--organisation', ORGANISATION, '--allow-endpoint', 'proxy.contoso.example'])).code, EXIT.ok);
    await (await pgStateStore(opened().db, 'contoso')).putLink(makeLink(1));

    const bad = await run(['set-config', 'contoso', refused.file]);
    assert.equal(bad.code, EXIT.config, bad.stderr);
    assert.match(bad.stderr, /crm > salesforce > auth > privateKey/);

    const done = await run(['set-config', 'contoso', moved.file]);
    assert.equal(done.code, EXIT.ok, done.stderr);
    assert.match(done.stdout, /changed +crm > salesforce > auth > privateKey/);
    assert.ok(!done.stdout.includes('SF_KEY_NEW') && !done.stdout.includes(SECRET_VALUES.SCALE_TEST_MASTER_KEY), done.stdout);

    const tenant = (await getTenant(opened().db.pool, 'contoso'))!;
    assert.equal((tenant.config.crm as unknown as { salesforce: { auth: { privateKey: string } } }).salesforce.auth.privateKey, 'env:COSELL_TENANT_CONTOSO__SF_KEY_NEW');
    assert.deepEqual(tenant.allowedEndpoints, ['proxy.contoso.example']);
    const { rows } = await opened().db.pool.query("SELECT 1 FROM links WHERE tenant_id = 'contoso'");
    assert.equal(rows.length, 1, 'the link is kept');

    const unknown = await run(['set-config', 'nobody', moved.file]);
    assert.equal(unknown.code, EXIT.failed);
    assert.match(unknown.stderr, /There is no tenant nobody/);
  });
});
