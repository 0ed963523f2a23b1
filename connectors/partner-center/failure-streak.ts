/**
 * What the log says while Partner Center keeps failing. Each request retries up to `retries` times, and
 * until 2026-12-06 each retry logged a warning: a lasting 503 put seven warnings into the log at every turn
 * of `cosell run`, for hours, beside the turn's own one line. Now a request's retries are told in one line
 * when it gives up (what was retried, how often, how long it waited, whether Retry-After was honoured),
 * at warn for the first failure of a streak and at debug for the same failure again, and the streak's end
 * is told at info. The client keeps the streak (it lives across the turns of `cosell run`). Pure.
 */
import { NO_ANSWER_CODES } from '../../core/errors.js';

/** One retry a request made: why, and how long it waited before the next attempt. */
export interface RetryTaken {
  reason: string;
  waitMs: number;
}

/** Failures of one kind in a row, with no request answered between them. */
export interface FailureStreak {
  /** The typed error's code (`service_unavailable`, `network`, `rate_limited` …). */
  code: string;
  /** When the first of them was told (ISO 8601). */
  since: string;
  /** Requests that gave up in the streak so far. */
  failures: number;
}

/** `6 × HTTP 503 (Retry-After 5)`: each reason once, with how often it came, in the order first seen. */
function reasonsSaid(retries: readonly RetryTaken[]): string {
  const counts = new Map<string, number>();
  for (const r of retries) counts.set(r.reason, (counts.get(r.reason) ?? 0) + 1);
  return [...counts].map(([reason, n]) => (n === 1 ? reason : `${n} × ${reason}`)).join(', ');
}

/** The retries of a request that gave up, in words: `retried 6 times over 31 s (6 × HTTP 503 (Retry-After 5); Retry-After honoured)`. */
export function retriesSaid(retries: readonly RetryTaken[]): string {
  if (retries.length === 0) return 'not retried';
  const waited = Math.round(retries.reduce((ms, r) => ms + r.waitMs, 0) / 1000);
  const honoured = retries.some((r) => /Retry-After/.test(r.reason)) ? '; Retry-After honoured' : '';
  return `retried ${retries.length} time${retries.length === 1 ? '' : 's'} over ${waited} s (${reasonsSaid(retries)}${honoured})`;
}

/** Any error but no answer (NO_ANSWER_CODES) is an answer: it ends a streak as a success does. */
const UNANSWERED = NO_ANSWER_CODES;

/** Whether a request that failed with `code` was answered by Partner Center after all. */
export function wasAnswered(code: string): boolean {
  return !UNANSWERED.has(code);
}

/**
 * A request gave up with `code`: whether this is a streak's first failure (told in full, at warn) or the
 * same failure again (at debug), and the streak after it. Another code starts a new streak.
 */
export function afterFailure(streak: FailureStreak | undefined, code: string, nowIso: string): { first: boolean; streak: FailureStreak } {
  if (streak && streak.code === code) return { first: false, streak: { ...streak, failures: streak.failures + 1 } };
  return { first: true, streak: { code, since: nowIso, failures: 1 } };
}

/** The line that ends a streak, when a request is answered again. */
export function streakEndSaid(streak: FailureStreak): string {
  return `Partner Center answers again (${streak.failures} request${streak.failures === 1 ? '' : 's'} had failed with ${streak.code} since ${streak.since})`;
}
