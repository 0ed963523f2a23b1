/**
 * What the service's worker does next, one thing at a time. Referrals a webhook named go first (they are
 * the fast path), except while a failed targeted sync waits out its pause: then a poll that is due runs
 * in the meantime. The poll lists the changes rather than reading each referral, so a referral Partner
 * Center cannot serve by ID, which fails every targeted sync it is in, cannot keep the backstop poll from
 * running (it did, until 2026-12-05: the worker went back to the failing targeted sync every 10 s for ever).
 * Pure.
 */
export type NextWork = { kind: 'targeted' } | { kind: 'poll' } | { kind: 'wait'; ms: number } | { kind: 'idle' };

export interface WorkState {
  /** Referrals waiting for a targeted sync. */
  waiting: number;
  pollWanted: boolean;
  nowMs: number;
  /** When a failed targeted sync may be tried again (0: no pause). */
  targetedRetryAtMs: number;
}

export function nextWork(state: WorkState): NextWork {
  const targetedDue = state.nowMs >= state.targetedRetryAtMs;
  if (state.waiting > 0 && targetedDue) return { kind: 'targeted' };
  if (state.pollWanted) return { kind: 'poll' };
  if (state.waiting > 0) return { kind: 'wait', ms: state.targetedRetryAtMs - state.nowMs };
  return { kind: 'idle' };
}
