/**
 * Applies the engine's writes: looks up what it must (existing referral IDs, accounts, contacts,
 * currencies, the current state of updated opportunities) in a few queries, plans each write
 * (write-plan.ts), packs the plans into `$batch` calls of at most 1,000 operations, and answers each
 * write with its own result. Never throws for one bad record; throws an AuthError for a refused privilege,
 * which refuses every record alike.
 */
import { dealsSharing } from './shared-customers.js';
import { rewrittenOnSave, savedStatusOf } from '../save-rewrites.js';
import { AuthError, ConnectorError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { DynamicsFieldRow } from '../../mappings/fields.dynamics.js';
import type { DynamicsStageRow } from '../../mappings/stages.dynamics.js';
import type { CrmWrite, CrmWriteResult } from '../../core/engine/crm-port.js';
import type { Referral } from '../../core/model/referral.js';
import { operationCount, type BatchEntry, type EntryResponse, type PartResponse } from './batch-format.js';
import { MAX_BATCH_OPERATIONS, type DataverseClient } from './client.js';
import { batchFailure, DATAVERSE_CODES, privilegeRefusal, type ColumnToPath } from './errors.js';
import { matchCustomers } from './matching.js';
import { allRowsInBatch } from './pages.js';
import { chunks } from '../../core/chunks.js';
import { listCell } from '../invitation-requests.js';
import { IDS_PER_QUERY, inFilter, query } from './queries.js';
import { touches } from './convert.js';
import { ownStatusRows, stageRowOf, type ProcessStages } from './payloads.js';
import type { ConnectorNames } from './schema-names.js';
import { contactsToLink, needsCurrent, planCreate, planStatus, planUpdate, type CurrentOpportunity, type PlanContext, type PlannedWrite } from './write-plan.js';
import { currencyRefusal, setsCurrency } from './currency-refusal.js';

export interface WriteDeps {
  client: DataverseClient;
  fields: readonly DynamicsFieldRow[];
  stages: readonly DynamicsStageRow[];
  names: ConnectorNames;
  logger: Logger;
  newId: () => string;
  findByReferralIds(ids: readonly string[]): Promise<Map<string, string>>;
  currencyIds(): Promise<ReadonlyMap<string, string>>;
  /** The business process flow stages a stage write sets as the active one, listed again (once per run) when `wanted` names one it lacks. */
  processStages(wanted: readonly string[]): Promise<ProcessStages>;
}

async function currentOpportunities(deps: WriteDeps, ids: readonly string[]): Promise<Map<string, CurrentOpportunity>> {
  const out = new Map<string, CurrentOpportunity>();
  const { names } = deps;
  // Each child row with the column it is matched by (related-sets.ts: rows the engine did not read are kept).
  const keyColumn = (path: string) => deps.fields.find((f) => f.path === path)?.column;
  const memberColumn = keyColumn('team[].email');
  const solutionColumn = keyColumn('solutions[].id');
  const partnerColumn = keyColumn('invitations[].partnerId');
  const shortcutColumn = keyColumn('intent.invitePartnerId');
  const childSelect = (table: string, column: string | undefined) => `$select=${table}id${column ? `,${column}` : ''}`;
  const urls = chunks([...new Set(ids)], IDS_PER_QUERY).map((chunk) =>
    query('opportunities', {
      $select: ['opportunityid,statecode,_parentaccountid_value,_parentcontactid_value', ...(shortcutColumn ? [shortcutColumn] : [])].join(','),
      $expand: [
        `${names.teamCollection}(${childSelect(names.teamTable, memberColumn)})`,
        `${names.solutionCollection}(${childSelect(names.solutionTable, solutionColumn)})`,
        `${names.invitationCollection}(${childSelect(names.invitationTable, partnerColumn)})`,
      ].join(','),
      $filter: inFilter('opportunityid', chunk),
    }),
  );
  // Every chunk's GET in one $batch (one call), as the other reads by ID do, not one GET per 250 IDs.
  const answers = urls.length ? await allRowsInBatch<Record<string, unknown>>(deps.client, 'reading opportunities before updating them', urls) : [];
  for (const rows of answers) {
    for (const row of rows) {
      const list = (nav: string, id: string, column: string | undefined) =>
        ((row[nav] as Record<string, unknown>[] | undefined) ?? []).map((r) => ({ id: String(r[id]), ...(column ? { key: String(r[column] ?? '').toLowerCase() } : {}) }));
      out.set(String(row.opportunityid), {
        statecode: Number(row.statecode),
        ...(typeof row._parentaccountid_value === 'string' ? { accountId: row._parentaccountid_value } : {}),
        ...(typeof row._parentcontactid_value === 'string' ? { contactId: row._parentcontactid_value } : {}),
        team: list(names.teamCollection, `${names.teamTable}id`, memberColumn),
        solutions: list(names.solutionCollection, `${names.solutionTable}id`, solutionColumn),
        invitedPartners: [
          ...list(names.invitationCollection, `${names.invitationTable}id`, partnerColumn).flatMap((r) => (r.key ? [r.key] : [])),
          ...(shortcutColumn ? listCell(row[shortcutColumn]).map((id) => id.toLowerCase()) : []),
        ],
      });
    }
  }
  return out;
}

function resultOf(key: string, plan: PlannedWrite, answer: EntryResponse | undefined, pathOf: ColumnToPath, ownStatus: readonly string[]): CrmWriteResult {
  const record = `opportunity ${plan.crmId} (write ${key})`;
  if (!answer) return { key, ok: false, code: 'transient', message: `${record}: not executed because an earlier operation of the $batch failed` };
  const responses: PartResponse[] = answer.kind === 'operation' ? [answer.response] : answer.responses;
  const failed = responses.find((r) => r.status >= 400);
  if (failed) return batchFailure(key, failed.status, failed.body, record, pathOf);
  const expected = plan.entry.kind === 'changeset' ? plan.entry.operations.length : 1;
  if (responses.length < expected) return { key, ok: false, code: 'failed', message: `${record}: the change set came back with ${responses.length} of ${expected} answers` };
  const answered = plan.representation ? (responses[0]?.body as Record<string, unknown> | undefined) : undefined;
  // A row a plug-in rewrote on save is not the engine's echo: reported without a version, it is read back.
  const rewritten = answered ? rewrittenOnSave(sentBody(plan), answered) : [];
  const body = answered && !rewritten.length ? answered : undefined;
  const savedStatus = answered ? savedStatusOf(sentBody(plan), answered, ownStatus, rewritten) : undefined;
  return {
    key,
    ok: true,
    crmId: plan.crmId,
    // The status columns as saved, when the plug-in rewrote one: the record's form of the status (shown-status.ts).
    ...(savedStatus ? { savedStatus } : {}),
    // Only a write sent with the read's ETag reports the new version as the engine's own (write-plan.ts).
    ...(plan.conditional && typeof body?.modifiedon === 'string' ? { modifiedAt: new Date(body.modifiedon).toISOString() } : {}),
    ...(plan.conditional && typeof body?.['@odata.etag'] === 'string' ? { etag: body['@odata.etag'] } : {}),
  };
}

/** The opportunity PATCH's body: the one operation whose answer carries the row (`plan.representation`). */
function sentBody(plan: PlannedWrite): Record<string, unknown> {
  const operation = plan.entry.kind === 'changeset' ? plan.entry.operations[0] : plan.entry.operation;
  const body = operation?.body;
  return body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
}

/** Packs planned writes into batches of at most 1,000 operations, keeping each change set whole. */
export function packBatches<T extends { plan: PlannedWrite }>(items: readonly T[]): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let ops = 0;
  for (const item of items) {
    const n = operationCount([item.plan.entry]);
    if (current.length > 0 && ops + n > MAX_BATCH_OPERATIONS) {
      batches.push(current);
      current = [];
      ops = 0;
    }
    current.push(item);
    ops += n;
  }
  if (current.length) batches.push(current);
  return batches;
}

