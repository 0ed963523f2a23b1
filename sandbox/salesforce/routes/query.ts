/**
 * Query, QueryAll and Query More:
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_queryall.htm
 * Pages hold at most 2,000 rows (or the `Sforce-Query-Options: batchSize=N` asked for, 200..2000), child
 * rows of subqueries included, and at most 200 when the statement selects two or more custom long text
 * fields (query-pages.ts).
 */
import type { ServerResponse } from 'node:http';
import type { SandboxRequest } from '../../common/http.js';
import { internalRequests, type SfContext } from '../context.js';
import { locatedInQuery, malformedQuery, SfFault } from '../errors.js';
import { openCursor, page } from '../query-pages.js';
import { compile, parseSoql, type QuerySource } from '../soql.js';
import { sendSf } from '../wire.js';
import { binnedRows } from '../recycle-bin.js';

export const MAX_PAGE = 2000;

export function orgSource(ctx: SfContext, version: string): QuerySource {
  return {
    object: (name) => ctx.store.object(name),
    rows: (def) => ctx.store.all(def.name),
    reach: (def, access) => ctx.store.reach(def.name, access),
    estimate: (def, access) => ctx.store.estimate(def.name, access),
    get: (type, id) => ctx.store.get(type, id),
    hidden: (def, field) => ctx.store.hidden(def, field),
    allObjects: () => ctx.store.objects.values(),
    urlBase: `/services/data/${version}/sobjects`,
    nowMs: ctx.clock.nowMs(),
  };
}

function pageSizeOf(req: SandboxRequest): number {
  const m = /batchSize=(\d+)/i.exec(req.headers['sforce-query-options'] ?? '');
  return m ? Math.min(MAX_PAGE, Math.max(200, Number(m[1]))) : MAX_PAGE;
}

/**
 * "Maximum length of SOQL statements: by default, 100,000 characters" (SOQL and SOSL Limits for Search Queries).
 * https://developer.salesforce.com/docs/atlas.en-us.salesforce_app_limits_cheatsheet.meta/salesforce_app_limits_cheatsheet/salesforce_app_limits_platform_soslsoql.htm
 * UNVERIFIED: the message, worded after the one older orgs gave at their 20,000-character limit.
 */
export const MAX_SOQL_LENGTH = 100_000;

export function runSoql(ctx: SfContext, source: QuerySource, version: string, soql: string, pageSize: number): { type: string; body: Record<string, unknown> } {
  if (!soql.trim()) throw malformedQuery('A query string has to be specified');
  if (soql.length > MAX_SOQL_LENGTH) throw malformedQuery(`SOQL statements cannot be longer than ${MAX_SOQL_LENGTH} characters`);
  let query: ReturnType<typeof compile>;
  try {
    query = compile(source, parseSoql(soql));
  } catch (error) {
    throw error instanceof SfFault ? locatedInQuery(soql, error) : error;
  }
  if (query.count) return { type: query.def.name, body: { totalSize: query.rows.length, done: true, records: [] } };
  return { type: query.def.name, body: page(ctx, version, query, 0, pageSize) };
}

/** What `queryAll` searches: the org's rows and the Recycle Bin's (recycle-bin.ts). */
export function recycleBinSource(ctx: SfContext, version: string): QuerySource {
  const org = orgSource(ctx, version);
  return {
    ...org,
    rows: (def) => [...org.rows(def), ...binnedRows(ctx.store, def.name)],
    reach: (def, access) => [...org.reach!(def, access), ...binnedRows(ctx.store, def.name)],
  };
}

/** Query, or (`all`) QueryAll. */
export function queryHandler(ctx: SfContext, all = false) {
  return (req: SandboxRequest, res: ServerResponse): void => {
    const version = req.params.version!;
    const source = all ? recycleBinSource(ctx, version) : orgSource(ctx, version);
    const { type, body } = runSoql(ctx, source, version, req.query.get('q') ?? '', pageSizeOf(req));
    ctx.counters.hit(`${internalRequests.has(req) ? 'composite.' : ''}query:${type}`);
    sendSf(res, 200, body);
  };
}

export function queryMoreHandler(ctx: SfContext) {
  return (req: SandboxRequest, res: ServerResponse): void => {
    const version = req.params.version!;
    const m = /^(.+)-(\d+)$/.exec(req.params.locator ?? '');
    const cursor = openCursor(ctx, m?.[1]);
    ctx.counters.hit(`${internalRequests.has(req) ? 'composite.' : ''}query:${cursor.query.def.name}`);
    sendSf(res, 200, page(ctx, version, cursor.query, Number(m![2]), cursor.pageSize, { id: m![1]!, expiresAtMs: cursor.expiresAtMs }));
  };
}
