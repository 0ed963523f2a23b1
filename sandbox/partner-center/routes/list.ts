/**
 * `GET /v1.0/engagements/referrals`: the caller's visible referrals, filtered and ordered, served in
 * pages of 100 with `@odata.nextLink` (§1.5). The filtered, sorted list is cached per caller and query
 * until the next write, so paging through 50,000 referrals sorts once, not once per page.
 */
import type { WireReferral as ApiReferral } from '../wire/types.js';
import type { SandboxRequest } from '../../common/http.js';
import type { ReferralService } from '../domain/service.js';
import { encodeSkipToken, indexAfter, PAGE_SIZE, parseListQuery, project, sortKey, sortReferrals, type ListQuery } from '../list-query.js';
import { evaluate } from '../odata/evaluate.js';
import type { Caller } from '../organizations.js';
import { failureReply, type Reply } from '../pipeline.js';
import { canSee, visibilityKey } from '../visibility.js';

interface CachedList {
  revision: number;
  sorted: ApiReferral[];
}

const CACHE_LIMIT = 32;
const caches = new WeakMap<ReferralService, Map<string, CachedList>>();

/**
 * Where to look: the CRM-ID index for the lookup the connector makes before each create
 * (`externalReferenceId eq '…'`), otherwise every referral of the caller's organisation. The filter is
 * evaluated on the candidates either way, so the index only narrows, never decides.
 */
function candidates(service: ReferralService, caller: Caller, query: ListQuery): ApiReferral[] {
  const f = query.filter;
  if (f?.type === 'compare' && f.op === 'eq') {
    const [path, literal] = f.left.type === 'path' ? [f.left, f.right] : [f.right, f.left];
    if (path.type === 'path' && path.segments.length === 1 && path.segments[0] === 'externalReferenceId' && literal.type === 'literal' && typeof literal.value === 'string') {
      return service.store.withExternalReferenceId(literal.value).filter((r) => r.organizationId === caller.org);
    }
  }
  return service.store.ownedBy(caller.org);
}

function matching(service: ReferralService, caller: Caller, query: ListQuery): ApiReferral[] {
  let cache = caches.get(service);
  if (!cache) caches.set(service, (cache = new Map()));
  const key = `${visibilityKey(caller)}|${query.filterText ?? ''}|${query.orderBy.field}|${query.orderBy.desc}`;
  const hit = cache.get(key);
  if (hit && hit.revision === service.store.revision) return hit.sorted;
  const sorted = sortReferrals(
    candidates(service, caller, query).filter((r) => canSee(caller, r) && (!query.filter || evaluate(query.filter, r))),
    query.orderBy,
  );
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, { revision: service.store.revision, sorted });
  return sorted;
}

function nextLink(req: SandboxRequest, baseUrl: string, token: string): string {
  // Option names stay literal (`$skiptoken=`, as in the documented nextLink); values are encoded.
  const parts: string[] = [];
  for (const [key, value] of req.query) if (key !== '$skiptoken' && key !== '$top' && key !== '$skip') parts.push(`${key}=${encodeURIComponent(value)}`);
  parts.push(`$skiptoken=${token}`);
  return `${baseUrl}${req.path}?${parts.join('&')}`;
}

export function listReferrals(req: SandboxRequest, caller: Caller, service: ReferralService, baseUrl: string): Reply {
  const parsed = parseListQuery(req.query);
  if (!parsed.ok) return failureReply(parsed.failure);
  const query = parsed.value;
  service.expireDue();
  const sorted = matching(service, caller, query);
  const start = query.skiptoken ? indexAfter(sorted, query.skiptoken, query.orderBy) : query.skip;
  const remaining = query.top ?? Infinity;
  const size = Math.min(PAGE_SIZE, remaining);
  const page = sorted.slice(start, start + size);
  const last = page[page.length - 1];
  const more = last !== undefined && start + page.length < sorted.length && remaining > page.length;
  const body: Record<string, unknown> = {
    // As "Get a list of referrals" shows it.
    '@odata.context': `${baseUrl}/v1.0/$metadata#Referrals`,
    // Every documented list response carries the count; it is the number of matching referrals.
    '@odata.count': sorted.length,
    value: page.map((r) => project(r, query.select)),
  };
  if (more) {
    const token = encodeSkipToken({ k: sortKey(last, query.orderBy.field), id: last.id ?? '', ...(query.top === undefined ? {} : { n: remaining - page.length }) });
    body['@odata.nextLink'] = nextLink(req, baseUrl, token);
  }
  return { status: 200, body };
}
