/**
 * The documented referral endpoints (partner-center-api.md §1.4–1.6):
 * POST/GET `/v1.0/engagements/referrals`, GET/PATCH/PUT `/v1.0/engagements/referrals/{id}`, and GET on
 * the webhook `ResourceUri` form `/engagements/v1/referrals/{id}` (§1.1, §1.14).
 */
import { nonJsonMediaType, parseJsonBody, type Router, type SandboxRequest } from '../../common/http.js';
import { PARTNER_API_AUDIENCE, PARTNER_CENTER_AUDIENCE } from '../auth.js';
import { linksOf, READ_ONLY_PROPERTIES } from '../domain/derived.js';
import { camelCaseKeys, camelCasePath } from '../domain/property-case.js';
import type { ReferralService } from '../domain/service.js';
import { fail, ok, type Result } from '../failures.js';
import { REFERRAL_PROPERTIES } from '../list-query.js';
import type { Caller } from '../organizations.js';
import { apiRoute, failureReply, type PipelineDeps, type Reply } from '../pipeline.js';
import type { StoredReferral } from '../store.js';
import { canSee } from '../visibility.js';
import { listReferrals } from './list.js';
import { applyJsonPatch, PatchError, readPatchBody } from '../wire/json-patch.js';
import type { WirePatchOp } from '../wire/types.js';

const COLLECTION = '/v1.0/engagements/referrals';

export interface ReferralRouteContext {
  service: ReferralService;
  deps: PipelineDeps;
  /** The origin links and `@odata.context` point at. */
  baseUrl: () => string;
}

/**
 * `@odata.context` of a single referral exactly as "Get a referral by ID" and "Create a referral" show
 * it, the documentation's "engagments" spelling included: clients must not build URLs from it.
 */
export const entityContext = (baseUrl: string): string => `${baseUrl}/v1.0/engagments/referrals/$metadata#Referrals/$entity`;

function entityReply(status: number, referral: StoredReferral, baseUrl: string, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { etag: referral.eTag ?? '', ...headers },
    // One copy of the stored referral per answer, `links` last as the docs show them.
    body: { '@odata.context': entityContext(baseUrl), ...referral, links: linksOf(referral, baseUrl) },
  };
}

const refuse = (message: string, target: string): Reply => failureReply({ status: 400, code: 'invalidRequest', message, target });

/** A JSON body, sent as JSON: any other Content-Type is 415 ("Referrals API response codes"). */
function bodyOf(req: SandboxRequest): Result<unknown> {
  const media = nonJsonMediaType(req);
  if (media !== undefined) {
    return fail(415, 'invalidRequest', `Content-Type ${media || '(none)'} is not supported; send application/json.`, 'Content-Type');
  }
  const parsed = parseJsonBody(req);
  return parsed.ok ? ok(parsed.value) : fail(400, 'invalidRequest', parsed.message, 'body');
}

/** PATCH bodies: RFC 6902 with `add`/`replace` only, never on read-only properties (§1.6). */
function checkPatch(body: unknown): Result<WirePatchOp[]> {
  const parsed = readPatchBody(body);
  if (!parsed) return fail(400, 'invalidRequest', 'The PATCH body must be a JSON Patch array (RFC 6902) of {op, path, value}.', 'body');
  const ops = parsed.map((op) => ({ ...op, path: camelCasePath(op.path), ...('value' in op ? { value: camelCaseKeys(op.value) } : {}) }));
  for (const op of ops) {
    if (op.op !== 'add' && op.op !== 'replace') {
      return fail(400, 'invalidRequest', `The "${op.op}" operation is not supported; use add or replace.`, op.path, { code: 'unsupportedOperation', target: op.path });
    }
    const property = op.path.split('/')[1] ?? '';
    if (!REFERRAL_PROPERTIES.has(property)) return fail(400, 'invalidRequest', `${op.path} is not a property of a referral.`, op.path, { code: 'unknownProperty', target: op.path });
    if (READ_ONLY_PROPERTIES.has(property)) return fail(400, 'invalidRequest', `${property} is set by Partner Center and cannot be changed.`, op.path, { code: 'readOnlyProperty', target: op.path });
  }
  return ok(ops);
}

function visible(ctx: ReferralRouteContext, caller: Caller, id: string): Result<StoredReferral> {
  ctx.service.expireDue();
  const referral = ctx.service.store.get(id);
  return referral && canSee(caller, referral) ? ok(referral) : fail(404, 'itemNotFound', `Referral ${id} was not found.`, 'referral');
}

