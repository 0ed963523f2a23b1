/**
 * The referrals `cosell serve` was told about by webhook and has not synced yet (core/serve/event-queue.ts),
 * one row per referral (schema version 9; PostgreSQL migration 10). An event is stored before it is
 * answered 200, so each event must cost one small write: the queue used to be one `store_meta` value
 * holding every waiting referral, written whole on every event, and a burst of N distinct referrals wrote
 * N²/2 entries (4,000 referrals: 700 MB and 14 s of a service that answers nothing meanwhile). The
 * migration moves a list saved that way into rows, so nothing waiting is lost on upgrade.
 */

export interface PendingReferral {
  referralId: string;
  /** When the first event still waiting for it arrived (ms since the epoch). */
  receivedMs: number;
  /** Events taken for it since, for the log. */
  events: number;
  /** Its last targeted sync failed: why, how many times in a row, and when to try it again. */
  failure?: { reason: string; attempts: number; retryAtMs: number };
}

export interface PendingReferrals {
  /** Every referral waiting, oldest event first (a restart reads them once). */
  list(): PendingReferral[];
  /** Stores one referral's entry in place of the one it had: one row, however many referrals wait. */
  put(entry: PendingReferral, at: string): void;
  /** Forgets these referrals (synced, or covered by a poll), in one transaction. */
  remove(referralIds: readonly string[]): void;
}

/** A `pending_referrals` row, as the SQLite and the PostgreSQL store read it. */
export interface PendingReferralRow {
  referral_id: string;
  received_ms: number;
  events: number;
  failure_json: string | null;
}

export const PENDING_REFERRAL_COLUMNS = 'referral_id, received_ms, events, failure_json';

export const pendingReferralOfRow = (row: PendingReferralRow): PendingReferral => ({
  referralId: row.referral_id,
  receivedMs: row.received_ms,
  events: row.events,
  ...(row.failure_json !== null ? { failure: JSON.parse(row.failure_json) as NonNullable<PendingReferral['failure']> } : {}),
});

/** The row values of an entry, in the order of {@link PENDING_REFERRAL_COLUMNS}. */
export const rowValuesOf = (entry: PendingReferral) =>
  [entry.referralId, entry.receivedMs, entry.events, entry.failure ? JSON.stringify(entry.failure) : null] as const;

/** The in-memory rows (dry runs, unit tests), read back as the databases read them. */
export class MemoryPendingReferrals implements PendingReferrals {
  private readonly rows = new Map<string, string>();

  list(): PendingReferral[] {
    return [...this.rows.values()]
      .map((text) => JSON.parse(text) as PendingReferral)
      .sort((a, b) => a.receivedMs - b.receivedMs || (a.referralId < b.referralId ? -1 : a.referralId > b.referralId ? 1 : 0));
  }

  put(entry: PendingReferral): void {
    this.rows.set(entry.referralId, JSON.stringify(pendingReferralOfRow(toRow(entry))));
  }

  remove(referralIds: readonly string[]): void {
    for (const id of referralIds) this.rows.delete(id);
  }
}

const toRow = (entry: PendingReferral): PendingReferralRow => {
  const [referral_id, received_ms, events, failure_json] = rowValuesOf(entry);
  return { referral_id, received_ms, events, failure_json };
};
