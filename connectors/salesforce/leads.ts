/**
 * Lead referrals as Salesforce Leads: created in sObject Collections (200 per call), and read back for
 * conversion (IsConverted, ConvertedOpportunityId) in one query per 200 leads.
 */
import { LEAD_F, leadValues } from '../../mappings/leads.salesforce.js';
import type { CrmWrite, CrmWriteResult } from '../types.js';
import type { SalesforceClient } from './client.js';
import { saveRecords } from './collections.js';
import { inList, quote } from './soql.js';

type LeadCreate = Extract<CrmWrite, { kind: 'create' }>;

export async function createLeads(client: SalesforceClient, writes: readonly LeadCreate[], referralLink: (id: string) => string): Promise<CrmWriteResult[]> {
  const items = writes.map((w) => ({ key: w.key, record: { attributes: { type: 'Lead' }, ...leadValues(w.referral, w.status.referralLink ?? referralLink(w.referral.referralId!)) } }));
  const outcomes = await saveRecords(client, 'POST', '/composite/sobjects', items);
  return writes.map((w): CrmWriteResult => {
    const o = outcomes.get(w.key);
    if (o?.ok) return { key: w.key, ok: true, crmId: o.id };
    const first = o?.errors[0];
    return { key: w.key, ok: false, code: 'validation', message: `Lead for referral ${w.key}: ${first?.message ?? 'not created'}`, ...(first?.statusCode ? { rule: first.statusCode } : {}) };
  });
}

/** Leads that exist: lead ID → the opportunity it was converted into, or null. */
export async function leadConversions(client: SalesforceClient, leadIds: readonly string[]): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  for (let i = 0; i < leadIds.length; i += 200) {
    const chunk = leadIds.slice(i, i + 200);
    const res = await client.query<{ Id: string; IsConverted: boolean; ConvertedOpportunityId: string | null }>(
      `SELECT Id, IsConverted, ConvertedOpportunityId, ${LEAD_F.referralId} FROM Lead WHERE Id IN ${inList(chunk, quote)}`,
    );
    for (const r of res.records) {
      const asked = chunk.find((id) => id.slice(0, 15) === r.Id.slice(0, 15)) ?? r.Id;
      out.set(asked, r.IsConverted && r.ConvertedOpportunityId ? r.ConvertedOpportunityId : null);
    }
  }
  return out;
}
