/**
 * An in-memory `StateStore` for `--dry-run` and unit tests, with the SQLite store's semantics: the same
 * uniqueness rules and errors, the same orderings, values copied in and out (a caller mutating a returned
 * link never changes the store), and transactions that roll back on throw.
 *
 * Records are kept as JSON text, as SQLite keeps them, so "what you read is what a JSON round-trip of what
 * you put gives" holds for both. Rollback is an undo journal (memory-journal.ts).
 */
import type { RelatedRow } from '../engine/crm-port.js';
import { compareText, key, parse, parseAll, UndoJournal } from './memory-journal.js';
import { MemoryConflicts } from './memory-conflicts.js';
import { MemoryLeadRecords } from './memory-leads.js';
import { MemoryRelatedRows } from './memory-related-rows.js';
import { snapshotByLookup, versionsByLookup, type PageKeys, type PageSnapshot, type VersionSnapshot } from './page-snapshot.js';
import {
  linkConflictError, lockLostError, runNotFoundError,
} from './sqlite-errors.js';
// Shared with the SQLite store so both normalise holds identically (neither module loads better-sqlite3).
import { canonicalInstant } from './sqlite-rows.js';
// The migration list only (its module loads better-sqlite3 as a type, not at run time).
import { MIGRATIONS } from './sqlite-schema.js';
import { MemoryNoticeLog } from './notice-log.js';
import { MemoryPendingReferrals } from './pending-referrals.js';
import type {
  Conflict,
  ConflictSides, ConflictResolution, CreateIntent, Link, LinkState, LockHolder, LockIdentity, ParkedRecord, PipelineDeal, RunFinish, RunRecord, Side,
  StateStore, StoreTransaction, StoredCursor, StoredRecords,
} from './state-store.js';
import { needsAttention, pipelineDealOf, recordsByLookup, RUNS_KEPT } from './state-store.js';

/** Same as the SQLite store's current schema version, so callers that print it see no difference. */
const MEMORY_SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

type RunnerLock = LockHolder;

export function openMemoryStore(): StateStore {
  return Object.assign(new MemoryStateStore(), { notices: new MemoryNoticeLog(), pendingReferrals: new MemoryPendingReferrals() });
}

class MemoryStateStore implements Omit<StateStore, 'notices' | 'pendingReferrals'> {
  private readonly journal = new UndoJournal();

  private readonly links = new Map<string, string>();
  private readonly crmIdByReferralId = new Map<string, string>();
  private readonly intents = new Map<string, string>();
  private readonly parked = new Map<string, string>();
  private readonly cursors = new Map<Side, string>();
  private readonly runs = new Map<number, string>();
  private readonly meta = new Map<string, string>();
  private readonly relatedRows = new MemoryRelatedRows(this.journal);
  readonly leads = new MemoryLeadRecords(this.journal, this.links, this.crmIdByReferralId);
  private readonly conflicts = new MemoryConflicts(this.journal, this.links);
  private lastRunId = 0;
  private lock: RunnerLock | undefined;

  transaction<T>(work: (tx: StoreTransaction) => T): T {
    return this.journal.run(() => work(this));
  }

  /** A transaction that may span awaits, for the asynchronous wrapper (async-sqlite-store.ts). */
  beginOpenTransaction(): { commit(): void; rollback(): void } {
    return this.journal.begin();
  }

  getLinkByCrmId(crmId: string): Link | undefined {
    return parse<Link>(this.links.get(crmId));
  }

  getLinkByReferralId(referralId: string): Link | undefined {
    const crmId = this.crmIdByReferralId.get(referralId);
    return crmId === undefined ? undefined : this.getLinkByCrmId(crmId);
  }

  putLink(link: Link): void {
    const linkedCrmId = this.crmIdByReferralId.get(link.referralId);
    if (linkedCrmId !== undefined && linkedCrmId !== link.crmId) throw linkConflictError(link, linkedCrmId);
    const stored = { ...link, ...(link.heldUntil !== undefined && { heldUntil: canonicalInstant(link.heldUntil, 'heldUntil') }) };
    const previous = this.getLinkByCrmId(link.crmId);
    if (previous && previous.referralId !== link.referralId) this.journal.remove(this.crmIdByReferralId, previous.referralId);
    this.journal.set(this.crmIdByReferralId, link.referralId, link.crmId);
    this.journal.set(this.links, link.crmId, JSON.stringify(stored));
  }

  deleteLink(crmId: string): void {
    const previous = this.getLinkByCrmId(crmId);
    if (!previous) return;
    this.journal.remove(this.crmIdByReferralId, previous.referralId);
    this.journal.remove(this.links, crmId);
    this.conflicts.removeFor(crmId);
  }

