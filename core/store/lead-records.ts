/**
 * The CRM leads the connector created for referrals Partner Center classifies as leads (core/model/lead.ts),
 * kept so that a later run can ask the CRM whether the seller converted each one. A lead is linked like an
 * opportunity (the link's `crmId` is the lead ID) until it is converted; `convert` then moves the link to
 * the new opportunity in one step, so the referral keeps one pairing and never gets a second record.
 * Schema version 5 (`crm_leads`, sqlite-schema.ts).
 */
export interface LeadRecord {
  leadId: string;
  referralId: string;
  createdAt: string;
  /** The opportunity the lead became, once converted. */
  convertedTo?: string;
  convertedAt?: string;
}

export interface LeadRecords {
  putLead(record: Pick<LeadRecord, 'leadId' | 'referralId' | 'createdAt'>): void;
  getLead(leadId: string): LeadRecord | undefined;
  /** In one read, the leads among these IDs (a page's records are read at once, core/engine/page-records.ts). */
  getLeads(leadIds: readonly string[]): LeadRecord[];
  /** Leads not converted yet, oldest first. */
  openLeads(limit?: number): LeadRecord[];
  /**
   * The seller converted the lead: its link now names the opportunity (same referral, same base), and the
   * lead is marked converted. Throws if the opportunity is already linked to another referral.
   */
  convert(leadId: string, opportunityId: string, at: string): void;
}

/** A `crm_leads` row, as both the SQLite and the PostgreSQL store read it. */
export interface LeadRow {
  lead_id: string;
  referral_id: string;
  created_at: string;
  converted_to: string | null;
  converted_at: string | null;
}

export const leadOfRow = (r: LeadRow): LeadRecord => ({
  leadId: r.lead_id, referralId: r.referral_id, createdAt: r.created_at,
  ...(r.converted_to ? { convertedTo: r.converted_to } : {}), ...(r.converted_at ? { convertedAt: r.converted_at } : {}),
});
