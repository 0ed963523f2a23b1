/**
 * The memory of webhook events already taken, kept in the state store (so a restart does not forget
 * it) for as long as an event is young enough to be accepted at all: older ones are refused by age.
 *
 * It is written before each event is answered, so each write must stay small: the events are kept in
 * one store value per 10 seconds (`serve.webhookEventsSeen.<slot>`), and an event writes its slot's
 * value only. (One value of every event in the window, written whole on every event, made a first sync
 * that updates thousands of referrals, each update coming back as an event, quadratic.) The list of
 * slots kept is `serve.webhookEventsSeen`, written when a slot begins; it used to hold the events
 * themselves, as `[key, ms]` pairs, and such a value is still read.
 */
import type { StateStore } from '../store/index.js';

const INDEX_KEY = 'serve.webhookEventsSeen';
const SLOT_MS = 10_000;
const slotKey = (slot: number) => `${INDEX_KEY}.${slot}`;

type Seen = [key: string, atMs: number];

export class ReplayGuard {
  private readonly seen = new Map<string, number>();
  /** The events of each slot kept, by slot (ms since the epoch / SLOT_MS). */
  private readonly slots = new Map<number, Seen[]>();

  constructor(
    private readonly store: StateStore,
    private readonly maxAgeMs: number,
  ) {
    const index = store.getMeta(INDEX_KEY);
    if (Array.isArray(index)) this.readLegacy(index as Seen[]);
    else for (const slot of (index as { slots?: number[] } | undefined)?.slots ?? []) this.readSlot(slot);
  }

  has(key: string): boolean {
    return this.seen.has(key);
  }

  /** Remembers `key` (durably, before the event is acknowledged) and forgets slots past the age bound. */
  remember(key: string, nowMs: number): void {
    const slot = Math.floor(nowMs / SLOT_MS);
    const at = new Date(nowMs).toISOString();
    let events = this.slots.get(slot);
    if (!events) {
      events = [];
      this.slots.set(slot, events);
      this.forgetOlderThan(nowMs - this.maxAgeMs * 2);
      this.store.putMeta(INDEX_KEY, { slots: [...this.slots.keys()] }, at);
    }
    events.push([key, nowMs]);
    this.seen.set(key, nowMs);
    this.store.putMeta(slotKey(slot), events, at);
  }

  private readSlot(slot: number): void {
    const events = this.store.getMeta(slotKey(slot));
    if (!Array.isArray(events)) return;
    this.slots.set(slot, events as Seen[]);
    for (const [key, atMs] of events as Seen[]) this.seen.set(key, atMs);
  }

  private readLegacy(pairs: Seen[]): void {
    for (const [key, atMs] of pairs) {
      const slot = Math.floor(atMs / SLOT_MS);
      const events = this.slots.get(slot) ?? [];
      events.push([key, atMs]);
      this.slots.set(slot, events);
      this.seen.set(key, atMs);
    }
    const at = new Date().toISOString();
    for (const [slot, events] of this.slots) this.store.putMeta(slotKey(slot), events, at);
    this.store.putMeta(INDEX_KEY, { slots: [...this.slots.keys()] }, at);
  }

  private forgetOlderThan(cutoffMs: number): void {
    for (const [slot, events] of this.slots) {
      if ((slot + 1) * SLOT_MS > cutoffMs) continue;
      for (const [key] of events) this.seen.delete(key);
      this.slots.delete(slot);
      this.store.deleteMeta(slotKey(slot));
    }
  }
}
