/**
 * The PostgreSQL state store: one tenant's view of the shared database (every row keyed by tenant ID),
 * behind the asynchronous interface. Calls outside a transaction run on any pooled connection; a
 * transaction holds one connection from BEGIN to COMMIT (READ COMMITTED: each statement sees what other
 * workers committed before it, and rows written by two transactions at once are serialised by their row
 * locks; the job queue runs one sync per tenant at a time, so that is the exception, not the rule).
 */
import type { RelatedRow } from '../../engine/crm-port.js';
import type pg from 'pg';
import { ConnectorError } from '../../errors.js';
import type { AsyncLeadRecords, AsyncPendingReferrals, AsyncStateStore, AsyncStoreTransaction } from '../async-state-store.js';
import { conflictNotOpenError, lockLostError, runNotFoundError } from '../sqlite-errors.js';
import { canonicalInstant, rowToConflict, rowToLink, rowToLockHolder, rowToParked, rowToPipelineDeal, rowToRun, rowToIntent } from '../sqlite-rows.js';
import type { ConflictRow, IntentRow, LinkRow, LockRow, ParkedRow, PipelineDealRow, RunRow } from '../sqlite-rows.js';
import type { Conflict, ConflictResolution, Link, LinkState, LockHolder, LockIdentity, ParkedRecord, PipelineDeal, RunFinish, RunRecord, Side } from '../state-store.js';
import { RUNS_KEPT } from '../state-store.js';
import { TransactionScope, transactionEndedError } from '../transaction-scope.js';
import type { StoredNotice } from '../notice-log.js';
import { toNotice, type NoticeRow } from '../sqlite-notices.js';
import type { PgDatabase } from './pg-database.js';
import { PgLeadRecords } from './pg-leads.js';
import { PgPendingReferrals } from './pg-pending-referrals.js';
import { PgRecords, type Queryable } from './pg-records.js';
import { SQL } from './pg-statements.js';

/** The store of `tenantId` in `database` (which stays open when the store closes: it is shared). */
export async function pgStateStore(database: PgDatabase, tenantId: string): Promise<AsyncStateStore> {
  const { rowCount } = await database.pool.query('SELECT 1 FROM tenants WHERE tenant_id = $1', [tenantId]);
  if (!rowCount) throw new ConnectorError('store.unknown_tenant', `There is no tenant ${tenantId} in the database; add it with "cosell tenants add".`, false, { record: tenantId });
  return new PgStateStore(database.pool, tenantId, database.version);
}

/** `tx` of one transaction: its client, refused once the transaction ended. */
class PgTransactionRecords extends PgRecords {
  constructor(db: Queryable, tenantId: string, private readonly ended: () => boolean) {
    super(db, tenantId);
  }

  protected override rows<R extends pg.QueryResultRow>(sql: string, ...values: unknown[]): Promise<R[]> {
    if (this.ended()) throw transactionEndedError('(a store method)');
    return super.rows<R>(sql, ...values);
  }

  protected override changes(sql: string, ...values: unknown[]): Promise<number> {
    if (this.ended()) throw transactionEndedError('(a store method)');
    return super.changes(sql, ...values);
  }
}

class PgStateStore extends PgRecords implements AsyncStateStore {
  private readonly scope = new TransactionScope();
  readonly leads: AsyncLeadRecords;
  readonly pendingReferrals: AsyncPendingReferrals;

  constructor(
    private readonly pool: pg.Pool,
    tenantId: string,
    private readonly version: number,
  ) {
    super(pool, tenantId);
    this.leads = new PgLeadRecords(pool, tenantId);
    this.pendingReferrals = new PgPendingReferrals(pool, tenantId);
  }

  protected override rows<R extends pg.QueryResultRow>(sql: string, ...values: unknown[]): Promise<R[]> {
    this.scope.assertOutside('(a store method)');
    return super.rows<R>(sql, ...values);
  }

  protected override changes(sql: string, ...values: unknown[]): Promise<number> {
    this.scope.assertOutside('(a store method)');
    return super.changes(sql, ...values);
  }

