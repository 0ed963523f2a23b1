/** LeadRecords on the SQLite state database (table `crm_leads`, schema version 5). */
import type Database from 'better-sqlite3';
import { linkConflictError } from './sqlite-errors.js';
import { leadOfRow as toRecord, type LeadRecord, type LeadRecords, type LeadRow } from './lead-records.js';


export class SqliteLeadRecords implements LeadRecords {
  private readonly put;
  private readonly get;
  private readonly getMany;
  private readonly open;
  private readonly relink;
  private readonly mark;

  constructor(db: Database.Database) {
    this.put = db.prepare<[string, string, string]>('INSERT INTO crm_leads (lead_id, referral_id, created_at) VALUES (?, ?, ?) ON CONFLICT (lead_id) DO UPDATE SET referral_id = excluded.referral_id');
    this.get = db.prepare<[string], LeadRow>('SELECT * FROM crm_leads WHERE lead_id = ?');
    this.getMany = db.prepare<[string], LeadRow>('SELECT * FROM crm_leads WHERE lead_id IN (SELECT value FROM json_each(?))');
    this.open = db.prepare<[number], LeadRow>('SELECT * FROM crm_leads WHERE converted_to IS NULL ORDER BY created_at, lead_id LIMIT ?');
    // The link's primary key is the CRM ID: updating it moves the pairing to the opportunity in place.
    this.relink = db.prepare<[string, string]>('UPDATE links SET crm_id = ?, crm_etag = NULL, crm_modified_at = NULL WHERE crm_id = ?');
    this.mark = db.prepare<[string, string, string]>('UPDATE crm_leads SET converted_to = ?, converted_at = ? WHERE lead_id = ?');
  }

  putLead(record: Pick<LeadRecord, 'leadId' | 'referralId' | 'createdAt'>): void {
    this.put.run(record.leadId, record.referralId, record.createdAt);
  }

  getLead(leadId: string): LeadRecord | undefined {
    const row = this.get.get(leadId);
    return row && toRecord(row);
  }

  getLeads(leadIds: readonly string[]): LeadRecord[] {
    return leadIds.length === 0 ? [] : this.getMany.all(JSON.stringify(leadIds)).map(toRecord);
  }

  openLeads(limit = 10_000): LeadRecord[] {
    return this.open.all(limit).map(toRecord);
  }

  convert(leadId: string, opportunityId: string, at: string): void {
    try {
      this.relink.run(opportunityId, leadId);
    } catch (error) {
      // The opportunity is linked already (to another referral): the same refusal as every store gives.
      if (!String((error as { code?: unknown }).code).startsWith('SQLITE_CONSTRAINT')) throw error;
      throw linkConflictError({ crmId: opportunityId, referralId: this.get.get(leadId)?.referral_id ?? '(unknown)' }, opportunityId);
    }
    this.mark.run(opportunityId, at, leadId);
  }
}
