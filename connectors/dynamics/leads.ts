/**
 * Lead referrals as Dataverse leads: created in `$batch` requests (the lead ID chosen here, so a retried
 * create is recognised by its key), and read back for qualification (statecode 1 = Qualified,
 * qualifyingopportunityid = the opportunity it became).
 */
import { randomUUID } from 'node:crypto';
import { leadBody } from '../../mappings/leads.dynamics.js';
import type { CrmWrite, CrmWriteResult } from '../types.js';
import { MAX_BATCH_OPERATIONS, type DataverseClient } from './client.js';

type LeadCreate = Extract<CrmWrite, { kind: 'create' }>;
const QUALIFIED = 1;

export async function createLeads(client: DataverseClient, prefix: string, writes: readonly LeadCreate[], newId: () => string = randomUUID): Promise<CrmWriteResult[]> {
  const results: CrmWriteResult[] = [];
  for (let i = 0; i < writes.length; i += MAX_BATCH_OPERATIONS) {
    const chunk = writes.slice(i, i + MAX_BATCH_OPERATIONS).map((w) => ({ w, id: newId() }));
    const answers = await client.batch(`creating ${chunk.length} leads in a $batch`, chunk.map(({ w, id }) => ({
      kind: 'operation' as const,
      operation: { method: 'POST' as const, url: 'leads', headers: { 'Content-Type': 'application/json' }, body: { leadid: id, ...leadBody(w.referral, prefix, w.status.referralLink ?? '') } },
    })));
    chunk.forEach(({ w, id }, n) => {
      const answer = answers[n];
      const response = answer?.kind === 'operation' ? answer.response : answer?.responses[0];
      if (response && response.status < 300) results.push({ key: w.key, ok: true, crmId: id });
      else {
        const message = (response?.body as { error?: { message?: string; code?: string } } | undefined)?.error;
        results.push({ key: w.key, ok: false, code: 'validation', message: `Lead for referral ${w.key}: ${message?.message ?? `HTTP ${response?.status ?? 'no answer'}`}`, ...(message?.code ? { rule: message.code } : {}) });
      }
    });
  }
  return results;
}

/** Leads that exist: lead ID → the opportunity it was qualified into, or null. */
export async function leadConversions(client: DataverseClient, leadIds: readonly string[]): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  for (let i = 0; i < leadIds.length; i += 50) {
    const chunk = leadIds.slice(i, i + 50);
    const filter = chunk.map((id) => `leadid eq ${id}`).join(' or ');
    const res = await client.get<{ value: { leadid: string; statecode: number; _qualifyingopportunityid_value: string | null }[] }>(
      `reading ${chunk.length} leads`, `leads?$select=leadid,statecode,_qualifyingopportunityid_value&$filter=${encodeURIComponent(filter)}`,
    );
    for (const r of res.data.value) {
      const asked = chunk.find((id) => id.toLowerCase() === r.leadid.toLowerCase()) ?? r.leadid;
      out.set(asked, r.statecode === QUALIFIED && r._qualifyingopportunityid_value ? r._qualifyingopportunityid_value : null);
    }
  }
  return out;
}
