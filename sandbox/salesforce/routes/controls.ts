/**
 * Sandbox controls under `/_sandbox/…`, a prefix the real API never uses. Documented in ../README.md.
 * They are not counted as API calls and need no token.
 */
import type { ServerResponse } from 'node:http';
import { parseJsonBody, type SandboxRequest } from '../../common/http.js';
import type { FaultConfig } from '../../common/faults.js';
import type { SfContext } from '../context.js';
import { purgeDeleteLog } from '../delete-log.js';
import { SfFault } from '../errors.js';
import { generate, insertRaw, installBaseline, seedDefault, sellerUser } from '../seed.js';
import { sendSf } from '../wire.js';
import { formatRecord } from './sobjects.js';

const json = (req: SandboxRequest): Record<string, unknown> => {
  if (req.rawBody.length === 0) return {};
  const parsed = parseJsonBody(req);
  if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null) throw new SfFault(400, 'JSON_PARSER_ERROR', parsed.ok ? 'Expected an object' : parsed.message);
  return parsed.value as Record<string, unknown>;
};

/** Edits an opportunity as its owner would in the Salesforce UI (a user change: LastModifiedDate moves too). */
export function sellerEdit(ctx: SfContext, id: string, values: Record<string, unknown>): { ok: boolean; errors?: unknown } {
  const opp = ctx.store.get('Opportunity', id);
  if (!opp) throw new SfFault(404, 'NOT_FOUND', `No opportunity ${id}`);
  ctx.dml.checkFieldNames(ctx.dml.requireObject('Opportunity'), values);
  const result = ctx.dml.update('Opportunity', id, values, { userId: sellerUser(ctx.store, opp.OwnerId) });
  ctx.persist();
  return result.ok ? { ok: true } : { ok: false, errors: result.errors };
}

/** A seller edits another record in the UI (an account, a contact): saved as a user, so SystemModstamp moves. */
export function sellerEditRecord(ctx: SfContext, type: string, id: string, values: Record<string, unknown>): { ok: boolean; errors?: unknown } {
  const def = ctx.dml.requireObject(type);
  if (!ctx.store.get(def.name, id)) throw new SfFault(404, 'NOT_FOUND', `No ${def.name} ${id}`);
  ctx.dml.checkFieldNames(def, values);
  const result = ctx.dml.update(def.name, id, values, { userId: sellerUser(ctx.store, ctx.store.get(def.name, id)!.OwnerId) });
  ctx.persist();
  return result.ok ? { ok: true } : { ok: false, errors: result.errors };
}

/** A user deletes a record (from its page or a related list): through the DML path, so getDeleted lists it and its cascade. */
export function sellerDelete(ctx: SfContext, id: string): { ok: boolean; errors?: unknown } {
  const result = ctx.dml.delete(id);
  ctx.persist();
  return result.ok ? { ok: true } : { ok: false, errors: result.errors };
}

export function registerControlRoutes(ctx: SfContext): void {
  const { router, store } = ctx;
  const ok = (res: ServerResponse, body: unknown = { ok: true }) => sendSf(res, 200, body);

  router.on('POST', '/_sandbox/reset', (req, res) => {
    store.clear();
    installBaseline(store);
    ctx.counters.reset();
    ctx.faults.configure(undefined);
    ctx.itemFaults.configure(undefined);
    if (json(req).seed === true) seedDefault(store);
    ctx.persist();
    ok(res);
  });
  router.on('POST', '/_sandbox/seed', (req, res) => {
    const body = json(req);
    const summary = typeof body.opportunities === 'number' ? generate(store, { opportunities: body.opportunities, seed: Number(body.seed ?? 42) }) : seedDefault(store);
    ctx.persist();
    ok(res, summary);
  });
  router.on('GET', '/_sandbox/counters', (_req, res) => ok(res, { counters: ctx.counters.snapshot(), apiUsage: store.apiUsage, dailyLimit: store.dailyLimit }));
  router.on('POST', '/_sandbox/counters/reset', (_req, res) => {
    ctx.counters.reset();
    ok(res);
  });
  router.on('PUT', '/_sandbox/faults', (req, res) => {
    ctx.faults.configure(json(req) as unknown as FaultConfig);
    ok(res);
  });
  router.on('PUT', '/_sandbox/item-faults', (req, res) => {
    ctx.itemFaults.configure(json(req) as unknown as FaultConfig);
    ok(res);
  });
  router.on('DELETE', '/_sandbox/faults', (_req, res) => {
    ctx.faults.configure(undefined);
    ctx.itemFaults.configure(undefined);
    ok(res);
  });
  router.on('GET', '/_sandbox/clock', (_req, res) => ok(res, { now: ctx.clock.iso() }));
  router.on('POST', '/_sandbox/clock', (req, res) => {
    const body = json(req);
    if (typeof body.advanceMs === 'number') ctx.clock.advance(body.advanceMs);
    if (typeof body.set === 'string') ctx.clock.set(body.set);
    ok(res, { now: ctx.clock.iso() });
  });
  router.on('PUT', '/_sandbox/limits', (req, res) => {
    const body = json(req);
    if (typeof body.dailyLimit === 'number') store.dailyLimit = body.dailyLimit;
    if (typeof body.used === 'number') store.apiUsage = body.used;
    ok(res, { dailyLimit: store.dailyLimit, used: store.apiUsage });
  });
  // The delete log's background purge, or (recycleBin: true) an administrator emptying the Recycle Bin.
  router.on('POST', '/_sandbox/deleted/purge', (req, res) => {
    const body = json(req);
    const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const purged = purgeDeleteLog(store, { ...(text(body.type) ? { type: text(body.type)! } : {}), ...(text(body.through) ? { through: text(body.through)! } : {}), recycleBin: body.recycleBin === true });
    ctx.persist();
    ok(res, { purged });
  });
  router.on('POST', '/_sandbox/tokens/expire', (_req, res) => {
    for (const token of store.tokens.values()) token.expiresAtMs = 0;
    ok(res);
  });
  router.on('POST', '/_sandbox/stages', (req, res) => {
    const body = json(req);
    const stage = insertRaw(store, 'OpportunityStage', {
      MasterLabel: body.MasterLabel, ApiName: body.MasterLabel, IsActive: body.IsActive ?? true, IsClosed: body.IsClosed ?? false,
      IsWon: body.IsWon ?? false, DefaultProbability: body.DefaultProbability ?? null, ForecastCategoryName: body.ForecastCategoryName ?? 'Pipeline',
      SortOrder: store.all('OpportunityStage').length + 1,
    });
    ctx.persist();
    ok(res, { id: stage.Id });
  });
  router.on('PATCH', '/_sandbox/seller/opportunities/:id', (req, res) => {
    const result = sellerEdit(ctx, req.params.id!, json(req));
    sendSf(res, result.ok ? 200 : 400, result);
  });
  router.on('GET', '/_sandbox/records/:type', (req, res) => {
    const def = ctx.dml.requireObject(req.params.type!);
    ok(res, store.all(def.name).slice(0, Number(req.query.get('limit') ?? 100)).map((r) => formatRecord(def, r, 'v62.0')));
  });
}
