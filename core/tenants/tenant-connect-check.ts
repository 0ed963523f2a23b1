/**
 * `cosell tenants check --connect`: the offline check (tenant-check.ts) proves a tenant's config and
 * references are sound, not that its credentials work. A tenant whose CRM secret was rotated, or whose
 * Partner Center sign-in was revoked, passed it and then failed every scheduled cycle unattended. This
 * asks each tenant what a single install's `cosell check` asks (core/cli/readiness.ts) through the same
 * runtime a worker builds (core/worker/tenant-runtime.ts), writing nothing.
 */
import type { Logger } from '../logger.js';
import type { PgDatabase } from '../store/pg/pg-database.js';
import { ConnectorError, failureText } from '../errors.js';
import type { TenantCheck } from './tenant-check.js';

export interface ConnectCheckInput {
  db: PgDatabase;
  masterKey: Buffer;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
}

/** Adds to `offline` (a tenant that passed the offline check) what the tenant's services answer. */
export async function connectTenantCheck(input: ConnectCheckInput, offline: TenantCheck): Promise<TenantCheck> {
  // Loaded here: the worker's runtime pulls in both CRM connectors, which the offline check never needs.
  const [{ openTenantRuntime }, { readinessItems }] = await Promise.all([import('../worker/tenant-runtime.js'), import('../cli/readiness.js')]);
  const problems: string[] = [];
  try {
    const runtime = await openTenantRuntime({ db: input.db, tenantId: offline.tenantId, masterKey: input.masterKey, logger: input.logger, ...(input.env ? { env: input.env } : {}) });
    try {
      for (const item of await readinessItems({ config: runtime.config, crm: runtime.deps.crm, partnerCenterClient: runtime.partnerCenterClient, endpointConsent: runtime.endpointConsent })) {
        if (!item.ok) problems.push(`${item.name}: ${item.detail}`);
      }
    } finally {
      await runtime.store.close();
    }
  } catch (error) {
    // A refused sign-in (AuthError) or an unreachable service: its message names the service and what to fix.
    problems.push(error instanceof ConnectorError ? error.message : `could not be checked: ${failureText(error)}`);
  }
  return { ...offline, problems: [...offline.problems, ...problems] };
}
