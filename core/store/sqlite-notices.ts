/** The notice log (notice-log.ts) on the SQLite state database's `notifications` table (schema version 6). */
import type Database from 'better-sqlite3';
import type { NoticeClaim, NoticeLog, StoredNotice } from './notice-log.js';

/** A `notifications` row (PostgreSQL's has the same columns: pg-store.ts maps it with `toNotice`). */
export interface NoticeRow {
  cause: string;
  kind: string;
  notice_json: string;
  created_at: string;
  send_after: string;
  sent_at: string | null;
  attempts: number;
  last_error: string | null;
}

export const NOTICE_COLUMNS = 'cause, kind, notice_json, created_at, send_after, sent_at, attempts, last_error';

export const toNotice = (row: NoticeRow): StoredNotice => ({
  cause: row.cause,
  kind: row.kind,
  notice: JSON.parse(row.notice_json) as unknown,
  createdAt: row.created_at,
  sendAfter: row.send_after,
  attempts: row.attempts,
  ...(row.sent_at !== null ? { sentAt: row.sent_at } : {}),
  ...(row.last_error !== null ? { lastError: row.last_error } : {}),
});

export class SqliteNoticeLog implements NoticeLog {
  private readonly sql;

  constructor(private readonly db: Database.Database) {
    this.sql = {
      // INSERT OR IGNORE: a cause already known (sent or waiting) is never stored twice, even by two processes.
      claim: db.prepare<[string, string, string, string, string]>(
        'INSERT OR IGNORE INTO notifications (cause, kind, notice_json, created_at, send_after) VALUES (?, ?, ?, ?, ?)',
      ),
      due: db.prepare<[string], NoticeRow>(`SELECT ${NOTICE_COLUMNS} FROM notifications WHERE sent_at IS NULL AND send_after <= ? ORDER BY send_after, cause`),
      markSent: db.prepare<[string, string]>('UPDATE notifications SET sent_at = ? WHERE cause = ? AND sent_at IS NULL'),
      markFailed: db.prepare<[string, string, string]>('UPDATE notifications SET attempts = attempts + 1, last_error = ?, send_after = ? WHERE cause = ?'),
      recent: db.prepare<[number], NoticeRow>(`SELECT ${NOTICE_COLUMNS} FROM notifications ORDER BY created_at DESC, cause LIMIT ?`),
    };
  }

  claim(notice: NoticeClaim): boolean {
    return this.sql.claim.run(notice.cause, notice.kind, JSON.stringify(notice.notice), notice.createdAt, notice.sendAfter).changes === 1;
  }

  due(now: string): StoredNotice[] {
    return this.sql.due.all(now).map(toNotice);
  }

  markSent(causes: readonly string[], at: string): void {
    this.db.transaction(() => {
      for (const cause of causes) this.sql.markSent.run(at, cause);
    })();
  }

  markFailed(cause: string, error: string, retryAfter: string): void {
    this.sql.markFailed.run(error, retryAfter, cause);
  }

  recent(limit: number): StoredNotice[] {
    return this.sql.recent.all(limit).map(toNotice);
  }
}
