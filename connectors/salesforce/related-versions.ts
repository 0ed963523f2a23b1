/**
 * The related rows a deal is read with, in the related-row index (issue 12 and 13): each row's opportunity
 * at once, so that a deletion that names only the row leads back to it even if the run stops; each row's
 * version (`relatedRowVersion`, and the account's as read with the opportunity) only once the engine has
 * processed the deal. Remembered earlier, a run stopped between its read and its commit would take a
 * related change it never processed for known (feed-window.ts `unseenChanges`).
 */
import type { RelatedRow, RelatedRowIndex } from '../types.js';
import type { SfRecord } from './assemble.js';
import { SOLUTION_PARENT_FIELD } from './custom-fields.js';
import { accountKey } from './related-changes.js';
import { relatedRowVersion } from './row-version.js';

export class RelatedVersions {
  /** Versions read but not yet handed to the engine (take). */
  private unsettled: RelatedRow[] = [];

  constructor(private readonly index: RelatedRowIndex) {}

  /** The rows read with `opportunities`: their parents remembered now, their versions held back. */
  read(opportunities: readonly SfRecord[], related: { contactRoles: SfRecord[]; team: SfRecord[]; solutions: SfRecord[]; invitations: SfRecord[] }): void {
    const rows = [
      ...[...related.contactRoles, ...related.team].map((r) => ({ rowId: r.Id, parentId: String(r.OpportunityId), record: r })),
      ...[...related.solutions, ...related.invitations].map((r) => ({ rowId: r.Id, parentId: String(r[SOLUTION_PARENT_FIELD]), record: r })),
    ];
    this.index.rememberRelatedRows(rows.map(({ rowId, parentId }) => ({ rowId, parentId })));
    this.unsettled.push(...rows.map(({ rowId, parentId, record }) => ({ rowId, parentId, version: relatedRowVersion(record) })));
    for (const opp of opportunities) {
      if (opp.Account && typeof opp.Account === 'object') this.unsettled.push({ rowId: accountKey(opp.Id), parentId: opp.Id, version: relatedRowVersion({ Account: opp.Account }) });
    }
  }

  /** The versions read since the last call (of the deals about to be handed to the engine). */
  take(): RelatedRow[] {
    const rows = this.unsettled;
    this.unsettled = [];
    return rows;
  }

  /** The engine has processed the deals these versions were read with. */
  settle(rows: readonly RelatedRow[]): void {
    if (rows.length) this.index.rememberRelatedRows(rows);
  }

  /** Row key → the version the engine holds. */
  known(keys: readonly string[]): Map<string, string> {
    return this.index.relatedVersions(keys);
  }
}
