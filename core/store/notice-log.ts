/**
 * The notifications already decided on, one per cause (schema version 6): what makes "each notification
 * once per cause" hold across runs and restarts. A notice is claimed when its cause is first seen, waits
 * until `sendAfter` (quiet hours, the daily digest, a failed send), and is marked sent once Graph took it.
 * No secret is ever in a notice: it holds a rendered message, its recipients and a link to the record.
 */

export interface NoticeClaim {
  /** What the notice is about, stable across runs: `inbound-new:REF-1`, `parked:crm:006…:fingerprint`. */
  cause: string;
  kind: string;
  /** The rendered notice (recipients, subject, body) as JSON, opaque to the store. */
  notice: unknown;
  createdAt: string;
  sendAfter: string;
}

export interface StoredNotice extends NoticeClaim {
  sentAt?: string;
  attempts: number;
  lastError?: string;
}

export interface NoticeLog {
  /** Records a notice for a cause not seen before; false (and nothing stored) when the cause is known. */
  claim(notice: NoticeClaim): boolean;
  /** Notices not yet sent whose `sendAfter` is at or before `now`, oldest first. */
  due(now: string): StoredNotice[];
  markSent(causes: readonly string[], at: string): void;
  /** A send failed: keeps the notice, counts the attempt and waits until `retryAfter`. */
  markFailed(cause: string, error: string, retryAfter: string): void;
  /** The newest notices, sent or waiting (for the dashboard). */
  recent(limit: number): StoredNotice[];
}

/** The in-memory log (dry runs, unit tests), with the SQLite log's semantics and orderings. */
export class MemoryNoticeLog implements NoticeLog {
  private readonly notices = new Map<string, string>();

  claim(notice: NoticeClaim): boolean {
    if (this.notices.has(notice.cause)) return false;
    this.put({ ...notice, attempts: 0 });
    return true;
  }

  due(now: string): StoredNotice[] {
    return this.all()
      .filter((n) => n.sentAt === undefined && n.sendAfter <= now)
      .sort((a, b) => compare(a.sendAfter, b.sendAfter) || compare(a.cause, b.cause));
  }

  markSent(causes: readonly string[], at: string): void {
    for (const cause of causes) {
      const found = this.get(cause);
      if (found) this.put({ ...found, sentAt: at });
    }
  }

  markFailed(cause: string, error: string, retryAfter: string): void {
    const found = this.get(cause);
    if (found) this.put({ ...found, attempts: found.attempts + 1, lastError: error, sendAfter: retryAfter });
  }

  recent(limit: number): StoredNotice[] {
    return this.all()
      .sort((a, b) => compare(b.createdAt, a.createdAt) || compare(a.cause, b.cause))
      .slice(0, limit);
  }

  private get(cause: string): StoredNotice | undefined {
    const text = this.notices.get(cause);
    return text === undefined ? undefined : (JSON.parse(text) as StoredNotice);
  }

  private put(notice: StoredNotice): void {
    this.notices.set(notice.cause, JSON.stringify(notice));
  }

  private all(): StoredNotice[] {
    return [...this.notices.values()].map((text) => JSON.parse(text) as StoredNotice);
  }
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
