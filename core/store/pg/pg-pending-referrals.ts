/**
 * The PostgreSQL store's referrals waiting for a targeted sync (migration 10, `pending_referrals`): the same
 * semantics as the SQLite store's (sqlite-pending-referrals.ts), one tenant's rows.
 */
import type pg from 'pg';
import type { AsyncPendingReferrals } from '../async-state-store.js';
import { PENDING_REFERRAL_COLUMNS, pendingReferralOfRow, rowValuesOf, type PendingReferral, type PendingReferralRow } from '../pending-referrals.js';

export class PgPendingReferrals implements AsyncPendingReferrals {
  constructor(
    private readonly pool: pg.Pool,
    private readonly tenantId: string,
  ) {}

  async list(): Promise<PendingReferral[]> {
    const { rows } = await this.pool.query<PendingReferralRow>(
      `SELECT ${PENDING_REFERRAL_COLUMNS} FROM pending_referrals WHERE tenant_id = $1 ORDER BY received_ms, referral_id`,
      [this.tenantId],
    );
    return rows.map(pendingReferralOfRow);
  }

  async put(entry: PendingReferral, at: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO pending_referrals (tenant_id, ${PENDING_REFERRAL_COLUMNS}, updated_at) VALUES ($1, $2, $3, $4, $5::json, $6)
       ON CONFLICT (tenant_id, referral_id) DO UPDATE SET received_ms = excluded.received_ms, events = excluded.events, failure_json = excluded.failure_json, updated_at = excluded.updated_at`,
      [this.tenantId, ...rowValuesOf(entry), at],
    );
  }

  async remove(referralIds: readonly string[]): Promise<void> {
    if (referralIds.length === 0) return;
    await this.pool.query('DELETE FROM pending_referrals WHERE tenant_id = $1 AND referral_id = ANY($2::text[])', [this.tenantId, [...referralIds]]);
  }
}
