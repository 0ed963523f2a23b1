/**
 * The Salesforce REST client: the only user of jsforce. It authenticates (JWT bearer or client
 * credentials, refreshing on a 401 through jsforce's refresh delegate), watches the API budget from
 * `Sforce-Limit-Info`, and maps every failure through errors.ts. Retries: jsforce already retries GETs
 * (wire-protocols.md §2.9); idempotent POST/PATCH calls (composite queries, updates, upserts) go through
 * the shared retry policy; creates are not retried here, because account and contact matching makes the
 * engine's next attempt safe.
 */
import type { SharedCallBudget } from '../../core/http/shared-budget.js';
import { resolveSecret } from '../../config/secrets.js';
import { AuthError, BudgetPausedError } from '../../core/errors.js';
import { withRetry } from '../../core/http/retry.js';
import { CredentialOriginError } from '../../core/http/credential-origin.js';
import { AddressRefusedError } from '../../core/http/address-guard.js';
import { prepareGlobalAgents } from '../../core/http/global-agents.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import type { RelatedRowIndex } from '../../core/engine/crm-port.js';
import type { SalesforceOptions } from './config.js';
import { statusOf, toConnectorError } from './errors.js';
import { assertWithinCompositeLimits } from './composite-limits.js';
import { Connection, type JsforceConnection } from './jsforce.js';
import { checkInstanceUrl } from './instance-url.js';
import { limitCallTime } from './call-timeout.js';
import { refuseForeignRedirects } from './redirects.js';
import { connectionTransports } from './transports.js';
import { SalesforceSignIn } from './sign-in.js';
import { proxyUrl } from './proxy-url.js';

export interface SalesforceDeps {
  logger?: Logger;
  /** Resolves `env:NAME` / `file:/path` references; the default handles both. */
  resolveSecret?: (ref: string) => Promise<string>;
  /** Wait between retries (tests pass a short one). */
  sleep?: (ms: number) => Promise<void>;
  /** Where related rows → opportunity are kept between runs (the state store); in memory when absent. */
  relatedRows?: RelatedRowIndex;
  /** The org's API request allocation shared with other workers (multi-tenant installs). */
  sharedBudget?: SharedCallBudget;
  /** The time deletion windows end at (the runtime's clock). */
  now?: () => Date;
}

export type { CompositeSubrequest, CompositeSubresponse, QueryResult, SaveResult } from './rest-types.js';
import type { CompositeSubrequest, CompositeSubresponse, QueryResult, SaveResult } from './rest-types.js';

/**
 * The batch size a query asks for (`Sforce-Query-Options: batchSize=`): Salesforce takes 200 to 2,000.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_queryoptions.htm
 */
export function queryBatchSize(asked: number): number {
  return Math.max(200, Math.min(2000, asked));
}

/** The part of jsforce's transport the client watches for the server's clock. */
interface WatchedTransport {
  httpRequest(...args: unknown[]): PromiseLike<{ headers?: Record<string, unknown> }>;
}

/**
 * An sObject Collections save's body and a collection delete's path, one form for a request of its own
 * (`collection`, `deleteRecords`) and a Composite subrequest (collections.ts, checked-patches.ts): every record
 * gets its own result (`allOrNone` false).
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections.htm
 */
export const collectionBody = (records: Record<string, unknown>[]) => ({ allOrNone: false, records });
export const collectionDeletePath = (ids: readonly string[]) => `/composite/sobjects?ids=${ids.join(',')}&allOrNone=false`;

export class SalesforceClient {
  private conn: JsforceConnection | undefined;
  /** The `Date` header of the latest response: the server's clock, for change-feed windows (read.ts). */
  private serverDate: string | undefined;
  /** The server's clock less this machine's, as of the latest `Date` header. */
  private serverOffsetMs: number | undefined;
  private connecting: Promise<JsforceConnection> | undefined;
  private readonly log: Logger;
  private readonly signIn: SalesforceSignIn;

