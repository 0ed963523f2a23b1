/**
 * Collection reads: `$select`, `$filter`, `$orderby`, `$top`, `$expand`, `$count`, paging with
 * `Prefer: odata.maxpagesize` and `@odata.nextLink` (`$skiptoken`), and change tracking with
 * `Prefer: odata.track-changes`, delta links and `$deletedEntity` rows.
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/page-results
 * https://learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems
 */
import { DAY_MS } from '../common/clock.js';
import { CODES, DataverseError, ODATA_HEADERS, type ApiRequest, type ApiResponse } from './api-types.js';
import { checkSelect, expandRows, formatRow, parseExpand, wireColumns } from './format.js';
import { candidateIds } from './filter-plan.js';
import { evaluateFilter, filterProperties, FilterSyntaxError, parseFilter, type FilterNode } from './odata-filter.js';
import type { DataverseStore, Row, TableState } from './store.js';

export const MAX_PAGE_SIZE = 5000;
export const CHANGE_TRACKING_DAYS = 7;

export interface Preferences {
  maxPageSize?: number;
  trackChanges: boolean;
  returnRepresentation: boolean;
  continueOnError: boolean;
}

export function parsePrefer(header: string | undefined): Preferences {
  const prefs: Preferences = { trackChanges: false, returnRepresentation: false, continueOnError: false };
  for (const raw of (header ?? '').split(',')) {
    const part = raw.trim();
    const size = /^odata\.maxpagesize=(\d+)$/i.exec(part);
    if (size) prefs.maxPageSize = Number(size[1]);
    if (/^odata\.track-changes$/i.test(part)) prefs.trackChanges = true;
    if (/^return=representation$/i.test(part)) prefs.returnRepresentation = true;
    if (/^odata\.continue-on-error$/i.test(part)) prefs.continueOnError = true;
  }
  return prefs;
}

interface PageCookie {
  /** Sort values of the last row served, then its key. */
  last?: unknown[];
  /** Change tracking: the version the delta is relative to (null on the initial sync). */
  base?: number | null;
  snap?: number;
  phase?: 'rows' | 'deleted';
  after?: number;
  page: number;
}

function encodeCookie(cookie: PageCookie, tracking: boolean): string {
  const inner = Buffer.from(JSON.stringify(cookie)).toString('base64url');
  return `<cookie pagenumber="${cookie.page}" pagingcookie="${inner}" istracking="${tracking ? 'True' : 'False'}" />`;
}

function decodeCookie(token: string): PageCookie {
  const m = /pagingcookie="([^"]*)"/.exec(token);
  try {
    return JSON.parse(Buffer.from(m?.[1] ?? '', 'base64url').toString('utf8')) as PageCookie;
  } catch {
    throw new DataverseError(400, CODES.invalidArgument, 'The $skiptoken value is not valid.');
  }
}

const pad = (n: number) => String(n).padStart(2, '0');
/** Dataverse delta tokens look like `919042!08/22/2017 08:10:44` (version, then UTC time). */
function deltaToken(version: number, at: Date): string {
  return `${version}!${pad(at.getUTCMonth() + 1)}/${pad(at.getUTCDate())}/${at.getUTCFullYear()} ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}`;
}

function parseDeltaToken(token: string): { version: number; issuedMs: number } {
  const m = /^(\d+)!(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2}):(\d{2})$/.exec(token);
  if (!m) throw new DataverseError(400, CODES.invalidArgument, 'The $deltatoken value is not valid.');
  const [, v, mo, d, y, h, mi, s] = m.map(Number) as number[];
  return { version: v!, issuedMs: Date.UTC(y!, mo! - 1, d!, h, mi, s) };
}

function parseOrderBy(text: string | null, state: TableState): { name: string; desc: boolean }[] {
  if (!text) return [];
  const known = wireColumns(state.def);
  return text.split(',').map((part) => {
    const [name = '', dir = 'asc'] = part.trim().split(/\s+/);
    if (!known.has(name)) throw new DataverseError(400, CODES.propertyNotFound, `Could not find a property named '${name}' on type 'Microsoft.Dynamics.CRM.${state.def.logicalName}'.`);
    return { name, desc: dir.toLowerCase() === 'desc' };
  });
}

