/**
 * A clock the tests can move, so that 14-day expiry, 7-day change-tracking tokens and the 72-hour rule
 * can be tested without waiting. It runs forward with real time from wherever it was set.
 */
export class SandboxClock {
  private offsetMs = 0;

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
    return this.now();
  }

  set(at: Date | string): Date {
    this.offsetMs = new Date(at).getTime() - Date.now();
    return this.now();
  }

  reset(): void {
    this.offsetMs = 0;
  }
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
