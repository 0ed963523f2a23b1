/**
 * What each tenant has to do, shared by every worker and scheduler through `tenant_work` (PostgreSQL
 * migration 6): a cycle is wanted when a schedule occurrence (or a manual request) is newer than the one
 * the tenant's latest finished cycle was run for. A cycle cut short (its worker killed) finishes nothing,
 * so the job's retry runs it again. Writes are idempotent (the latest wanted time wins), so any number of
 * schedulers may run the same tick.
 */
import type pg from 'pg';
import type { ScheduledTenant } from './schedule.js';

export interface TenantWorkRow {
  tenantId: string;
  cycleWantedAt?: Date;
  /** The cycleWantedAt the latest finished cycle was run for. */
  cycleDoneFor?: Date;
  cycleStartedAt?: Date;
  cycleEndedAt?: Date;
  lastOutcome?: string;
}

/** Whether a cycle is wanted that no finished cycle was run for. Pure. */
export function wantsCycle(row: Pick<TenantWorkRow, 'cycleWantedAt' | 'cycleDoneFor'> | undefined): boolean {
  if (!row?.cycleWantedAt) return false;
  return !row.cycleDoneFor || row.cycleDoneFor.getTime() < row.cycleWantedAt.getTime();
}

const asDate = (value: Date | null): Date | undefined => value ?? undefined;

/** Asks for a cycle as of `at` (a schedule occurrence or now); an earlier request does not undo a later one. */
export async function requestCycle(pool: pg.Pool, tenantId: string, at: Date): Promise<void> {
  await pool.query(
    `INSERT INTO tenant_work (tenant_id, cycle_wanted_at) VALUES ($1, $2)
     ON CONFLICT (tenant_id) DO UPDATE SET cycle_wanted_at = GREATEST(tenant_work.cycle_wanted_at, EXCLUDED.cycle_wanted_at)`,
    [tenantId, at],
  );
}

export async function readTenantWork(pool: pg.Pool, tenantId: string): Promise<TenantWorkRow | undefined> {
  const { rows } = await pool.query<{ cycle_wanted_at: Date | null; cycle_done_for: Date | null; cycle_started_at: Date | null; cycle_ended_at: Date | null; last_outcome: string | null }>(
    'SELECT cycle_wanted_at, cycle_done_for, cycle_started_at, cycle_ended_at, last_outcome FROM tenant_work WHERE tenant_id = $1',
    [tenantId],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    tenantId,
    cycleWantedAt: asDate(row.cycle_wanted_at),
    cycleDoneFor: asDate(row.cycle_done_for),
    cycleStartedAt: asDate(row.cycle_started_at),
    cycleEndedAt: asDate(row.cycle_ended_at),
    ...(row.last_outcome ? { lastOutcome: row.last_outcome } : {}),
  };
}

/** Every tenant with its schedule and the occurrence its latest cycle was wanted for. */
export async function scheduledTenants(pool: pg.Pool): Promise<Array<ScheduledTenant & { wants: boolean }>> {
  const { rows } = await pool.query<{ tenant_id: string; schedule: string; cycle_wanted_at: Date | null; cycle_done_for: Date | null; referrals_waiting: boolean }>(
    `SELECT t.tenant_id, t.schedule, w.cycle_wanted_at, w.cycle_done_for,
       EXISTS (SELECT 1 FROM tenant_referral_work r WHERE r.tenant_id = t.tenant_id) AS referrals_waiting
     FROM tenants t LEFT JOIN tenant_work w ON w.tenant_id = t.tenant_id ORDER BY t.tenant_id`,
  );
  return rows.map((r) => ({
    tenantId: r.tenant_id,
    schedule: r.schedule,
    ...(r.cycle_wanted_at ? { cycleWantedAt: r.cycle_wanted_at } : {}),
    // Referrals a webhook named wake the tenant too (referral-work.ts): the tick is the backstop if the intake's wake-up was lost.
    wants: r.referrals_waiting || wantsCycle({ cycleWantedAt: asDate(r.cycle_wanted_at), cycleDoneFor: asDate(r.cycle_done_for) }),
  }));
}

export async function cycleStarted(pool: pg.Pool, tenantId: string, at: Date): Promise<void> {
  await pool.query('UPDATE tenant_work SET cycle_started_at = $2 WHERE tenant_id = $1', [tenantId, at]);
}

/** A cycle ended; `doneFor` (the wanted time it was run for) only when it finished. */
export async function cycleEnded(pool: pg.Pool, tenantId: string, at: Date, outcome: string, doneFor?: Date): Promise<void> {
  await pool.query(
    `UPDATE tenant_work SET cycle_ended_at = $2, last_outcome = $3,
       cycle_done_for = CASE WHEN $4::timestamptz IS NULL THEN cycle_done_for ELSE GREATEST(cycle_done_for, $4::timestamptz) END
     WHERE tenant_id = $1`,
    [tenantId, at, outcome, doneFor ?? null],
  );
}
