/**
 * Tenants' secrets: each tenant's Partner Center token cache is encrypted with its own key derived from
 * the master key; `tenants check` resolves every reference without showing a value; and a dump of the
 * whole database holds none of the secrets, only their references and ciphertext.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PublicClientApplication, TokenCacheContext } from '@azure/msal-node';
import { parse } from 'yaml';
import { AuthError, ConnectorError } from '../../core/errors.js';
import { checkTenant } from '../../core/tenants/tenant-check.js';
import { masterKeyFromEnv, tenantTokenKey } from '../../core/tenants/tenant-keys.js';
import { addTenant, getTenant, validateTenantDefinition } from '../../core/tenants/tenant-registry.js';
import { readTenantTokenCache, tenantTokenCachePlugin, writeTenantTokenCache } from '../../core/tenants/tenant-token-cache.js';
import { useThrowawayPgDatabase } from '../helpers/pg-database.js';
import { ORGANISATION, SECRET_VALUES, salesforceTenantConfig, tenantKeyEnv, tenantKeyVariable } from './tenant-fixtures.js';

const REFRESH_TOKEN = 'scale-test-refresh-token-0.AXoA-never-in-clear';
const CLIENT_ID = '0f6c2d4e-1111-4a2b-9c3d-5e6f7a8b9c0d';
/** An msal cache (its documented serialized shape) holding one refresh token. */
const MSAL_CACHE = JSON.stringify({
  Account: {}, IdToken: {}, AccessToken: {}, AppMetadata: {},
  RefreshToken: {
    'uid.utid-login.microsoftonline.com-refreshtoken-client-id--': {
      home_account_id: 'uid.utid', environment: 'login.microsoftonline.com', credential_type: 'RefreshToken', client_id: CLIENT_ID, secret: REFRESH_TOKEN,
    },
  },
});
const env: NodeJS.ProcessEnv = { ...process.env, ...SECRET_VALUES, ...tenantKeyEnv('contoso', 'fabrikam') };
const master = () => masterKeyFromEnv('SCALE_TEST_MASTER_KEY', env);

describe('tenants: keys', () => {
  it('derives a different key per tenant from one master key, the same one each time', () => {
    const a = tenantTokenKey(master(), 'contoso');
    const b = tenantTokenKey(master(), 'fabrikam');
    assert.ok(a.kind === 'raw' && b.kind === 'raw');
    assert.equal(a.key.length, 32);
    assert.notDeepEqual(a.key, b.key);
    assert.deepEqual(tenantTokenKey(master(), 'contoso'), a);
    assert.notDeepEqual(a.key, master(), 'the master key itself is never a tenant key');
  });

  it('refuses a passphrase or a missing variable as the master key, naming the variable', () => {
    assert.throws(() => masterKeyFromEnv('K', { K: 'a long and memorable passphrase' }), (e: unknown) => e instanceof ConnectorError && /env > K: .*not a passphrase/.test(e.message));
    assert.throws(() => masterKeyFromEnv('K', {}), (e: unknown) => e instanceof ConnectorError && /env > K/.test(e.message));
  });
});

