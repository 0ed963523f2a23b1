/**
 * The referral endpoints in the API's own JSON: create, get, list (paged), patch, and lookup by
 * `externalReferenceId`. Canonical mapping happens one layer up (`client.ts`), so the retry lookups here
 * can work on raw JSON without mapping anything twice.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { ConflictError, ConnectorError } from '../../core/errors.js';
import { odataStringLiteral } from '../odata.js';
import { isApiReferralPage } from './api-checks.js';
import { apiReferralPageSchema, type ApiReferral, type ApiReferralPage, type JsonPatchOp } from './api-types.js';
import { buildQuery, type HttpResult, type PartnerCenterHttp } from './http.js';
import { parsePointer } from './mapping.js';

export interface ListQuery {
  /** OData `$filter`, e.g. `status eq 'Active'` (build literals with `odataStringLiteral` (connectors/odata.ts)/`odataDateTime`). */
  filter?: string;
  /** OData `$orderby`, e.g. `updatedDateTime asc` (one key; the service breaks ties by id). */
  orderBy?: string;
  /**
   * OData `$top`: the most referrals the whole listing returns (not a page size; the service pages at
   * 100 by itself and carries what is left of `$top` in its nextLink).
   */
  top?: number;
  select?: string;
}

export interface RawReferralPage {
  value: ApiReferral[];
  /** Whether the service announced another page. */
  hasMore: boolean;
  /** 1-based page number within this listing. */
  pageNumber: number;
  /** The service's clock when it answered this page (its `Date` header). */
  serverTime?: string;
}

/** An OData `DateTimeOffset` literal (unquoted ISO 8601 UTC). Pure. */
export function odataDateTime(iso: string): string {
  return new Date(iso).toISOString();
}

/**
 * The query string of the next page. Only the query of `@odata.nextLink` is kept; the host and path
 * are ours, because the documented nextLink omits `/engagements` (partner-center-api.md §1.5) and a
 * nextLink must never send the bearer token to another host. Pure.
 */
export function nextPageQuery(nextLink: string): string {
  const url = new URL(nextLink, 'https://api.partner.microsoft.com/');
  return url.search.replace(/^\?/, '');
}

/**
 * Whether a PATCH already took effect: every `replace` target holds its value and every appended
 * (`…/-`) value is in its array. Used after a failure whose outcome is unknown. Pure.
 */
/** Whether `stored` holds everything in `sent`: objects may carry more members, arrays match item by item. */
function holds(stored: unknown, sent: unknown): boolean {
  if (Array.isArray(sent)) return Array.isArray(stored) && stored.length === sent.length && sent.every((item, i) => holds(stored[i], item));
  if (typeof sent === 'object' && sent !== null) {
    if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return false;
    return Object.entries(sent).every(([key, value]) => value === undefined || holds((stored as Record<string, unknown>)[key], value));
  }
  return isDeepStrictEqual(stored, sent);
}

export function patchAlreadyApplied(document: unknown, ops: readonly JsonPatchOp[]): boolean {
  return ops.every((op) => {
    const tokens = parsePointer(op.path);
    const appending = tokens[tokens.length - 1] === '-';
    let node: unknown = document;
    for (const token of appending ? tokens.slice(0, -1) : tokens) {
      if (typeof node !== 'object' || node === null) return false;
      node = (node as Record<string, unknown>)[token];
    }
    // An appended member comes back completed by the service (an invitation gains its status): every value
    // sent must be there, members the service added do not count against it.
    if (appending) return Array.isArray(node) && node.some((item) => holds(item, op.value));
    return isDeepStrictEqual(node ?? null, op.value ?? null);
  });
}

function referralBody(result: HttpResult, operation: string): ApiReferral {
  const data = result.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ConnectorError('unexpected_response', `Partner Center ${operation} returned no referral (HTTP ${result.status})`, false, { status: result.status });
  }
  const referral = data as ApiReferral;
  // The eTag is documented as a property; fall back to the ETag header if only that is present.
  return referral.eTag || !result.etag ? referral : { ...referral, eTag: result.etag };
}

/**
 * A list answer as a page, checked whole (every referral against the referral schema) by the compiled
 * check and kept as it came (api-checks.ts); a page that does not fit is parsed for the first issue.
 */
function referralPage(result: HttpResult, operation: string): ApiReferralPage {
  if (isApiReferralPage(result.data)) return result.data;
  const parsed = apiReferralPageSchema.safeParse(result.data);
  if (parsed.success) return parsed.data;
  throw new ConnectorError('unexpected_response', `Partner Center ${operation} returned a page that is not a referral collection: ${parsed.error.issues[0]?.message ?? ''}`, false, { operation, status: result.status });
}

export class ReferralsEndpoint {
  constructor(private readonly http: PartnerCenterHttp) {}

