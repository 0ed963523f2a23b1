/**
 * A tenant's syncs in a worker: one full cycle (what `cosell sync --once` does for a single install) or a
 * targeted sync of the referrals webhooks named, against the tenant's PostgreSQL state. The queue already
 * keeps a tenant to one job at a time; the runner lock (the tenant's row in `runner_locks`, with
 * heartbeat) stays as the second line of defence and as what `cosell status --tenant` shows. A sync that
 * fails rejects, so the queue retries the job; every page it committed stays committed, and the retry
 * resumes from there (create intents and merge bases make that retry write nothing twice).
 */
import { ConnectorError } from '../errors.js';
import { runSyncOnce, type RunReport } from '../engine/sync-engine.js';
import { runTargetedSync, type TargetedSyncReport } from '../engine/targeted-sync.js';
import { holdRun, takeRunnerLock } from '../cli/runner-lock.js';
import type { RunFigures } from '../serve/metrics.js';
import { openTenantRuntime, type TenantRuntime, type TenantRuntimeInput } from './tenant-runtime.js';

const INTERRUPTED = 'Interrupted: the worker running it ended before it finished (killed, crashed or its machine stopped). The next cycle resumed from the last committed page.';

export interface TenantCycleInput extends TenantRuntimeInput {
  /** Names the lock holder: worker, process and job. */
  owner: string;
  /** Stops the sync after its current page (the worker is shutting down). */
  signal?: AbortSignal;
  heartbeatMs?: number;
  /** Told after each sync, failed ones too (the worker's metrics, under the tenant's label). */
  onSynced?: (kind: 'poll' | 'targeted', figures: RunFigures, seconds: number, crmService: string) => void;
}

/** The CRM's name as the metrics label it (`dynamics-365`, `salesforce`), as a single install's service does. */
const serviceOf = (runtime: TenantRuntime) => runtime.deps.crm.displayName.toLowerCase().replace(/\s+/g, '-');

/** Runs `work` on the tenant's runtime while holding its runner lock. */
async function underTenantLock<T>(input: TenantCycleInput, work: (runtime: TenantRuntime, signal: AbortSignal) => Promise<T>): Promise<T> {
  const runtime = await openTenantRuntime(input);
  const { store } = runtime;
  const logger = runtime.deps.logger;
  const taken = await takeRunnerLock(store, input.owner, logger);
  if (!taken.taken) {
    throw new ConnectorError('worker.tenant_locked', `Tenant ${input.tenantId} is being synced by ${taken.holder.owner}; this job is retried later.`, true, { record: input.tenantId });
  }
  // The worker's stop (one for the process's life) or the lost lock; detached from the worker's once the cycle ends.
  const held = holdRun(store, input.owner, input.signal, input.heartbeatMs);
  try {
    // Only the lock holder syncs the tenant, so a run still open now belongs to a worker that is gone.
    const failed = await store.failUnfinishedRuns(runtime.deps.now().toISOString(), INTERRUPTED);
    if (failed > 0) logger.warn({ runs: failed }, `Marked ${failed} run(s) of tenant ${input.tenantId} left unfinished by a worker that ended as failed.`);
    return await work(runtime, held.signal);
  } finally {
    held.end();
    await store.releaseLock(input.owner).catch(() => undefined);
  }
}

/** Error codes of a failed run that trying again cannot fix: they wait for a person (and the next schedule). */
const NEEDS_A_PERSON = new Set(['auth_failed']);

function failed(input: TenantCycleInput, what: string, report: { message?: string; errorCode?: string }): ConnectorError {
  const retryable = !NEEDS_A_PERSON.has(report.errorCode ?? '');
  return new ConnectorError('worker.cycle_failed', `The ${what} of tenant ${input.tenantId} failed: ${report.message ?? 'no message'}`, retryable, { record: input.tenantId });
}

export async function runTenantCycle(input: TenantCycleInput): Promise<RunReport> {
  return underTenantLock(input, async (runtime, signal) => {
    const started = performance.now();
    const report = await runSyncOnce(runtime.deps, { ...runtime.options, signal });
    input.onSynced?.('poll', report, (performance.now() - started) / 1000, serviceOf(runtime));
    if (report.outcome === 'failed') throw failed(input, 'sync cycle', report);
    return report;
  });
}

/** A targeted sync of the referrals webhooks named (core/engine/targeted-sync.ts): the feed's cursor does not move. */
export async function runTenantTargetedSync(input: TenantCycleInput, referralIds: readonly string[]): Promise<TargetedSyncReport> {
  return underTenantLock(input, async (runtime, signal) => {
    const started = performance.now();
    const report = await runTargetedSync(runtime.deps, referralIds, { ...runtime.options, signal });
    input.onSynced?.('targeted', { ...report, partnerCenterCalls: report.counts.partnerCenterCalls ?? 0 }, (performance.now() - started) / 1000, serviceOf(runtime));
    if (report.outcome === 'failed') throw failed(input, 'targeted sync', report);
    return report;
  });
}
