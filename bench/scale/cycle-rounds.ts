/**
 * Asks every tenant for a cycle and waits, round after round, until each tenant has had a cycle that
 * wrote nothing: the tenant has synced everything. A round asks only the tenants whose last cycle still
 * wrote something. What a cycle did is read from the tenant's `runs` rows (the engine's own tally) and
 * when it ended from `tenant_work` (the worker's bookkeeping), so nothing here depends on timing the
 * workers from outside.
 */
import type pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JobQueue } from '../../core/worker/job-queue.js';
import { requestCycle } from '../../core/worker/tenant-work.js';
import { crmWritesOf } from '../../core/run-counts.js';

/** Rounds after which a tenant that still writes is reported as not quiet. */
const MAX_ROUNDS = 6;
/** How often the benchmark reads `tenant_work` (each read is one more commit in the database's statistics). */
const POLL_MS = 1_000;

export interface TenantRounds {
  tenantId: string;
  /** From the first request to the end of the tenant's first cycle. */
  lagMs?: number;
  /** From the first request to the end of the tenant's last cycle that wrote something (0: none did). */
  syncedMs: number;
  /** From the first request to the end of its cycle that wrote nothing. */
  quietMs?: number;
  /** Cycles the tenant ran (its `runs` rows), failed ones included. */
  cycles: number;
  failedCycles: number;
  writesPerCycle: number[];
  counts: Record<string, number>;
}

export interface RoundsResult {
  rounds: number;
  tenants: TenantRounds[];
  /** Every tenant had a cycle that wrote nothing within the time allowed. */
  quiet: boolean;
}

interface RunRow {
  tenant_id: string;
  id: string;
  outcome: string | null;
  /** The store's connection hands JSON columns back as text. */
  counts_json: string | Record<string, number> | null;
}

const countsOf = (run: RunRow): Record<string, number> => (typeof run.counts_json === 'string' ? (JSON.parse(run.counts_json) as Record<string, number>) : (run.counts_json ?? {}));

export const writesOf = (counts: Record<string, number>) => (counts.pcCreated ?? 0) + (counts.pcUpdated ?? 0) + crmWritesOf(counts);

export async function latestRunId(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ id: string | null }>('SELECT max(id) AS id FROM runs');
  return Number(rows[0]?.id ?? 0);
}

/** Waits until every tenant in `ids` has finished a cycle wanted at or after `at`; returns when each one's ended. */
async function waitForCycles(pool: pg.Pool, ids: string[], at: Date, deadline: number): Promise<Map<string, Date>> {
  for (;;) {
    const { rows } = await pool.query<{ tenant_id: string; cycle_done_for: Date | null; cycle_ended_at: Date | null }>(
      'SELECT tenant_id, cycle_done_for, cycle_ended_at FROM tenant_work WHERE tenant_id = ANY($1)',
      [ids],
    );
    const done = rows.filter((r) => r.cycle_done_for && r.cycle_done_for.getTime() >= at.getTime() && r.cycle_ended_at);
    if (done.length === ids.length || Date.now() > deadline) return new Map(done.map((r) => [r.tenant_id, r.cycle_ended_at as Date]));
    await sleep(POLL_MS);
  }
}

export async function runRounds(pool: pg.Pool, queue: JobQueue, tenantIds: string[], options: { deadline: number; progress: (line: string) => void }): Promise<RoundsResult> {
  const sinceRun = await latestRunId(pool);
  const byTenant = new Map<string, TenantRounds>(tenantIds.map((tenantId) => [tenantId, { tenantId, syncedMs: 0, cycles: 0, failedCycles: 0, writesPerCycle: [], counts: {} }]));
  const lastRun = new Map<string, number>();
  const start = new Date();
  let pending = [...tenantIds];
  let rounds = 0;
  while (pending.length > 0 && rounds < MAX_ROUNDS && Date.now() < options.deadline) {
    rounds += 1;
    const at = new Date();
    for (const id of pending) await requestCycle(pool, id, at);
    // What a webhook or `cosell` would do: wake the tenant's job now instead of waiting for a worker's tick.
    for (const id of pending) await queue.wake(id, 'bench');
    const ended = await waitForCycles(pool, pending, at, options.deadline);
    const { rows } = await pool.query<RunRow>('SELECT tenant_id, id, outcome, counts_json FROM runs WHERE id > $1 AND tenant_id = ANY($2) AND finished_at IS NOT NULL ORDER BY id', [sinceRun, pending]);
    const stillWriting: string[] = [];
    for (const id of pending) {
      const tenant = byTenant.get(id) as TenantRounds;
      const endedAt = ended.get(id);
      if (!endedAt) {
        stillWriting.push(id);
        continue;
      }
      const sinceStart = endedAt.getTime() - start.getTime();
      if (rounds === 1) tenant.lagMs = sinceStart;
      const runs = rows.filter((r) => r.tenant_id === id && Number(r.id) > (lastRun.get(id) ?? sinceRun));
      if (runs.length > 0) lastRun.set(id, Number(runs[runs.length - 1]!.id));
      let wrote = false;
      for (const run of runs) {
        tenant.cycles += 1;
        if (run.outcome !== 'ok') tenant.failedCycles += 1;
        const counts = countsOf(run);
        const writes = writesOf(counts);
        tenant.writesPerCycle.push(writes);
        for (const [key, n] of Object.entries(counts)) tenant.counts[key] = (tenant.counts[key] ?? 0) + n;
        wrote = run.outcome === 'ok' ? writes > 0 : true;
      }
      if (wrote) {
        tenant.syncedMs = sinceStart;
        stillWriting.push(id);
      } else tenant.quietMs = sinceStart;
    }
    options.progress(`round ${rounds}: ${pending.length - stillWriting.length} of ${pending.length} tenants quiet`);
    pending = stillWriting;
  }
  return { rounds, tenants: [...byTenant.values()], quiet: pending.length === 0 };
}
