/**
 * The in-memory store's related-row index (RelatedRowIndex): which opportunity a team member, contact role
 * or solution row belongs to, and when it was reported deleted; changes go through the store's undo journal
 * so a rolled-back transaction leaves them as they were.
 */
import type { UndoJournal } from './memory-journal.js';
// Shared with the SQLite store so both normalise instants identically.
import { canonicalInstant } from './sqlite-rows.js';

export class MemoryRelatedRows {
  /** Related row ID → its parent and, once reported deleted, when. */
  private readonly rows = new Map<string, { parentId: string; goneAt?: string }>();

  constructor(private readonly journal: UndoJournal) {}

  remember(rows: readonly { rowId: string; parentId: string }[]): void {
    for (const r of rows) this.journal.set(this.rows, r.rowId, { parentId: r.parentId });
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
