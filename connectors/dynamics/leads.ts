/**
 * Lead referrals as Dataverse leads: created and updated in `$batch` requests (the lead ID chosen here, so
 * a retried create is recognised by its key), and read back (statecode 1 = Qualified,
 * qualifyingopportunityid = the opportunity it became, the seller's answer) by lead ID or by referral ID.
 */
import { randomUUID } from 'node:crypto';
import { leadAnswer, leadAnswerColumns, leadBody, leadStatusBody, leadStatusColumns, leadStatusDatetimes } from '../../mappings/leads.dynamics.js';
import { heldColumns, showsWritten } from '../shown-status.js';
import { savedStatusOf } from '../save-rewrites.js';
import type { SyncStatus } from '../../core/model/sync-status.js';
import type { LeadChange, LeadCreate } from '../lead-writes.js';
import type { CrmLead, CrmWrite, CrmWriteResult } from '../../core/engine/crm-port.js';
import type { BatchOperation, EntryResponse } from './batch-format.js';
import { MAX_BATCH_OPERATIONS, type DataverseClient } from './client.js';
import { allRowsInBatch } from './pages.js';
import { privilegeRefusal } from './errors.js';
import { chunks } from '../../core/chunks.js';
import { IDS_PER_QUERY, inFilter, query } from './queries.js';

const QUALIFIED = 1;

function resultOf(w: CrmWrite, answer: EntryResponse | undefined, crmId: string, operation: BatchOperation, statusColumns: readonly string[]): CrmWriteResult {
  const response = answer?.kind === 'operation' ? answer.response : answer?.responses[0];
  if (response && response.status < 300) {
    // A lead answered as saved (a status write): its status columns as the org's plug-in left them, when it rewrote one.
    const saved = response.body && typeof response.body === 'object' ? savedStatusOf(operation.body as Record<string, unknown>, response.body as Record<string, unknown>, statusColumns) : undefined;
    return { key: w.key, ok: true, crmId, ...(saved ? { savedStatus: saved } : {}) };
  }
  const error = (response?.body as { error?: { message?: string; code?: string } } | undefined)?.error;
  const what = w.kind === 'create' ? `Lead for referral ${w.key}` : `Lead ${crmId}`;
  return { key: w.key, ok: false, code: 'validation', message: `${what}: ${error?.message ?? `HTTP ${response?.status ?? 'no answer'}`}`, ...(error?.code ? { rule: error.code } : {}) };
}

async function send(client: DataverseClient, prefix: string, what: string, items: readonly { w: CrmWrite; id: string; operation: BatchOperation }[]): Promise<CrmWriteResult[]> {
  const results: CrmWriteResult[] = [];
  const statusColumns = leadStatusColumns(prefix);
  for (const chunk of chunks(items, MAX_BATCH_OPERATIONS)) {
    const answers = await client.batch(`${what} ${chunk.length} leads in a $batch`, chunk.map(({ operation }) => ({ kind: 'operation' as const, operation })));
    // A missing privilege refuses every lead alike: the run fails naming it (errors.ts), no lead is refused on its own.
    const refusal = privilegeRefusal(answers, `${what} ${chunk.length} leads`);
    if (refusal) throw refusal;
    chunk.forEach(({ w, id, operation }, n) => results.push(resultOf(w, answers[n], id, operation, statusColumns)));
  }
  return results;
}

export async function createLeads(client: DataverseClient, prefix: string, writes: readonly LeadCreate[], newId: () => string = randomUUID): Promise<CrmWriteResult[]> {
  return send(client, prefix, 'creating', writes.map((w) => {
    const id = newId();
    // statecode is not valid on create: a new lead is open, as its referral is.
    const { statecode: _state, statuscode: _status, ...status } = leadStatusBody(w.status, prefix);
    return { w, id, operation: { method: 'POST' as const, url: 'leads', headers: { 'Content-Type': 'application/json' }, body: { leadid: id, ...leadBody(w.referral, prefix), ...status } } };
  }));
}

/**
 * Partner Center's changes and the sync status onto leads not converted yet. A status write asks for the
 * lead's status columns as saved (`return=representation`): when the org's PreOperation plug-in rewrote
 * one, the result carries them (`savedStatus`), as an opportunity's does (writes.ts).
 */