  constructor(
    private readonly options: SalesforceOptions,
    private readonly deps: SalesforceDeps = {},
  ) {
    this.log = deps.logger ?? silentLogger();
    this.signIn = new SalesforceSignIn(options, deps.resolveSecret ?? ((ref) => resolveSecret(ref, 'crm > salesforce > auth')), this.log);
  }

  get apiVersion(): string {
    return this.options.apiVersion;
  }

  /** A REST resource's path under this API version (`/services/data/v62.0` + `path`), as Composite subrequests name it. */
  dataPath(path = ''): string {
    return `/services/data/v${this.options.apiVersion}${path}`;
  }

  /** The last `Sforce-Limit-Info` seen: api-usage=used/limit. */
  budget(): { used: number; limit: number } | undefined {
    const usage = this.conn?.limitInfo?.apiUsage;
    return usage && usage.limit > 0 ? { used: usage.used, limit: usage.limit } : undefined;
  }

  private async open(): Promise<JsforceConnection> {
    prepareGlobalAgents();
    const httpProxy = await proxyUrl(this.options.httpProxy, this.deps.resolveSecret);
    const conn: JsforceConnection = new Connection({
      version: this.options.apiVersion,
      // The client secret, if any, is set at each sign-in (sign-in.ts): it is read from its source every time.
      oauth2: { loginUrl: this.options.loginUrl, clientId: this.options.clientId },
      ...(this.options.instanceUrl ? { instanceUrl: this.options.instanceUrl } : {}),
      ...(httpProxy ? { httpProxy } : {}),
      callOptions: { client: 'cosell-connector' },
      // JWT and client credentials have no refresh token: a 401 gets a brand-new token (wire-protocols.md §2.1).
      refreshFn: (c, callback) => {
        this.signIn
          .params(c)
          .then((params) => c.oauth2.requestToken(params))
          .then((res) => {
            if (res.instance_url) checkInstanceUrl(res.instance_url, this.options);
            this.log.info({ event: 'salesforce.token_refreshed' }, 'Salesforce session expired; got a new token');
            callback(null, res.access_token, res);
          })
          .catch((error: unknown) => {
            this.signIn.refreshFailed(error as Error);
            callback(error as Error);
          });
      },
    });
    limitCallTime(conn, this.options.timeoutMs);
    refuseForeignRedirects(conn);
    this.watchServerClock(conn);
    // Outside the try: a secret reference that cannot be resolved is a config error (exit 2), not refused credentials.
    const params = await this.signIn.params(conn);
    try {
      await conn.authorize(params);
    } catch (error) {
      const mapped = toConnectorError(error, 'sign-in');
      // A network failure is not a credentials problem (retryable for the engine), nor an address the guard refused.
      throw mapped instanceof AuthError || mapped instanceof CredentialOriginError || mapped instanceof AddressRefusedError || mapped.retryable ? mapped : new AuthError(`Could not sign in to Salesforce at ${this.options.loginUrl}: ${mapped.message}`, 'Check loginUrl and network access, then run `cosell check`', mapped.context, { cause: error });
    }
    // No request has carried the session yet: refuse an instance the configuration does not name.
    checkInstanceUrl(conn.instanceUrl, this.options);
    return conn;
  }

  /**
   * Notes the `Date` header of every response, the sign-in's included (so the server's time is known before
   * a run's first call). jsforce hands back bodies only, so its two transports (REST and OAuth2, one each per
   * connection) are wrapped once; the response itself is passed on untouched.
   */
  private watchServerClock(conn: JsforceConnection): void {
    for (const transport of connectionTransports<WatchedTransport>(conn)) this.watchTransport(transport);
  }

  private watchTransport(transport: WatchedTransport): void {
    const send = transport.httpRequest.bind(transport);
    transport.httpRequest = (...args: unknown[]) => {
      const pending = send(...args);
      pending.then(
        (res) => {
          const date = res.headers?.date;
          if (typeof date !== 'string' || Number.isNaN(Date.parse(date))) return;
          this.serverDate = new Date(date).toISOString();
          this.serverOffsetMs = Date.parse(date) - Date.now();
        },
        () => undefined,
      );
      return pending;
    };
  }

