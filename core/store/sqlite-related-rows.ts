/**
 * The SQLite store's related-row index (RelatedRowIndex, table crm_related_rows): which opportunity a team
 * member, contact role or solution row belongs to, its version as the engine last processed it (pending until
 * the run that read it is settled), and when it was reported deleted.
 */
import type { RelatedRow } from '../engine/crm-port.js';
import { canonicalInstant } from './sqlite-rows.js';
import type { Statements } from './sqlite-statements.js';

export class SqliteRelatedRows {
  constructor(
    private readonly sql: Statements,
    /** The store's transaction, so a batch of rows is written all or nothing (and joins an open one). */
    private readonly transaction: (work: () => void) => void,
  ) {}

  remember(rows: readonly RelatedRow[]): void {
    if (rows.length === 0) return;
    this.transaction(() => {
      for (const r of rows) this.sql.rememberRelated.run(r.rowId, r.parentId, r.version && r.run ? r.version : null, r.version && r.run ? r.run : null);
    });
  }

  settle(run: string): number {
    return this.sql.settleRelated.run(run).changes;
  }

  versions(rowIds: readonly string[]): Map<string, string> {
    const found = new Map<string, string>();
    for (const id of rowIds) {
      const version = this.sql.relatedParent.get(id)?.version;
      if (version) found.set(id, version);
    }
    return found;
  }

  parents(rowIds: readonly string[]): Map<string, string> {
    const found = new Map<string, string>();
    for (const id of rowIds) {
      const row = this.sql.relatedParent.get(id);
      if (row) found.set(id, row.parent_id);
    }
    return found;
  }

  markGone(rowIds: readonly string[], at: string): void {
    const when = canonicalInstant(at, 'at');
    this.transaction(() => {
      for (const id of rowIds) this.sql.markRelatedGone.run(when, id);
    });
  }

  forgetGone(before: string): number {
    return this.sql.forgetRelatedGone.run(canonicalInstant(before, 'before')).changes;
  }
}
