/**
 * The tenants table: adding validates everything first (field by field, naming the rule), the config is
 * stored with secret references only, and removing a tenant removes all of its state.
 */
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { ConnectorError } from '../../core/errors.js';
import { pgStateStore } from '../../core/store/pg/pg-store.js';
import { addTenant, changeAllowedEndpoints, getTenant, listTenants, removeTenant, validateTenantDefinition, type TenantDefinition } from '../../core/tenants/tenant-registry.js';
import { useThrowawayPgDatabase } from '../helpers/pg-database.js';
import { makeLink } from '../store/store-fixtures.js';
import { ORGANISATION, salesforceTenantConfig, tenantKeyVariable } from './tenant-fixtures.js';

/** A definition of tenant `contoso` by default; another ID's config names that tenant's own variable. */
function definition(overrides: Partial<Omit<TenantDefinition, 'config'>> & { config?: unknown } = {}): TenantDefinition {
  const tenantId = overrides.tenantId ?? 'contoso';
  const config = parse(salesforceTenantConfig(`env:${tenantKeyVariable(tenantId)}`)) as unknown;
  return validateTenantDefinition({ tenantId, displayName: 'Contoso', pcOrganisation: ORGANISATION, schedule: '*/5 * * * *', config, ...overrides }, 'tenant.yaml');
}

function refusedFor(field: RegExp): (error: unknown) => boolean {
  return (error: unknown) => error instanceof ConnectorError && field.test(error.message);
}

describe('tenants: validation', () => {
  it('keeps the sync-relevant config (crm, partnerCenter, sync) and drops the store and logging of the file', () => {
    const tenant = definition();
    assert.deepEqual(Object.keys(tenant.config).sort(), ['allowCustomEndpoints', 'crm', 'partnerCenter', 'sync']);
    assert.equal(tenant.config.sync.conflictPolicy, 'manual');
    assert.equal(tenant.config.crm.kind, 'salesforce');
  });

  it('refuses a bad tenant ID, organisation, schedule or empty name, naming the field and the rule', () => {
    assert.throws(() => definition({ tenantId: 'Contoso Ltd' }), refusedFor(/^tenant id: .*lower-case letters/));
    assert.throws(() => definition({ pcOrganisation: 'contoso.onmicrosoft.com' }), refusedFor(/^organisation: .*Entra tenant ID/));
    assert.throws(() => definition({ schedule: 'every 5 minutes' }), refusedFor(/^schedule: .*five-field cron/));
    assert.throws(() => definition({ schedule: '*/5 * * *' }), refusedFor(/^schedule: /));
    assert.throws(() => definition({ displayName: ' ' }), refusedFor(/^name: /));
  });

  it('refuses a config that holds a secret where a reference belongs, without echoing the secret', () => {
    const secret = '-----BEGIN PRIVATE KEY-----MIIE-literal-----END PRIVATE KEY-----';
    assert.throws(
      () => definition({ config: parse(salesforceTenantConfig(secret)) }),
      (error: unknown) => error instanceof ConnectorError && /crm > salesforce > auth > privateKey/.test(error.message) && !error.message.includes('MIIE-literal'),
    );
  });
});

