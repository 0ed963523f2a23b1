/**
 * The embedded state store: one SQLite file (better-sqlite3) under the working directory.
 *
 * - WAL journal: readers (`cosell status`) never block the runner, and a crash loses at most the
 *   transaction in flight. `synchronous = NORMAL` is durable at every checkpoint and never corrupts in WAL
 *   mode; a power cut may drop the last few commits, which the next run re-reads from the change feeds.
 * - Every method is synchronous (better-sqlite3), so a transaction can never interleave with another
 *   piece of the same process's work across an `await`.
 * - Transactions start IMMEDIATE: a deferred read-then-write transaction fails with SQLITE_BUSY instead of
 *   waiting when another process committed in between; IMMEDIATE waits for the write lock up front
 *   (bounded by the busy timeout). Nested `transaction` calls become savepoints.
 *
 * The asynchronous interface (async-state-store.ts) wraps this store for single installs
 * (async-sqlite-store.ts); the PostgreSQL store for many tenants and workers is in pg/.
 */
import type { RelatedRow } from '../engine/crm-port.js';
import type { LeadRecords } from './lead-records.js';
import { SqliteLeadRecords } from './sqlite-leads.js';
import { SqliteRelatedRows } from './sqlite-related-rows.js';
import { sqlitePageSnapshot, sqliteRecordsFor, sqliteVersionSnapshot, type PageKeys, type PageSnapshot, type VersionSnapshot } from './page-snapshot.js';
import Database from 'better-sqlite3';
import {
  canonicalInstant, intentToRow, linkToRow, parkedToRow,
  rowToCursor, rowToIntent, rowToLink, rowToLockHolder, rowToParked, rowToPipelineDeal, rowToRun,
} from './sqlite-rows.js';
import {
  asyncTransactionError, isThenable, linkConflictError, lockLostError,
  runNotFoundError,
} from './sqlite-errors.js';
import { prepareStatements, type Statements } from './sqlite-statements.js';
import { isConstraint, SqliteConflicts } from './sqlite-conflicts.js';
import {
  RUNS_KEPT, type Conflict, type ConflictResolution, type ConflictSides, type CreateIntent, type Link, type LinkState, type LockHolder, type LockIdentity,
  type ParkedRecord, type PipelineDeal, type RunFinish, type RunRecord, type Side, type StateStore, type StoreTransaction, type StoredCursor, type StoredRecords,
} from './state-store.js';

const NO_LIMIT = -1;

/** The store's operations on an open, migrated database (opening it: sqlite-open.ts). */
export class SqliteStateStore implements Omit<StateStore, 'notices' | 'pendingReferrals'> {
  private readonly sql: Statements;
  private readonly conflicts: SqliteConflicts;
  readonly leads: LeadRecords;
  private readonly relatedRows: SqliteRelatedRows;
  /** One wrapper for every transaction, built once like the statements. */
  private readonly inTransaction: Database.Transaction<(work: (tx: StoreTransaction) => unknown) => unknown>;

  constructor(
    private readonly db: Database.Database,
    private readonly version: number,
  ) {
    this.sql = prepareStatements(db);
    this.conflicts = new SqliteConflicts(this.sql);
    this.leads = new SqliteLeadRecords(db);
    this.relatedRows = new SqliteRelatedRows(this.sql, (work) => this.transaction(work));
    this.inTransaction = db.transaction((work: (tx: StoreTransaction) => unknown) => {
      const result = work(this);
      if (isThenable(result)) throw asyncTransactionError();
      return result;
    });
  }

  transaction<T>(work: (tx: StoreTransaction) => T): T {
    return this.inTransaction.immediate(work) as T;
  }

  /**
   * Begins an IMMEDIATE transaction that the caller ends later: the asynchronous store's transactions
   * (async-sqlite-store.ts) span awaits, which `transaction` cannot. Nested `transaction` calls inside it
   * become savepoints, as they do inside `transaction`.
   */
  beginOpenTransaction(): { commit(): void; rollback(): void } {
    this.db.exec('BEGIN IMMEDIATE');
    return {
      commit: () => this.db.exec('COMMIT'),
      rollback: () => {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
      },
    };
  }

