/**
 * The in-memory store's related-row index (RelatedRowIndex): which opportunity a team member, contact role
 * or solution row belongs to, its version as the engine last processed it (pending until its run is settled),
 * and when it was reported deleted; changes go through the store's undo journal
 * so a rolled-back transaction leaves them as they were.
 */
import type { RelatedRow } from '../engine/crm-port.js';
import type { UndoJournal } from './memory-journal.js';
// Shared with the SQLite store so both normalise instants identically.
import { canonicalInstant } from './sqlite-rows.js';

export class MemoryRelatedRows {
  /** Related row ID → its parent and, once reported deleted, when. */
  private readonly rows = new Map<string, { parentId: string; version?: string; pending?: { version: string; run: string }; goneAt?: string }>();

  constructor(private readonly journal: UndoJournal) {}

  remember(rows: readonly RelatedRow[]): void {
    for (const r of rows) {
      const known = this.rows.get(r.rowId);
      // Read again under the same opportunity at the version already known, nothing pending: settling would
      // give it that version again (the SQL stores skip the write the same way).
      if (known && known.parentId === r.parentId && known.goneAt === undefined && !known.pending && r.version && r.run && known.version === r.version) continue;
      const { version, pending } = known ?? {};
      const next = r.version && r.run ? { version: r.version, run: r.run } : pending;
      this.journal.set(this.rows, r.rowId, { parentId: r.parentId, ...(version ? { version } : {}), ...(next ? { pending: next } : {}) });
    }
  }

  settle(run: string): number {
    let settled = 0;
    for (const [id, row] of this.rows) {
      if (row.pending?.run !== run) continue;
      const { pending, ...rest } = row;
      this.journal.set(this.rows, id, { ...rest, version: pending.version });
      settled += 1;
    }
    return settled;
  }

  versions(rowIds: readonly string[]): Map<string, string> {
    const found = new Map<string, string>();
    for (const id of rowIds) {
      const version = this.rows.get(id)?.version;
      if (version) found.set(id, version);
    }
    return found;
  }

  parents(rowIds: readonly string[]): Map<string, string> {
    const found = new Map<string, string>();
    for (const id of rowIds) {
      const row = this.rows.get(id);
      if (row) found.set(id, row.parentId);
    }
    return found;
  }

  markGone(rowIds: readonly string[], at: string): void {
    const when = canonicalInstant(at, 'at');
    for (const id of rowIds) {
      const row = this.rows.get(id);
      if (row && row.goneAt === undefined) this.journal.set(this.rows, id, { ...row, goneAt: when });
    }
  }

  forgetGone(before: string): number {
    const cutoff = canonicalInstant(before, 'before');
    const gone = [...this.rows].filter(([, row]) => row.goneAt !== undefined && row.goneAt < cutoff).map(([id]) => id);
    for (const id of gone) this.journal.remove(this.rows, id);
    return gone.length;
  }
}