  /** The server's time at the latest response, if one carried a `Date` header. */
  lastServerTime(): string | undefined {
    return this.serverDate;
  }

  /** The server's time now (its clock as of the latest `Date` header, moved on by the time since), if known. */
  serverNowMs(): number | undefined {
    return this.serverOffsetMs === undefined ? undefined : Date.now() + this.serverOffsetMs;
  }

  /** The signed-in (integration) user's ID, from the token's identity URL. */
  userId(): string | undefined {
    const id = this.conn?.userInfo?.id;
    return typeof id === 'string' && /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(id) ? id : undefined;
  }

  async connection(): Promise<JsforceConnection> {
    if (this.conn) return this.conn;
    this.connecting ??= this.open().finally(() => {
      this.connecting = undefined;
    });
    this.conn = await this.connecting;
    return this.conn;
  }

  /** Refuses to spend more than the configured share of the org's daily API limit. */
  private checkBudget(what: string): void {
    const b = this.budget();
    if (!b) return;
    const share = b.used / b.limit;
    if (share >= this.options.budgetShare) {
      throw new BudgetPausedError(
        `Salesforce API budget reached before ${what}: ${b.used.toLocaleString('en-US')} of ${b.limit.toLocaleString('en-US')} daily API requests used (${Math.round(share * 100)}%), and the connector may use at most ${Math.round(this.options.budgetShare * 100)}%. The sync pauses until the org's rolling 24-hour usage falls below that share; raise budgetShare to allow more.`,
        undefined,
        { serviceCode: 'BUDGET_SHARE', used: b.used, limit: b.limit },
      );
    }
  }

  private async call<T>(what: string, run: (conn: JsforceConnection) => Promise<T>, idempotentRetry = false): Promise<T> {
    const conn = await this.connection();
    this.checkBudget(what);
    const attempt = async () => {
      await this.deps.sharedBudget?.take(1);
      try {
        return await run(conn);
      } catch (error) {
        throw toConnectorError(this.signIn.cause(error), what);
      }
    };
    if (!idempotentRetry) return attempt();
    return withRetry(attempt, {
      retries: 3,
      describe: (error) => {
        const status = (error as { context?: { status?: number } }).context?.status ?? statusOf(error);
        const retryable = (error as { retryable?: boolean }).retryable === true;
        return retryable || (status !== undefined && status >= 500) ? { status: status ?? 503, idempotent: true } : undefined;
      },
      ...(this.deps.sleep ? { sleep: this.deps.sleep } : {}),
      onRetry: ({ attempt: n, reason }) => this.log.warn({ event: 'salesforce.retry', what, attempt: n, reason }, 'retrying a Salesforce call'),
    });
  }

  /** https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm; `all`: QueryAll,
   * which also returns deleted rows still in the Recycle Bin (`IsDeleted` true): resources_queryall.htm */
  query<T>(soql: string, batchSize?: number, all = false): Promise<QueryResult<T>> {
    const headers = batchSize ? { 'Sforce-Query-Options': `batchSize=${queryBatchSize(batchSize)}` } : undefined;
    return this.call('a query', (c) => c.request<QueryResult<T>>({ method: 'GET', url: `/${all ? 'queryAll' : 'query'}?q=${encodeURIComponent(soql)}`, ...(headers ? { headers } : {}) }));
  }

  /** https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query_more_results.htm */
  queryMore<T>(nextRecordsUrl: string): Promise<QueryResult<T>> {
    const locator = nextRecordsUrl.split('/').pop() ?? '';
    return this.call('the next query page', (c) => c.request<QueryResult<T>>({ method: 'GET', url: `/query/${locator}` }));
  }

