/**
 * The single-runner lock as a sync process uses it: take it, heal it when its holder is gone, keep it
 * alive with a heartbeat, give it back.
 *
 * A lock heals in two ways, so that a killed sync never locks the next one out:
 * - its holder is a process on this host that no longer exists (`kill -9`, a crash, a reboot): taken over
 *   at once;
 * - its heartbeat is older than {@link LOCK_STALE_MS} (a holder on another host, or one without a recorded
 *   process): taken over then. The holder refreshes it every {@link LOCK_HEARTBEAT_MS}, so a live holder is
 *   never near it.
 * A holder on this host whose process still exists keeps the lock for {@link HUNG_HOLDER_MS} without a
 * heartbeat: its heartbeat stops only while its process is frozen or the clock jumped (a VM suspended and
 * resumed, a laptop's sleep, an NTP step), and it goes on where it was once it runs again. Taken over after
 * the 60 s, it finished its page beside the new holder: two runners at once (found by trying a clock jump on
 * a live `cosell run`, 2026-12-06). Ten minutes still frees a process that hangs for good.
 * Both takeovers are said in the log at warn, naming the holder.
 */
import { hostname } from 'node:os';
import type { Logger } from '../logger.js';
import type { AsyncStateStore } from '../store/async-state-store.js';
import { runStop } from '../run-stop.js';
import type { LockHolder, LockIdentity } from '../store/index.js';

/** How often a holder refreshes its heartbeat. */
export const LOCK_HEARTBEAT_MS = 10_000;
/** A heartbeat older than this means the holder is gone, wherever it ran (six missed heartbeats). */
export const LOCK_STALE_MS = 60_000;
/** The same for a holder on this host whose process exists: frozen or hung, not gone (see above). */
export const HUNG_HOLDER_MS = 10 * 60_000;

export type LockVerdict =
  | { kind: 'free' }
  | { kind: 'live'; holder: LockHolder }
  | { kind: 'abandoned'; holder: LockHolder; why: string };

export interface LockWorld {
  host: string;
  now: number;
  isProcessAlive(pid: number): boolean;
}

/** Decides, without side effects, whether the current holder (if any) still holds the lock. */
export function judgeLock(holder: LockHolder | undefined, world: LockWorld): LockVerdict {
  if (!holder) return { kind: 'free' };
  const quietMs = world.now - holder.heartbeatMs;
  const onThisHost = holder.host === world.host && holder.pid !== undefined;
  if (onThisHost && !world.isProcessAlive(holder.pid!)) {
    return { kind: 'abandoned', holder, why: `its process ${holder.pid} on this host (${world.host}) no longer exists` };
  }
  const staleMs = staleBound(holder, world);
  if (quietMs >= staleMs) {
    const alive = onThisHost ? `its process ${holder.pid} exists but ` : '';
    return { kind: 'abandoned', holder, why: `${alive}its heartbeat is ${Math.round(quietMs / 1000)} s old (the bound is ${staleMs / 1000} s)` };
  }
  return { kind: 'live', holder };
}

/** How old the holder's heartbeat may be before the lock is taken over (the holder's process was checked first). Pure. */
function staleBound(holder: LockHolder | undefined, world: Pick<LockWorld, 'host'>): number {
  return holder && holder.host === world.host && holder.pid !== undefined ? HUNG_HOLDER_MS : LOCK_STALE_MS;
}

/** `kill(pid, 0)` tests for existence: ESRCH = gone; EPERM = exists but belongs to someone else. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function thisProcess(): LockIdentity {
  return { pid: process.pid, host: hostname() };
}

/** The runner lock's owner name for this process running `cosell <command>` (what `status` and `unlock` show). */
export function runnerOwner(command: 'run' | 'sync' | 'serve'): string {
  const { pid, host } = thisProcess();
  return `${command}@${host}:${pid}`;
}

export function currentWorld(): LockWorld {
  return { host: hostname(), now: Date.now(), isProcessAlive };
}

export function describeHolder(holder: LockHolder): string {
  const where = holder.pid !== undefined ? ` (process ${holder.pid} on ${holder.host ?? 'an unknown host'})` : '';
  return `${holder.owner}${where}, heartbeat ${new Date(holder.heartbeatMs).toISOString()}`;
}

export type TakeResult = { taken: true; tookOverFrom?: LockHolder } | { taken: false; holder: LockHolder };

/**
 * Takes the lock for `owner`, first breaking it if its holder is gone. Breaking is compare-and-delete on
 * the holder and heartbeat it saw, so two processes that both judged it abandoned cannot both take it.
 */
export async function takeRunnerLock(
  store: AsyncStateStore,
  owner: string,
  logger: Logger,
  world: LockWorld = currentWorld(),
  identity: LockIdentity = thisProcess(),
): Promise<TakeResult> {
  const seen = await store.lockHolder();
  const verdict = judgeLock(seen, world);
  // The store takes a lock whose heartbeat is older than the bound: the holder's own, not always 60 s.
  const staleMs = staleBound(seen, world);
  let tookOverFrom: LockHolder | undefined;
  if (verdict.kind === 'abandoned' && verdict.holder.owner !== owner) {
    if (await store.breakLock(verdict.holder.owner, verdict.holder.heartbeatMs)) {
      tookOverFrom = verdict.holder;
      logger.warn({ previousHolder: verdict.holder }, `Took over the runner lock from ${describeHolder(verdict.holder)}: ${verdict.why}.`);
    }
  }
  if (await store.acquireLock(owner, world.now, staleMs, identity)) return { taken: true, ...(tookOverFrom ? { tookOverFrom } : {}) };
  const holder = await store.lockHolder();
  if (holder) return { taken: false, holder };
  // Released between our two statements: nobody holds it now, so one more try is fair.
  if (await store.acquireLock(owner, world.now, staleMs, identity)) return { taken: true };
  const winner = await store.lockHolder();
  return winner ? { taken: false, holder: winner } : { taken: false, holder: { owner: 'unknown', acquiredMs: world.now, heartbeatMs: world.now } };
}

/** Refreshes the heartbeat until stopped; calls `onLost` if another process took the lock over. */
export function keepLockAlive(store: AsyncStateStore, owner: string, onLost: (reason: string) => void, everyMs = LOCK_HEARTBEAT_MS): () => void {
  const timer = setInterval(() => {
    store.renewLock(owner, Date.now()).catch((error: unknown) => onLost((error as Error).message));
  }, everyMs);
  // The heartbeat alone must not keep a finished process alive.
  timer.unref();
  return () => clearInterval(timer);
}

/** A run holding the runner lock: what it watches, and its end (heartbeat stopped, long-lived stop detached). */
export interface HeldRun {
  /** Aborted by the long-lived stop (SIGTERM, a worker shutting down) or by the lock lost to another process. */
  readonly signal: AbortSignal;
  /** Called once the run has ended, before the lock is released. */
  end(): void;
}

/**
 * Keeps a taken lock alive for one run (`keepLockAlive`) under the process's long-lived stop (run-stop.ts):
 * if another process took the lock over anyway (this one stalled past the stale bound), the run stops after
 * its current page rather than syncing alongside the new holder. `cosell sync`/`run` and the worker's
 * tenant cycles share it.
 */
export function holdRun(store: AsyncStateStore, owner: string, longLived?: AbortSignal, everyMs = LOCK_HEARTBEAT_MS): HeldRun {
  const stop = runStop(longLived);
  const stopHeartbeat = keepLockAlive(store, owner, (reason) => stop.abort(reason), everyMs);
  return {
    signal: stop.signal,
    end() {
      stopHeartbeat();
      stop.release();
    },
  };
}