/** The stage names the writes set (a create at a middle stage, an update of the stage: those without one add none). */
function stageNamesWritten(referrals: readonly Referral[], stages: readonly DynamicsStageRow[]): string[] {
  return [...new Set(referrals.flatMap((r) => stageRowOf(r, stages)?.crmStage ?? []))];
}

export async function applyWrites(deps: WriteDeps, writes: readonly CrmWrite[]): Promise<CrmWriteResult[]> {
  const results: (CrmWriteResult | undefined)[] = new Array(writes.length);
  const creates = writes.flatMap((w, index) => (w.kind === 'create' ? [{ w, index }] : []));
  const updates = writes.flatMap((w, index) => (w.kind === 'update' ? [{ w, index }] : []));
  const existing = creates.length ? await deps.findByReferralIds(creates.flatMap(({ w }) => (w.referral.referralId ? [w.referral.referralId] : []))) : new Map<string, string>();
  const fresh = creates.filter(({ w }) => !(w.referral.referralId && existing.has(w.referral.referralId)));
  const needCurrency = fresh.length > 0 || updates.some(({ w }) => setsCurrency(w));
  const needStages = fresh.length > 0 || updates.some(({ w }) => touches('salesStage', w.changedFields));
  const prefetchIds = updates.filter(({ w }) => needsCurrent(w)).map(({ w }) => w.crmId);
  const current = prefetchIds.length ? await currentOpportunities(deps, prefetchIds) : new Map<string, CurrentOpportunity>();
  // Contacts an update links anew are matched by email with the new deals' customers (one $batch).
  const linking = updates.flatMap(({ w }) => contactsToLink(w, current.get(w.crmId)) ?? []);
  const ctx: PlanContext = {
    fields: deps.fields,
    stages: deps.stages,
    names: deps.names,
    newId: deps.newId,
    currencyIds: needCurrency ? await deps.currencyIds() : new Map(),
    processStages: needStages ? await deps.processStages(stageNamesWritten([...fresh, ...updates.filter(({ w }) => touches('salesStage', w.changedFields))].map(({ w }) => w.referral), deps.stages)) : new Map(),
    ...(fresh.length || linking.length
      ? await matchCustomers(deps.client, deps.fields, fresh.map(({ w }) => w.referral.customer), [...fresh.flatMap(({ w }) => (w.referral.customerContact ? [w.referral.customerContact] : [])), ...linking])
      : { accounts: new Map<string, string>(), contacts: new Map<string, string>() }),
  };
  const pathOf: ColumnToPath = (column, table) => deps.fields.find((f) => f.column === column && (!table || f.table === table))?.path;
  const ownStatus = ownStatusRows(deps.fields).map((f) => f.column);

  const planned: { index: number; key: string; plan: PlannedWrite }[] = [];
  writes.forEach((w, index) => {
    const known = w.kind === 'create' && w.referral.referralId ? existing.get(w.referral.referralId) : undefined;
    const refused = known ? undefined : currencyRefusal(w, ctx.currencyIds);
    if (refused) results[index] = refused;
    else if (w.kind === 'status') planned.push({ index, key: w.key, plan: planStatus(w.crmId, w.status, ctx, w.cleared, w.etag) });
    else if (w.kind === 'create') {
      // A repeated create (an engine retry) writes the status onto the opportunity that already exists.
      planned.push({ index, key: w.key, plan: known ? planStatus(known, w.status, ctx) : planCreate(w, ctx) });
    } else {
      const plan = planUpdate(w, current.get(w.crmId), ctx);
      if (plan) planned.push({ index, key: w.key, plan });
      else results[index] = { key: w.key, ok: true, crmId: w.crmId };
    }
  });

  for (const batch of packBatches(planned)) {
    let answers: EntryResponse[];
    try {
      answers = await deps.client.batch(`writing ${batch.length} opportunities in a $batch`, batch.map((p): BatchEntry => p.plan.entry));
    } catch (error) {
      // A refused sign-in or privilege refuses every record alike: the run fails, naming what to fix.
      if (error instanceof AuthError) throw error;
      const e = error instanceof ConnectorError ? error : new ConnectorError('dataverse_failed', String(error));
      for (const p of batch) results[p.index] = { key: p.key, ok: false, code: e.retryable || e.code === 'rate_limited' ? 'transient' : 'failed', message: `opportunity ${p.plan.crmId}: ${e.message}` };
      continue;
    }
    const refusal = privilegeRefusal(answers, `writing ${batch.length} opportunities`);
    if (refusal) throw refusal;
    batch.forEach((p, i) => {
      results[p.index] = resultOf(p.key, p.plan, answers[i], pathOf, ownStatus);
    });
  }
  await confirmRepeatedCreates(deps, writes, results);
  await nameSharingDeals(deps, planned, results);
  return results.map((r, i) => r ?? { key: writes[i]!.key, ok: false, code: 'failed', message: `write ${writes[i]!.key} was not planned` });
}

