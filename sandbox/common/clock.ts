/**
 * A clock the tests can move, so that 14-day expiry, 7-day change-tracking tokens and the 72-hour rule
 * can be tested without waiting. It runs forward with real time from wherever it was set.
 */
export class SandboxClock {
  private offsetMs = 0;
  /** Called after the clock is moved (a persisted sandbox set keeps the move: set-state.ts). */
  onMove: () => void = () => {};

  /** How far the clock is ahead of real time (negative: behind). */
  get offset(): number {
    return this.offsetMs;
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  iso(): string {
    return this.now().toISOString();
  }

  advance(ms: number): Date {
    this.offsetMs += ms;
    this.onMove();
    return this.now();
  }

  set(at: Date | string): Date {
    this.offsetMs = new Date(at).getTime() - Date.now();
    this.onMove();
    return this.now();
  }

  reset(): void {
    this.offsetMs = 0;
    this.onMove();
  }
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
