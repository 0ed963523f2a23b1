/**
 * sObject Collections:
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_create.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_update.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_upsert.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_delete.htm
 * A collection holds at most 200 records; the call answers 200 with one result per record, in order.
 * The Composite resource itself is composite-request.ts's.
 */
import type { ServerResponse } from 'node:http';
import type { SandboxRequest } from '../../common/http.js';
import { labelFor, userOf, type SfContext } from '../context.js';
import type { DmlResult } from '../dml.js';
import { requireOperation, sfError, SfFault, unsupportedOperation, UPSERT_OPERATIONS, type SfError } from '../errors.js';
import type { ObjectOperations } from '../schema.js';
import { savepoint } from '../rollback.js';
import { sendSf } from '../wire.js';
import { bodyObject, formatRecord } from './sobjects.js';

const MAX_RECORDS = 200;
const LOCKED = sfError('UNABLE_TO_LOCK_ROW', 'unable to obtain exclusive access to this record or 1 records');
const ROLLED_BACK = sfError('ALL_OR_NONE_OPERATION_ROLLED_BACK', 'Record rolled back because not all records were valid and the request was using AllOrNone header');

interface ItemResult { id?: string | null; success: boolean; errors: SfError[]; created?: boolean }

function toItem(result: DmlResult, upsert: boolean): ItemResult {
  if (result.ok) return { id: result.id, success: true, errors: [], ...(upsert ? { created: Boolean(result.created) } : {}) };
  return { ...(result.id ? { id: result.id } : {}), success: false, errors: result.errors };
}

function recordsOf(body: Record<string, unknown>): Record<string, unknown>[] {
  const records = body.records;
  if (!Array.isArray(records)) throw new SfFault(400, 'INVALID_FIELD', 'records: required field is missing');
  if (records.length > MAX_RECORDS) throw new SfFault(400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`);
  return records as Record<string, unknown>[];
}

function typeOf(rec: Record<string, unknown>, fallback?: string): string {
  const type = (rec.attributes as { type?: string } | undefined)?.type ?? fallback;
  if (!type) throw new SfFault(400, 'INVALID_TYPE', 'Must send a concrete entity type.');
  return type;
}

/** Runs each item; a per-item fault (UNABLE_TO_LOCK_ROW) may fail an item; allOrNone rolls everything back. */
function runItems(ctx: SfContext, req: SandboxRequest, items: Record<string, unknown>[], allOrNone: boolean, operations: readonly (keyof ObjectOperations)[], apply: (rec: Record<string, unknown>) => DmlResult, upsert = false): ItemResult[] {
  // Validate field names first: Salesforce rejects the whole request for an unknown field.
  for (const rec of items) {
    const type = typeOf(rec, req.params.type);
    const def = ctx.dml.requireObject(type);
    requireOperation(def, ...operations);
    const { attributes: _a, ...values } = rec;
    ctx.dml.checkFieldNames(def, values);
  }
  const save = allOrNone ? savepoint(ctx.store) : undefined;
  const results = items.map((rec) => {
    const lock = ctx.itemFaults.draw('ITEM', typeOf(rec, req.params.type));
    if (lock) return { success: false, errors: [LOCKED] } as ItemResult;
    return toItem(apply(rec), upsert);
  });
  if (save && results.some((r) => !r.success)) {
    save.rollback();
    return results.map((r) => (r.success ? { id: null, success: false, errors: [ROLLED_BACK] } : { ...r, id: null }));
  }
  return results;
}

function finish(ctx: SfContext, req: SandboxRequest, res: ServerResponse, label: string, results: ItemResult[]): void {
  ctx.counters.hit(labelFor(req, label));
  ctx.persist();
  sendSf(res, 200, results);
}

export function registerCompositeRoutes(ctx: SfContext): void {
  const { router, dml } = ctx;
  const base = '/services/data/:version/composite';

  router.on('POST', `${base}/sobjects`, (req, res) => {
    const body = bodyObject(req);
    const user = userOf(req, ctx);
    const items = recordsOf(body);
    const results = runItems(ctx, req, items, body.allOrNone === true, ['insert'], (rec) => {
      const { attributes: _a, ...values } = rec;
      return dml.create(typeOf(rec), values, { userId: user });
    });
    finish(ctx, req, res, 'composite/sobjects:POST', results);
  });
  router.on('PATCH', `${base}/sobjects`, (req, res) => {
    const body = bodyObject(req);
    const user = userOf(req, ctx);
    const results = runItems(ctx, req, recordsOf(body), body.allOrNone === true, ['update'], (rec) => {
      const { attributes: _a, id, Id, ...values } = rec;
      const recordId = String(id ?? Id ?? '');
      if (!recordId) return { ok: false, errors: [sfError('MISSING_ARGUMENT', 'Id not specified in an update call', ['Id'])] };
      return dml.update(typeOf(rec), recordId, values, { userId: user });
    });
    finish(ctx, req, res, 'composite/sobjects:PATCH', results);
  });
  router.on('DELETE', `${base}/sobjects`, (req, res) => {
    const ids = (req.query.get('ids') ?? '').split(',').filter(Boolean);
    if (ids.length > MAX_RECORDS) throw new SfFault(400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`);
    // A row lock may refuse each record, as in the other collection calls (`sf.itemFaults` on "ITEM <Type>").
    finish(ctx, req, res, 'composite/sobjects:DELETE', ids.map((id) => {
      const type = ctx.store.find(id)?.type;
      // A record of an object that cannot be deleted (a User) fails alone, as another item's refusal would (UNVERIFIED: the item's form).
      const refusal = type ? unsupportedOperation(ctx.dml.requireObject(type), 'delete') : undefined;
      if (refusal) return { id, success: false, errors: [sfError(refusal.errorCode, refusal.message, [])] };
      if (type && ctx.itemFaults.draw('ITEM', type)) return { id, success: false, errors: [LOCKED] };
      return toItem(dml.delete(id), false);
    }));
  });
  router.on('POST', `${base}/sobjects/:type`, (req, res) => {
    // Retrieve several records by ID: {ids, fields}.
    const def = dml.requireObject(req.params.type!);
    const body = bodyObject(req);
    const ids = Array.isArray(body.ids) ? (body.ids as string[]) : [];
    const fields = Array.isArray(body.fields) ? (body.fields as string[]) : undefined;
    ctx.counters.hit(`composite/sobjects:${def.name}:RETRIEVE`);
    sendSf(res, 200, ids.map((id) => {
      const rec = ctx.store.get(def.name, id);
      return rec ? formatRecord(def, rec, req.params.version!, fields) : null;
    }));
  });
  router.on('PATCH', `${base}/sobjects/:type/:field`, (req, res) => {
    const body = bodyObject(req);
    const user = userOf(req, ctx);
    const field = req.params.field!;
    const results = runItems(ctx, req, recordsOf(body), body.allOrNone === true, UPSERT_OPERATIONS, (rec) => {
      const { attributes: _a, ...values } = rec;
      const key = values[field] ?? Object.entries(values).find(([k]) => k.toLowerCase() === field.toLowerCase())?.[1];
      if (key === undefined || key === null || key === '') return { ok: false, errors: [sfError('MISSING_ARGUMENT', `${field} not specified`, [field])] };
      const result = dml.upsert(req.params.type!, field, String(key), values, { userId: user });
      if ('multiple' in result) return { ok: false, errors: [sfError('DUPLICATE_EXTERNAL_ID', `${field}: more than one record found for external id field: ${result.multiple.join(', ')}`, [field])] };
      return result;
    }, true);
    finish(ctx, req, res, 'composite/sobjects:UPSERT', results);
  });
}
