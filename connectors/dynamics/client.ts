/**
 * The only place that talks HTTP to Dataverse: axios for the Web API, msal-node client credentials
 * for an application user (https://learn.microsoft.com/power-apps/developer/data-platform/authenticate-oauth),
 * the request limiter, and the shared retry policy of core/http/retry.ts. Links from the service are
 * followed relative to the configured Web API only (links.ts).
 */
import { pauseShared, type SharedCallBudget } from '../../core/http/shared-budget.js';
import axios, { AxiosError, type AxiosInstance, type AxiosResponse } from 'axios';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { guardCredentialOrigin } from '../../core/http/credential-origin.js';
import { prepareGlobalAgents } from '../../core/http/global-agents.js';
import { withRetry } from '../../core/http/retry.js';
import type { Logger } from '../../core/logger.js';
import { boundaryOf, buildBatch, operationCount, type BatchEntry, type EntryResponse } from './batch-format.js';
import { readBatchAnswer } from './batch-answer-reader.js';
import type { DynamicsOptions } from './config.js';
import { describeFailure, toConnectorError } from './errors.js';
import { RequestLimiter } from './limiter.js';
import { apiRelativeLink } from './links.js';
import { MSAL_SYSTEM } from '../../core/http/msal-network.js';
import { readJsonAnswer } from './json-page-reader.js';
import { Readable } from 'node:stream';

export const MAX_BATCH_OPERATIONS = 1000;

export interface ClientDeps {
  logger: Logger;
  clientSecret: string;
  /**
   * Reads the client secret again from its source (a `file:` secret a vault agent rewrites): called when
   * Entra ID refuses the one in use, so a rotated secret is taken without a restart.
   */
  readSecret?: () => Promise<string>;
  /** The environment's call budget shared with other workers (multi-tenant installs). */
  sharedBudget?: SharedCallBudget;
  sleep?: (ms: number) => Promise<void>;
}

export interface GetOptions {
  /** `Prefer` values, e.g. `odata.maxpagesize=500`, `odata.track-changes`. */
  prefer?: string[];
}

/** How a streamed answer's chunks are read into its data (a JSON answer, a `$batch` answer's entries). */
type AnswerReader = (chunks: AsyncIterable<Buffer | string>) => Promise<unknown>;

/**
 * A streamed answer, read by `read`. axios's timeout ends with the answer's headers, so a body that stops
 * arriving is cut after `idleMs` without bytes; a body that fails on the way (a reset connection) fails as a
 * network error with its code, which the retry policy retries as it would one that failed before the answer.
 */
async function readBody(body: Readable, idleMs: number, read: AnswerReader = readJsonAnswer): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => body.destroy(new AxiosError(`no bytes of the answer for ${idleMs} ms`, 'ECONNABORTED')), idleMs);
  };
  async function* chunks(): AsyncGenerator<Buffer | string> {
    arm();
    for await (const chunk of body) {
      arm();
      yield chunk as Buffer | string;
    }
  }
  try {
    return await read(chunks());
  } catch (error) {
    if (error instanceof AxiosError || error instanceof SyntaxError) throw error;
    const code = (error as { code?: unknown }).code;
    throw new AxiosError(`the answer was cut off: ${(error as Error).message}`, typeof code === 'string' ? code : 'ECONNRESET');
  } finally {
    clearTimeout(timer);
  }
}

/**
 * How a successful answer is read: a GET's JSON row by row (json-page-reader.ts), a `$batch`'s parts as they
 * arrive (batch-answer-reader.ts); a `$batch` answer without a multipart boundary as JSON, which `batchAnswer`
 * refuses. Undefined: read whole by axios (writes: small answers).
 */
function answerReader(method: string, url: string, contentType: unknown): AnswerReader | undefined {
  if (method === 'GET') return readJsonAnswer;
  if (url !== '$batch') return undefined;
  const boundary = boundaryOf(typeof contentType === 'string' ? contentType : undefined);
  return boundary ? (chunks) => readBatchAnswer(chunks, boundary) : readJsonAnswer;
}

export class DataverseClient {
  readonly serviceRoot: string;
  private readonly http: AxiosInstance;
  private msal: ConfidentialClientApplication;
  private clientSecret: string;
  private readonly limiter: RequestLimiter;
  private readonly scope: string;
  private readonly authority: string;
  /** `x-ms-ratelimit-burst-remaining-xrm-requests` of the last answer, for `check()`. */
  lastBurstRemaining: number | undefined;
  /** Retries that waited because Dataverse throttled (429/503), for the service's metrics. */
  throttleWaits = 0;
  /** How long a call may wait for its answer, and a streamed answer for its next bytes. */
  private readonly timeoutMs = 120_000;

