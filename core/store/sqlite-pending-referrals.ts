/** The referrals waiting for a targeted sync (pending-referrals.ts) on the SQLite state database (schema version 9). */
import type Database from 'better-sqlite3';
import { PENDING_REFERRAL_COLUMNS, pendingReferralOfRow, rowValuesOf, type PendingReferral, type PendingReferralRow, type PendingReferrals } from './pending-referrals.js';

export class SqlitePendingReferrals implements PendingReferrals {
  private readonly sql;

  constructor(private readonly db: Database.Database) {
    this.sql = {
      list: db.prepare<[], PendingReferralRow>(`SELECT ${PENDING_REFERRAL_COLUMNS} FROM pending_referrals ORDER BY received_ms, referral_id`),
      put: db.prepare<[string, number, number, string | null, string]>(
        `INSERT INTO pending_referrals (${PENDING_REFERRAL_COLUMNS}, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (referral_id) DO UPDATE SET received_ms = excluded.received_ms, events = excluded.events, failure_json = excluded.failure_json, updated_at = excluded.updated_at`,
      ),
      remove: db.prepare<[string]>('DELETE FROM pending_referrals WHERE referral_id = ?'),
    };
  }

  list(): PendingReferral[] {
    return this.sql.list.all().map(pendingReferralOfRow);
  }

  put(entry: PendingReferral, at: string): void {
    this.sql.put.run(...rowValuesOf(entry), at);
  }

  remove(referralIds: readonly string[]): void {
    if (referralIds.length === 0) return;
    this.db.transaction(() => {
      for (const id of referralIds) this.sql.remove.run(id);
    })();
  }
}
