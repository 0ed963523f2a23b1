/** LeadRecords for the in-memory store: the same semantics as sqlite-leads.ts, undone with the store's journal. */
import { linkConflictError } from './sqlite-errors.js';
import type { UndoJournal } from './memory-journal.js';
import type { LeadRecord, LeadRecords } from './lead-records.js';
import type { Link } from './state-store.js';

export class MemoryLeadRecords implements LeadRecords {
  private readonly leads = new Map<string, string>();

  constructor(
    private readonly journal: UndoJournal,
    /** The store's links by CRM ID (JSON text) and CRM ID by referral ID. */
    private readonly links: Map<string, string>,
    private readonly crmIdByReferralId: Map<string, string>,
  ) {}

  putLead(record: Pick<LeadRecord, 'leadId' | 'referralId' | 'createdAt'>): void {
    const existing = this.getLead(record.leadId);
    this.journal.set(this.leads, record.leadId, JSON.stringify({ ...existing, ...record }));
  }

  getLead(leadId: string): LeadRecord | undefined {
    const text = this.leads.get(leadId);
    return text === undefined ? undefined : (JSON.parse(text) as LeadRecord);
  }

  getLeads(leadIds: readonly string[]): LeadRecord[] {
    return leadIds.flatMap((id) => {
      const text = this.leads.get(id);
      return text === undefined ? [] : [JSON.parse(text) as LeadRecord];
    });
  }

  openLeads(limit = 10_000): LeadRecord[] {
    return [...this.leads.values()].map((t) => JSON.parse(t) as LeadRecord).filter((l) => !l.convertedTo)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.leadId.localeCompare(b.leadId)).slice(0, limit);
  }

  convert(leadId: string, opportunityId: string, at: string): void {
    const text = this.links.get(leadId);
    if (text !== undefined) {
      const link = JSON.parse(text) as Link;
      const taken = this.links.get(opportunityId);
      if (taken !== undefined) throw linkConflictError({ ...link, crmId: opportunityId }, (JSON.parse(taken) as Link).crmId);
      const { crmEtag: _etag, crmModifiedAt: _modified, ...rest } = link;
      this.journal.remove(this.links, leadId);
      this.journal.set(this.links, opportunityId, JSON.stringify({ ...rest, crmId: opportunityId }));
      this.journal.set(this.crmIdByReferralId, link.referralId, opportunityId);
    }
    const lead = this.getLead(leadId);
    if (lead) this.journal.set(this.leads, leadId, JSON.stringify({ ...lead, convertedTo: opportunityId, convertedAt: at }));
  }
}
