/**
 * One retry policy for every remote call, split in two: `classifyFailure` is a pure function that
 * decides whether and when to retry a failed request, and `withRetry` runs the loop (over p-retry).
 *
 * Policy (issue #3; partner-center-api.md §1.12–1.13, wire-protocols.md §4.8):
 * - 429 and 503 honour `Retry-After` (seconds or an HTTP date); without it they back off like 5xx;
 * - other 5xx, 408 and network errors back off exponentially with full jitter;
 * - 412 (eTag mismatch) is a conflict for the engine to resolve, never a blind retry;
 * - any other 4xx never retries;
 * - a request that is not idempotent (a create) retries only after a lookup shows it did not happen,
 *   because a timeout or a 5xx can arrive after the server already created the record.
 */
import pRetry from 'p-retry';

/** What is known about one failed attempt, independent of the HTTP library that made it. */
export interface FailureFacts {
  /** HTTP status, when a response arrived. */
  status?: number;
  /** The `Retry-After` header, verbatim. */
  retryAfter?: string;
  /** A Node/network error code (`ECONNRESET`, `ETIMEDOUT`, …) when no response arrived. */
  networkCode?: string;
  /** Whether repeating the request cannot duplicate its effect (GET, PATCH with If-Match, …). */
  idempotent: boolean;
}

export type RetryDecision =
  | { retry: true; waitMs: number; reason: string; lookupFirst: boolean }
  | { retry: false; reason: string; conflict: boolean };

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** Longest `Retry-After` we honour; a longer one is capped (and then retried again if still refused). */
  maxRetryAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 30_000, maxRetryAfterMs: 300_000 };

/** Milliseconds to wait from a `Retry-After` value (delta-seconds or HTTP-date), or undefined. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value.trim());
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** Exponential backoff with full jitter: a random wait in [0, min(max, base·2^(attempt-1))]. */
export function backoffMs(attempt: number, policy: BackoffPolicy, random: number): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling * Math.min(1, Math.max(0, random)));
}

/** What each network error code means to a person (axios names its own timeout ECONNABORTED; the others are Node's and undici's). */
const NETWORK_CODE_MEANINGS: Readonly<Record<string, string>> = {
  ECONNABORTED: 'no answer in time',
  ETIMEDOUT: 'no answer in time',
  ERR_SOCKET_CONNECTION_TIMEOUT: 'no connection in time',
  UND_ERR_CONNECT_TIMEOUT: 'no connection in time',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed while sending',
  UND_ERR_SOCKET: 'connection closed',
  EAI_AGAIN: 'host name lookup failed for now',
  ENOTFOUND: 'host not found',
  ENETUNREACH: 'network unreachable',
  EHOSTUNREACH: 'host unreachable',
  ERR_BAD_RESPONSE: 'an answer that could not be read',
};

/** The network failures worth retrying: every code the table above can name. */
const NETWORK_CODES: ReadonlySet<string> = new Set(Object.keys(NETWORK_CODE_MEANINGS));

/** A network error code for logs and messages a person reads: "no answer in time (ECONNABORTED)". Pure. */
export function describeNetworkCode(code: string | undefined): string {
  if (!code) return 'network error (no code)';
  const meaning = NETWORK_CODE_MEANINGS[code];
  return meaning ? `${meaning} (${code})` : `network error ${code}`;
}

/**
 * Decides what to do after attempt number `attempt` (1-based) failed. Pure: the clock and the random
 * source are arguments so that tests can pin them.
 */
export function classifyFailure(
  facts: FailureFacts,
  attempt: number,
  env: { nowMs: number; random: number; policy?: BackoffPolicy },
): RetryDecision {
  const policy = env.policy ?? DEFAULT_BACKOFF;
  const lookupFirst = !facts.idempotent;
  const backoff = () => backoffMs(attempt, policy, env.random);
  const { status } = facts;

  if (status === undefined) {
    if (facts.networkCode && NETWORK_CODES.has(facts.networkCode)) {
      return { retry: true, waitMs: backoff(), reason: describeNetworkCode(facts.networkCode), lookupFirst };
    }
    return { retry: false, reason: `unrecognised failure ${facts.networkCode ?? 'without a response'}`, conflict: false };
  }
  if (status === 412) return { retry: false, reason: 'precondition failed: the record changed since it was read', conflict: true };
  if (status === 429 || status === 503) {
    const asked = parseRetryAfter(facts.retryAfter, env.nowMs);
    const waitMs = asked === undefined ? backoff() : Math.min(asked, policy.maxRetryAfterMs);
    return { retry: true, waitMs, reason: `HTTP ${status}${asked === undefined ? '' : ` (Retry-After ${facts.retryAfter})`}`, lookupFirst };
  }
  if (status >= 500 || status === 408) return { retry: true, waitMs: backoff(), reason: `HTTP ${status}`, lookupFirst };
  return { retry: false, reason: `HTTP ${status} is not retryable`, conflict: false };
}

export interface RetryOptions<T> {
  /** How many retries after the first attempt. */
  retries?: number;
  policy?: BackoffPolicy;
  /** Turns a thrown error into facts; return undefined for errors that must not be retried. */
  describe: (error: unknown) => FailureFacts | undefined;
  /**
   * For non-idempotent requests: runs before each retry. A result means the earlier attempt did take
   * effect after all; `withRetry` then returns it instead of repeating the request.
   */
  lookup?: () => Promise<{ found: true; value: T } | { found: false }>;
  onRetry?: (info: { attempt: number; waitMs: number; reason: string; error: unknown }) => void;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

class FoundByLookup<T> extends Error {
  constructor(readonly value: T) {
    super('the earlier attempt took effect');
  }
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `fn`, retrying as `classifyFailure` decides. Errors that are not retried are rethrown unchanged. */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions<T>): Promise<T> {
  // The first attempt runs outside p-retry: nearly every request succeeds at once, and p-retry costs each
  // call an options copy, five option checks and one more async frame (measured per Partner Center request,
  // bench/partner-center-request.ts). A failed first attempt is handed to p-retry as its attempt 1, so the
  // decisions, waits, lookups and attempt numbers after it are p-retry's as before.
  let firstFailure: unknown;
  try {
    return await fn(1);
  } catch (error) {
    firstFailure = error;
  }
  const attempt = (n: number) => (n === 1 ? Promise.reject(firstFailure) : fn(n));
  const sleep = options.sleep ?? realSleep;
  try {
    return await pRetry(attempt, {
      retries: options.retries ?? 6,
      minTimeout: 0,
      maxTimeout: 0,
      onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
        const facts = options.describe(error);
        if (!facts || retriesLeft === 0) throw error;
        const decision = classifyFailure(facts, attemptNumber, {
          nowMs: (options.now ?? Date.now)(),
          random: (options.random ?? Math.random)(),
          ...(options.policy ? { policy: options.policy } : {}),
        });
        if (!decision.retry) throw error;
        options.onRetry?.({ attempt: attemptNumber, waitMs: decision.waitMs, reason: decision.reason, error });
        await sleep(decision.waitMs);
        if (decision.lookupFirst) {
          if (!options.lookup) throw error;
          const seen = await options.lookup();
          if (seen.found) throw new FoundByLookup(seen.value);
        }
      },
    });
  } catch (error) {
    if (error instanceof FoundByLookup) return error.value as T;
    throw error;
  }
}