  dueHolds(now: string): Link[] {
    const cutoff = canonicalInstant(now, 'now');
    return this.allLinks()
      .filter((link) => link.heldUntil !== undefined && link.heldUntil <= cutoff)
      .sort((a, b) => compareText(a.heldUntil, b.heldUntil) || compareText(a.crmId, b.crmId));
  }

  listLinks(filter: { state?: LinkState; limit?: number; offset?: number }): Link[] {
    const offset = filter.offset ?? 0;
    return this.allLinks()
      .filter((link) => !filter.state || link.state === filter.state)
      .sort((a, b) => compareText(b.updatedAt, a.updatedAt) || compareText(a.crmId, b.crmId))
      .slice(offset, filter.limit === undefined ? undefined : offset + filter.limit);
  }

  attentionLinks(): Link[] {
    return this.listLinks({ state: 'active' }).filter(needsAttention);
  }

  pipelineDeals(): PipelineDeal[] {
    return this.listLinks({ state: 'active' }).map((link) => pipelineDealOf(link.base));
  }

  countLinks(): Record<LinkState, number> {
    const counts: Record<LinkState, number> = { active: 0, 'crm-deleted': 0, 'referral-missing': 0 };
    for (const link of this.allLinks()) counts[link.state] += 1;
    return counts;
  }

  getIntent(target: CreateIntent['target'], sourceId: string): CreateIntent | undefined {
    return parse<CreateIntent>(this.intents.get(key(target, sourceId)));
  }

  putIntent(intent: CreateIntent): void {
    this.journal.set(this.intents, key(intent.target, intent.sourceId), JSON.stringify(intent));
  }

  deleteIntent(target: CreateIntent['target'], sourceId: string): void {
    this.journal.remove(this.intents, key(target, sourceId));
  }

  listIntents(): CreateIntent[] {
    return parseAll<CreateIntent>(this.intents.values()).sort(
      (a, b) => compareText(a.createdAt, b.createdAt) || compareText(a.target, b.target) || compareText(a.sourceId, b.sourceId),
    );
  }

  getParked(side: Side, recordId: string): ParkedRecord | undefined {
    return parse<ParkedRecord>(this.parked.get(key(side, recordId)));
  }

  park(record: ParkedRecord): void {
    // Normalised as the SQLite store does, so `dueParked` compares instants as text the same way.
    const stored = record.retryAt === undefined ? record : { ...record, retryAt: canonicalInstant(record.retryAt, 'retryAt') };
    this.journal.set(this.parked, key(record.side, record.recordId), JSON.stringify(stored));
  }

  unpark(side: Side, recordId: string): void {
    this.journal.remove(this.parked, key(side, recordId));
  }

  listParked(filter: { side?: Side; limit?: number } = {}): ParkedRecord[] {
    return parseAll<ParkedRecord>(this.parked.values())
      .filter((record) => !filter.side || record.side === filter.side)
      .sort((a, b) => compareText(b.parkedAt, a.parkedAt) || compareText(a.side, b.side) || compareText(a.recordId, b.recordId))
      .slice(0, filter.limit);
  }

  countParked(): number {
    return this.parked.size;
  }

  dueParked(now: string, limit?: number): ParkedRecord[] {
    const at = canonicalInstant(now, 'now');
    return parseAll<ParkedRecord>(this.parked.values())
      .filter((p) => p.retryAt !== undefined && p.retryAt <= at)
      .sort((a, b) => compareText(a.retryAt, b.retryAt) || compareText(a.side, b.side) || compareText(a.recordId, b.recordId))
      .slice(0, limit === undefined || limit < 0 ? undefined : limit);
  }

  getMeta(k: string): unknown {
    return parse<unknown>(this.meta.get(k));
  }

  putMeta(k: string, value: unknown): void {
    this.journal.set(this.meta, k, JSON.stringify(value));
  }

  deleteMeta(k: string): void {
    this.journal.remove(this.meta, k);
  }

  // The related-row index is its own class (one responsibility); the store only hands calls on.
  rememberRelatedRows(rows: readonly RelatedRow[]): void { this.relatedRows.remember(rows); }
  relatedParents(rowIds: readonly string[]): Map<string, string> { return this.relatedRows.parents(rowIds); }
  relatedVersions(rowIds: readonly string[]): Map<string, string> { return this.relatedRows.versions(rowIds); }
  settleRelatedVersions(run: string): number { return this.relatedRows.settle(run); }
  markRelatedGone(rowIds: readonly string[], at: string): void { this.relatedRows.markGone(rowIds, at); }
  forgetRelatedGone(before: string): number { return this.relatedRows.forgetGone(before); }