  getLinkByCrmId(crmId: string): Link | undefined {
    const row = this.sql.linkByCrmId.get(crmId);
    return row && rowToLink(row);
  }

  getLinkByReferralId(referralId: string): Link | undefined {
    const row = this.sql.linkByReferralId.get(referralId);
    return row && rowToLink(row);
  }

  putLink(link: Link): void {
    try {
      this.sql.upsertLink.run(linkToRow(link));
    } catch (error) {
      if (isConstraint(error, 'SQLITE_CONSTRAINT_UNIQUE')) throw linkConflictError(link, this.sql.linkByReferralId.get(link.referralId)?.crm_id);
      throw error;
    }
  }

  deleteLink(crmId: string): void {
    this.sql.deleteLinkConflicts.run(crmId);
    this.sql.deleteLink.run(crmId);
  }

  dueHolds(now: string): Link[] {
    return this.sql.dueHolds.all(canonicalInstant(now, 'now')).map(rowToLink);
  }

  listLinks(filter: { state?: LinkState; limit?: number; offset?: number }): Link[] {
    const limit = filter.limit ?? NO_LIMIT;
    const offset = filter.offset ?? 0;
    const rows = filter.state ? this.sql.listLinksByState.all(filter.state, limit, offset) : this.sql.listLinks.all(limit, offset);
    return rows.map(rowToLink);
  }

  attentionLinks(): Link[] {
    return this.sql.attentionLinks.all().map(rowToLink);
  }

  pipelineDeals(): PipelineDeal[] {
    return this.sql.pipelineDeals.all().map(rowToPipelineDeal);
  }

  countLinks(): Record<LinkState, number> {
    const counts: Record<LinkState, number> = { active: 0, 'crm-deleted': 0, 'referral-missing': 0 };
    for (const { state, n } of this.sql.countLinksByState.all()) counts[state] = n;
    return counts;
  }

  getIntent(target: CreateIntent['target'], sourceId: string): CreateIntent | undefined {
    const row = this.sql.intent.get(target, sourceId);
    return row && rowToIntent(row);
  }

  putIntent(intent: CreateIntent): void {
    this.sql.upsertIntent.run(intentToRow(intent));
  }

  deleteIntent(target: CreateIntent['target'], sourceId: string): void {
    this.sql.deleteIntent.run(target, sourceId);
  }

  listIntents(): CreateIntent[] {
    return this.sql.listIntents.all().map(rowToIntent);
  }

  getParked(side: Side, recordId: string): ParkedRecord | undefined {
    const row = this.sql.parked.get(side, recordId);
    return row && rowToParked(row);
  }

  park(record: ParkedRecord): void {
    this.sql.upsertParked.run(parkedToRow(record));
  }

  unpark(side: Side, recordId: string): void {
    this.sql.deleteParked.run(side, recordId);
  }

  listParked(filter: { side?: Side; limit?: number } = {}): ParkedRecord[] {
    const limit = filter.limit ?? NO_LIMIT;
    const rows = filter.side ? this.sql.listParkedBySide.all(filter.side, limit) : this.sql.listParked.all(limit);
    return rows.map(rowToParked);
  }

  countParked(): number {
    return this.sql.countParked.get()?.n ?? 0;
  }

  dueParked(now: string, limit = NO_LIMIT): ParkedRecord[] {
    return this.sql.dueParked.all(canonicalInstant(now, 'now'), limit).map(rowToParked);
  }

  // Conflicts are their own class (sqlite-conflicts.ts); the store only hands calls on.
  addConflict(conflict: Omit<Conflict, 'id'>): Conflict { return this.conflicts.add(conflict); }
  refreshConflict(id: number, sides: ConflictSides): void { this.conflicts.refresh(id, sides); }
  closeAgreedConflict(id: number, resolution: ConflictResolution, at: string): void { this.conflicts.closeAgreed(id, resolution, at); }
  getConflict(id: number): Conflict | undefined { return this.conflicts.get(id); }
  listConflicts(options: { includeResolved?: boolean } = {}): Conflict[] { return this.conflicts.list(options); }
  openConflictFor(crmId: string): Conflict | undefined { return this.conflicts.openFor(crmId); }
  resolveConflict(id: number, resolution: ConflictResolution, at: string): void { this.conflicts.resolve(id, resolution, at); }

