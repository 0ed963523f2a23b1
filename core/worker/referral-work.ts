/**
 * Referrals a webhook named, waiting for a targeted sync of their tenant (`tenant_referral_work`,
 * PostgreSQL migration 7). The webhook intake records them and wakes the tenant; the tenant's job syncs
 * them one targeted sync at a time, before any full cycle, and removes what it synced. A row announced
 * again while its sync ran keeps its newer time and is synced again: nothing announced is lost.
 */
import type pg from 'pg';

export interface PendingReferrals {
  referralIds: string[];
  /** The latest request among them: rows requested after it are left for the next sync. */
  through: Date;
}

/** Records the referrals for a targeted sync of the tenant (idempotent; the newest request time wins). */
export async function requestReferralSync(pool: pg.Pool, tenantId: string, referralIds: readonly string[], at: Date): Promise<void> {
  if (referralIds.length === 0) return;
  await pool.query(
    `INSERT INTO tenant_referral_work (tenant_id, referral_id, requested_at) SELECT $1, id, $3 FROM unnest($2::text[]) AS id
     ON CONFLICT (tenant_id, referral_id) DO UPDATE SET requested_at = GREATEST(tenant_referral_work.requested_at, EXCLUDED.requested_at)`,
    [tenantId, [...new Set(referralIds)], at],
  );
}

/** The tenant's waiting referrals, oldest first, at most `limit`. */
export async function pendingReferrals(pool: pg.Pool, tenantId: string, limit = 100): Promise<PendingReferrals | undefined> {
  const { rows } = await pool.query<{ referral_id: string; requested_at: Date }>(
    'SELECT referral_id, requested_at FROM tenant_referral_work WHERE tenant_id = $1 ORDER BY requested_at, referral_id LIMIT $2',
    [tenantId, limit],
  );
  if (rows.length === 0) return undefined;
  const through = rows.reduce((latest, r) => (r.requested_at > latest ? r.requested_at : latest), rows[0]!.requested_at);
  return { referralIds: rows.map((r) => r.referral_id), through };
}

/** Removes what a finished targeted sync read; a referral announced again after `through` stays. */
export async function referralsSynced(pool: pg.Pool, tenantId: string, pending: PendingReferrals): Promise<void> {
  await pool.query('DELETE FROM tenant_referral_work WHERE tenant_id = $1 AND referral_id = ANY($2::text[]) AND requested_at <= $3', [tenantId, pending.referralIds, pending.through]);
}
