/**
 * sObject resources: describe global, describe, create, retrieve, update, delete, upsert by external ID,
 * get updated, get deleted, and limits.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_basic_info.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_retrieve.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_upsert.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_limits.htm
 * https://developer.salesforce.com/docs/platform/api-rest/guide/resources-getupdated.md
 */
import type { ServerResponse } from 'node:http';
import { parseJsonBody, type SandboxRequest } from '../../common/http.js';
import { labelFor, subrequestBodies, userOf, type SfContext } from '../context.js';
import { conditionalVerdict } from '../conditional-requests.js';
import { describeObject, globalEntry } from '../describe.js';
import { getDeleted } from '../delete-log.js';
import { getUpdated } from '../get-updated.js';
import type { DmlResult } from '../dml.js';
import { jsonParseError, notFound, requireOperation, UPSERT_OPERATIONS } from '../errors.js';
import type { ObjectDef } from '../schema.js';
import type { Rec } from '../store.js';
import { formatDatetime, sendSf } from '../wire.js';

export function formatRecord(def: ObjectDef, rec: Rec, version: string, only?: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { attributes: { type: def.name, url: `/services/data/${version}/sobjects/${def.name}/${rec.Id}` } };
  const wanted = only?.map((f) => f.toLowerCase());
  for (const f of def.fields.values()) {
    if (wanted && !wanted.includes(f.name.toLowerCase())) continue;
    const value = rec[f.name] ?? null;
    out[f.name] = f.type === 'datetime' && typeof value === 'string' ? formatDatetime(value) : value;
  }
  return out;
}

export function bodyObject(req: SandboxRequest): Record<string, unknown> {
  const parsed = subrequestBodies.has(req) ? { ok: true as const, value: subrequestBodies.get(req) } : parseJsonBody(req);
  if (!parsed.ok) throw jsonParseError(parsed.message);
  if (typeof parsed.value !== 'object' || parsed.value === null) throw jsonParseError('Expected a JSON object');
  return parsed.value as Record<string, unknown>;
}

