/**
 * The state store as a dry run sees it: every read answers from the real store, every write is dropped.
 * The engine runs its real path (pages decided, intents and links recorded, cursors moved) and nothing of
 * it reaches the store, so the next real run starts from the same state the dry run previewed.
 *
 * Each method is stated, not forwarded by name: a write added to `AsyncStateStore` later does not compile
 * here until someone decides what a dry run does with it.
 */
import type { AsyncLeadRecords, AsyncPendingReferrals, AsyncStateStore, AsyncStoreTransaction } from '../store/async-state-store.js';
import type { Conflict, CreateIntent, Link, ParkedRecord, RunRecord, Side, StoredCursor } from '../store/state-store.js';

const nothing = async (): Promise<void> => undefined;

/** Reads of one transaction (or of the store), writes dropped. */
class DryRunTransaction implements AsyncStoreTransaction {
  constructor(protected readonly real: AsyncStoreTransaction) {}

  getLinkByCrmId(crmId: string) { return this.real.getLinkByCrmId(crmId); }
  getLinkByReferralId(referralId: string) { return this.real.getLinkByReferralId(referralId); }
  getIntent(target: CreateIntent['target'], sourceId: string) { return this.real.getIntent(target, sourceId); }
  getParked(side: Side, recordId: string) { return this.real.getParked(side, recordId); }
  getCursor(side: Side) { return this.real.getCursor(side); }
  getMeta(key: string) { return this.real.getMeta(key); }
  loadPage(...args: Parameters<AsyncStoreTransaction['loadPage']>) { return this.real.loadPage(...args); }

  putLink(_link: Link) { return nothing(); }
  deleteLink(_crmId: string) { return nothing(); }
  putIntent(_intent: CreateIntent) { return nothing(); }
  deleteIntent(_target: CreateIntent['target'], _sourceId: string) { return nothing(); }
  park(_record: ParkedRecord) { return nothing(); }
  unpark(_side: Side, _recordId: string) { return nothing(); }
  async addConflict(conflict: Omit<Conflict, 'id'>): Promise<Conflict> { return { ...conflict, id: 0 }; }
  refreshConflict(..._args: Parameters<AsyncStoreTransaction['refreshConflict']>) { return nothing(); }
  closeAgreedConflict(..._args: Parameters<AsyncStoreTransaction['closeAgreedConflict']>) { return nothing(); }
  putCursor(_side: Side, _cursor: StoredCursor) { return nothing(); }
  putMeta(_key: string, _value: unknown, _at: string) { return nothing(); }
  deleteMeta(_key: string) { return nothing(); }
  putLead(..._args: Parameters<AsyncStoreTransaction['putLead']>) { return nothing(); }
}

class DryRunLeads implements AsyncLeadRecords {
  constructor(private readonly real: AsyncLeadRecords) {}
  getLead(leadId: string) { return this.real.getLead(leadId); }
  getLeads(leadIds: readonly string[]) { return this.real.getLeads(leadIds); }
  openLeads(limit?: number) { return this.real.openLeads(limit); }
  putLead(..._args: Parameters<AsyncLeadRecords['putLead']>) { return nothing(); }
  convert(_leadId: string, _opportunityId: string, _at: string) { return nothing(); }
}

/** The webhook queue's rows: read from the real store, never changed (a dry run takes no event). */
class DryRunPendingReferrals implements AsyncPendingReferrals {
  constructor(private readonly real: AsyncPendingReferrals) {}
  list() { return this.real.list(); }
  put(..._args: Parameters<AsyncPendingReferrals['put']>) { return nothing(); }
  remove(_referralIds: readonly string[]) { return nothing(); }
}

export class DryRunStore extends DryRunTransaction implements AsyncStateStore {
  readonly leads: AsyncLeadRecords;
  readonly pendingReferrals: AsyncPendingReferrals;

  constructor(private readonly store: AsyncStateStore) {
    super(store);
    this.leads = new DryRunLeads(store.leads);
    this.pendingReferrals = new DryRunPendingReferrals(store.pendingReferrals);
  }

  /** The work runs against the store's committed state; what it writes is dropped. */
  transaction<T>(work: (tx: AsyncStoreTransaction) => Promise<T>): Promise<T> {
    return work(new DryRunTransaction(this.store));
  }

  loadVersions(...args: Parameters<AsyncStateStore['loadVersions']>) { return this.store.loadVersions(...args); }
  dueHolds(now: string) { return this.store.dueHolds(now); }
  listLinks(...args: Parameters<AsyncStateStore['listLinks']>) { return this.store.listLinks(...args); }
  attentionLinks() { return this.store.attentionLinks(); }
  pipelineDeals() { return this.store.pipelineDeals(); }
  countLinks() { return this.store.countLinks(); }
  listIntents() { return this.store.listIntents(); }
  listParked(...args: Parameters<AsyncStateStore['listParked']>) { return this.store.listParked(...args); }
  countParked() { return this.store.countParked(); }
  dueParked(now: string, limit?: number) { return this.store.dueParked(now, limit); }
  getConflict(id: number) { return this.store.getConflict(id); }
  listConflicts(...args: Parameters<AsyncStateStore['listConflicts']>) { return this.store.listConflicts(...args); }
  openConflictFor(crmId: string) { return this.store.openConflictFor(crmId); }
  listRuns(limit: number) { return this.store.listRuns(limit); }
  lockHolder() { return this.store.lockHolder(); }
  recentNotices(limit: number) { return this.store.recentNotices(limit); }
  schemaVersion() { return this.store.schemaVersion(); }
  relatedVersions(rowIds: readonly string[]) { return this.store.relatedVersions(rowIds); }
  relatedParents(rowIds: readonly string[]) { return this.store.relatedParents(rowIds); }
  rememberRelatedRows(..._args: Parameters<AsyncStateStore['rememberRelatedRows']>) { return nothing(); }
  async settleRelatedVersions(_run: string): Promise<number> { return 0; }
  markRelatedGone(..._args: Parameters<AsyncStateStore['markRelatedGone']>) { return nothing(); }
  async forgetRelatedGone(_before: string): Promise<number> { return 0; }

  resolveConflict(..._args: Parameters<AsyncStateStore['resolveConflict']>) { return nothing(); }
  /** A dry run is not a run of the history (`cosell status` lists real runs only). */
  async startRun(at: string): Promise<RunRecord> { return { id: 0, startedAt: at } as RunRecord; }
  finishRun(..._args: Parameters<AsyncStateStore['finishRun']>) { return nothing(); }
  async failUnfinishedRuns(): Promise<number> { return 0; }
  /** The runner lock is the caller's business (core/cli/locked-run.ts), never the engine's. */
  acquireLock(...args: Parameters<AsyncStateStore['acquireLock']>) { return this.store.acquireLock(...args); }
  renewLock(...args: Parameters<AsyncStateStore['renewLock']>) { return this.store.renewLock(...args); }
  releaseLock(owner: string) { return this.store.releaseLock(owner); }
  breakLock(...args: Parameters<AsyncStateStore['breakLock']>) { return this.store.breakLock(...args); }
  /** Closing is the owner's: the dry run borrowed the store. */
  close() { return nothing(); }
}
