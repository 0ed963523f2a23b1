/**
 * Collection reads: `$select`, `$filter`, `$orderby`, `$top`, `$expand`, `$count`, paging with
 * `Prefer: odata.maxpagesize` and `@odata.nextLink` (`$skiptoken`), and change tracking with
 * `Prefer: odata.track-changes` (change-tracking.ts).
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/page-results
 */
import { CODES, DataverseError, ODATA_HEADERS, type ApiRequest, type ApiResponse } from './api-types.js';
import { trackChanges } from './change-tracking.js';
import { annotateLookups, annotationsPreference, annotationsWanted, totalRecordCount } from './annotations.js';
import { checkSelect, expandRows, parseExpand, rowFormatter, wireColumns } from './format.js';
import { candidateIds } from './filter-plan.js';
import { compareOrderKeys, orderKey } from './order-keys.js';
import { checkOperandTypes } from './filter-types.js';
import { evaluateFilter, filterProperties, FilterSyntaxError, parseFilter, type FilterNode } from './odata-filter.js';
import { contextOf, decodeCookie, encodeCookie, isTrackingCookie, linkWith } from './paging-links.js';
import { MAX_PAGE_SIZE, type DataverseStore, type Row, type TableState } from './store.js';

export interface Preferences {
  maxPageSize?: number;
  trackChanges: boolean;
  returnRepresentation: boolean;
  continueOnError: boolean;
  /** `odata.include-annotations=…`: formatted values and the like, which may come from other rows. */
  includeAnnotations: boolean;
}

export function parsePrefer(header: string | undefined): Preferences {
  const prefs: Preferences = { trackChanges: false, returnRepresentation: false, continueOnError: false, includeAnnotations: false };
  for (const raw of (header ?? '').split(',')) {
    const part = raw.trim();
    const size = /^odata\.maxpagesize=(\d+)$/i.exec(part);
    if (size) prefs.maxPageSize = Number(size[1]);
    if (/^odata\.track-changes$/i.test(part)) prefs.trackChanges = true;
    if (/^return=representation$/i.test(part)) prefs.returnRepresentation = true;
    if (/^odata\.continue-on-error$/i.test(part)) prefs.continueOnError = true;
    if (/^odata\.include-annotations=/i.test(part)) prefs.includeAnnotations = true;
  }
  return prefs;
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
  checkOperandTypes(node, state.def, (name) => known.get(name));
  return node;
}

/** Restricts a read to the rows whose lookup points at one parent (a collection-valued navigation property). */
export interface Scope {
  column: string;
  equals: string;
}

export function queryCollection(store: DataverseStore, state: TableState, req: ApiRequest, scope?: Scope): ApiResponse {
  if (req.query.has('$skip')) throw new DataverseError(400, CODES.queryOption, 'The query parameter $skip is not supported.');
  const prefs = parsePrefer(req.headers.prefer);
  const tracking = prefs.trackChanges || req.query.has('$deltatoken') || isTrackingCookie(req.query.get('$skiptoken'));
  const select = req.query.get('$select')?.split(',').map((s) => s.trim());
  checkSelect(state.def, select);
  if (tracking) return trackChanges(store, state, req, select, prefs);

  const filter = parseFilterOption(req.query.get('$filter'), state);
  const order = [...parseOrderBy(req.query.get('$orderby'), state), { name: state.def.key, desc: false }];
  const expand = parseExpand(req.query.get('$expand'));
  const top = req.query.has('$top') ? Number(req.query.get('$top')) : undefined;
  const pageSize = Math.min(store.pageLimit, top ?? prefs.maxPageSize ?? store.pageLimit);

  const keyOf = (row: Row) => order.map((o) => row[o.name] ?? null);
  const desc = order.map((o) => o.desc);
  let rows = candidateRows(state, filter, scope).filter((row) => (!scope || row[scope.column] === scope.equals) && (!filter || evaluateFilter(filter, row)));
  const count = rows.length;
  const skiptoken = req.query.get('$skiptoken');
  const cookie = skiptoken ? decodeCookie(skiptoken) : { page: 1 };
  // Each row's sort key made once, its text lower-cased once (order-keys.ts), and the rows past the page
  // already served left out before sorting: a later page of a large read sorts only what is left.
  let entries = rows.map((row) => ({ row, key: orderKey(keyOf(row)) }));
  if (cookie.last) {
    const after = orderKey(cookie.last);
    entries = entries.filter((entry) => compareOrderKeys(entry.key, after, desc) > 0);
  }
  rows = entries.sort((a, b) => compareOrderKeys(a.key, b.key, desc)).map((entry) => entry.row);
  const page = rows.slice(0, pageSize);
  const formatted = page.map(rowFormatter(state.def, select));
  expandRows(store, state, page, formatted, expand);
  const wanted = annotationsWanted(req.headers.prefer);
  if (wanted) annotateLookups(store, state.def, page, formatted, wanted);

  const body: Record<string, unknown> = { '@odata.context': contextOf(req, state, select) };
  if (req.query.get('$count') === 'true') body['@odata.count'] = Math.min(count, MAX_PAGE_SIZE);
  if (wanted) Object.assign(body, totalRecordCount(wanted, req.query.get('$count') === 'true' ? count : undefined, MAX_PAGE_SIZE));
  body.value = formatted;
  const headers: Record<string, string> = { ...ODATA_HEADERS };
  const applied = [...(wanted ? [annotationsPreference(req.headers.prefer)] : []), ...(prefs.maxPageSize !== undefined ? [`odata.maxpagesize=${pageSize}`] : [])];
  if (applied.length) headers['Preference-Applied'] = applied.join(',');
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
