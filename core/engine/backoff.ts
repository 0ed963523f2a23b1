/**
 * How long a parked record waits before it is tried again when nothing changed on either side. A refusal
 * can pass later without any edit (an admin relaxes a validation rule, a service recovers), so every
 * parked record has a retry time; the wait doubles with each failed attempt so that a record that keeps
 * failing costs few calls, and is capped so that it is still tried at least once a day:
 *
 *   attempt 1 → 10 min, 2 → 20 min, 3 → 40 min, 4 → 80 min, 5 → 160 min, 6 → 320 min, 7 → 640 min,
 *   8 → 1,280 min, 9 and after → 24 h.
 *
 * A change on either side retries the record at once, whatever its retry time.
 */
export const RETRY_FIRST_WAIT_MS = 10 * 60_000;
export const RETRY_MAX_WAIT_MS = 24 * 3_600_000;

/** The wait after the `attempts`-th failed attempt (1 for the first). */
export function retryDelayMs(attempts: number): number {
  const n = Number.isFinite(attempts) ? Math.max(1, Math.floor(attempts)) : 1;
  // The exponent is capped before the power so that a long-failing record never overflows the arithmetic.
  return Math.min(RETRY_MAX_WAIT_MS, RETRY_FIRST_WAIT_MS * 2 ** Math.min(n - 1, 30));
}

/** When to try again after the `attempts`-th failed attempt made at `nowIso`. */
export function retryAfter(nowIso: string, attempts: number): string {
  return new Date(Date.parse(nowIso) + retryDelayMs(attempts)).toISOString();
}

/**
 * When an orphaned link (orphan-checks.ts) is checked next: after a wait as long as it has been orphaned
 * (so the waits double), at least the first retry wait and at most a day. Pure.
 */
export function nextOrphanCheck(nowIso: string, orphanedAt: string): string {
  const now = Date.parse(nowIso);
  const waited = now - Date.parse(orphanedAt);
  const wait = Math.min(RETRY_MAX_WAIT_MS, Math.max(RETRY_FIRST_WAIT_MS, Number.isFinite(waited) ? waited : 0));
  return new Date(now + wait).toISOString();
}
