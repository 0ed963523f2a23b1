/**
 * The one HTTP path to the referrals API. Every request:
 * - carries `Authorization: Bearer`, `Accept: application/json`, a fresh `client-request-id` GUID and the
 *   run's `MS-CorrelationId` (https://learn.microsoft.com/en-us/partner-center/developer/headers);
 * - is counted, and refused once the run's request budget is spent (the engine's "no more calls" checks);
 * - is retried by `withRetry` under the one policy of `core/http/retry.ts` (429/503 honour Retry-After,
 *   other 5xx and network errors back off with jitter, 4xx never retry, writes retry only after a lookup);
 * - on a 401, refreshes the token silently once and replays;
 * - fails with a typed error from `errors.ts`, never with the AxiosError (which holds the token).
 * URLs are always built from the configured base URL, so the token is never sent to another host.
 */
import { pauseShared, type SharedCallBudget } from '../../core/http/shared-budget.js';
import { randomUUID } from 'node:crypto';
import { isAxiosError, type AxiosInstance, type AxiosResponse } from 'axios';
import { BudgetPausedError } from '../../core/errors.js';
import { guardCredentialOrigin } from '../../core/http/credential-origin.js';
import { prepareGlobalAgents } from '../../core/http/global-agents.js';
import { withRetry, type BackoffPolicy } from '../../core/http/retry.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import type { AccessTokenProvider } from './auth/token-provider.js';
import { failureFacts, serviceErrorDetails, toPartnerCenterError } from './errors.js';
import { createLeanAxios, jsonBody, readJsonAnswer } from './lean-axios.js';
import type { RetryTaken } from './failure-streak.js';
import { logAnswered, logFailed, type FailureStreakHolder } from './outcome-log.js';

export const REFERRALS_PATH = '/v1.0/engagements/referrals';

export interface HttpResult {
  status: number;
  data: unknown;
  /** The `ETag` response header, when present. */
  etag?: string;
  requestId?: string;
  /** The service's clock when it answered (the `Date` header, ISO 8601), when present and readable. */
  serverTime?: string;
}

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PATCH';
  /** Below the referrals collection: `''` or `/{id}`. */
  path: string;
  /** Another collection than the referrals one (a sandbox extension's path from the API root). */
  root?: string;
  /** Query string without `?`, already encoded (see `buildQuery`). */
  query?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Whether repeating the request cannot duplicate its effect. */
  idempotent: boolean;
  /** For non-idempotent requests: shows whether a failed attempt took effect after all. */
  lookup?: () => Promise<{ found: true; value: HttpResult } | { found: false }>;
  /** For logs and errors: `create`, `get`, `list`, `update`, … */
  operation: string;
  record?: string;
}

export interface HttpSettings {
  baseUrl: string;
  timeoutMs: number;
  retries: number;
  backoff: BackoffPolicy;
  requestBudget?: number | undefined;
  correlationId?: string;
}

export interface HttpDeps {
  tokens: AccessTokenProvider;
  /** The organisation's call budget shared with other workers (multi-tenant installs). */
  sharedBudget?: SharedCallBudget;
  logger?: Logger;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  /** Told of each answer's `Date` (ms) with the local send and receipt times: the engine keeps to Partner Center's clock (core/service-clock.ts). */
  onServiceTime?: (serverMs: number, sentMs: number, receivedMs: number) => void;
  /**
   * Where the failure streak is kept, when it must outlive this client: a multi-tenant worker makes a new
   * client for each tenant cycle, and a streak kept in the client told the same outage again every cycle.
   */
  failureStreak?: FailureStreakHolder;
}

export type { FailureStreakHolder } from './outcome-log.js';

/** Requests sent by one client instance (one run), by operation, with retries and token refreshes. */
export interface CallStats {
  requests: number;
  byOperation: Record<string, number>;
  retries: number;
  /** Retries that waited because Partner Center throttled (429). */
  throttled: number;
  tokenRefreshes: number;
}

/**
 * Encodes OData query options. `$` stays literal and spaces become `%20` (axios' own serializer turns
 * them into `+`, which not every OData parser reads as a space). Pure.
 */
