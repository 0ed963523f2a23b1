/**
 * What one running Dataverse sandbox holds: the store, its clock, fault injector, call counters and
 * the throttle, plus reset and persistence. Shared by the HTTP front (`server.ts`) and the controls.
 */
import { existsSync } from 'node:fs';
import type { SandboxClock } from '../common/clock.js';
import { CallCounter } from '../common/counters.js';
import { FaultInjector } from '../common/faults.js';
import { DATAVERSE_FAULT_KINDS } from './server.js';
import type { ChangeTrackingReading } from './change-tracking-reading.js';
import { applySeed, type SeedKind } from './seed.js';
import { DataverseStore, MAX_PAGE_SIZE } from './store.js';

export interface ServiceProtectionLimits {
  /** Requests per user in the sliding window (Dataverse: 6,000 per 5 minutes). */
  requests: number;
  windowMs: number;
  /** Concurrent requests per user (Dataverse: 52). */
  concurrent: number;
}

export const DATAVERSE_LIMITS: ServiceProtectionLimits = { requests: 6000, windowMs: 300_000, concurrent: 52 };

export class DataverseRuntime {
  store: DataverseStore;
  readonly counters = new CallCounter();
  readonly faults = new FaultInjector(DATAVERSE_FAULT_KINDS);
  url = '';
  private saveTimer: NodeJS.Timeout | undefined;
  private readonly recent = new Map<string, number[]>();
  private readonly active = new Map<string, number>();

  constructor(
    readonly clock: SandboxClock,
    readonly environmentUrl: string,
    private readonly seed: SeedKind,
    readonly persistFile: string | undefined,
    readonly limits: ServiceProtectionLimits,
  ) {
    this.store = new DataverseStore(clock);
    if (persistFile && existsSync(persistFile)) this.store.load(persistFile);
    else applySeed(this.store, seed);
  }

  /** The change-tracking reading every store of this sandbox follows, across resets. */
  setChangeTracking(reading: ChangeTrackingReading): void {
    this.store.changeTracking = reading;
  }

  /** The most rows a page holds (Dataverse: 5,000), for every store of this sandbox, across resets. */
  setPageLimit(rows: number): void {
    if (!Number.isInteger(rows) || rows < 1 || rows > MAX_PAGE_SIZE) throw new Error(`pageLimit must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
    this.store.pageLimit = rows;
  }

  reset(seed: SeedKind = this.seed): void {
    const { changeTracking, pageLimit } = this.store;
    this.store = new DataverseStore(this.clock);
    this.store.changeTracking = changeTracking;
    this.store.pageLimit = pageLimit;
    applySeed(this.store, seed);
    this.counters.reset();
    this.faults.configure(undefined);
    this.recent.clear();
    this.changed();
  }

  /** Schedules a save to the persistence file, if any (debounced so bulk writes save once). */
  changed(): void {
    if (!this.persistFile || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.persist();
    }, 250);
    this.saveTimer.unref();
  }

  persist(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (this.persistFile) this.store.save(this.persistFile);
  }

  /**
   * Service protection: counts the request against the caller's sliding window and concurrency.
   * Returns the seconds to wait when the caller is over a limit, as Dataverse's Retry-After does.
   */
  admit(callerId: string): { ok: true; remaining: number } | { ok: false; retryAfter: number; code: 'requests' | 'concurrent' } {
    const now = Date.now();
    const window = (this.recent.get(callerId) ?? []).filter((t) => now - t < this.limits.windowMs);
    if ((this.active.get(callerId) ?? 0) >= this.limits.concurrent) return { ok: false, retryAfter: 1, code: 'concurrent' };
    if (window.length >= this.limits.requests) {
      const retryAfter = Math.max(1, Math.ceil((window[0]! + this.limits.windowMs - now) / 1000));
      this.recent.set(callerId, window);
      return { ok: false, retryAfter, code: 'requests' };
    }
    window.push(now);
    this.recent.set(callerId, window);
    this.active.set(callerId, (this.active.get(callerId) ?? 0) + 1);
    return { ok: true, remaining: this.limits.requests - window.length };
  }

  release(callerId: string): void {
    this.active.set(callerId, Math.max(0, (this.active.get(callerId) ?? 1) - 1));
  }
}
