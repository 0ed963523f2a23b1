/**
 * Referrals waiting for a targeted sync, kept in the state store before the webhook is acknowledged, so
 * that an event answered 200 survives a crash of the service (a restart syncs what was waiting).
 * Several events for one referral (a burst) are one entry: one targeted sync covers them all.
 * A referral whose targeted sync failed keeps its entry with the reason and is tried again on its own
 * after a back-off (or at once when a new event names it); the referrals that synced are settled.
 *
 * Each entry is its own row (`store.pendingReferrals`), and each event writes its referral's row only.
 * Until 2026-12-06 the whole list was one store value written on every event: a burst of N distinct
 * referrals wrote N²/2 entries (core/serve/README.md has the figures). The schema migration moved a list
 * saved that way into rows.
 */
import type { StateStore } from '../store/index.js';
import type { PendingReferral, PendingReferrals } from '../store/pending-referrals.js';

export type { PendingReferral } from '../store/pending-referrals.js';

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
  private readonly rows: PendingReferrals;

  constructor(store: StateStore) {
    this.rows = store.pendingReferrals;
    this.pending = new Map(this.rows.list().map((p) => [p.referralId, p]));
  }

  get size(): number {
    return this.pending.size;
  }

  add(referralId: string, receivedMs: number): void {
    const current = this.pending.get(referralId);
    // A new event is a reason to try a failed referral again now: what failed may have been fixed.
    const entry = current ? { referralId, receivedMs: current.receivedMs, events: current.events + 1 } : { referralId, receivedMs, events: 1 };
    this.pending.set(referralId, entry);
    this.touched.set(referralId, (this.generation += 1));
    this.rows.put(entry, new Date(receivedMs).toISOString());
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
    const synced: string[] = [];
    for (const [id, generation] of token) {
      const entry = this.pending.get(id);
      if (!entry || (this.touched.get(id) ?? 0) !== generation) continue;
      const reason = failed.get(id);
      if (reason === undefined) synced.push(id);
      else {
        const attempts = (entry.failure?.attempts ?? 0) + 1;
        const kept = { ...entry, failure: { reason, attempts, retryAtMs: nowMs + retryDelayMs(attempts) } };
        this.pending.set(id, kept);
        this.rows.put(kept, new Date(nowMs).toISOString());
      }
    }
    this.forget(synced);
  }

  /** The referrals whose last targeted sync failed, with why (readiness, the dashboard). */
  failures(): PendingReferral[] {
    return [...this.pending.values()].filter((p) => p.failure);
  }

  /** A full poll that started at `startedMs` covered every change an earlier event announced. */
  coveredBy(startedMs: number): void {
    this.forget([...this.pending.values()].filter((entry) => entry.receivedMs < startedMs).map((entry) => entry.referralId));
  }

  oldestReceivedMs(): number | undefined {
    let oldest: number | undefined;
    for (const entry of this.pending.values()) oldest = oldest === undefined ? entry.receivedMs : Math.min(oldest, entry.receivedMs);
    return oldest;
  }

  /** Removes entries (synced, or covered by a poll): their rows in one transaction. */
  private forget(referralIds: string[]): void {
    for (const id of referralIds) {
      this.pending.delete(id);
      this.touched.delete(id);
    }
    this.rows.remove(referralIds);
  }
}
