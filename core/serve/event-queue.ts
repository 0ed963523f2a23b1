/**
 * Referrals waiting for a targeted sync, kept in the state store before the webhook is acknowledged, so
 * that an event answered 200 survives a crash of the service (a restart syncs what was waiting).
 * Several events for one referral (a burst) are one entry: one targeted sync covers them all.
 * A referral whose targeted sync failed keeps its entry with the reason and is tried again on its own
 * after a back-off (or at once when a new event names it); the referrals that synced are settled.
 */
import type { StateStore } from '../store/index.js';

const META_KEY = 'serve.pendingReferrals';

export interface PendingReferral {
  referralId: string;
  /** When the first event still waiting for it arrived (ms since the epoch). */
  receivedMs: number;
  /** Events taken for it since, for the log. */
  events: number;
  /** Its last targeted sync failed: why, how many times in a row, and when to try it again. */
  failure?: { reason: string; attempts: number; retryAtMs: number };
}

/** The wait before a failed referral's next try: 10 s, doubling, at most 5 minutes. Pure. */
export function retryDelayMs(attempts: number): number {
  return Math.min(5 * 60_000, 10_000 * 2 ** Math.max(0, attempts - 1));
}

/** Whether a waiting referral may be synced at `nowMs`: always, unless its last sync failed and its back-off is not over. */
const isDue = (entry: PendingReferral, nowMs: number) => (entry.failure?.retryAtMs ?? 0) <= nowMs;

export class EventQueue {
  private readonly pending: Map<string, PendingReferral>;
  /** Bumped on every add: a sync removes only entries no newer event touched while it ran. */
  private readonly touched = new Map<string, number>();
  private generation = 0;

  constructor(private readonly store: StateStore) {
    const saved = store.getMeta(META_KEY);
    this.pending = new Map((Array.isArray(saved) ? (saved as PendingReferral[]) : []).map((p) => [p.referralId, p]));
  }

  get size(): number {
    return this.pending.size;
  }

  add(referralId: string, receivedMs: number): void {
    const current = this.pending.get(referralId);
    // A new event is a reason to try a failed referral again now: what failed may have been fixed.
    this.pending.set(referralId, current ? { referralId, receivedMs: current.receivedMs, events: current.events + 1 } : { referralId, receivedMs, events: 1 });
    this.touched.set(referralId, (this.generation += 1));
    this.save(receivedMs);
  }

  /** How many referrals are due for a targeted sync now, and when the next of the others is. */
  due(nowMs: number): { count: number; nextAtMs?: number } {
    let count = 0;
    let nextAtMs: number | undefined;
    for (const entry of this.pending.values()) {
      if (isDue(entry, nowMs)) count += 1;
      else nextAtMs = Math.min(nextAtMs ?? Number.POSITIVE_INFINITY, entry.failure!.retryAtMs);
    }
    return { count, ...(nextAtMs !== undefined ? { nextAtMs } : {}) };
  }

  /** A batch to sync (the referrals due at `nowMs`): the IDs and a token to settle it with. */
  take(nowMs = Number.POSITIVE_INFINITY): { referralIds: string[]; token: Map<string, number> } {
    const referralIds = [...this.pending.values()].filter((p) => isDue(p, nowMs)).map((p) => p.referralId);
    return { referralIds, token: new Map(referralIds.map((id) => [id, this.touched.get(id) ?? 0])) };
  }

  /**
   * Settles a batch: removes its entries, except those a newer event touched during the sync and those in
   * `failed`, which stay with their reason until their back-off is over.
   */
  settle(token: Map<string, number>, nowMs: number, failed: ReadonlyMap<string, string> = new Map()): void {
    for (const [id, generation] of token) {
      const entry = this.pending.get(id);
      if (!entry || (this.touched.get(id) ?? 0) !== generation) continue;
      const reason = failed.get(id);
      if (reason === undefined) this.pending.delete(id);
      else {
        const attempts = (entry.failure?.attempts ?? 0) + 1;
        this.pending.set(id, { ...entry, failure: { reason, attempts, retryAtMs: nowMs + retryDelayMs(attempts) } });
      }
    }
    this.save(nowMs);
  }

  /** The referrals whose last targeted sync failed, with why (readiness, the dashboard). */
  failures(): PendingReferral[] {
    return [...this.pending.values()].filter((p) => p.failure);
  }

  /** A full poll that started at `startedMs` covered every change an earlier event announced. */
  coveredBy(startedMs: number, nowMs: number): void {
    let changed = false;
    for (const [id, entry] of this.pending) {
      if (entry.receivedMs < startedMs) {
        this.pending.delete(id);
        changed = true;
      }
    }
    if (changed) this.save(nowMs);
  }

  oldestReceivedMs(): number | undefined {
    let oldest: number | undefined;
    for (const entry of this.pending.values()) oldest = oldest === undefined ? entry.receivedMs : Math.min(oldest, entry.receivedMs);
    return oldest;
  }

  private save(nowMs: number): void {
    this.store.putMeta(META_KEY, [...this.pending.values()], new Date(nowMs).toISOString());
  }
}