/** Each successful update that edited a customer row names the other opportunities using it (shared-customers.ts). */
async function nameSharingDeals(deps: WriteDeps, planned: readonly { index: number; key: string; plan: PlannedWrite }[], results: (CrmWriteResult | undefined)[]): Promise<void> {
  const edits = planned.filter((p) => results[p.index]?.ok).map((p) => ({ key: p.key, crmId: p.plan.crmId, entry: p.plan.entry }));
  const shared = await dealsSharing(deps.client, edits);
  for (const p of planned) {
    const result = results[p.index];
    const others = shared.get(p.key);
    if (others && result?.ok) results[p.index] = { ...result, customerSharedWith: others };
  }
}

/** A create that failed on a duplicate key was a retry of one that took effect: answer with that record. */
async function confirmRepeatedCreates(deps: WriteDeps, writes: readonly CrmWrite[], results: (CrmWriteResult | undefined)[]): Promise<void> {
  const suspects = writes.flatMap((w, i) => {
    const r = results[i];
    return w.kind === 'create' && w.referral.referralId && r && !r.ok && r.message.includes(DATAVERSE_CODES.duplicate) ? [{ i, id: w.referral.referralId }] : [];
  });
  if (!suspects.length) return;
  const found = await deps.findByReferralIds(suspects.map((s) => s.id));
  for (const s of suspects) {
    const crmId = found.get(s.id);
    if (crmId) results[s.i] = { key: writes[s.i]!.key, ok: true, crmId };
  }
}
