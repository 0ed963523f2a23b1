/**
 * The memory of webhook events already taken, kept in the state store (so a restart does not forget
 * it) for as long as an event is young enough to be accepted at all: older ones are refused by age.
 */
import type { StateStore } from '../store/index.js';

const META_KEY = 'serve.webhookEventsSeen';

export class ReplayGuard {
  private readonly seen: Map<string, number>;

  constructor(
    private readonly store: StateStore,
    private readonly maxAgeMs: number,
  ) {
    const saved = store.getMeta(META_KEY);
    this.seen = new Map(Array.isArray(saved) ? (saved as [string, number][]) : []);
  }

  has(key: string): boolean {
    return this.seen.has(key);
  }

  /** Remembers `key` (durably, before the event is acknowledged) and forgets keys past the age bound. */
  remember(key: string, nowMs: number): void {
    for (const [k, at] of this.seen) if (nowMs - at > this.maxAgeMs * 2) this.seen.delete(k);
    this.seen.set(key, nowMs);
    this.store.putMeta(META_KEY, [...this.seen], new Date(nowMs).toISOString());
  }
}
