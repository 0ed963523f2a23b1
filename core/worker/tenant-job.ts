/**
 * What a worker does with one tenant's wake-up job: the cycles the tenant wants, one after another, each
 * recorded in `tenant_work` (start before, outcome after). A cycle that fails records why and rejects, so
 * the queue retries the job; a cycle wanted while one runs is done in the same job (up to `maxCycles`),
 * the rest by a later wake-up.
 */
import type pg from 'pg';
import { cycleEnded, cycleStarted, readTenantWork, wantsCycle } from './tenant-work.js';

export interface TenantJobOptions {
  now: () => Date;
  /** One full sync cycle of the tenant. */
  runCycle: (tenantId: string) => Promise<void>;
  maxCycles?: number;
}

export async function runTenantJob(pool: pg.Pool, tenantId: string, options: TenantJobOptions): Promise<number> {
  let cycles = 0;
  for (;;) {
    const work = await readTenantWork(pool, tenantId);
    if (cycles >= (options.maxCycles ?? 3) || !wantsCycle(work)) break;
    await cycleStarted(pool, tenantId, options.now());
    cycles += 1;
    try {
      await options.runCycle(tenantId);
    } catch (error) {
      await cycleEnded(pool, tenantId, options.now(), `failed: ${(error as Error).message}`);
      throw error;
    }
    await cycleEnded(pool, tenantId, options.now(), 'ok', work!.cycleWantedAt);
  }
  return cycles;
}