export async function updateLeads(client: DataverseClient, prefix: string, writes: readonly LeadChange[]): Promise<CrmWriteResult[]> {
  const asSaved = { Prefer: 'return=representation' };
  const statusSelect = leadStatusColumns(prefix).join(',');
  return send(client, prefix, 'updating', writes.map((w) => ({
    w,
    id: w.crmId,
    operation: {
      method: 'PATCH' as const,
      url: w.status ? `leads(${w.crmId})?$select=${statusSelect}` : `leads(${w.crmId})`,
      headers: { 'Content-Type': 'application/json', 'If-Match': '*', ...(w.status ? asSaved : {}) },
      body: { ...(w.kind === 'update' ? leadBody(w.referral, prefix, w.changedFields) : {}), ...(w.status ? leadStatusBody(w.status, prefix) : {}) },
    },
  })));
}

/** The IDs as asked, by their lower-case form (Dataverse answers GUIDs in lower case). */
const askedByLowerCase = (ids: readonly string[]) => new Map(ids.map((id) => [id.toLowerCase(), id]));

async function queryLeads(client: DataverseClient, prefix: string, column: string, values: readonly string[]): Promise<CrmLead[]> {
  const out: CrmLead[] = [];
  const statusColumns = leadStatusColumns(prefix);
  const select = ['leadid', 'modifiedon', 'statecode', '_qualifyingopportunityid_value', `${prefix}referralid`, ...leadAnswerColumns(prefix), ...statusColumns].join(',');
  // Every chunk in one $batch of GETs (batch-reads.ts), not one call per chunk; every page of each (pages.ts).
  const urls = chunks(values, IDS_PER_QUERY).map((chunk) => query('leads', { $select: select, $filter: inFilter(column, chunk) }));
  for (const rows of await allRowsInBatch<Record<string, unknown>>(client, `reading ${values.length} leads`, urls)) {
    for (const r of rows) {
      const converted = r.statecode === QUALIFIED && typeof r._qualifyingopportunityid_value === 'string' ? r._qualifyingopportunityid_value : undefined;
      out.push({
        leadId: String(r.leadid),
        ...(typeof r[`${prefix}referralid`] === 'string' ? { referralId: r[`${prefix}referralid`] as string } : {}),
        ...(converted ? { convertedTo: converted } : {}),
        ...leadAnswer(r, prefix),
        ...(typeof r.modifiedon === 'string' ? { modifiedAt: new Date(r.modifiedon).toISOString() } : {}),
        shownStatus: heldColumns(r, statusColumns),
      });
    }
  }
  return out;
}

/**
 * Whether the lead, as read, shows what writing `status` left on it (a seller's edit of its status columns:
 * false), in the form the org's plug-in saved it when it rewrote it (`status.savedAs`).
 */
export function leadShowsStatus(prefix: string, lead: CrmLead, status: SyncStatus): boolean {
  return showsWritten(lead.shownStatus ?? {}, status.savedAs ?? leadStatusBody(status, prefix), leadStatusDatetimes(prefix));
}

/** Leads that exist: lead ID (as asked) → the lead now. */
export async function readLeads(client: DataverseClient, prefix: string, leadIds: readonly string[]): Promise<Map<string, CrmLead>> {
  const out = new Map<string, CrmLead>();
  const asked = askedByLowerCase(leadIds);
  for (const lead of await queryLeads(client, prefix, 'leadid', leadIds)) out.set(asked.get(lead.leadId.toLowerCase()) ?? lead.leadId, lead);
  return out;
}

/** Leads carrying these referral IDs: referral ID → lead (the first one read, should a seller have copied the ID). */
export async function findLeads(client: DataverseClient, prefix: string, referralIds: readonly string[]): Promise<Map<string, CrmLead>> {
  const out = new Map<string, CrmLead>();
  const byLower = askedByLowerCase(referralIds);
  for (const lead of await queryLeads(client, prefix, `${prefix}referralid`, referralIds)) {
    const asked = lead.referralId ? byLower.get(lead.referralId.toLowerCase()) : undefined;
    if (asked && !out.has(asked)) out.set(asked, lead);
  }
  return out;
}
