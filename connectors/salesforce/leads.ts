/**
 * Lead referrals as Salesforce Leads: created and updated in sObject Collections (200 per call), and read
 * back (conversion, the seller's answer) in one query per 200 leads, by lead ID or by referral ID, every batch of it.
 */
import { sfDatetimeToIso } from '../../mappings/fields.salesforce.js';
import { LEAD_CREATE_DEFAULTS, LEAD_F, LEAD_STATUS_DATETIMES, LEAD_STATUS_FIELDS, leadAnswer, leadStatusValues, leadValues } from '../../mappings/leads.salesforce.js';
import { heldColumns, showsWritten } from '../shown-status.js';
import type { SyncStatus } from '../../core/model/sync-status.js';
import { chunks } from '../../core/chunks.js';
import type { LeadChange, LeadCreate } from '../lead-writes.js';
import type { CrmLead, CrmWrite, CrmWriteResult } from '../../core/engine/crm-port.js';
import type { SalesforceClient } from './client.js';
import { saveRecords, type ReadsAround, type ItemOutcome } from './collections.js';
import { savedStatusOf } from '../save-rewrites.js';
import { queryAllRecords } from './query-pages.js';
import { inList, quote, quoteId } from './soql.js';

const CHUNK = 200;
const LEAD_COLUMNS = `Id, SystemModstamp, IsConverted, ConvertedOpportunityId, ${LEAD_F.referralId}, ${LEAD_F.response}, ${LEAD_F.closeReason}, ${LEAD_STATUS_FIELDS.join(', ')}`;

function resultOf(w: CrmWrite, o: ItemOutcome | undefined, crmId: string | undefined): CrmWriteResult {
  if (o?.ok) return { key: w.key, ok: true, crmId: crmId ?? o.id };
  const first = o?.errors[0];
  return { key: w.key, ok: false, code: 'validation', message: `${w.kind === 'create' ? `Lead for referral ${w.key}` : `Lead ${w.crmId}`}: ${first?.message ?? 'not saved'}`, ...(first?.statusCode ? { rule: first.statusCode } : {}) };
}

export async function createLeads(client: SalesforceClient, writes: readonly LeadCreate[], referralLink: (id: string) => string): Promise<CrmWriteResult[]> {
  const items = writes.map((w) => ({
    key: w.key,
    record: { attributes: { type: 'Lead' }, ...LEAD_CREATE_DEFAULTS, ...leadValues(w.referral), ...leadStatusValues({ ...w.status, referralLink: w.status.referralLink ?? referralLink(w.referral.referralId!) }) },
  }));
  const outcomes = await saveRecords(client, 'POST', '/composite/sobjects', items);
  return writes.map((w) => resultOf(w, outcomes.get(w.key), undefined));
}

/**
 * Partner Center's changes and the sync status onto leads not converted yet. A write with a status reads the
 * leads' status fields back in the same call (after the save): when the org's before-save automation rewrote
 * one, the result carries them as saved (`savedStatus`), as an opportunity's does (write.ts).
 */
export async function updateLeads(client: SalesforceClient, writes: readonly LeadChange[]): Promise<CrmWriteResult[]> {
  const items = writes.map((w) => ({
    key: w.key,
    record: {
      attributes: { type: 'Lead' }, id: w.crmId,
      ...(w.kind === 'update' ? leadValues(w.referral, w.changedFields) : {}),
      ...(w.status ? leadStatusValues(w.status) : {}),
    },
  }));
  /** Lead (15-character ID) → its status fields as saved, when the save rewrote one. */
  const savedStatus = new Map<string, Record<string, unknown>>();
  const sent = new Map(items.map((i) => [i.record.id.slice(0, 15), i.record] as const));
  const readBack: ReadsAround = {
    soql: (ids) => `SELECT Id, ${LEAD_STATUS_FIELDS.join(', ')} FROM Lead WHERE Id IN ${inList(ids, quoteId)}`,
    rows: () => undefined,
    saved: (records) => {
      for (const r of records) {
        const id = String(r.Id).slice(0, 15);
        const shown = savedStatusOf(sent.get(id) ?? {}, r, LEAD_STATUS_FIELDS);
        if (shown) savedStatus.set(id, shown);
      }
    },
  };
  const outcomes = await saveRecords(client, 'PATCH', '/composite/sobjects', items, writes.some((w) => w.status) ? readBack : undefined);
  return writes.map((w) => {
    const result = resultOf(w, outcomes.get(w.key), w.crmId);
    const shown = savedStatus.get(w.crmId.slice(0, 15));
    return result.ok && shown ? { ...result, savedStatus: shown } : result;
  });
}

function toLead(r: Record<string, unknown>): CrmLead {
  const converted = r.IsConverted === true && typeof r.ConvertedOpportunityId === 'string' ? r.ConvertedOpportunityId : undefined;
  const modifiedAt = sfDatetimeToIso(r.SystemModstamp);
  return {
    leadId: String(r.Id),
    ...(typeof r[LEAD_F.referralId] === 'string' ? { referralId: r[LEAD_F.referralId] as string } : {}),
    ...(converted ? { convertedTo: converted } : {}),
    ...leadAnswer(r),
    ...(modifiedAt ? { modifiedAt } : {}),
    shownStatus: heldColumns(r, LEAD_STATUS_FIELDS),
  };
}

/**
 * Whether the Lead, as read, shows what writing `status` left on it (a seller's edit of its status fields:
 * false), in the form the org's automation saved it when it rewrote it (`status.savedAs`).
 */
export function leadShowsStatus(lead: CrmLead, status: SyncStatus): boolean {
  return showsWritten(lead.shownStatus ?? {}, status.savedAs ?? leadStatusValues(status), LEAD_STATUS_DATETIMES);
}

async function queryLeads(client: SalesforceClient, field: string, values: readonly string[]): Promise<CrmLead[]> {
  const out: CrmLead[] = [];
  // Every batch: a referral ID copied onto many leads can fill the first one before the others' leads.
  for (const chunk of chunks(values, CHUNK)) out.push(...(await queryAllRecords<Record<string, unknown>>(client, `SELECT ${LEAD_COLUMNS} FROM Lead WHERE ${field} IN ${inList(chunk, quote)}`)).map(toLead));
  return out;
}

/** Leads that exist: lead ID (as asked, 15 or 18 characters) → the lead now. */
export async function readLeads(client: SalesforceClient, leadIds: readonly string[]): Promise<Map<string, CrmLead>> {
  const out = new Map<string, CrmLead>();
  for (const lead of await queryLeads(client, 'Id', leadIds)) {
    out.set(leadIds.find((id) => id.slice(0, 15) === lead.leadId.slice(0, 15)) ?? lead.leadId, lead);
  }
  return out;
}

/** Leads carrying these referral IDs: referral ID → lead (the first one read, should a seller have copied the ID). */
export async function findLeads(client: SalesforceClient, referralIds: readonly string[]): Promise<Map<string, CrmLead>> {
  const out = new Map<string, CrmLead>();
  for (const lead of await queryLeads(client, LEAD_F.referralId, referralIds)) {
    const asked = referralIds.find((id) => id.toLowerCase() === lead.referralId?.toLowerCase());
    if (asked && !out.has(asked)) out.set(asked, lead);
  }
  return out;
}
