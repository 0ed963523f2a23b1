/**
 * `cosell status --tenant X`: one tenant's status from the multi-tenant PostgreSQL database, read through
 * the same code as a single install's (status-report.ts) over the tenant's store, plus its work record
 * (the cycle the scheduler wants, the latest one a worker finished). Loaded only when `--tenant` is given,
 * so a single install's `cosell status` never loads the PostgreSQL client.
 */
import { CLOCK_OFFSET_META, keptClockOffset } from '../service-clock.js';
import { pgStateStore } from '../store/pg/pg-store.js';
import type { PgDatabase } from '../store/pg/pg-database.js';
import { getTenant, unknownTenantError } from '../tenants/tenant-registry.js';
import { tenantWorkView } from '../tenants/tenant-work-view.js';
import { readTenantWork } from '../worker/tenant-work.js';
import type { LockVerdict, LockWorld } from './runner-lock.js';
import { readStatus, type StatusReport } from './status-report.js';

/**
 * The status of `tenantId`; an unknown tenant is an error that names it. Its runs are stamped by the engine's
 * clock, Partner Center's when this machine's is off (the tenant runtime keeps the offset in the tenant's
 * store): their ages are reckoned by it, as a single install's are. `now`: the engine's time now.
 */
export async function readTenantStatus(db: PgDatabase, tenantId: string, world: LockWorld): Promise<{ report: StatusReport; verdict: LockVerdict; now: Date }> {
  const tenant = await getTenant(db.pool, tenantId);
  if (!tenant) throw unknownTenantError(tenantId);
  const store = await pgStateStore(db, tenantId);
  try {
    const engineNowMs = world.now + keptClockOffset(await store.getMeta(CLOCK_OFFSET_META));
    const [{ report, verdict }, work] = await Promise.all([readStatus(store, world, undefined, engineNowMs), readTenantWork(db.pool, tenantId)]);
    return { report: { tenant: { id: tenant.tenantId, name: tenant.displayName }, ...report, work: tenantWorkView(work) }, verdict, now: new Date(engineNowMs) };
  } finally {
    await store.close();
  }
}
