/**
 * The Partner Center referrals client (issue #3): `createPartnerCenterClient(options, deps)` for the sync
 * engine, `loginPartnerCenter` for `cosell login partner-center`.
 *
 * Options are validated by `partnerCenterClientOptionsSchema` (config.ts). Dependencies are explicit so
 * that tests pass a scripted token provider, a captured logger and a fast sleep.
 */
import type { SharedCallBudget } from '../../core/http/shared-budget.js';
import type { Logger } from '../../core/logger.js';
import { tokenProviderFor } from './auth/login.js';
import type { AccessTokenProvider } from './auth/token-provider.js';
import { PartnerCenterClient } from './client.js';
import { parsePartnerCenterOptions, type PartnerCenterClientOptionsInput } from './config.js';
import { PartnerCenterHttp, type FailureStreakHolder } from './http.js';
import { ReferralsEndpoint } from './referrals.js';

export interface PartnerCenterClientDeps {
  /** Defaults to what `options.authMode` says: the device-code provider over the encrypted cache, or the scripted password grant. */
  tokens?: AccessTokenProvider;
  logger?: Logger;
  /** Where the token-cache key variable is read; defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** `MS-CorrelationId` for this run; a new GUID by default. */
  correlationId?: string;
  /** The organisation's call budget shared with other workers (multi-tenant installs). */
  sharedBudget?: SharedCallBudget;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  /** Told of each answer's `Date` (see `HttpDeps.onServiceTime`). */
  onServiceTime?: (serverMs: number, sentMs: number, receivedMs: number) => void;
  /** See `HttpDeps.failureStreak`. */
  failureStreak?: FailureStreakHolder;
}

export function createPartnerCenterClient(input: PartnerCenterClientOptionsInput, deps: PartnerCenterClientDeps = {}): PartnerCenterClient {
  const options = parsePartnerCenterOptions(input);
  const tokens = deps.tokens ?? tokenProviderFor(options, deps.env);
  const http = new PartnerCenterHttp(
    {
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs,
      retries: options.retry.retries,
      backoff: { baseMs: options.retry.baseMs, maxMs: options.retry.maxMs, maxRetryAfterMs: options.retry.maxRetryAfterMs },
      requestBudget: options.requestBudget,
      ...(deps.correlationId ? { correlationId: deps.correlationId } : {}),
    },
    {
      tokens,
      ...(deps.sharedBudget ? { sharedBudget: deps.sharedBudget } : {}),
      ...(deps.logger ? { logger: deps.logger } : {}),
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
      ...(deps.random ? { random: deps.random } : {}),
      ...(deps.now ? { now: deps.now } : {}),
      ...(deps.onServiceTime ? { onServiceTime: deps.onServiceTime } : {}),
      ...(deps.failureStreak ? { failureStreak: deps.failureStreak } : {}),
    },
  );
  return new PartnerCenterClient(new ReferralsEndpoint(http), http, options.overlapMs, options.concurrency);
}

export { PartnerCenterClient, type CreateResult, type ReferralPage } from './client.js';
export { type ReferralAccess } from './access.js';
export { loginPartnerCenter, deviceCodeProviderFor, tokenProviderFor, type LoginResult } from './auth/login.js';
export {
  DeviceCodeTokenProvider,
  PasswordGrantTokenProvider,
  fixedTokenProvider,
  type AccessTokenProvider,
  type DeviceCodePrompt,
} from './auth/token-provider.js';
export { cacheKeyFromEnv, encryptedFileCachePlugin } from './auth/encrypted-cache.js';
export { advanceCursor, changeFeedQuery, isDelivered, type ChangeCursor, type ChangePage, type UnmappableReferral } from './change-feed.js';
export { type CallStats } from './http.js';
export { odataDateTime, type ListQuery } from './referrals.js';
export { odataStringLiteral } from '../odata.js';
export {
  partnerCenterClientOptionsSchema,
  parsePartnerCenterOptions,
  LOGIN_COMMAND,
  PARTNER_CENTER_SCOPE,
  DEFAULT_TOKEN_KEY_ENV,
  DEFAULT_TOKEN_CACHE_PATH,
  type PartnerCenterClientOptions,
  type PartnerCenterClientOptionsInput,
} from './config.js';
