/**
 * The PostgreSQL store's CRM leads (migration 3, `crm_leads`): the same semantics as the SQLite store's
 * (sqlite-leads.ts), one tenant's rows. `convert` moves the link and marks the lead in one transaction.
 */
import type pg from 'pg';
import type { AsyncLeadRecords } from '../async-state-store.js';
import { leadOfRow as toRecord, type LeadRecord, type LeadRow } from '../lead-records.js';
import { linkConflictError } from '../sqlite-errors.js';
import { violated } from './pg-records.js';
import { SQL } from './pg-statements.js';


const LEAD = 'lead_id, referral_id, created_at, converted_to, converted_at';

export class PgLeadRecords implements AsyncLeadRecords {
  constructor(
    private readonly pool: pg.Pool,
    private readonly tenantId: string,
  ) {}

  async putLead(record: Pick<LeadRecord, 'leadId' | 'referralId' | 'createdAt'>): Promise<void> {
    await this.pool.query(SQL.putLead, [this.tenantId, record.leadId, record.referralId, record.createdAt]);
  }

  async getLead(leadId: string): Promise<LeadRecord | undefined> {
    return (await this.getLeads([leadId]))[0];
  }

  async getLeads(leadIds: readonly string[]): Promise<LeadRecord[]> {
    if (leadIds.length === 0) return [];
    const { rows } = await this.pool.query<LeadRow>(`SELECT ${LEAD} FROM crm_leads WHERE tenant_id = $1 AND lead_id = ANY($2::text[])`, [this.tenantId, leadIds]);
    return rows.map(toRecord);
  }

  async openLeads(limit = 10_000): Promise<LeadRecord[]> {
    const { rows } = await this.pool.query<LeadRow>(
      `SELECT ${LEAD} FROM crm_leads WHERE tenant_id = $1 AND converted_to IS NULL ORDER BY created_at, lead_id LIMIT $2`,
      [this.tenantId, limit],
    );
    return rows.map(toRecord);
  }

  async convert(leadId: string, opportunityId: string, at: string): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      try {
        // The link's key is the CRM ID: updating it moves the pairing to the opportunity in place.
        await client.query('UPDATE links SET crm_id = $3, crm_etag = NULL, crm_modified_at = NULL WHERE tenant_id = $1 AND crm_id = $2', [this.tenantId, leadId, opportunityId]);
      } catch (error) {
        if (!violated(error, 'links_pkey')) throw error;
        await client.query('ROLLBACK');
        const lead = await this.getLead(leadId);
        throw linkConflictError({ crmId: opportunityId, referralId: lead?.referralId ?? '(unknown)' }, opportunityId);
      }
      await client.query('UPDATE crm_leads SET converted_to = $3, converted_at = $4 WHERE tenant_id = $1 AND lead_id = $2', [this.tenantId, leadId, opportunityId, at]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
