/**
 * Change tracking on a collection: `Prefer: odata.track-changes`, the initial listing in pages, the
 * `@odata.deltaLink` on its last page, and delta listings (changed rows by version, then `$deletedEntity`
 * rows). https://learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems
 *
 * What the documents say about rows that change while a listing is paged, and what they leave open (the
 * sandbox's README, "Change tracking while a listing is paged", quotes them):
 * - Dataverse returns "new or updated records first (sorted by version number) followed by deleted
 *   records", and its paging "is dynamic. Each request is evaluated independently as they're received":
 *   the default here, `pages: 'dynamic'`, lists a row changed after the first page again on a later page.
 * - Which version the delta token holds — the one current when the first page was asked, or when the
 *   last page was — no page says (UNVERIFIED). OData requires only that the next delta "return all changes
 *   subsequent to the last change of the previous delta link" and lets it return more. The default,
 *   `token: 'first-page'`, is the reading that can hide nothing: a row changed while the listing was
 *   paged is listed again by the next delta.
 * `pages: 'snapshot'` (a listing bounded at its first page's version) is the other reading a client must
 * survive; with `token: 'last-page'` it would lose every row changed while paging, so it is refused.
 */
import { DAY_MS } from '../common/clock.js';
import { CODES, DataverseError, ODATA_HEADERS, type ApiRequest, type ApiResponse } from './api-types.js';
import { rowFormatter } from './format.js';
import { contextOf, decodeCookie, deltaToken, encodeCookie, linkWith, parseDeltaToken, type PageCookie } from './paging-links.js';
import type { Preferences } from './query.js';
import type { DataverseStore, Row, TableState } from './store.js';

export const CHANGE_TRACKING_DAYS = 7;

type Item = { row?: Row; deletedId?: string; version: number };

/** Where this request's listing starts: a continued page, a delta link, or the initial listing. */
function startingCookie(store: DataverseStore, req: ApiRequest): PageCookie {
  const skiptoken = req.query.get('$skiptoken');
  if (skiptoken) return decodeCookie(skiptoken);
  const deltaParam = req.query.get('$deltatoken');
  if (!deltaParam) return { base: null, snap: store.version, phase: 'rows', after: 0, page: 1 };
  const token = parseDeltaToken(deltaParam);
  if (store.clock.now().getTime() - token.issuedMs > CHANGE_TRACKING_DAYS * DAY_MS) {
    throw new DataverseError(400, CODES.expiredVersionStamp, 'Version stamp associated with the client has expired. Please perform a full sync.');
  }
  return { base: token.version, snap: store.version, phase: 'rows', after: token.version, page: 1 };
}

/** Up to `limit` + 1 items after the cookie's place: changed rows by version, then (on a delta) deletions. */
function itemsAfter(state: TableState, cookie: PageCookie, limit: number, upTo: number): Item[] {
  const items: Item[] = [];
  if (cookie.phase === 'rows') {
    for (const id of state.index.changedAfter(cookie.after ?? 0, limit + 1)) {
      const row = state.rows.get(id)!;
      const version = Number(row.versionnumber);
      if (version > upTo) break;
      items.push({ row, version });
    }
  }
  if (cookie.base !== null && cookie.base !== undefined && items.length <= limit) {
    const after = cookie.phase === 'deleted' ? cookie.after ?? 0 : cookie.base;
    const deleted = state.deleted.filter((d) => d.version > after && d.version > cookie.base! && d.version <= upTo).sort((a, b) => a.version - b.version);
    for (const d of deleted.slice(0, limit + 1)) items.push({ deletedId: d.id, version: d.version });
  }
  return items;
}

/**
 * `Preference-Applied` as OData and the documented answers have it: `odata.track-changes` on the first
 * page of a response that asked for it (never on a next link, whose track-changes preference "MUST" be
 * ignored; the documented delta request sends no `Prefer` and gets none back), `odata.maxpagesize` on
 * every page that asked for it.
 */
function preferenceApplied(req: ApiRequest, prefs: Preferences, pageSize: number): Record<string, string> {
  const applied = [
    ...(prefs.trackChanges && !req.query.has('$skiptoken') ? ['odata.track-changes'] : []),
    ...(prefs.maxPageSize !== undefined ? [`odata.maxpagesize=${pageSize}`] : []),
  ];
  return applied.length ? { 'Preference-Applied': applied.join(',') } : {};
}

export function trackChanges(store: DataverseStore, state: TableState, req: ApiRequest, select: string[] | undefined, prefs: Preferences): ApiResponse {
  for (const option of ['$filter', '$orderby', '$expand', '$top']) {
    if (req.query.has(option)) throw new DataverseError(400, CODES.queryOption, `The "${option}" query parameter isn't supported when Change Tracking is enabled.`);
  }
  if (!state.def.changeTracking) {
    throw new DataverseError(400, CODES.invalidArgument, `Change tracking is not enabled for the entity '${state.def.logicalName}'.`);
  }
  const reading = store.changeTracking;
  const cookie = startingCookie(store, req);
  const snap = cookie.snap ?? store.version;
  const pageSize = Math.min(store.pageLimit, prefs.maxPageSize ?? store.pageLimit);
  const items = itemsAfter(state, cookie, pageSize, reading.pages === 'snapshot' ? snap : Number.POSITIVE_INFINITY);
  const page = items.slice(0, pageSize);
  // Once a dynamic listing finds no changed row left after its place, it has listed every row, at its
  // current version, up to the organisation's version now: a last-page token may start there.
  const rowsExhausted = cookie.phase === 'rows' && items.filter((item) => item.row).length <= pageSize;
  const listedTo = rowsExhausted ? store.version : cookie.listedTo;
  const format = rowFormatter(state.def, select);
  const value = page.map((item) =>
    item.row
      ? format(item.row)
      : { '@odata.context': `${req.serviceRoot}$metadata#${state.def.entitySet}/$deletedEntity`, id: item.deletedId, reason: 'deleted' },
  );
  const body: Record<string, unknown> = { '@odata.context': contextOf(req, state, select, cookie.base === null ? '' : '/$delta'), value };
  if (items.length > pageSize) {
    const last = page[page.length - 1]!;
    const next: PageCookie = { ...cookie, phase: last.row ? 'rows' : 'deleted', after: last.version, page: cookie.page + 1, ...(listedTo === undefined ? {} : { listedTo }) };
    body['@odata.nextLink'] = linkWith(req, state, { $skiptoken: encodeCookie(next, true) });
  } else {
    const version = reading.token === 'last-page' ? listedTo ?? store.version : snap;
    body['@odata.deltaLink'] = linkWith(req, state, { $deltatoken: deltaToken(version, store.clock.now()) });
  }
  return { status: 200, headers: { ...ODATA_HEADERS, ...preferenceApplied(req, prefs, pageSize) }, body };
}