  async transaction<T>(work: (tx: AsyncStoreTransaction) => Promise<T>): Promise<T> {
    this.scope.assertOutside('transaction');
    const client = await this.pool.connect();
    let ended = false;
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await this.scope.run(() => work(new PgTransactionRecords(client, this.tenantId, () => ended)));
      ended = true;
      await client.query('COMMIT');
      return result;
    } catch (error) {
      ended = true;
      // A connection that cannot even roll back is discarded rather than returned to the pool.
      await client.query('ROLLBACK').catch((rollbackError: unknown) => (broken = rollbackError as Error));
      throw error;
    } finally {
      ended = true;
      client.release(broken);
    }
  }

  async dueHolds(now: string): Promise<Link[]> {
    return (await this.rows<LinkRow>(SQL.dueHolds, canonicalInstant(now, 'now'))).map(rowToLink);
  }

  async listLinks(filter: { state?: LinkState; limit?: number; offset?: number }): Promise<Link[]> {
    const page = [noLimit(filter.limit), filter.offset ?? 0];
    const rows = filter.state ? await this.rows<LinkRow>(SQL.listLinksByState, filter.state, ...page) : await this.rows<LinkRow>(SQL.listLinks, ...page);
    return rows.map(rowToLink);
  }

  async attentionLinks(): Promise<Link[]> {
    return (await this.rows<LinkRow>(SQL.attentionLinks)).map(rowToLink);
  }

  async pipelineDeals(): Promise<PipelineDeal[]> {
    return (await this.rows<PipelineDealRow>(SQL.pipelineDeals)).map(rowToPipelineDeal);
  }

  async countLinks(): Promise<Record<LinkState, number>> {
    const counts: Record<LinkState, number> = { active: 0, 'crm-deleted': 0, 'referral-missing': 0 };
    for (const { state, n } of await this.rows<{ state: LinkState; n: number }>(SQL.countLinksByState)) counts[state] = n;
    return counts;
  }

  async listIntents() {
    return (await this.rows<IntentRow>(SQL.listIntents)).map(rowToIntent);
  }

  async listParked(filter: { side?: Side; limit?: number } = {}): Promise<ParkedRecord[]> {
    const rows = filter.side ? await this.rows<ParkedRow>(SQL.listParkedBySide, filter.side, noLimit(filter.limit)) : await this.rows<ParkedRow>(SQL.listParked, noLimit(filter.limit));
    return rows.map(rowToParked);
  }

  async countParked(): Promise<number> {
    return (await this.first<{ n: number }>(SQL.countParked))?.n ?? 0;
  }

  async dueParked(now: string, limit?: number): Promise<ParkedRecord[]> {
    return (await this.rows<ParkedRow>(SQL.dueParked, canonicalInstant(now, 'now'), noLimit(limit))).map(rowToParked);
  }

  async getConflict(id: number): Promise<Conflict | undefined> {
    const row = await this.first<ConflictRow>(SQL.conflict, id);
    return row && rowToConflict(row);
  }

  async listConflicts(options: { includeResolved?: boolean } = {}): Promise<Conflict[]> {
    return (await this.rows<ConflictRow>(options.includeResolved ? SQL.listAllConflicts : SQL.listOpenConflicts)).map(rowToConflict);
  }

  async openConflictFor(crmId: string): Promise<Conflict | undefined> {
    const row = await this.first<ConflictRow>(SQL.openConflictFor, crmId);
    return row && rowToConflict(row);
  }

  async resolveConflict(id: number, resolution: ConflictResolution, at: string): Promise<void> {
    if ((await this.changes(SQL.resolveConflict, resolution, at, id)) === 0) throw conflictNotOpenError(id, await this.getConflict(id));
  }

  async rememberRelatedRows(rows: readonly RelatedRow[]): Promise<void> {
    if (rows.length === 0) return;
    // One statement cannot upsert a row twice: the last mention of a row wins, as it does row by row.
    const latest = [...new Map(rows.map((r) => [r.rowId, r])).values()];
    const pending = (r: RelatedRow) => (r.version && r.run ? r : undefined);
    await this.changes(SQL.rememberRelated, latest.map((r) => r.rowId), latest.map((r) => r.parentId), latest.map((r) => pending(r)?.version ?? null), latest.map((r) => pending(r)?.run ?? null));
  }

  settleRelatedVersions(run: string): Promise<number> {
    return this.changes(SQL.settleRelated, run);
  }

  async relatedVersions(rowIds: readonly string[]): Promise<Map<string, string>> {
    const found = await this.rows<{ row_id: string; version: string | null }>(SQL.relatedParents, [...rowIds]);
    return new Map(found.flatMap((r) => (r.version ? [[r.row_id, r.version] as const] : [])));
  }

  async relatedParents(rowIds: readonly string[]): Promise<Map<string, string>> {
    const found = await this.rows<{ row_id: string; parent_id: string }>(SQL.relatedParents, [...rowIds]);
    const parentOf = new Map(found.map((r) => [r.row_id, r.parent_id]));
    // In the order asked, as the SQLite store answers.
    return new Map(rowIds.flatMap((id) => (parentOf.has(id) ? [[id, parentOf.get(id)!] as const] : [])));
  }

  async markRelatedGone(rowIds: readonly string[], at: string): Promise<void> {
    await this.changes(SQL.markRelatedGone, canonicalInstant(at, 'at'), [...rowIds]);
  }

  forgetRelatedGone(before: string): Promise<number> {
    return this.changes(SQL.forgetRelatedGone, canonicalInstant(before, 'before'));
  }

  async startRun(at: string): Promise<RunRecord> {
    const run = rowToRun((await this.first<RunRow>(SQL.insertRun, at))!);
    await this.changes(SQL.pruneRuns, RUNS_KEPT);
    return run;
  }

  async finishRun(id: number, result: RunFinish): Promise<void> {
    const changed = await this.changes(SQL.finishRun, id, result.finishedAt ?? null, result.outcome ?? null, JSON.stringify(result.counts), result.message ?? null, result.startedAt ?? null);
    if (changed === 0) throw runNotFoundError(id);
  }

  async listRuns(limit: number): Promise<RunRecord[]> {
    return (await this.rows<RunRow>(SQL.listRuns, limit)).map(rowToRun);
  }

  failUnfinishedRuns(at: string, message: string): Promise<number> {
    return this.changes(SQL.failUnfinishedRuns, at, message);
  }

  async acquireLock(owner: string, now: number, staleMs: number, identity?: LockIdentity): Promise<boolean> {
    return (await this.changes(SQL.acquireLock, owner, now, staleMs, identity?.pid ?? null, identity?.host ?? null)) === 1;
  }

  async renewLock(owner: string, now: number): Promise<void> {
    if ((await this.changes(SQL.renewLock, owner, now)) === 0) throw lockLostError(owner);
  }

  async releaseLock(owner: string): Promise<void> {
    await this.changes(SQL.releaseLock, owner);
  }

  async lockHolder(): Promise<LockHolder | undefined> {
    const row = await this.first<LockRow>(SQL.lockHolder);
    return row && rowToLockHolder(row);
  }

  async breakLock(owner: string, heartbeatMs: number): Promise<boolean> {
    return (await this.changes(SQL.breakLock, owner, heartbeatMs)) === 1;
  }

  async recentNotices(limit: number): Promise<StoredNotice[]> {
    return (await this.rows<NoticeRow>(SQL.recentNotices, limit)).map(toNotice);
  }

  async schemaVersion(): Promise<number> {
    return this.version;
  }

  /** The pool belongs to the `PgDatabase`, shared by every tenant's store in this process. */
  async close(): Promise<void> {}
}

/** The interface's "no limit" (absent, or SQLite's -1) is SQL's LIMIT NULL. */
function noLimit(limit: number | undefined): number | null {
  return limit === undefined || limit < 0 ? null : limit;
}
