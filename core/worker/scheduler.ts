/**
 * The scheduler's tick: marks the tenants whose schedule is due as wanting a cycle, then wakes every tenant
 * that wants one and has no job waiting or running. Every worker runs it on a timer: the writes are
 * idempotent and the queue's stately index refuses a second waiting job, so there is no scheduler process to
 * lose and no leader to elect. A tenant skipped because its job was still running is woken by a later tick.
 */
import type pg from 'pg';
import type { JobQueue } from './job-queue.js';
import { dueTenants } from './schedule.js';
import { requestCycle, scheduledTenants } from './tenant-work.js';

export interface TickResult {
  /** Tenants whose schedule came due in this tick. */
  due: string[];
  /** Tenants a job was sent for. */
  woken: string[];
  /** Tenants that want a cycle but have a job waiting or running already. */
  deferred: Array<{ tenantId: string; reason: 'waiting' | 'running' }>;
}

export async function schedulerTick(pool: pg.Pool, queue: JobQueue, now: Date): Promise<TickResult> {
  const tenants = await scheduledTenants(pool);
  const due = dueTenants(tenants, now);
  for (const { tenantId, occurrence } of due) await requestCycle(pool, tenantId, occurrence);
  const dueIds = new Set(due.map((d) => d.tenantId));
  const result: TickResult = { due: [...dueIds], woken: [], deferred: [] };
  for (const tenant of tenants) {
    if (!tenant.wants && !dueIds.has(tenant.tenantId)) continue;
    const decision = await queue.wake(tenant.tenantId, dueIds.has(tenant.tenantId) ? 'schedule' : 'pending');
    if (decision.send) result.woken.push(tenant.tenantId);
    else result.deferred.push({ tenantId: tenant.tenantId, reason: decision.reason });
  }
  return result;
}

/** Runs the tick every `everyMs` until stopped; a failed tick is reported and the next one tries again. */
export function startScheduler(pool: pg.Pool, queue: JobQueue, options: { everyMs: number; now?: () => Date; onTick?: (r: TickResult) => void; onError?: (e: Error) => void }): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = schedulerTick(pool, queue, options.now?.() ?? new Date()).then(options.onTick, (e: Error) => options.onError?.(e));
  };
  tick();
  const timer = setInterval(() => void running.then(tick), options.everyMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