  recordsFor = (ids: readonly string[]): StoredRecords => sqliteRecordsFor(this.sql, ids);
  pageSnapshot = (keys: PageKeys): PageSnapshot => sqlitePageSnapshot(this.sql, keys);
  versionSnapshot = (keys: PageKeys): VersionSnapshot => sqliteVersionSnapshot(this.sql, keys);

  getCursor(side: Side): StoredCursor | undefined {
    const row = this.sql.cursor.get(side);
    return row && rowToCursor(row);
  }

  putCursor(side: Side, cursor: StoredCursor): void {
    this.sql.upsertCursor.run(side, JSON.stringify(cursor));
  }

  getMeta(key: string): unknown {
    const row = this.sql.meta.get(key);
    return row && (JSON.parse(row.value_json) as unknown);
  }

  putMeta(key: string, value: unknown, at: string): void {
    this.sql.upsertMeta.run(key, JSON.stringify(value), at);
  }

  deleteMeta(key: string): void {
    this.sql.deleteMeta.run(key);
  }

  // The related-row index is its own class (one responsibility); the store only hands calls on.
  rememberRelatedRows(rows: readonly RelatedRow[]): void { this.relatedRows.remember(rows); }
  relatedParents(rowIds: readonly string[]): Map<string, string> { return this.relatedRows.parents(rowIds); }
  relatedVersions(rowIds: readonly string[]): Map<string, string> { return this.relatedRows.versions(rowIds); }
  settleRelatedVersions(run: string): number { return this.relatedRows.settle(run); }
  markRelatedGone(rowIds: readonly string[], at: string): void { this.relatedRows.markGone(rowIds, at); }
  forgetRelatedGone(before: string): number { return this.relatedRows.forgetGone(before); }

  startRun(at: string): RunRecord {
    const { lastInsertRowid } = this.sql.insertRun.run(at);
    this.sql.pruneRuns.run(RUNS_KEPT);
    return this.requireRun(Number(lastInsertRowid));
  }

  finishRun(id: number, result: RunFinish): void {
    const changes = this.sql.finishRun.run({
      id,
      started_at: result.startedAt ?? null,
      finished_at: result.finishedAt ?? null,
      outcome: result.outcome ?? null,
      counts_json: JSON.stringify(result.counts),
      message: result.message ?? null,
    }).changes;
    if (changes === 0) throw runNotFoundError(id);
  }

  listRuns(limit: number): RunRecord[] {
    return this.sql.listRuns.all(limit).map(rowToRun);
  }

  failUnfinishedRuns(at: string, message: string): number {
    return this.sql.failUnfinishedRuns.run(at, message).changes;
  }

  acquireLock(owner: string, now: number, staleMs: number, identity?: LockIdentity): boolean {
    return this.sql.acquireLock.run({ owner, now, stale_ms: staleMs, pid: identity?.pid ?? null, host: identity?.host ?? null }).changes === 1;
  }

  lockHolder(): LockHolder | undefined {
    const row = this.sql.lockHolder.get();
    return row && rowToLockHolder(row);
  }

  breakLock(owner: string, heartbeatMs: number): boolean {
    return this.sql.breakLock.run(owner, heartbeatMs).changes === 1;
  }

  renewLock(owner: string, now: number): void {
    if (this.sql.renewLock.run(now, owner).changes === 0) throw lockLostError(owner);
  }

  releaseLock(owner: string): void {
    this.sql.releaseLock.run(owner);
  }

  schemaVersion(): number {
    return this.version;
  }

  close(): void {
    this.db.close();
  }

  private requireRun(id: number): RunRecord {
    const row = this.sql.run.get(id);
    if (!row) throw new Error(`Run ${id} vanished right after it was inserted.`);
    return rowToRun(row);
  }
}

