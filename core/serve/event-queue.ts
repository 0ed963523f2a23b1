/**
 * Referrals waiting for a targeted sync, kept in the state store before the webhook is acknowledged, so
 * that an event answered 200 survives a crash of the service (a restart syncs what was waiting).
 * Several events for one referral (a burst) are one entry: one targeted sync covers them all.
 */
import type { StateStore } from '../store/index.js';

const META_KEY = 'serve.pendingReferrals';

export interface PendingReferral {
  referralId: string;
  /** When the first event still waiting for it arrived (ms since the epoch). */
  receivedMs: number;
  /** Events taken for it since, for the log. */
  events: number;
}

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
    this.pending.set(referralId, current ? { ...current, events: current.events + 1 } : { referralId, receivedMs, events: 1 });
    this.touched.set(referralId, (this.generation += 1));
    this.save(receivedMs);
  }

  /** A batch to sync: the IDs and a token to settle it with. */
  take(): { referralIds: string[]; token: Map<string, number> } {
    const referralIds = [...this.pending.keys()];
    return { referralIds, token: new Map(referralIds.map((id) => [id, this.touched.get(id) ?? 0])) };
  }

  /** Removes the batch's entries, except those a newer event touched during the sync. */
  settle(token: Map<string, number>, nowMs: number): void {
    for (const [id, generation] of token) if ((this.touched.get(id) ?? 0) === generation) this.pending.delete(id);
    this.save(nowMs);
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