  constructor(private readonly options: DynamicsOptions, private readonly deps: ClientDeps) {
    this.serviceRoot = `${options.apiUrl ?? options.environmentUrl}/api/data/v9.2/`;
    this.scope = `${options.environmentUrl}/.default`;
    this.authority = options.authority ?? `https://login.microsoftonline.com/${options.tenantId}`;
    prepareGlobalAgents();
    this.http = axios.create({
      baseURL: this.serviceRoot,
      // Every request goes to the configured Web API, whatever URL a caller or a link passes, and a
      // redirect is not followed: it would carry the bearer token to wherever it points.
      allowAbsoluteUrls: false,
      maxRedirects: 0,
      proxy: false,
      timeout: this.timeoutMs,
      headers: { Accept: 'application/json', 'OData-MaxVersion': '4.0', 'OData-Version': '4.0', 'If-None-Match': 'null' },
    });
    guardCredentialOrigin(this.http, this.serviceRoot, 'Dataverse');
    this.clientSecret = deps.clientSecret;
    this.msal = this.signIn();
    this.limiter = new RequestLimiter({ concurrency: options.maxConcurrency, requestsPerWindow: options.maxRequestsPerWindow, windowMs: 300_000 });
  }

  /** The prefix of every column and table `cosell setup dynamics` creates, to tell them in Dataverse's errors. */
  get publisherPrefix(): string {
    return this.options.publisherPrefix;
  }

  /** msal's client for the secret in use; its token cache is its own, so a new secret starts with none. */
  private signIn(): ConfidentialClientApplication {
    return new ConfidentialClientApplication({
      system: MSAL_SYSTEM,
      auth: {
        clientId: this.options.clientId,
        clientSecret: this.clientSecret,
        authority: this.authority,
        ...(this.options.authorityMetadata ? { authorityMetadata: this.options.authorityMetadata } : {}),
      },
    });
  }

  /**
   * An app-only token for `https://<org>.crm.dynamics.com/.default` (msal caches it until near expiry, by
   * this machine's clock); `fresh` asks Entra ID for a new one past the cache. msal holds the secret it was
   * made with: when Entra ID refuses it (invalid_client: rotated, expired), the secret is read again from
   * its source, and a changed one replaces msal's client and is tried at once.
   */
  private async token(fresh = false): Promise<string> {
    const acquire = async () => {
      const result = await this.msal.acquireTokenByClientCredential({ scopes: [this.scope], ...(fresh ? { skipCache: true } : {}) });
      if (!result?.accessToken) throw new Error('Entra ID returned no access token');
      return result.accessToken;
    };
    try {
      try {
        return await acquire();
      } catch (error) {
        if (!this.deps.readSecret || (error as { errorCode?: unknown }).errorCode !== 'invalid_client') throw error;
        const current = await this.deps.readSecret();
        if (current === this.clientSecret) throw error;
        this.deps.logger.warn({ event: 'dynamics.secret_changed' }, "Entra ID refused the Dataverse client secret in use, and its source holds another one: signing in with it");
        this.clientSecret = current;
        this.msal = this.signIn();
        return await acquire();
      }
    } catch (error) {
      throw toConnectorError(error, `acquiring a Dataverse token from ${this.authority}`);
    }
  }

