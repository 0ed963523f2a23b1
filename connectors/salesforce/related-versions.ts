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

type RememberedRow = Parameters<RelatedRowIndex['rememberRelatedRows']>[0][number];

/** A row for the index; its version only while a run reads (pending until that run commits). */
function versioned(run: string | undefined, rowId: string, parentId: string, record: Readonly<Record<string, unknown>>): RememberedRow {
  return { rowId, parentId, ...(run ? { version: relatedRowVersion(record), run } : {}) };
}

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
    // Loops and a module-level function, not arrows made per call: those lose their optimized code at each
    // full GC, and the engine's 1% cycle compiled them again every cycle (bench/README.md, "Engine CPU per
    // changed record").
    const rows: RememberedRow[] = [];
    for (const r of related.contactRoles) rows.push(versioned(run, r.Id, String(r.OpportunityId), r));
    for (const r of related.team) rows.push(versioned(run, r.Id, String(r.OpportunityId), r));
    for (const r of related.solutions) rows.push(versioned(run, r.Id, String(r[SOLUTION_PARENT_FIELD]), r));
    for (const r of related.invitations) rows.push(versioned(run, r.Id, String(r[SOLUTION_PARENT_FIELD]), r));
    if (run) for (const opp of opportunities) if (opp.Account && typeof opp.Account === 'object') rows.push(versioned(run, accountKey(opp.Id), opp.Id, { Account: opp.Account }));
    await this.index.rememberRelatedRows(rows);
  }

  /** Row key → the version the engine holds. */
  known(keys: readonly string[]): Promise<Map<string, string>> {
    return this.index.relatedVersions(keys);
  }
}
