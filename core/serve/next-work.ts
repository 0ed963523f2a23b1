/**
 * What the service's worker does next, one thing at a time. Referrals a webhook named go first (they are
 * the fast path), except while a failed targeted sync waits out its pause: then a poll that is due runs
 * in the meantime. The poll lists the changes rather than reading each referral, so a referral Partner
 * Center cannot serve by ID, which fails every targeted sync it is in, cannot keep the backstop poll from
 * running (it did, until 2026-12-05: the worker went back to the failing targeted sync every 10 s for ever).
 * A referral whose own targeted sync failed waits out its own back-off (event-queue.ts); the others do not
 * wait for it. Pure.
 */
export type NextWork = { kind: 'targeted' } | { kind: 'poll' } | { kind: 'wait'; ms: number } | { kind: 'idle' };

export interface WorkState {
  /** Referrals due for a targeted sync now. */
  waiting: number;
  /** When the next referral waiting out its own back-off is due (none: undefined). */
  laterAtMs?: number;
  pollWanted: boolean;
  nowMs: number;
  /** When a targeted sync that failed as a whole may be tried again (0: no pause). */
  targetedRetryAtMs: number;
}

export function nextWork(state: WorkState): NextWork {
  const targetedDue = state.nowMs >= state.targetedRetryAtMs;
  if (state.waiting > 0 && targetedDue) return { kind: 'targeted' };
  if (state.pollWanted) return { kind: 'poll' };
  const wakes = [...(state.waiting > 0 ? [state.targetedRetryAtMs] : []), ...(state.laterAtMs !== undefined ? [Math.max(state.laterAtMs, state.targetedRetryAtMs)] : [])];
  if (wakes.length > 0) return { kind: 'wait', ms: Math.max(1, Math.min(...wakes) - state.nowMs) };
  return { kind: 'idle' };
}
