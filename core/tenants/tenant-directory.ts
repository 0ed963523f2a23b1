/**
 * The tenants of a multi-tenant PostgreSQL database as the dashboard and the metrics see them: the
 * tenants table for the list, and each tenant's own store (`pgStateStore`) for its panels and gauges.
 */
import { connectorFor } from '../../connectors/registry.js';
import type { ReadinessView } from '../dashboard/context.js';
import { ConnectorError } from '../errors.js';
import type { TenantGaugeSource } from '../serve/metrics.js';
import type { PgDatabase } from '../store/pg/pg-database.js';
import { pgStateStore } from '../store/pg/pg-store.js';
import type { StoreReads } from '../store/store-reads.js';
import { listTenants } from './tenant-registry.js';
import { tenantReadiness } from './tenant-work-view.js';

/** A tenant as the dashboard's picker lists it. */
export interface TenantEntry {
  id: string;
  name: string;
  /** Its CRM's display name (Salesforce, Dynamics 365), for labels. */
  crmName: string;
}

/** The tenants of a multi-tenant database, each with its own store. */
export interface TenantDirectory {
  list(): Promise<TenantEntry[]>;
  /** The reads of one tenant's store; undefined when there is no such tenant. */
  readsOf(tenantId: string): Promise<StoreReads | undefined>;
  /** The tenant's health for the dashboard's health panel (its cycles). */
  readinessOf?(tenantId: string): Promise<ReadinessView>;
}

export function pgTenantDirectory(db: PgDatabase): TenantDirectory {
  return {
    async list() {
      return (await listTenants(db.pool)).map((t) => ({ id: t.tenantId, name: t.displayName, crmName: connectorFor(t.crmKind)?.displayName ?? t.crmKind }));
    },
    async readsOf(tenantId) {
      try {
        return await pgStateStore(db, tenantId);
      } catch (error) {
        if (error instanceof ConnectorError && error.code === 'store.unknown_tenant') return undefined;
        throw error;
      }
    },
    readinessOf: (tenantId) => tenantReadiness(db.pool, tenantId),
  };
}

/** Every tenant of the directory with its store, for the metrics' state gauges (read at each scrape). */
export async function gaugeSourcesOf(directory: TenantDirectory): Promise<TenantGaugeSource[]> {
  const sources = await Promise.all((await directory.list()).map(async (t) => ({ tenant: t.id, store: await directory.readsOf(t.id) })));
  return sources.flatMap((s) => (s.store ? [{ tenant: s.tenant, store: s.store }] : []));
}