describe('tenants: token caches and secrets in the database', () => {
  const opened = useThrowawayPgDatabase();
  const db = () => opened().db;
  before(async () => {
    for (const id of ['contoso', 'fabrikam']) {
      await addTenant(db().pool, validateTenantDefinition({ tenantId: id, displayName: id, pcOrganisation: ORGANISATION, schedule: '0 * * * *', config: parse(salesforceTenantConfig(`env:${tenantKeyVariable(id)}`)) }, 'tenant.yaml'));
    }
  });

  it("msal writes a tenant's cache through the plugin, and a new client on another worker reads it back", async () => {
    const key = tenantTokenKey(master(), 'contoso');
    const plugin = tenantTokenCachePlugin(db().pool, 'contoso', key);
    const first = new PublicClientApplication({ auth: { clientId: CLIENT_ID }, cache: { cachePlugin: plugin } });
    first.getTokenCache().deserialize(MSAL_CACHE);
    await plugin.afterCacheAccess(new TokenCacheContext(first.getTokenCache(), true));
    const second = new PublicClientApplication({ auth: { clientId: CLIENT_ID }, cache: { cachePlugin: tenantTokenCachePlugin(db().pool, 'contoso', key) } });
    await second.getTokenCache().getAllAccounts(); // msal reads the cache through the plugin first
    assert.match(second.getTokenCache().serialize(), new RegExp(REFRESH_TOKEN));
  });

  it("cannot be read with another tenant's key, even when its ciphertext is copied into that tenant's row", async () => {
    await writeTenantTokenCache(db().pool, 'contoso', tenantTokenKey(master(), 'contoso'), MSAL_CACHE);
    await assert.rejects(() => readTenantTokenCache(db().pool, 'contoso', tenantTokenKey(master(), 'fabrikam')), (e: unknown) => e instanceof AuthError && /tenant contoso/.test(e.message));
    await db().pool.query(
      `INSERT INTO tenant_token_caches (tenant_id, ciphertext, updated_at) SELECT 'fabrikam', ciphertext, updated_at FROM tenant_token_caches WHERE tenant_id = 'contoso'
       ON CONFLICT (tenant_id) DO UPDATE SET ciphertext = excluded.ciphertext`,
    );
    await assert.rejects(() => readTenantTokenCache(db().pool, 'fabrikam', tenantTokenKey(master(), 'fabrikam')), AuthError);
    await db().pool.query("DELETE FROM tenant_token_caches WHERE tenant_id = 'fabrikam'");
  });

  it('check: ready when every reference resolves; otherwise names the config key, never the value', async () => {
    await writeTenantTokenCache(db().pool, 'contoso', tenantTokenKey(master(), 'contoso'), MSAL_CACHE);
    const tenant = (await getTenant(db().pool, 'contoso'))!;
    const ready = await checkTenant(db().pool, tenant, { ...env, COSELL_MASTER_KEY: SECRET_VALUES.SCALE_TEST_MASTER_KEY });
    assert.deepEqual(ready.problems, []);
    const { COSELL_TENANT_CONTOSO__SF_KEY: _key, ...withoutKey } = env;
    const missing = await checkTenant(db().pool, tenant, { ...withoutKey, COSELL_MASTER_KEY: 'too short' });
    assert.ok(missing.problems.some((p) => /crm > salesforce > auth > privateKey: the environment variable COSELL_TENANT_CONTOSO__SF_KEY is not set/.test(p)), missing.problems.join('\n'));
    assert.ok(missing.problems.some((p) => /env > COSELL_MASTER_KEY/.test(p)));
    const wrongKey = await checkTenant(db().pool, tenant, { ...env, COSELL_MASTER_KEY: Buffer.alloc(32, 9).toString('base64') });
    assert.ok(wrongKey.problems.some((p) => /token cache of tenant contoso .*cannot be read/.test(p)), wrongKey.problems.join('\n'));
    assert.ok(![...missing.problems, ...wrongKey.problems].some((p) => p.includes(SECRET_VALUES.SCALE_TEST_SF_KEY) || p.includes(SECRET_VALUES.SCALE_TEST_MASTER_KEY)));
  });

  it('a dump of the whole database holds references and ciphertext, never a secret in clear', async () => {
    await writeTenantTokenCache(db().pool, 'contoso', tenantTokenKey(master(), 'contoso'), MSAL_CACHE);
    const { stdout: dump } = await promisify(execFile)('pg_dump', ['--data-only', opened().url], { maxBuffer: 64 * 1024 * 1024 });
    assert.match(dump, /env:COSELL_TENANT_CONTOSO__SF_KEY/, 'the dump has the tenants (the grep below looks at real data)');
    assert.match(dump, /cosell-token-cache/, 'the dump has the encrypted token cache');
    const master64 = SECRET_VALUES.SCALE_TEST_MASTER_KEY;
    const tenantKey = tenantTokenKey(master(), 'contoso');
    const secrets = [REFRESH_TOKEN, SECRET_VALUES.SCALE_TEST_SF_KEY, master64, master().toString('hex'), tenantKey.kind === 'raw' ? tenantKey.key.toString('base64') : ''];
    for (const secret of secrets) assert.equal(dump.includes(secret), false, `a secret (${secret.slice(0, 6)}…) is in the database dump`);
  });
});
