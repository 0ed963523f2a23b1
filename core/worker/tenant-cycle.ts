/**
 * One sync cycle of one tenant in a worker: what `cosell sync --once` does for a single install, against
 * the tenant's PostgreSQL state. The queue already keeps a tenant to one job at a time; the runner lock
 * (the tenant's row in `runner_locks`, with heartbeat) stays as the second line of defence and as what
 * `cosell status --tenant` shows. A cycle that fails rejects, so the queue retries the job; every page
 * it committed stays committed, and the retry resumes from there (create intents and merge bases make
 * that retry write nothing twice).
 */
import { ConnectorError } from '../errors.js';
import { runSyncOnce, type RunReport } from '../engine/sync-engine.js';
import { keepLockAlive, takeRunnerLock } from '../cli/runner-lock.js';
import { openTenantRuntime, type TenantRuntimeInput } from './tenant-runtime.js';

const INTERRUPTED = 'Interrupted: the worker running it ended before it finished (killed, crashed or its machine stopped). The next cycle resumed from the last committed page.';

export interface TenantCycleInput extends TenantRuntimeInput {
  /** Names the lock holder: worker, process and job. */
  owner: string;
  /** Stops the cycle after its current page (the worker is shutting down). */
  signal?: AbortSignal;
  heartbeatMs?: number;
}

export async function runTenantCycle(input: TenantCycleInput): Promise<RunReport> {
  const runtime = await openTenantRuntime(input);
  const { store, deps } = runtime;
  const logger = deps.logger;
  const taken = await takeRunnerLock(store, input.owner, logger);
  if (!taken.taken) {
    throw new ConnectorError('worker.tenant_locked', `Tenant ${input.tenantId} is being synced by ${taken.holder.owner}; this job is retried later.`, true, { record: input.tenantId });
  }
  const lost = new AbortController();
  const stopHeartbeat = keepLockAlive(store, input.owner, (reason) => lost.abort(reason), input.heartbeatMs);
  try {
    const failed = await store.failUnfinishedRuns(deps.now().toISOString(), INTERRUPTED);
    if (failed > 0) logger.warn({ runs: failed }, `Marked ${failed} run(s) of tenant ${input.tenantId} left unfinished by a worker that ended as failed.`);
    const signal = input.signal ? AbortSignal.any([input.signal, lost.signal]) : lost.signal;
    const report = await runSyncOnce(deps, { ...runtime.options, signal });
    if (report.outcome === 'failed') {
      throw new ConnectorError('worker.cycle_failed', `The sync cycle of tenant ${input.tenantId} failed: ${report.message ?? 'no message'}`, true, { record: input.tenantId });
    }
    return report;
  } finally {
    stopHeartbeat();
    await store.releaseLock(input.owner).catch(() => undefined);
  }
}
