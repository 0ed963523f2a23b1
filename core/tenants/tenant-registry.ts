/**
 * The tenants table: one row per partner organisation, with its cosell config (secret references only),
 * its Partner Center organisation and its schedule. Adding a tenant validates everything first, so a row
 * in the table is always a config that `cosell sync` would accept.
 */
import type pg from 'pg';
import { parseAllowedHosts, tenantConsent } from '../../config/endpoint-consent.js';
import { ConfigFileError, validateConfig } from '../../config/load.js';
import type { CosellConfig } from '../../config/schema.js';
import { ConfigError, ConnectorError } from '../errors.js';
import { tenantScopeProblems } from './tenant-secret-scope.js';

/** What a tenant's sync needs from a config file: the store and logging belong to the worker, not the tenant. */
export type TenantConfig = Pick<CosellConfig, 'crm' | 'partnerCenter' | 'sync' | 'allowCustomEndpoints'>;

export interface TenantDefinition {
  tenantId: string;
  displayName: string;
  /** The partner's Microsoft Entra tenant (directory) ID: which Partner Center organisation. */
  pcOrganisation: string;
  /** A five-field cron expression: when the tenant's sync cycle is enqueued. */
  schedule: string;
  config: TenantConfig;
  /**
   * Hosts other than the well-known ones the operator allowed this tenant's credentials to go to (exact host or
   * host:port): the operator's consent (config/endpoint-consent.ts), kept beside the config, never in it.
   */
  allowedEndpoints: string[];
}

export interface Tenant extends TenantDefinition {
  crmKind: string;
  createdAt: string;
  updatedAt: string;
}

export const DEFAULT_SCHEDULE = '*/5 * * * *';
const TENANT_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CRON_FIELD = /^[0-9*/,-]+$/;

const TENANT_SECTIONS: ReadonlySet<string> = new Set(['crm', 'partnerCenter', 'sync', 'allowCustomEndpoints']);

/**
 * The config file's top-level sections a tenant does not keep (store, logging, notifications, dashboard,
 * serve …), so that `tenants add` can say so: dropped silently, an operator who configured, say, the
 * admins' notifications believed they were on for the tenant.
 */
export function sectionsNotKept(config: unknown): string[] {
  if (typeof config !== 'object' || config === null) return [];
  return Object.keys(config).filter((key) => !TENANT_SECTIONS.has(key));
}

/**
 * A tenant's file may not have a `serve` section. Its settings are who may be trusted as a proxy, which hosts
 * anonymous webhook posts make the service fetch certificates from, whether a self-signed one is accepted: the
 * intake (`cosell serve --database`) serves every tenant and reads them from its own config file (`-c`), so a
 * tenant's were judged (its certificate hosts against the operator's COSELL_ALLOW_CERTIFICATE_HOSTS) and then
 * never applied, and whoever wrote them believed them in force. Refused, naming the key and where they belong;
 * the other sections a tenant does not keep (store, logging, notifications …) are still only warned about.
 */
export function refuseTenantServe(config: unknown): void {
  if (typeof config !== 'object' || config === null || !('serve' in config)) return;
  throw new ConfigError(
    'serve',
    "is not a tenant's setting: the webhook intake serves every tenant with the serve section of its own config file (cosell serve --database … -c FILE), which is where certificate hosts, trustProxy and the rest go; remove serve from the tenant's file",
  );
}

/**
 * Checks a definition field by field; the error names the field and the rule. The config's secret references
 * must lie in the tenant's namespace (tenant-secret-scope.ts), judged against the operator's `env`.
 */
export function validateTenantDefinition(
  input: Omit<TenantDefinition, 'config' | 'allowedEndpoints'> & { config: unknown; allowedEndpoints?: readonly string[] },
  source: string,
  env: NodeJS.ProcessEnv = process.env,
): TenantDefinition {
  if (!TENANT_ID.test(input.tenantId)) {
    throw new ConfigError('tenant id', `"${input.tenantId}" is not a tenant ID: use 1 to 63 lower-case letters, digits and hyphens, starting with a letter or digit`);
  }
  if (!GUID.test(input.pcOrganisation)) {
    throw new ConfigError('organisation', `"${input.pcOrganisation}" is not a Microsoft Entra tenant ID (a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47)`);
  }
  const fields = input.schedule.trim().split(/\s+/);
  if (fields.length !== 5 || !fields.every((f) => CRON_FIELD.test(f))) {
    throw new ConfigError('schedule', `"${input.schedule}" is not a five-field cron expression (minute hour day month weekday, such as ${DEFAULT_SCHEDULE})`);
  }
  if (!input.displayName.trim()) throw new ConfigError('name', 'the display name is empty');
  const allowedEndpoints = parseAllowedHosts((input.allowedEndpoints ?? []).join(','), '--allow-endpoint');
  // Before the config is judged: a serve section's certificate hosts would be judged for nothing.
  refuseTenantServe(input.config);
  const config = validateConfig(input.config, source, tenantConsent(input.tenantId, allowedEndpoints));
  const { crm, partnerCenter, sync, allowCustomEndpoints } = config;
  // Only what is kept: the sections `tenants add` drops (notifications …) are never read for the tenant.
  const outOfScope = tenantScopeProblems(input.tenantId, { crm, partnerCenter, sync }, env);
  if (outOfScope.length > 0) throw new ConfigFileError(source, outOfScope);
  return { ...input, allowedEndpoints, schedule: fields.join(' '), config: { crm, partnerCenter, sync, allowCustomEndpoints } };
}