function compareTuples(a: unknown[], b: unknown[], desc: boolean[]): number {
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === null || x === undefined) return desc[i] ? 1 : -1;
    if (y === null || y === undefined) return desc[i] ? -1 : 1;
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).toLowerCase() < String(y).toLowerCase() ? -1 : String(x).toLowerCase() > String(y).toLowerCase() ? 1 : 0;
    if (c !== 0) return desc[i] ? -c : c;
  }
  return 0;
}

function parseFilterOption(text: string | null, state: TableState): FilterNode | undefined {
  if (!text) return undefined;
  let node: FilterNode;
  try {
    node = parseFilter(text);
  } catch (error) {
    if (error instanceof FilterSyntaxError) throw new DataverseError(400, CODES.queryOption, `Syntax error in $filter: ${error.message}`);
    throw error;
  }
  const known = wireColumns(state.def);
  for (const name of filterProperties(node)) {
    if (!known.has(name)) throw new DataverseError(400, CODES.propertyNotFound, `Could not find a property named '${name}' on type 'Microsoft.Dynamics.CRM.${state.def.logicalName}'.`);
  }
  return node;
}

function linkWith(req: ApiRequest, state: TableState, replace: Record<string, string>): string {
  const params = new URLSearchParams(req.query);
  for (const key of ['$skiptoken', '$deltatoken']) params.delete(key);
  for (const [k, v] of Object.entries(replace)) params.set(k, v);
  const query = [...params.entries()].map(([k, v]) => `${k}=${encodeURIComponent(v).replace(/!/g, '%21').replace(/%2C/g, ',')}`).join('&');
  return `${req.serviceRoot}${state.def.entitySet}?${query}`;
}

function contextOf(req: ApiRequest, state: TableState, select: string[] | undefined, suffix = ''): string {
  return `${req.serviceRoot}$metadata#${state.def.entitySet}${select ? `(${select.join(',')})` : ''}${suffix}`;
}

/** Restricts a read to the rows whose lookup points at one parent (a collection-valued navigation property). */
export interface Scope {
  column: string;
  equals: string;
}

export function queryCollection(store: DataverseStore, state: TableState, req: ApiRequest, scope?: Scope): ApiResponse {
  if (req.query.has('$skip')) throw new DataverseError(400, CODES.queryOption, 'The query parameter $skip is not supported.');
  const prefs = parsePrefer(req.headers.prefer);
  const tracking = prefs.trackChanges || req.query.has('$deltatoken') || /istracking="True"/.test(req.query.get('$skiptoken') ?? '');
  const select = req.query.get('$select')?.split(',').map((s) => s.trim());
  checkSelect(state.def, select);
  if (tracking) return trackChanges(store, state, req, select, prefs);

  const filter = parseFilterOption(req.query.get('$filter'), state);
  const order = [...parseOrderBy(req.query.get('$orderby'), state), { name: state.def.key, desc: false }];
  const expand = parseExpand(req.query.get('$expand'));
  const top = req.query.has('$top') ? Number(req.query.get('$top')) : undefined;
  const pageSize = Math.min(MAX_PAGE_SIZE, top ?? prefs.maxPageSize ?? MAX_PAGE_SIZE);

  const keyOf = (row: Row) => order.map((o) => row[o.name] ?? null);
  const desc = order.map((o) => o.desc);
  let rows = candidateRows(state, filter, scope).filter((row) => (!scope || row[scope.column] === scope.equals) && (!filter || evaluateFilter(filter, row)));
  const count = rows.length;
  const skiptoken = req.query.get('$skiptoken');
  const cookie = skiptoken ? decodeCookie(skiptoken) : { page: 1 };
  // Past the page already served before sorting, and each row's sort key made once: a later page of a
  // large read sorts only what is left.
  if (cookie.last) rows = rows.filter((row) => compareTuples(keyOf(row), cookie.last!, desc) > 0);
  rows = rows.map((row) => ({ row, key: keyOf(row) })).sort((a, b) => compareTuples(a.key, b.key, desc)).map((entry) => entry.row);
  const page = rows.slice(0, pageSize);
  const formatted = page.map((row) => formatRow(state.def, row, select));
  expandRows(store, state, page, formatted, expand);

  const body: Record<string, unknown> = { '@odata.context': contextOf(req, state, select) };
  if (req.query.get('$count') === 'true') body['@odata.count'] = Math.min(count, MAX_PAGE_SIZE);
  body.value = formatted;
  const headers: Record<string, string> = { ...ODATA_HEADERS };
  if (prefs.maxPageSize !== undefined) headers['Preference-Applied'] = `odata.maxpagesize=${pageSize}`;
  if (top === undefined && rows.length > pageSize) {
    const last = page[page.length - 1]!;
    body['@odata.nextLink'] = linkWith(req, state, { $skiptoken: encodeCookie({ last: keyOf(last), page: cookie.page + 1 }, false) });
  }
  return { status: 200, headers, body };
}

