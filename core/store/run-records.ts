/**
 * The run history and the runner lock as the state store keeps them: what a run recorded, and who holds the
 * lock (core/cli/runner-lock.ts decides whether that holder still does). Re-exported by state-store.ts.
 */

/**
 * How many runs the store keeps: starting a run forgets the oldest beyond these. A daemon syncing every
 * 5 minutes keeps about 3.5 days, `cosell status` shows the last few, and a multi-tenant database does not
 * grow by a row per tenant per cycle forever (288,000 a day at 1,000 tenants).
 */
export const RUNS_KEPT = 1000;

export interface RunRecord {
  id: number;
  startedAt: string;
  finishedAt?: string;
  outcome?: 'ok' | 'partial' | 'failed' | 'paused';
  /** Counts by name: read, created, updated, parked, conflicts, held, orphaned, calls per side … */
  counts: Record<string, number>;
  message?: string;
}

/** How a run ended, and its start again when the engine's clock moved while it ran (see `finishRun`). */
export type RunFinish = Omit<RunRecord, 'id' | 'startedAt'> & { startedAt?: string };

/** Who holds the runner lock: enough to tell a live holder from a dead process on this host. */
export interface LockHolder {
  owner: string;
  /** The holder's process ID and host name (absent on locks written before schema version 2). */
  pid?: number;
  host?: string;
  acquiredMs: number;
  heartbeatMs: number;
}

/** The process taking the lock, recorded so that others can tell whether it is still alive. */
export interface LockIdentity {
  pid: number;
  host: string;
}