  /** https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite.htm */
  async composite(subrequests: CompositeSubrequest[], readOnly: boolean): Promise<CompositeSubresponse[]> {
    assertWithinCompositeLimits(subrequests);
    const res = await this.call('a composite request', (c) => c.requestPost<{ compositeResponse: CompositeSubresponse[] }>('/composite', { allOrNone: false, compositeRequest: subrequests }), readOnly);
    return res.compositeResponse;
  }

  /** sObject Collections: https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections.htm */
  collection(method: 'POST' | 'PATCH', path: string, records: Record<string, unknown>[]): Promise<SaveResult[]> {
    const body = collectionBody(records);
    const what = `${method === 'POST' ? 'creating' : 'saving'} ${records.length} records`;
    return this.call(what, (c) => (method === 'POST' ? c.requestPost<SaveResult[]>(path, body) : c.requestPatch<SaveResult[]>(path, body)), method === 'PATCH');
  }

  /** https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_delete.htm */
  deleteRecords(ids: readonly string[]): Promise<SaveResult[]> {
    return this.call(`deleting ${ids.length} records`, (c) => c.request<SaveResult[]>({ method: 'DELETE', url: collectionDeletePath(ids) }), true);
  }

  /** https://developer.salesforce.com/docs/atlas.en-us.api_tooling.meta/api_tooling/intro_rest_resources.htm */
  toolingQuery<T>(soql: string): Promise<QueryResult<T>> {
    return this.call('a Tooling API query', (c) => c.request<QueryResult<T>>({ method: 'GET', url: `/tooling/query?q=${encodeURIComponent(soql)}` }));
  }

  toolingCreate(type: 'CustomField' | 'CustomObject', body: Record<string, unknown>): Promise<{ id: string; success: boolean }> {
    return this.call(`creating ${type} ${String(body.FullName)}`, (c) => c.requestPost<{ id: string; success: boolean }>(`/tooling/sobjects/${type}`, body));
  }

  /** Replaces a custom field's whole Metadata (setup adds picklist values); sent twice, the same field. */
  toolingUpdate(type: 'CustomField', id: string, body: Record<string, unknown>): Promise<unknown> {
    return this.call(`updating ${type} ${String(body.FullName)}`, (c) => c.requestPatch(`/tooling/sobjects/${type}/${id}`, body), true);
  }

  /** https://developer.salesforce.com/docs/atlas.en-us.uiapi.meta/uiapi/ui_api_resources_lists_object_post.htm */
  createListView(objectApiName: string, listInfo: object): Promise<unknown> {
    return this.call(`creating a list view on ${objectApiName}`, (c) => c.requestPost(`/ui-api/list-info/${objectApiName}`, listInfo));
  }

  /** https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_describe.htm */
  describe(type: string): Promise<{ createable: boolean; updateable: boolean; fields: { name: string; label?: string; inlineHelpText?: string | null; updateable: boolean; createable: boolean; type: string; picklistValues?: { value: string; active?: boolean }[] }[] }> {
    return this.call(`describing ${type}`, (c) => c.request({ method: 'GET', url: `/sobjects/${type}/describe` }));
  }

  /** https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_getdeleted.htm */
  deleted(type: string, startIso: string, endIso: string): Promise<{ deletedRecords: { id: string; deletedDate: string }[]; latestDateCovered: string; earliestDateAvailable: string }> {
    // Salesforce's documented format: 2013-05-05T00:00:00+00:00 (UTC, whole seconds).
    const fmt = (iso: string) => encodeURIComponent(new Date(iso).toISOString().replace(/\.\d{3}Z$/, '+00:00'));
    return this.call(`reading deleted ${type} records`, (c) => c.request({ method: 'GET', url: `/sobjects/${type}/deleted/?start=${fmt(startIso)}&end=${fmt(endIso)}` }));
  }

  /** https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_limits.htm */
  limits(): Promise<{ DailyApiRequests?: { Max: number; Remaining: number } }> {
    return this.call('reading API limits', (c) => c.request({ method: 'GET', url: '/limits' }));
  }
}
