/**
 * The related rows a deal is read with, in the related-row index (issues 12 and 13): each row's opportunity
 * at once, so that a deletion that names only the row leads back to it even if the run stops; each row's
 * version (`relatedRowVersion`, and the account's as read with the opportunity) pending until the engine has
 * committed the run that read it. The next run learns that from its cursor: the engine commits the window's
 * anchor, and with it `versionRun`, only after every page of the run (pages commit in feed order, after their
 * writes). Known earlier, a run stopped between its read and its commit would take a related change it never
 * processed for known (feed-window.ts `unseenChanges`).
 */
import { randomUUID } from 'node:crypto';
import type { RelatedRowIndex } from '../../core/engine/crm-port.js';
import type { SfRecord } from './assemble.js';
import { SOLUTION_PARENT_FIELD } from '../../mappings/custom-fields.salesforce.js';
import { accountKey } from './related-changes.js';
import { relatedRowVersion } from './row-version.js';

export class RelatedVersions {
  /** The run reading now (`versionRun` in its anchor), if any. */
  private run: string | undefined;

  constructor(private readonly index: RelatedRowIndex) {}

  /** A run begins: the one its cursor's anchor names was committed in full, so its versions are known. */
  async begin(committedRun: string | undefined): Promise<string> {
    if (committedRun) await this.index.settleRelatedVersions(committedRun);
    this.run = randomUUID();
    return this.run;
  }

  end(): void {
    this.run = undefined;
  }

  /** The rows read with `opportunities`: their parents now, their versions pending for the run reading. */
  async read(opportunities: readonly SfRecord[], related: { contactRoles: SfRecord[]; team: SfRecord[]; solutions: SfRecord[]; invitations: SfRecord[] }): Promise<void> {
    const run = this.run;
    const versioned = (rowId: string, parentId: string, record: Readonly<Record<string, unknown>>) => ({ rowId, parentId, ...(run ? { version: relatedRowVersion(record), run } : {}) });
    await this.index.rememberRelatedRows([
      ...[...related.contactRoles, ...related.team].map((r) => versioned(r.Id, String(r.OpportunityId), r)),
      ...[...related.solutions, ...related.invitations].map((r) => versioned(r.Id, String(r[SOLUTION_PARENT_FIELD]), r)),
      ...opportunities.flatMap((opp) => (run && opp.Account && typeof opp.Account === 'object' ? [versioned(accountKey(opp.Id), opp.Id, { Account: opp.Account })] : [])),
    ]);
  }

  /** Row key → the version the engine holds. */
  known(keys: readonly string[]): Promise<Map<string, string>> {
    return this.index.relatedVersions(keys);
  }
}