describe('tenants: the table', () => {
  const opened = useThrowawayPgDatabase();
  const db = () => opened().db;

  it('adds, reads, lists in ID order and refuses a second tenant with the same ID', async () => {
    const added = await addTenant(db().pool, definition({ tenantId: 'fabrikam', displayName: 'Fabrikam' }), new Date('2026-01-05T09:00:00Z'));
    await addTenant(db().pool, definition({ tenantId: 'contoso' }));
    assert.equal(added.crmKind, 'salesforce');
    assert.equal(added.createdAt, '2026-01-05T09:00:00.000Z');
    assert.deepEqual(await getTenant(db().pool, 'fabrikam'), added);
    assert.deepEqual((await listTenants(db().pool)).map((t) => t.tenantId), ['contoso', 'fabrikam']);
    await assert.rejects(() => addTenant(db().pool, definition({ tenantId: 'contoso' })), (error: unknown) => error instanceof ConnectorError && error.code === 'tenants.exists');
    assert.equal(await getTenant(db().pool, 'nobody'), undefined);
  });

  it("stores the config's secret references as they are written", async () => {
    await addTenant(db().pool, definition({ tenantId: 'refs' }));
    const { rows } = await db().pool.query<{ config_json: string }>("SELECT config_json FROM tenants WHERE tenant_id = 'refs'");
    assert.match(rows[0]!.config_json, /"privateKey":"env:COSELL_TENANT_REFS__SF_KEY"/);
  });

  it('removes a tenant with all of its state, and leaves other tenants alone', async () => {
    await addTenant(db().pool, definition({ tenantId: 'leaving' }));
    await addTenant(db().pool, definition({ tenantId: 'staying' }));
    for (const id of ['leaving', 'staying']) {
      const store = await pgStateStore(db(), id);
      await store.putLink(makeLink(1));
      await store.startRun('2026-01-05T09:00:00.000Z');
    }
    assert.equal(await removeTenant(db().pool, 'leaving'), true);
    assert.equal(await removeTenant(db().pool, 'leaving'), false);
    const { rows } = await db().pool.query<{ tenant_id: string }>('SELECT DISTINCT tenant_id FROM links UNION SELECT DISTINCT tenant_id FROM runs');
    assert.deepEqual(rows.map((r) => r.tenant_id).filter((id) => id === 'leaving' || id === 'staying'), ['staying']);
    await assert.rejects(() => pgStateStore(db(), 'leaving'), (error: unknown) => error instanceof ConnectorError && error.code === 'store.unknown_tenant');
  });

  it('keeps every host of concurrent allow-endpoint commands, once each, in the order first allowed', async () => {
    await addTenant(db().pool, definition({ tenantId: 'busy' }));
    const hosts = Array.from({ length: 8 }, (_, i) => `proxy${i}.contoso.example`);
    await Promise.all(hosts.map((host) => changeAllowedEndpoints(db().pool, 'busy', [host, 'shared.contoso.example'])));
    const after = (await getTenant(db().pool, 'busy'))!.allowedEndpoints;
    assert.deepEqual([...after].sort(), [...hosts, 'shared.contoso.example'].sort());
    await Promise.all(hosts.slice(0, 4).map((host) => changeAllowedEndpoints(db().pool, 'busy', [host], true)));
    assert.deepEqual([...(await getTenant(db().pool, 'busy'))!.allowedEndpoints].sort(), [...hosts.slice(4), 'shared.contoso.example'].sort());
    assert.deepEqual(await changeAllowedEndpoints(db().pool, 'busy', ['late.example', 'proxy5.contoso.example']), [...(await getTenant(db().pool, 'busy'))!.allowedEndpoints]);
    assert.equal(await changeAllowedEndpoints(db().pool, 'nobody', ['x.example']), undefined);
  });
});

describe('tenants: a serve section is refused, not dropped', () => {
  it("names the key and where serve settings go; the operator's certificate host consent is not asked for it", () => {
    const config = { ...(parse(salesforceTenantConfig(`env:${tenantKeyVariable('contoso')}`)) as object), serve: { webhooks: { certificateHosts: ['certs.tenant.example'] } } };
    assert.throws(
      () => validateTenantDefinition({ tenantId: 'contoso', displayName: 'Contoso', pcOrganisation: ORGANISATION, schedule: '*/5 * * * *', config }, 'tenant.yaml'),
      (error: Error) => /^serve: is not a tenant's setting: .*cosell serve --database .*-c FILE.*remove serve from the tenant's file/.test(error.message) && !/COSELL_ALLOW_CERTIFICATE_HOSTS/.test(error.message),
    );
  });
});
