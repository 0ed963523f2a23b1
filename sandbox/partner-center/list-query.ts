/**
 * The OData query options of `GET /v1.0/engagements/referrals` (partner-center-api.md §1.5): `$filter`,
 * `$orderby` (createdDateTime or updatedDateTime, asc/desc; ties broken by id), `$top`, `$skip`,
 * `$select`, `$count`, and server-driven paging in pages of 100 through `@odata.nextLink` with a
 * `$skiptoken`. The skiptoken is a keyset position (sort value + id), so referrals created or changed
 * while a client pages do not shift the pages it has not read yet.
 */
import { REFERRAL_PROPERTY_NAMES, type WireReferral as ApiReferral } from './wire/types.js';
import { fail, ok, type Result } from './failures.js';
import { parseFilter, type FilterNode } from './odata/parser.js';
import { FilterSyntaxError } from './odata/tokenizer.js';

export const PAGE_SIZE = 100;
export const REFERRAL_PROPERTIES: ReadonlySet<string> = new Set(REFERRAL_PROPERTY_NAMES);
const ORDERABLE = new Set(['createdDateTime', 'updatedDateTime']);

export interface SkipToken {
  /** Sort value and id of the last referral served. */
  k: string;
  id: string;
  /** What is left of `$top`, when one was given. */
  n?: number;
}

export interface ListQuery {
  filterText?: string;
  filter?: FilterNode;
  orderBy: { field: 'createdDateTime' | 'updatedDateTime'; desc: boolean };
  top?: number;
  skip: number;
  select?: string[];
  count: boolean;
  skiptoken?: SkipToken;
}

const bad = <T>(message: string, target: string): Result<T> => fail(400, 'invalidRequest', message, target, { code: 'invalidQueryOption', message, target });

function parseInteger(value: string | null, name: string, min: number): Result<number | undefined> {
  if (value === null) return ok(undefined);
  if (!/^\d+$/.test(value.trim()) || Number(value) < min) return bad(`${name} must be an integer of at least ${min}.`, name);
  return ok(Number(value));
}

export function parseListQuery(params: URLSearchParams): Result<ListQuery> {
  const known = new Set(['$filter', '$orderby', '$top', '$skip', '$select', '$count', '$skiptoken', '$expand']);
  for (const key of params.keys()) if (key.startsWith('$') && !known.has(key)) return bad(`The query option ${key} is not supported.`, key);
  if (params.get('$expand')) return bad('$expand is not supported by the sandbox.', '$expand');

  const query: ListQuery = { orderBy: { field: 'createdDateTime', desc: false }, skip: 0, count: params.get('$count')?.toLowerCase() === 'true' };
  const filterText = params.get('$filter');
  if (filterText !== null && filterText.trim() !== '') {
    try {
      query.filter = parseFilter(filterText, REFERRAL_PROPERTIES);
      query.filterText = filterText;
    } catch (error) {
      if (error instanceof FilterSyntaxError) return bad(error.message, '$filter');
      throw error;
    }
  }
  const orderby = params.get('$orderby');
  if (orderby !== null && orderby.trim() !== '') {
    const m = /^\s*(\w+)(?:\s+(asc|desc))?\s*$/i.exec(orderby);
    if (!m || !ORDERABLE.has(m[1] as string)) return bad(`$orderby supports createdDateTime or updatedDateTime, asc or desc; got "${orderby}".`, '$orderby');
    query.orderBy = { field: m[1] as 'createdDateTime', desc: (m[2] ?? 'asc').toLowerCase() === 'desc' };
  }
  const top = parseInteger(params.get('$top'), '$top', 1);
  if (!top.ok) return top;
  if (top.value !== undefined) query.top = top.value;
  const skip = parseInteger(params.get('$skip'), '$skip', 0);
  if (!skip.ok) return skip;
  query.skip = skip.value ?? 0;
  const select = params.get('$select');
  if (select !== null && select.trim() !== '') {
    const fields = select.split(',').map((f) => f.trim());
    const unknown = fields.find((f) => !REFERRAL_PROPERTIES.has(f));
    if (unknown !== undefined) return bad(`$select names an unknown property "${unknown}".`, '$select');
    query.select = fields;
  }
  const token = params.get('$skiptoken');
  if (token !== null) {
    try {
      const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as SkipToken;
      if (typeof decoded.k !== 'string' || typeof decoded.id !== 'string') throw new Error('shape');
      query.skiptoken = decoded;
      if (decoded.n !== undefined) query.top = decoded.n;
    } catch {
      return bad('The $skiptoken is not valid; follow @odata.nextLink as given.', '$skiptoken');
    }
  }
  return ok(query);
}

export function encodeSkipToken(token: SkipToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

export function sortKey(referral: ApiReferral, field: ListQuery['orderBy']['field']): string {
  return String(referral[field] ?? '');
}

/** Compares two referrals in the query's order; `id` breaks ties so the order is total. */
export function comparator(orderBy: ListQuery['orderBy']): (a: ApiReferral, b: ApiReferral) => number {
  const sign = orderBy.desc ? -1 : 1;
  return (a, b) => {
    const ka = Date.parse(sortKey(a, orderBy.field)) || 0;
    const kb = Date.parse(sortKey(b, orderBy.field)) || 0;
    if (ka !== kb) return (ka - kb) * sign;
    const ia = a.id ?? '';
    const ib = b.id ?? '';
    return (ia < ib ? -1 : ia > ib ? 1 : 0) * sign;
  };
}

/**
 * `referrals` in the query's order, as `comparator` orders them, with each sort key parsed once: sorting
 * 50,000 referrals through `comparator` parsed two ISO dates per comparison, about 1.6 million parses.
 */
export function sortReferrals(referrals: ApiReferral[], orderBy: ListQuery['orderBy']): ApiReferral[] {
  const sign = orderBy.desc ? -1 : 1;
  const keyed = referrals.map((r) => ({ r, k: Date.parse(sortKey(r, orderBy.field)) || 0, id: r.id ?? '' }));
  keyed.sort((a, b) => (a.k !== b.k ? (a.k - b.k) * sign : (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) * sign));
  return keyed.map((e) => e.r);
}

/** Index of the first referral after the skiptoken's position in a sorted list (binary search). */
export function indexAfter(sorted: readonly ApiReferral[], token: SkipToken, orderBy: ListQuery['orderBy']): number {
  const compare = comparator(orderBy);
  const probe = { [orderBy.field]: token.k, id: token.id } as ApiReferral;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(sorted[mid] as ApiReferral, probe) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function project(referral: ApiReferral, select: string[] | undefined): Record<string, unknown> {
  if (!select) return referral;
  const record = referral as Record<string, unknown>;
  return Object.fromEntries(select.filter((f) => f in record).map((f) => [f, record[f]]));
}
