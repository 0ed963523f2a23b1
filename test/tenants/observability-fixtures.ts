/**
 * Two tenants with state that `cosell status --tenant`, the dashboard's tenant picker and the metrics'
 * tenant label must keep apart: contoso (a run that ended partial, an open conflict, a parked CRM record,
 * a runner lock held by a worker, a cycle wanted after the one it finished, a notification sent) and fabrikam (one parked
 * referral, nothing else).
 */
import type { PgDatabase } from '../../core/store/pg/pg-database.js';
import { pgStateStore } from '../../core/store/pg/pg-store.js';
import { cycleEnded, cycleStarted, requestCycle } from '../../core/worker/tenant-work.js';
import { conflictOn, makeLink } from '../store/store-fixtures.js';

export const CONTOSO = { id: 'contoso', name: 'Contoso Ltd' };
export const FABRIKAM = { id: 'fabrikam', name: 'Fabrikam' };
export const LOCK_OWNER = 'worker@host-b:4242';
export const CONTOSO_PARKED = '006CONTOSOPARKED01';
export const FABRIKAM_PARKED = 'fab-referral-parked-1';

async function insertTenant(db: PgDatabase, id: string, name: string, crmKind: string): Promise<void> {
  await db.pool.query(
    `INSERT INTO tenants (tenant_id, display_name, pc_organisation, crm_kind, config_json, schedule, created_at, updated_at)
     VALUES ($1, $2, '72f988bf-86f1-41af-91ab-2d7cd011db47', $3, '{}', '*/5 * * * *', '2026-12-04T00:00:00Z', '2026-12-04T00:00:00Z')`,
    [id, name, crmKind],
  );
}

/** Seeds both tenants; `now` is the lock's heartbeat (a live holder). */
export async function seedTwoTenants(db: PgDatabase, now: Date): Promise<void> {
  await insertTenant(db, CONTOSO.id, CONTOSO.name, 'salesforce');
  await insertTenant(db, FABRIKAM.id, FABRIKAM.name, 'dynamics');

  const contoso = await pgStateStore(db, CONTOSO.id);
  await contoso.transaction(async (tx) => {
    await tx.putLink(makeLink(1));
    await tx.putLink(makeLink(2));
    await tx.addConflict(conflictOn(2));
    await tx.park({
      side: 'crm', recordId: CONTOSO_PARKED, name: 'Contoso parked deal', fingerprint: 'f', parkedAt: '2026-12-04T10:00:00.000Z', attempts: 3,
      reasons: [{ code: 'create.solution.required', field: 'solutions', message: 'Add a solution.', severity: 'error' }],
    });
  });
  const run = await contoso.startRun('2026-12-04T10:00:00.000Z');
  await contoso.finishRun(run.id, { finishedAt: '2026-12-04T10:00:05.000Z', outcome: 'partial', counts: { pcRead: 4, crmRead: 2, crmCreated: 1 }, message: 'Partner Center answered 503 twice' });
  await contoso.acquireLock(LOCK_OWNER, now.getTime(), 60_000, { pid: 4242, host: 'host-b' });
  await requestCycle(db.pool, CONTOSO.id, new Date('2026-12-04T10:00:00Z'));
  await cycleStarted(db.pool, CONTOSO.id, new Date('2026-12-04T10:00:01Z'));
  await cycleEnded(db.pool, CONTOSO.id, new Date('2026-12-04T10:00:06Z'), 'partial', new Date('2026-12-04T10:00:00Z'));
  await requestCycle(db.pool, CONTOSO.id, new Date('2026-12-04T10:05:00Z'));

  // Nothing writes PostgreSQL notifications through the store yet (the engine's notices come with the workers).
  await db.pool.query(
    `INSERT INTO notifications (tenant_id, cause, kind, notice_json, created_at, send_after, sent_at)
     VALUES ($1, 'parked:crm:${CONTOSO_PARKED}:f', 'parked', '{"subject":"Contoso parked deal"}', '2026-12-04T10:00:06.000Z', '2026-12-04T10:00:06.000Z', '2026-12-04T10:01:00.000Z')`,
    [CONTOSO.id],
  );

  const fabrikam = await pgStateStore(db, FABRIKAM.id);
  await fabrikam.transaction((tx) =>
    tx.park({
      side: 'partner-center', recordId: FABRIKAM_PARKED, name: 'Fabrikam inbound', fingerprint: 'g', parkedAt: '2026-12-04T09:00:00.000Z', attempts: 1,
      reasons: [{ code: 'crm.STRING_TOO_LONG', field: 'customer.name', message: 'Dynamics refused it.', severity: 'error' }],
    }),
  );
}