  // Conflicts too (memory-conflicts.ts).
  addConflict(conflict: Omit<Conflict, 'id'>): Conflict { return this.conflicts.add(conflict); }
  refreshConflict(id: number, sides: ConflictSides): void { this.conflicts.refresh(id, sides); }
  closeAgreedConflict(id: number, resolution: ConflictResolution, at: string): void { this.conflicts.closeAgreed(id, resolution, at); }
  getConflict(id: number): Conflict | undefined { return this.conflicts.get(id); }
  listConflicts(options: { includeResolved?: boolean } = {}): Conflict[] { return this.conflicts.list(options); }
  openConflictFor(crmId: string): Conflict | undefined { return this.conflicts.openFor(crmId); }
  resolveConflict(id: number, resolution: ConflictResolution, at: string): void { this.conflicts.resolve(id, resolution, at); }

  recordsFor = (ids: readonly string[]): StoredRecords => recordsByLookup(this, ids);
  pageSnapshot = (keys: PageKeys): PageSnapshot => snapshotByLookup(this, keys);
  versionSnapshot = (keys: PageKeys): VersionSnapshot => versionsByLookup(this, keys);


  getCursor(side: Side): StoredCursor | undefined {
    return parse<StoredCursor>(this.cursors.get(side));
  }

  putCursor(side: Side, cursor: StoredCursor): void {
    this.journal.set(this.cursors, side, JSON.stringify(cursor));
  }

  startRun(at: string): RunRecord {
    const previousId = this.lastRunId;
    this.lastRunId += 1;
    this.journal.record(() => (this.lastRunId = previousId));
    const run: RunRecord = { id: this.lastRunId, startedAt: at, counts: {} };
    this.journal.set(this.runs, run.id, JSON.stringify(run));
    for (const id of [...this.runs.keys()].sort((a, b) => b - a).slice(RUNS_KEPT)) this.journal.remove(this.runs, id);
    return run;
  }

  finishRun(id: number, result: RunFinish): void {
    const run = parse<RunRecord>(this.runs.get(id));
    if (!run) throw runNotFoundError(id);
    const { finishedAt, outcome, counts, message } = result;
    this.journal.set(this.runs, id, JSON.stringify({ id, startedAt: result.startedAt ?? run.startedAt, finishedAt, outcome, counts, message }));
  }

  listRuns(limit: number): RunRecord[] {
    return parseAll<RunRecord>(this.runs.values())
      .sort((a, b) => b.id - a.id)
      .slice(0, limit);
  }

  failUnfinishedRuns(at: string, message: string): number {
    const unfinished = parseAll<RunRecord>(this.runs.values()).filter((r) => r.finishedAt === undefined);
    for (const run of unfinished) this.journal.set(this.runs, run.id, JSON.stringify({ ...run, finishedAt: at, outcome: 'failed', message }));
    return unfinished.length;
  }

  acquireLock(owner: string, now: number, staleMs: number, identity?: LockIdentity): boolean {
    const held = this.lock;
    if (held && held.owner !== owner && now - held.heartbeatMs < staleMs) return false;
    const acquiredMs = held?.owner === owner ? held.acquiredMs : now;
    this.setLock({ owner, ...(identity ? { pid: identity.pid, host: identity.host } : {}), acquiredMs, heartbeatMs: now });
    return true;
  }

  renewLock(owner: string, now: number): void {
    if (this.lock?.owner !== owner) throw lockLostError(owner);
    this.setLock({ ...this.lock, heartbeatMs: now });
  }

  lockHolder(): LockHolder | undefined {
    return this.lock && { ...this.lock };
  }

  breakLock(owner: string, heartbeatMs: number): boolean {
    if (this.lock?.owner !== owner || this.lock.heartbeatMs !== heartbeatMs) return false;
    this.setLock(undefined);
    return true;
  }

  releaseLock(owner: string): void {
    if (this.lock?.owner === owner) this.setLock(undefined);
  }

  schemaVersion(): number {
    return MEMORY_SCHEMA_VERSION;
  }

  close(): void {
    // Nothing to release; kept for the interface.
  }

  private allLinks(): Link[] {
    return parseAll<Link>(this.links.values());
  }

  private setLock(lock: RunnerLock | undefined): void {
    const previous = this.lock;
    this.lock = lock;
    this.journal.record(() => (this.lock = previous));
  }
}