  /** Sends one request through the limiter, retrying as core/http/retry.ts decides. */
  async request<T = unknown>(what: string, config: { method: string; url: string; data?: unknown; headers?: Record<string, string>; idempotent: boolean }): Promise<AxiosResponse<T>> {
    try {
      const url = apiRelativeLink(config.url);
      let refreshed = false;
      return await withRetry(
        async (attempt) => {
          const send = async (token: string) => {
            await this.deps.sharedBudget?.take(1);
            return this.limiter.run(() => this.exchange<T>(url, config, token), { ignorePause: attempt > 1 });
          };
          let response: AxiosResponse<T>;
          try {
            response = await send(await this.token());
          } catch (error) {
            // Dataverse refused a token msal still holds as valid (it expired early, or this machine's clock
            // is behind Entra ID's): without a new one every later call, and every turn of `cosell run`,
            // would be refused with it until msal's own expiry. One new token, then the call again.
            if (refreshed || !axios.isAxiosError(error) || error.response?.status !== 401) throw error;
            refreshed = true;
            this.deps.logger.info({ what }, 'Dataverse answered 401; fetching a new token once');
            response = await send(await this.token(true));
          }
          if (attempt > 1) this.limiter.clearPause();
          const remaining = Number(response.headers['x-ms-ratelimit-burst-remaining-xrm-requests']);
          if (Number.isFinite(remaining)) this.lastBurstRemaining = remaining;
          return response;
        },
        {
          retries: this.options.retries,
          describe: (error) => describeFailure(error, config.idempotent),
          onRetry: ({ waitMs, reason, attempt }) => {
            if (/429|503/.test(reason)) {
              this.throttleWaits += 1;
              this.limiter.pauseFor(waitMs);
              pauseShared(this.deps.sharedBudget, Date.now() + waitMs, (e) => this.deps.logger.warn({ err: e }, 'could not share a Retry-After pause'));
            }
            this.deps.logger.warn({ what, attempt, waitMs, reason }, 'Dataverse call failed; retrying');
          },
          ...(this.deps.sleep ? { sleep: this.deps.sleep } : {}),
        },
      );
    } catch (error) {
      throw toConnectorError(error, what, {}, this.options.publisherPrefix);
    }
  }

  /**
   * One HTTP exchange. A GET's JSON answer is read as it arrives, row by row (json-page-reader.ts: a
   * 5,000-row page is never held as one text), and a `$batch` answer part by part (batch-answer-reader.ts),
   * inside the limiter's slot and the retried attempt, so a connection lost while the answer arrives is
   * retried like one lost before it. A refusal's body is read the same way, so errors.ts sees the `{error}`
   * axios would have parsed.
   */
  private async exchange<T>(url: string, config: { method: string; data?: unknown; headers?: Record<string, string> }, token: string): Promise<AxiosResponse<T>> {
    const streamed = config.method === 'GET' || url === '$batch';
    const request = { method: config.method, url, data: config.data, headers: { Authorization: `Bearer ${token}`, ...config.headers }, ...(streamed ? { responseType: 'stream' as const } : {}) };
    if (!streamed) return this.http.request<T>(request);
    let response: AxiosResponse<Readable>;
    try {
      response = await this.http.request<Readable>(request);
    } catch (error) {
      const refused = axios.isAxiosError(error) ? error.response : undefined;
      if (refused && refused.data instanceof Readable) refused.data = await readBody(refused.data, this.timeoutMs).catch(() => undefined);
      throw error;
    }
    const read = answerReader(config.method, url, response.headers['content-type']);
    return { ...response, data: (await readBody(response.data, this.timeoutMs, read)) as T };
  }

  async get<T = unknown>(what: string, url: string, options: GetOptions = {}): Promise<AxiosResponse<T>> {
    const headers: Record<string, string> = {};
    if (options.prefer?.length) headers.Prefer = options.prefer.join(',');
    return this.request<T>(what, { method: 'GET', url, headers, idempotent: true });
  }

  /**
   * Sends one `$batch` (at most 1,000 operations). Operations outside change sets continue after a
   * failure (`Prefer: odata.continue-on-error`), so one bad record does not stop the others. Creates
   * carry client-generated keys, which makes a retried batch safe: a repeat answers "duplicate key".
   * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api
   */
  async batch(what: string, entries: readonly BatchEntry[]): Promise<EntryResponse[]> {
    return (await this.batchAnswer(what, entries)).entries;
  }

  /** `batch`, with the server's `Date` header: the time every GET in the batch was answered by (change-feed windows). */
  async batchAnswer(what: string, entries: readonly BatchEntry[]): Promise<{ entries: EntryResponse[]; date?: string }> {
    if (operationCount(entries) > MAX_BATCH_OPERATIONS) throw new Error(`a $batch may hold at most ${MAX_BATCH_OPERATIONS} operations`);
    const { contentType, body } = buildBatch(entries, this.serviceRoot);
    const response = await this.request<EntryResponse[] | unknown>(what, {
      method: 'POST',
      url: '$batch',
      data: body,
      headers: { 'Content-Type': contentType, Accept: 'application/json', Prefer: 'odata.continue-on-error' },
      idempotent: true,
    });
    const date = response.headers.date as unknown;
    if (!Array.isArray(response.data)) throw new Error('The $batch answer has no multipart boundary.');
    return { entries: response.data as EntryResponse[], ...(typeof date === 'string' ? { date } : {}) };
  }
}
