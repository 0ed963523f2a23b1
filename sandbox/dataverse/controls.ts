/**
 * Sandbox controls under `/_sandbox/dataverse/` (not part of Dataverse): reset, seed, faults, counters,
 * clock, change-tracking reading, stages, privileges, and acting as a seller who edits, closes or deletes a record in the UI.
 * Documented in sandbox/dataverse/README.md.
 */
import { DAY_MS } from '../common/clock.js';
import { parseJsonBody, sendJson, type Router, type SandboxRequest } from '../common/http.js';
import type { FaultConfig } from '../common/faults.js';
import { closeOpportunity } from './actions.js';
import { dispatch } from './api.js';
import type { ApiRequest } from './api-types.js';
import { changeTrackingReading, type ChangeTrackingReading } from './change-tracking-reading.js';
import { generateBulk, OPPORTUNITY_SALES_PROCESS_ID, SELLER_USER_ID, type SeedKind } from './seed.js';
import type { DataverseRuntime } from './runtime.js';

function body(req: SandboxRequest): Record<string, unknown> {
  const parsed = parseJsonBody(req);
  return parsed.ok && parsed.value && typeof parsed.value === 'object' ? (parsed.value as Record<string, unknown>) : {};
}

export function mountControls(router: Router, rt: DataverseRuntime): void {
  const base = '/_sandbox/dataverse';
  const asSeller = (method: string, path: string, json: unknown, headers: Record<string, string> = {}): ApiRequest => ({
    method, path, query: new URLSearchParams(), headers: { 'if-match': '*', ...headers }, body: JSON.stringify(json ?? {}),
    serviceRoot: `${rt.url}/api/data/v9.2/`, callerId: SELLER_USER_ID,
  });

  router.on('GET', base, (_req, res) => {
    sendJson(res, 200, { version: rt.store.version, now: rt.clock.iso(), tables: Object.fromEntries([...rt.store.tables.values()].map((t) => [t.def.entitySet, t.rows.size])) });
  });
  router.on('POST', `${base}/reset`, (req, res) => {
    rt.reset((body(req).seed as SeedKind | undefined) ?? 'default');
    sendJson(res, 200, { reset: true });
  });
  router.on('POST', `${base}/seed`, (req, res) => {
    const b = body(req);
    const ids = generateBulk(rt.store, {
      opportunities: Number(b.opportunities ?? 10),
      ...(typeof b.prefix === 'string' ? { prefix: b.prefix } : {}),
      ...(typeof b.teamPerDeal === 'number' ? { teamPerDeal: b.teamPerDeal } : {}),
      ...(typeof b.solutionsPerDeal === 'number' ? { solutionsPerDeal: b.solutionsPerDeal } : {}),
    });
    sendJson(res, 200, { created: ids.length, ids: ids.slice(0, 100) });
  });
  router.on('POST', `${base}/faults`, (req, res) => {
    rt.faults.configure(body(req) as unknown as FaultConfig);
    sendJson(res, 200, { faults: rt.faults.current() ?? null });
  });
  router.on('DELETE', `${base}/faults`, (_req, res) => {
    rt.faults.configure(undefined);
    sendJson(res, 200, { faults: null });
  });
  router.on('GET', `${base}/counters`, (_req, res) => sendJson(res, 200, rt.counters.snapshot()));
  router.on('DELETE', `${base}/counters`, (_req, res) => {
    rt.counters.reset();
    sendJson(res, 200, {});
  });
  router.on('POST', `${base}/clock`, (req, res) => {
    const b = body(req);
    if (typeof b.advanceMs === 'number') rt.clock.advance(b.advanceMs);
    if (typeof b.advanceDays === 'number') rt.clock.advance(b.advanceDays * DAY_MS);
    if (typeof b.set === 'string') rt.clock.set(b.set);
    if (b.reset === true) rt.clock.reset();
    sendJson(res, 200, { now: rt.clock.iso() });
  });
  router.on('POST', `${base}/change-tracking`, (req, res) => {
    try {
      rt.setChangeTracking(changeTrackingReading(body(req) as Partial<ChangeTrackingReading>));
      sendJson(res, 200, rt.store.changeTracking);
    } catch (error) {
      sendJson(res, 400, { error: (error as Error).message });
    }
  });
  router.on('POST', `${base}/stages`, (req, res) => {
    const b = body(req);
    const row = rt.store.insert('processstage', { stagename: String(b.name), stagecategory: Number(b.category ?? 0), _processid_value: OPPORTUNITY_SALES_PROCESS_ID, primaryentitytypecode: 'opportunity' });
    sendJson(res, 200, { processstageid: row.processstageid });
  });
  router.on('POST', `${base}/privileges`, (req, res) => {
    const b = body(req);
    for (const p of (b.revoke as string[] | undefined) ?? []) rt.store.privileges.delete(p);
    for (const p of (b.grant as string[] | undefined) ?? []) rt.store.privileges.add(p);
    sendJson(res, 200, { privileges: [...rt.store.privileges].sort() });
  });
  // A seller edits a record in the Dynamics 365 UI: a PATCH with Web API column names and @odata.bind.
  router.on('POST', `${base}/seller/edit`, (req, res) => {
    const b = body(req);
    const set = String(b.entitySet ?? 'opportunities');
    const answer = dispatch(rt.store, asSeller('PATCH', `${set}(${String(b.id)})`, b.changes));
    rt.changed();
    sendJson(res, answer.status === 204 ? 200 : answer.status, answer.body ?? { updated: true });
  });
  router.on('POST', `${base}/seller/create`, (req, res) => {
    const b = body(req);
    const set = String(b.entitySet ?? 'opportunities');
    const answer = dispatch(rt.store, { ...asSeller('POST', set, b.values), headers: { prefer: 'return=representation' } });
    rt.changed();
    sendJson(res, answer.status, answer.body);
  });
  // The seller closes an opportunity as won or lost from the Close Opportunity dialog.
  router.on('POST', `${base}/seller/close`, (req, res) => {
    const b = body(req);
    const won = b.outcome === 'won';
    try {
      closeOpportunity(rt.store, asSeller('POST', won ? 'WinOpportunity' : 'LoseOpportunity', {
        Status: typeof b.status === 'number' ? b.status : won ? 3 : 4,
        OpportunityClose: { subject: won ? 'Won' : 'Lost', 'opportunityid@odata.bind': `/opportunities(${String(b.id)})` },
      }), won ? 'won' : 'lost');
      rt.changed();
      sendJson(res, 200, { closed: true });
    } catch (error) {
      sendJson(res, 400, { error: { code: '', message: (error as Error).message } });
    }
  });
  router.on('POST', `${base}/seller/delete`, (req, res) => {
    const b = body(req);
    const answer = dispatch(rt.store, asSeller('DELETE', `${String(b.entitySet ?? 'opportunities')}(${String(b.id)})`, undefined));
    rt.changed();
    sendJson(res, answer.status === 204 ? 200 : answer.status, answer.body ?? { deleted: true });
  });
  router.on('POST', `${base}/save`, (_req, res) => {
    rt.persist();
    sendJson(res, 200, { saved: Boolean(rt.persistFile) });
  });
}