export function buildQuery(options: Record<string, string | number | undefined>): string {
  return Object.entries(options)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== '')
    .map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`)
    .join('&');
}

export class PartnerCenterHttp {
  private runCorrelationId: string;
  private readonly axios: AxiosInstance;
  private logger: Logger;
  private readonly stats: CallStats = { requests: 0, byOperation: {}, retries: 0, throttled: 0, tokenRefreshes: 0 };
  /** Until when (ms) every request waits: a throttled answer's Retry-After holds back the concurrent ones too. */
  private pausedUntil = 0;
  /** Requests that gave up in a row with the same failure, across runs (failure-streak.ts): told once. */
  private readonly streak: FailureStreakHolder;

  constructor(private readonly settings: HttpSettings, private readonly deps: HttpDeps) {
    this.runCorrelationId = settings.correlationId ?? randomUUID();
    this.streak = deps.failureStreak ?? {};
    this.logger = this.runLogger();
    prepareGlobalAgents();
    this.axios = createLeanAxios(settings.baseUrl, settings.timeoutMs);
    guardCredentialOrigin(this.axios, settings.baseUrl, 'Partner Center');
  }

  /** A copy of the counters; the engine compares it before and after a step. */
  callStats(): CallStats {
    return { ...this.stats, byOperation: { ...this.stats.byOperation } };
  }

  /** `MS-CorrelationId` of the current run. */
  get correlationId(): string {
    return this.runCorrelationId;
  }

  /** Zeroes the counters (and so the budget) without starting a new run. */
  resetStats(): void {
    Object.assign(this.stats, { requests: 0, byOperation: {}, retries: 0, throttled: 0, tokenRefreshes: 0 });
  }

  /** A new run on the same client (a long-lived `cosell run`): new correlation id, fresh budget and counters. */
  beginRun(correlationId: string = randomUUID()): void {
    this.runCorrelationId = correlationId;
    this.logger = this.runLogger();
    this.resetStats();
  }

  private runLogger(): Logger {
    return (this.deps.logger ?? silentLogger()).child({ component: 'partner-center', correlationId: this.runCorrelationId });
  }

  /**
   * Refreshes the sign-in now, past every cached access token. `cosell check` asks this: a session revoked
   * in Entra ID (or a refresh token past its lifetime) otherwise looks fine for up to an hour, while the
   * access token cached before it still works, and the unattended runs fail after.
   */
  async refreshSignIn(): Promise<void> {
    await this.deps.tokens.getAccessToken({ forceRefresh: true });
    this.stats.tokenRefreshes += 1;
  }

  async send(spec: RequestSpec): Promise<HttpResult> {
    let refreshed = false;
    const retried: RetryTaken[] = [];
    const attempt = async (attemptNumber: number): Promise<HttpResult> => {
      const token = await this.deps.tokens.getAccessToken();
      try {
        return await this.once(spec, token, attemptNumber);
      } catch (error) {
        if (!refreshed && isAxiosError(error) && error.response?.status === 401) {
          // An access token can be revoked or expire early; one silent refresh, then replay.
          refreshed = true;
          this.stats.tokenRefreshes += 1;
          this.logger.info({ op: spec.operation }, 'Partner Center answered 401; refreshing the token once');
          return this.once(spec, await this.deps.tokens.getAccessToken({ forceRefresh: true }), attemptNumber);
        }
        throw error;
      }
    };
    try {
      const result = await withRetry(attempt, {
        retries: this.settings.retries,
        policy: this.settings.backoff,
        describe: (error) => failureFacts(error, spec.idempotent),
        ...(spec.lookup ? { lookup: spec.lookup } : {}),
        onRetry: ({ attempt: n, waitMs, reason, error }) => {
          this.stats.retries += 1;
          if (/HTTP (429|503)/.test(reason)) {
            this.pausedUntil = Math.max(this.pausedUntil, this.clock() + waitMs);
            pauseShared(this.deps.sharedBudget, this.clock() + waitMs, (e) => this.logger.warn({ err: e }, 'could not share a Retry-After pause'));
          }
          if (/\b429\b/.test(reason)) this.stats.throttled += 1;
          retried.push({ reason, waitMs });
          const d = isAxiosError(error) ? serviceErrorDetails(error) : {};
          this.logger.debug({ op: spec.operation, record: spec.record, attempt: n, waitMs, reason, requestId: d.requestId, clientRequestId: d.clientRequestId }, 'retrying Partner Center request');
        },
        ...(this.deps.sleep ? { sleep: this.deps.sleep } : {}),
        ...(this.deps.random ? { random: this.deps.random } : {}),
        ...(this.deps.now ? { now: this.deps.now } : {}),
      });
      logAnswered(this.logger, this.streak, spec, retried);
      return result;
    } catch (error) {
      const typed = toPartnerCenterError(error, { operation: spec.operation, ...(spec.record ? { record: spec.record } : {}) });
      logFailed(this.logger, this.streak, spec, typed, retried, new Date(this.clock()).toISOString());
      throw typed;
    }
  }

  private clock(): number {
    return this.deps.now ? this.deps.now() : Date.now();
  }

  /** Waits out a pause another request's throttled answer asked for. */
  private async throttled(): Promise<void> {
    const waitMs = this.pausedUntil - this.clock();
    if (waitMs > 0) await (this.deps.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms))))(waitMs);
  }

  private async once(spec: RequestSpec, token: string, attemptNumber: number): Promise<HttpResult> {
    // A retry has waited its own Retry-After already; a first attempt waits for a pause others were asked for.
    if (attemptNumber === 1) await this.throttled();
    const budget = this.settings.requestBudget;
    if (budget !== undefined && this.stats.requests >= budget) {
      throw new BudgetPausedError(`The Partner Center request budget of ${budget} for this run is spent`, undefined, { operation: spec.operation });
    }
    await this.deps.sharedBudget?.take(1);
    this.stats.requests += 1;
    this.stats.byOperation[spec.operation] = (this.stats.byOperation[spec.operation] ?? 0) + 1;
    const clientRequestId = randomUUID();
    const started = Date.now();
    const url = `${spec.root ?? REFERRALS_PATH}${spec.path}${spec.query ? `?${spec.query}` : ''}`;
    let response: AxiosResponse;
    try {
      response = await this.axios.request({
        method: spec.method,
        url,
        data: jsonBody(spec.body),
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: 'application/json',
          'client-request-id': clientRequestId,
          'MS-CorrelationId': this.correlationId,
          ...(spec.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...spec.headers,
        },
      });
    } catch (error) {
      // axios leaves a refusal's body as text here (lean-axios.ts): read before anything looks at the error.
      if (isAxiosError(error) && error.response) error.response.data = readJsonAnswer(error.response.data);
      const d = isAxiosError(error) ? serviceErrorDetails(error) : {};
      this.logger.debug({ op: spec.operation, method: spec.method, url, attempt: attemptNumber, status: d.status, networkCode: d.networkCode, clientRequestId, ms: Date.now() - started }, 'Partner Center request failed');
      throw error;
    }
    const etag = typeof response.headers.etag === 'string' ? response.headers.etag : undefined;
    const requestId = typeof response.headers['request-id'] === 'string' ? response.headers['request-id'] : undefined;
    this.logger.debug({ op: spec.operation, method: spec.method, url, attempt: attemptNumber, status: response.status, clientRequestId, requestId, ms: Date.now() - started }, 'Partner Center request');
    const dateMs = typeof response.headers.date === 'string' ? Date.parse(response.headers.date) : Number.NaN;
    const serverTime = Number.isNaN(dateMs) ? undefined : new Date(dateMs).toISOString();
    if (serverTime) this.deps.onServiceTime?.(dateMs, started, Date.now());
    return { status: response.status, data: readJsonAnswer(response.data), ...(etag ? { etag } : {}), ...(requestId ? { requestId } : {}), ...(serverTime ? { serverTime } : {}) };
  }
}