/** The rows a query looks at: those its scope and filter can match through the table's indexes, or all. */
function candidateRows(state: TableState, filter: FilterNode | undefined, scope: Scope | undefined): Row[] {
  const ids = (scope && state.index.withValue(scope.column, scope.equals)) ?? (filter && candidateIds(filter, state.index));
  return ids ? state.index.inTableOrder(ids) : [...state.rows.values()];
}

function trackChanges(store: DataverseStore, state: TableState, req: ApiRequest, select: string[] | undefined, prefs: Preferences): ApiResponse {
  for (const option of ['$filter', '$orderby', '$expand', '$top']) {
    if (req.query.has(option)) throw new DataverseError(400, CODES.queryOption, `The "${option}" query parameter isn't supported when Change Tracking is enabled.`);
  }
  if (!state.def.changeTracking) {
    throw new DataverseError(400, CODES.invalidArgument, `Change tracking is not enabled for the entity '${state.def.logicalName}'.`);
  }
  const now = store.clock.now();
  const skiptoken = req.query.get('$skiptoken');
  const deltaParam = req.query.get('$deltatoken');
  let cookie: PageCookie;
  if (skiptoken) cookie = decodeCookie(skiptoken);
  else if (deltaParam) {
    const token = parseDeltaToken(deltaParam);
    if (now.getTime() - token.issuedMs > CHANGE_TRACKING_DAYS * DAY_MS) {
      throw new DataverseError(400, CODES.expiredVersionStamp, 'Version stamp associated with the client has expired. Please perform a full sync.');
    }
    cookie = { base: token.version, snap: store.version, phase: 'rows', after: token.version, page: 1 };
  } else cookie = { base: null, snap: store.version, phase: 'rows', after: 0, page: 1 };

  const pageSize = Math.min(MAX_PAGE_SIZE, prefs.maxPageSize ?? MAX_PAGE_SIZE);
  const items: { row?: Row; deletedId?: string; version: number }[] = [];
  if (cookie.phase === 'rows') {
    for (const id of state.index.changedAfter(cookie.after ?? 0, pageSize + 1)) {
      const row = state.rows.get(id)!;
      items.push({ row, version: Number(row.versionnumber) });
    }
  }
  if (cookie.base !== null && cookie.base !== undefined && items.length <= pageSize) {
    const after = cookie.phase === 'deleted' ? cookie.after ?? 0 : cookie.base;
    const deleted = state.deleted.filter((d) => d.version > after && d.version > cookie.base!).sort((a, b) => a.version - b.version);
    for (const d of deleted.slice(0, pageSize + 1)) items.push({ deletedId: d.id, version: d.version });
  }
  const page = items.slice(0, pageSize);
  const value = page.map((item) =>
    item.row
      ? formatRow(state.def, item.row, select)
      : { '@odata.context': `${req.serviceRoot}$metadata#${state.def.entitySet}/$deletedEntity`, id: item.deletedId, reason: 'deleted' },
  );
  const body: Record<string, unknown> = { '@odata.context': contextOf(req, state, select, cookie.base === null ? '' : '/$delta'), value };
  const headers: Record<string, string> = { ...ODATA_HEADERS, 'Preference-Applied': `odata.track-changes${prefs.maxPageSize ? `,odata.maxpagesize=${pageSize}` : ''}` };
  if (items.length > pageSize) {
    const last = page[page.length - 1]!;
    const next: PageCookie = { ...cookie, phase: last.row ? 'rows' : 'deleted', after: last.version, page: cookie.page + 1 };
    body['@odata.nextLink'] = linkWith(req, state, { $skiptoken: encodeCookie(next, true) });
  } else {
    body['@odata.deltaLink'] = linkWith(req, state, { $deltatoken: deltaToken(cookie.snap ?? store.version, now) });
  }
  return { status: 200, headers, body };
}