/** One record's DML failure as a REST error (single-record resources answer 400 with the error array). */
export function failDml(res: ServerResponse, result: Extract<DmlResult, { ok: false }>): void {
  const status = result.errors.some((e) => e.statusCode === 'ENTITY_IS_DELETED' || e.statusCode === 'INVALID_CROSS_REFERENCE_KEY') && !result.id ? 404 : 400;
  const body = result.errors.map((e) => ({ message: e.message, errorCode: e.statusCode, fields: e.fields }));
  if (status === 404) return sendSf(res, 404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
  sendSf(res, 400, body);
}

export function registerSobjectRoutes(ctx: SfContext): void {
  const { router, store, dml } = ctx;
  const base = '/services/data/:version';
  const objectOf = (req: SandboxRequest) => dml.requireObject(req.params.type!);
  const save = (label: string) => {
    ctx.counters.hit(label);
    ctx.persist();
  };

  router.on('GET', `${base}/sobjects`, (req, res) => {
    ctx.counters.hit('describe');
    sendSf(res, 200, { encoding: 'UTF-8', maxBatchSize: 200, sobjects: [...store.objects.values()].map((o) => globalEntry(o, req.params.version!)) });
  });
  router.on('GET', `${base}/sobjects/:type/describe`, (req, res) => {
    const def = objectOf(req);
    ctx.counters.hit(`describe:${def.name}`);
    sendSf(res, 200, describeObject(store, def, req.params.version!));
  });
  // Get Deleted (delete-log.ts: Salesforce's rules for windows, retention and purges).
  router.on('GET', `${base}/sobjects/:type/deleted`, (req, res) => {
    const def = objectOf(req);
    ctx.counters.hit(labelFor(req, `deleted:${def.name}`));
    sendSf(res, 200, getDeleted(store, def.name, req.query.get('start') ?? '', req.query.get('end') ?? '', ctx.clock.nowMs()));
  });
  router.on('GET', `${base}/sobjects/:type/updated`, (req, res) => {
    const def = objectOf(req);
    ctx.counters.hit(labelFor(req, `updated:${def.name}`));
    sendSf(res, 200, getUpdated(store, def, req.query.get('start') ?? '', req.query.get('end') ?? '', ctx.clock.nowMs()));
  });
  router.on('GET', `${base}/sobjects/:type`, (req, res) => {
    const def = objectOf(req);
    sendSf(res, 200, { objectDescribe: globalEntry(def, req.params.version!), recentItems: [] });
  });
  router.on('POST', `${base}/sobjects/:type`, (req, res) => {
    const def = requireOperation(objectOf(req), 'insert');
    const values = bodyObject(req);
    dml.checkFieldNames(def, values);
    const result = dml.create(def.name, values, { userId: userOf(req, ctx) });
    save(`sobjects:${def.name}:POST`);
    if (!result.ok) return failDml(res, result);
    sendSf(res, 201, { id: result.id, success: true, errors: [] });
  });
  router.on('GET', `${base}/sobjects/:type/:id`, (req, res) => {
    const def = objectOf(req);
    ctx.counters.hit(`sobjects:${def.name}:GET`);
    const rec = store.get(def.name, req.params.id!);
    if (!rec) throw notFound();
    if (conditionalVerdict('GET', req.headers, rec) === 'not-modified') return void res.writeHead(304).end();
    const fields = req.query.get('fields')?.split(',').map((f) => f.trim()).filter(Boolean);
    sendSf(res, 200, formatRecord(def, rec, req.params.version!, fields));
  });
  router.on('PATCH', `${base}/sobjects/:type/:id`, (req, res) => {
    const def = requireOperation(objectOf(req), 'update');
    const values = bodyObject(req);
    dml.checkFieldNames(def, values);
    const current = store.get(def.name, req.params.id!);
    if (current && conditionalVerdict('PATCH', req.headers, current) === 'precondition-failed') return void res.writeHead(412).end();
    const result = dml.update(def.name, req.params.id!, values, { userId: userOf(req, ctx) });
    save(`sobjects:${def.name}:PATCH`);
    if (!result.ok) return failDml(res, result);
    res.writeHead(204).end();
  });
  router.on('DELETE', `${base}/sobjects/:type/:id`, (req, res) => {
    const def = requireOperation(objectOf(req), 'delete');
    if (!store.get(def.name, req.params.id!)) throw notFound();
    dml.delete(req.params.id!);
    save(`sobjects:${def.name}:DELETE`);
    res.writeHead(204).end();
  });
  router.on('GET', `${base}/sobjects/:type/:field/:value`, (req, res) => {
    const def = objectOf(req);
    const f = store.fieldOf(def, req.params.field!);
    const matches = f ? store.matching(def.name, f.name, req.params.value!) : [];
    if (matches.length !== 1) throw notFound();
    sendSf(res, 200, formatRecord(def, matches[0]!, req.params.version!));
  });
  router.on('PATCH', `${base}/sobjects/:type/:field/:value`, (req, res) => {
    // An upsert may insert or update.
    const def = requireOperation(objectOf(req), ...UPSERT_OPERATIONS);
    const values = bodyObject(req);
    dml.checkFieldNames(def, values);
    const result = dml.upsert(def.name, req.params.field!, req.params.value!, values, { userId: userOf(req, ctx) });
    save(`sobjects:${def.name}:UPSERT`);
    if ('multiple' in result) return sendSf(res, 300, result.multiple.map((id) => `/services/data/${req.params.version}/sobjects/${def.name}/${id}`));
    if (!result.ok) return failDml(res, result);
    // API 46.0 and later answer 200 for an update and 201 for a create, both with a body.
    sendSf(res, result.created ? 201 : 200, { id: result.id, success: true, errors: [], created: Boolean(result.created) });
  });
  router.on('GET', `${base}/limits`, (_req, res) => {
    ctx.counters.hit('limits');
    sendSf(res, 200, {
      DailyApiRequests: { Max: store.dailyLimit, Remaining: Math.max(0, store.dailyLimit - store.apiUsage) },
      DailyBulkV2QueryJobs: { Max: 10000, Remaining: 10000 },
      DataStorageMB: { Max: 1024, Remaining: 1000 },
    });
  });
}