  /**
   * POST https://learn.microsoft.com/en-us/partner-center/developer/create-a-referral
   * Not idempotent: without `lookup`, a failure whose outcome is unknown is not retried. Every attempt
   * of one create also carries the same `request-id`, which the headers page documents for idempotent
   * replays after a timeout (partner-center-api.md §1.3; honoured by the live API: UNVERIFIED).
   */
  async create(body: ApiReferral, lookup?: () => Promise<ApiReferral | undefined>): Promise<ApiReferral> {
    const result = await this.http.send({
      method: 'POST',
      path: '',
      body,
      headers: { 'request-id': randomUUID() },
      idempotent: false,
      operation: 'create',
      ...(body.externalReferenceId ? { record: body.externalReferenceId } : {}),
      ...(lookup
        ? {
            lookup: async () => {
              const found = await lookup();
              return found ? { found: true as const, value: { status: 200, data: found } } : { found: false as const };
            },
          }
        : {}),
    });
    return referralBody(result, 'create');
  }

  /** GET https://learn.microsoft.com/en-us/partner-center/developer/get-a-referral-by-id */
  async get(id: string): Promise<ApiReferral> {
    const result = await this.http.send({ method: 'GET', path: `/${encodeURIComponent(id)}`, idempotent: true, operation: 'get', record: id });
    return referralBody(result, 'get');
  }

  /**
   * GET https://learn.microsoft.com/en-us/partner-center/developer/get-a-list-of-referrals
   * One request per page, made only when the caller asks for the next page; follows `@odata.nextLink`
   * to the end.
   */
  async *list(query: ListQuery = {}, operation = 'list'): AsyncGenerator<RawReferralPage> {
    let next: string | undefined = buildQuery({ $filter: query.filter, $orderby: query.orderBy, $top: query.top, $select: query.select });
    const seen = new Set<string>();
    for (let pageNumber = 1; next !== undefined; pageNumber += 1) {
      if (seen.has(next)) throw new ConnectorError('paging_loop', `Partner Center ${operation} returned the same next page twice`, false, { operation });
      seen.add(next);
      const result = await this.http.send({ method: 'GET', path: '', query: next, idempotent: true, operation });
      const page = referralPage(result, operation);
      const link = page['@odata.nextLink'];
      next = link ? nextPageQuery(link) : undefined;
      yield { value: page.value, hasMore: next !== undefined, pageNumber, ...(result.serverTime ? { serverTime: result.serverTime } : {}) };
    }
  }

  /** Every referral carrying this CRM id (normally one); the key that makes creates idempotent. */
  async findByExternalReferenceId(crmId: string): Promise<ApiReferral[]> {
    const found: ApiReferral[] = [];
    for await (const page of this.list({ filter: `externalReferenceId eq ${odataStringLiteral(crmId)}` }, 'lookup')) found.push(...page.value);
    return found;
  }

  /**
   * PATCH https://learn.microsoft.com/en-us/partner-center/developer/patch-a-referral
   * JSON Patch (`replace`/`add` only), `If-Match` for concurrency, `Prefer: return=representation`.
   * A replay after a lost response would meet a changed eTag (412), so a failure whose outcome is
   * unknown is first checked with a GET: if the referral already shows the patch, that is the result.
   */
  async patch(id: string, ops: readonly JsonPatchOp[], eTag: string | undefined): Promise<ApiReferral> {
    const unsupported = ops.find((op) => op.op !== 'replace' && op.op !== 'add');
    if (unsupported) throw new ConnectorError('unsupported_patch', `Partner Center supports only replace and add, not ${String(unsupported.op)}`, false, { record: id });
    const result = await this.http.send({
      method: 'PATCH',
      path: `/${encodeURIComponent(id)}`,
      body: ops,
      headers: { Prefer: 'return=representation', ...(eTag ? { 'If-Match': eTag } : {}) },
      idempotent: false,
      operation: 'update',
      record: id,
      lookup: async () => {
        const current = await this.get(id);
        if (patchAlreadyApplied(current, ops)) return { found: true, value: { status: 200, data: current } };
        // The referral changed since it was read, yet does not show this patch as sent: sending it again
        // with the old If-Match can only be refused (412). Report the conflict that refusal would be, for
        // the engine to read again and merge, instead of sending what Partner Center must refuse.
        if (eTag && current.eTag && current.eTag !== eTag) {
          throw new ConflictError(`Referral ${id} changed after an update whose answer was lost (eTag ${eTag} is now ${current.eTag}); it is read again and merged`, { record: id });
        }
        return { found: false };
      },
    });
    // Without a representation (204), read the referral back so the caller has the new eTag.
    return result.status === 204 || result.data === '' || result.data === undefined ? this.get(id) : referralBody(result, 'update');
  }
}
