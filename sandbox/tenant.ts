/**
 * One sandbox set as a tenant of a multi-tenant install: the tenant row (the set's config, secrets as
 * references to files in the tenant's own folder `dir/<tenant id>/`, as tenant-secret-scope.ts requires), its Partner Center sign-in approved through the set's Entra sandbox and
 * stored encrypted in the database, and its CRM set up. Used by the worker tests and the scale benchmark,
 * the way an operator would do it with `cosell tenants add`, `cosell login partner-center --tenant` and
 * `cosell setup`.
 */
import { join, resolve } from 'node:path';
import { consentHostOf } from '../config/endpoint-consent.js';
import type { CosellConfigInput } from '../config/schema.js';
import type { PgDatabase } from '../core/store/pg/pg-database.js';
import { silentLogger } from '../core/logger.js';
import { addTenant, validateTenantDefinition, type Tenant } from '../core/tenants/tenant-registry.js';
import { TENANT_SECRETS_DIR_ENV } from '../core/tenants/tenant-secret-scope.js';
import { loginTenant } from '../core/tenants/tenant-sign-in.js';
import { openTenantRuntime } from '../core/worker/tenant-runtime.js';
import { OUR_PARTNER_ORG, SANDBOX_USERS } from './entra/index.js';
import type { SandboxSet } from './launch.js';

export interface SandboxTenantInput {
  db: PgDatabase;
  set: SandboxSet;
  kind: 'salesforce' | 'dynamics';
  tenantId: string;
  masterKey: Buffer;
  /**
   * The tenants' secrets folder (COSELL_TENANT_SECRETS_DIR): the set's key files go in its subfolder named by
   * the tenant. Workers that load the tenant need COSELL_TENANT_SECRETS_DIR set to it.
   */
  dir: string;
  schedule?: string;
  sync?: Partial<CosellConfigInput['sync']>;
}

export async function addSandboxTenant(input: SandboxTenantInput): Promise<Tenant> {
  const env = { ...process.env, [TENANT_SECRETS_DIR_ENV]: resolve(input.dir) };
  const config = input.set.configFor(input.kind, join(resolve(input.dir), input.tenantId));
  const definition = validateTenantDefinition({
    tenantId: input.tenantId,
    displayName: input.tenantId,
    pcOrganisation: OUR_PARTNER_ORG,
    schedule: input.schedule ?? '*/5 * * * *',
    config: { crm: config.crm, partnerCenter: config.partnerCenter, sync: { conflictPolicy: 'newest-wins', holdWonHours: 72, defaultLocation: 'loc-us-redmond', ...input.sync } },
    // A tenant's loopback endpoints need the operator's consent (the worker's machine): `--allow-endpoint` for each sandbox.
    allowedEndpoints: sandboxHosts(input.set),
  }, `sandbox tenant ${input.tenantId}`, env);
  const tenant = await addTenant(input.db.pool, definition);
  await loginTenant(input.db.pool, input.tenantId, input.masterKey, definition.config.partnerCenter, (prompt) => void input.set.entra.approveDeviceCode(prompt.userCode, SANDBOX_USERS.admin.username));
  const runtime = await openTenantRuntime({ db: input.db, tenantId: input.tenantId, masterKey: input.masterKey, logger: silentLogger(), env });
  await runtime.deps.crm.setup();
  return tenant;
}

/** The `host:port` of every sandbox of the set a tenant's config names (they all listen on loopback). */
export function sandboxHosts(set: SandboxSet): string[] {
  const { entra, partnerCenter, salesforce, dataverse } = set.describe();
  const urls = [entra.url, partnerCenter.url, salesforce.url, salesforce.loginUrl, salesforce.audience, dataverse.url, dataverse.environmentUrl];
  return [...new Set(urls.filter((url) => URL.canParse(url)).map((url) => consentHostOf(new URL(url))))];
}
