/**
 * What a worker does with one tenant's wake-up job: the cycles the tenant wants, one after another, each
 * recorded in `tenant_work` (start before, outcome after). A cycle that fails records why and rejects, so
 * the queue retries the job (a failure that is not retryable, such as a refused sign-in, counts the wanted
 * cycle as run: the next schedule occurrence tries again); a cycle wanted while one runs is done in the same job (up to `maxCycles`),
 * the rest by a later wake-up.
 */
import type pg from 'pg';
import { failureText } from '../errors.js';
import { pendingReferrals, referralsSynced } from './referral-work.js';
import { cycleEnded, cycleStarted, readTenantWork, wantsCycle } from './tenant-work.js';

export interface TenantJobOptions {
  now: () => Date;
  /** One full sync cycle of the tenant. */
  runCycle: (tenantId: string) => Promise<void>;
  /** A targeted sync of the referrals webhooks named (referral-work.ts); without it they wait for the cycle. */
  runTargeted?: (tenantId: string, referralIds: readonly string[]) => Promise<void>;
  maxCycles?: number;
}

export async function runTenantJob(pool: pg.Pool, tenantId: string, options: TenantJobOptions): Promise<number> {
  let cycles = 0;
  for (;;) {
    // Announced referrals first: they are few, and a seller waits for them.
    await syncAnnouncedReferrals(pool, tenantId, options);
    const work = await readTenantWork(pool, tenantId);
    if (cycles >= (options.maxCycles ?? 3) || !wantsCycle(work)) break;
    await cycleStarted(pool, tenantId, options.now());
    cycles += 1;
    try {
      await options.runCycle(tenantId);
    } catch (error) {
      // A failure only a person can fix (a refused CRM sign-in) is not tried again before the next
      // occurrence of the schedule, as a single install's `cosell run` waits for its next turn: retried at
      // once, job after job, it signed in to the CRM every few seconds, forever.
      const waitsForSchedule = (error as { retryable?: unknown }).retryable === false;
      // `cosell status --tenant` prints the outcome: filtered as every stored failure (no secret, no control characters).
      await cycleEnded(pool, tenantId, options.now(), `failed: ${failureText(error)}`, waitsForSchedule ? work!.cycleWantedAt : undefined);
      throw error;
    }
    await cycleEnded(pool, tenantId, options.now(), 'ok', work!.cycleWantedAt);
  }
  return cycles;
}

/** Targeted syncs of what webhooks announced, until none waits (each removed once its sync finished). */
async function syncAnnouncedReferrals(pool: pg.Pool, tenantId: string, options: TenantJobOptions): Promise<void> {
  if (!options.runTargeted) return;
  // Bounded, so that a referral announced again and again cannot keep the tenant's cycle from running.
  for (let round = 0; round < 10; round += 1) {
    const pending = await pendingReferrals(pool, tenantId);
    if (!pending) return;
    try {
      await options.runTargeted(tenantId, pending.referralIds);
    } catch (error) {
      // Kept waiting after a failure only a person can fix (a refused sign-in), they woke the tenant at
      // every scheduler tick, forever; the next scheduled cycle reads them anyway (webhooks only hasten it).
      if ((error as { retryable?: unknown }).retryable === false) await referralsSynced(pool, tenantId, pending);
      throw error;
    }
    await referralsSynced(pool, tenantId, pending);
  }
}