/** `Prefer: return=representation` → 200 with the referral; otherwise 204 (§1.6). */
function writeReply(req: SandboxRequest, result: Result<StoredReferral>, baseUrl: string): Reply {
  if (!result.ok) return failureReply(result.failure);
  if (/return=representation/i.test(req.headers.prefer ?? '')) return entityReply(200, result.value, baseUrl, { 'preference-applied': 'return=representation' });
  return { status: 204, headers: { etag: result.value.eTag ?? '' } };
}

export function mountReferralRoutes(router: Router, ctx: ReferralRouteContext): void {
  const { service, deps } = ctx;
  /** Creates answered once per client `request-id`, so a retried POST does not create twice (§1.3). */
  const createdByRequestId = new Map<string, string>();

  router.on('POST', COLLECTION, apiRoute(`POST ${COLLECTION}`, (req, caller) => {
    const requestId = req.headers['request-id'];
    const earlier = requestId ? service.store.get(createdByRequestId.get(`${caller.org}|${requestId}`) ?? '') : undefined;
    if (earlier) return entityReply(201, earlier, ctx.baseUrl());
    const body = bodyOf(req);
    if (!body.ok) return failureReply(body.failure);
    const created = service.create(caller, body.value);
    if (!created.ok) return failureReply(created.failure);
    if (requestId) createdByRequestId.set(`${caller.org}|${requestId}`, created.value.id);
    return entityReply(201, created.value, ctx.baseUrl(), { location: `${ctx.baseUrl()}${COLLECTION}/${created.value.id}` });
  }, deps));

  router.on('GET', COLLECTION, apiRoute(`GET ${COLLECTION}`, (req, caller) => listReferrals(req, caller, service, ctx.baseUrl()), deps));

  const getOne = (req: SandboxRequest, caller: Caller): Reply => {
    const found = visible(ctx, caller, req.params.id ?? '');
    return found.ok ? entityReply(200, found.value, ctx.baseUrl()) : failureReply(found.failure);
  };
  router.on('GET', `${COLLECTION}/:id`, apiRoute(`GET ${COLLECTION}/{id}`, getOne, deps));
  // Microsoft's sample flow GETs the ResourceUri with a token for that URI's host (§1.1), so both audiences pass here.
  router.on('GET', '/engagements/v1/referrals/:id', apiRoute('GET /engagements/v1/referrals/{id}', getOne, deps, [PARTNER_API_AUDIENCE, PARTNER_CENTER_AUDIENCE]));

  router.on('PATCH', `${COLLECTION}/:id`, apiRoute(`PATCH ${COLLECTION}/{id}`, (req, caller) => {
    const found = visible(ctx, caller, req.params.id ?? '');
    if (!found.ok) return failureReply(found.failure);
    const body = bodyOf(req);
    if (!body.ok) return failureReply(body.failure);
    const ops = checkPatch(body.value);
    if (!ops.ok) return failureReply(ops.failure);
    const ifMatch = req.headers['if-match'];
    const result = service.change(caller.org, found.value.id, (json) => {
      try {
        return ok(applyJsonPatch(json, ops.value));
      } catch (error) {
        if (!(error instanceof PatchError)) throw error;
        return fail(400, 'invalidRequest', error.message, error.path, { code: 'invalidPatch', target: error.path });
      }
    }, ifMatch === undefined ? {} : { ifMatch });
    return writeReply(req, result, ctx.baseUrl());
  }, deps));

  // Obsolete full update: the whole referral, `links` removed, and a required If-Match (§1.4).
  router.on('PUT', `${COLLECTION}/:id`, apiRoute(`PUT ${COLLECTION}/{id}`, (req, caller) => {
    const found = visible(ctx, caller, req.params.id ?? '');
    if (!found.ok) return failureReply(found.failure);
    const ifMatch = req.headers['if-match'];
    if (!ifMatch) return refuse('PUT requires an If-Match header with the referral eTag (PUT is obsolete; use PATCH).', 'If-Match');
    const body = bodyOf(req);
    if (!body.ok) return failureReply(body.failure);
    if (typeof body.value !== 'object' || body.value === null || Array.isArray(body.value)) return refuse('The body must be the full referral.', 'body');
    if ('links' in body.value) return refuse('Remove the links object before a PUT (partner-center-api.md §1.4).', 'links');
    const replacement = camelCaseKeys(body.value) as Record<string, unknown>;
    const result = service.change(caller.org, found.value.id, (current) => {
      const next = { ...replacement } as StoredReferral;
      for (const key of [...READ_ONLY_PROPERTIES, 'engagementId', 'direction', 'microsoftEngagement']) {
        const value = (current as Record<string, unknown>)[key];
        if (value === undefined) delete (next as Record<string, unknown>)[key];
        else (next as Record<string, unknown>)[key] = value;
      }
      return ok(next);
    }, { ifMatch });
    return writeReply(req, result, ctx.baseUrl());
  }, deps));
}