interface TenantRow {
  tenant_id: string;
  display_name: string;
  pc_organisation: string;
  crm_kind: string;
  config_json: string;
  schedule: string;
  allowed_endpoints: string[];
  created_at: string;
  updated_at: string;
}

const COLUMNS = 'tenant_id, display_name, pc_organisation, crm_kind, config_json, schedule, allowed_endpoints, created_at, updated_at';

function rowToTenant(row: TenantRow): Tenant {
  const config = (typeof row.config_json === 'string' ? JSON.parse(row.config_json) : row.config_json) as TenantConfig;
  return {
    tenantId: row.tenant_id,
    displayName: row.display_name,
    pcOrganisation: row.pc_organisation,
    crmKind: row.crm_kind,
    config,
    schedule: row.schedule,
    allowedEndpoints: row.allowed_endpoints ?? [],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function addTenant(pool: pg.Pool, definition: TenantDefinition, now: Date = new Date()): Promise<Tenant> {
  const at = now.toISOString();
  try {
    const { rows } = await pool.query<TenantRow>(
      `INSERT INTO tenants (${COLUMNS}) VALUES ($1, $2, $3, $4, $5::json, $6, $8, $7, $7) RETURNING ${COLUMNS}`,
      [definition.tenantId, definition.displayName, definition.pcOrganisation, definition.config.crm.kind, JSON.stringify(definition.config), definition.schedule, at, definition.allowedEndpoints],
    );
    return rowToTenant(rows[0]!);
  } catch (error) {
    if ((error as { code?: unknown }).code === '23505') {
      throw new ConnectorError('tenants.exists', `Tenant ${definition.tenantId} already exists; remove it first, or choose another ID.`, false, { record: definition.tenantId });
    }
    throw error;
  }
}

export async function listTenants(pool: pg.Pool): Promise<Tenant[]> {
  return (await pool.query<TenantRow>(`SELECT ${COLUMNS} FROM tenants ORDER BY tenant_id`)).rows.map(rowToTenant);
}

export async function getTenant(pool: pg.Pool, tenantId: string): Promise<Tenant | undefined> {
  const row = (await pool.query<TenantRow>(`SELECT ${COLUMNS} FROM tenants WHERE tenant_id = $1`, [tenantId])).rows[0];
  return row && rowToTenant(row);
}

/**
 * The new list in one statement (read and write together): two `allow-endpoint` commands at once each add
 * their host, where reading the list and writing it back lost one. Order kept: first allowed, first listed.
 */
const ADD_HOSTS = `ARRAY(SELECT h FROM unnest(allowed_endpoints || $2::text[]) WITH ORDINALITY AS t(h, n) GROUP BY h ORDER BY min(n))`;
const REMOVE_HOSTS = `ARRAY(SELECT h FROM unnest(allowed_endpoints) WITH ORDINALITY AS t(h, n) WHERE h <> ALL($2::text[]) ORDER BY n)`;

/** Adds (or, with `revoke`, removes) hosts the operator allows the tenant's credentials to go to; returns the list after. */
export async function changeAllowedEndpoints(pool: pg.Pool, tenantId: string, hosts: readonly string[], revoke = false, now: Date = new Date()): Promise<string[] | undefined> {
  const named = parseAllowedHosts(hosts.join(','), 'host');
  const { rows } = await pool.query<{ allowed_endpoints: string[] }>(
    `UPDATE tenants SET allowed_endpoints = ${revoke ? REMOVE_HOSTS : ADD_HOSTS}, updated_at = $3 WHERE tenant_id = $1 RETURNING allowed_endpoints`,
    [tenantId, named, now.toISOString()],
  );
  return rows[0]?.allowed_endpoints;
}

/** Replaces the tenant's config (validated by the caller as `add` validates); links, parked records and sign-in stay. */
export async function setTenantConfig(pool: pg.Pool, tenantId: string, config: TenantConfig, now: Date = new Date()): Promise<Tenant | undefined> {
  const { rows } = await pool.query<TenantRow>(
    `UPDATE tenants SET config_json = $2::json, updated_at = $3 WHERE tenant_id = $1 AND crm_kind = $4 RETURNING ${COLUMNS}`,
    [tenantId, JSON.stringify(config), now.toISOString(), config.crm.kind],
  );
  return rows[0] && rowToTenant(rows[0]);
}

/** Removes the tenant and, through the foreign keys, all of its state and its token cache. */
export async function removeTenant(pool: pg.Pool, tenantId: string): Promise<boolean> {
  return ((await pool.query('DELETE FROM tenants WHERE tenant_id = $1', [tenantId])).rowCount ?? 0) === 1;
}

export function unknownTenantError(tenantId: string): ConnectorError {
  return new ConnectorError('tenants.unknown', `There is no tenant ${tenantId}; "cosell tenants list" shows the tenants.`, false, { record: tenantId });
}
