/**
 * A synchronous in-process store (the SQLite store, or the in-memory one) behind the asynchronous
 * interface. Each call still runs synchronously on the store (no thread hop, no copy), so the only cost
 * over the synchronous store is one resolved Promise per call.
 *
 * A transaction spans awaits, so it is opened with `beginOpenTransaction` (SQLite: BEGIN IMMEDIATE) and
 * ended by commit or rollback here; while it is open, calls on the store wait for it (there is one
 * connection, and a call made in between would otherwise become part of the transaction).
 */
import type { AsyncLeadRecords, AsyncPendingReferrals, AsyncStateStore, AsyncStoreTransaction, PageKeys, PageSnapshot } from './async-state-store.js';
import type { StateStore } from './state-store.js';
import { TransactionScope, transactionEndedError } from './transaction-scope.js';

/**
 * `store` behind the asynchronous interface, for a process that already holds it open (a single install's
 * `cosell run` and `serve` share one connection between the engine and the dashboard). Each store gets one
 * wrapper, so that its transactions queue.
 */
export function asyncStateStore(store: StateStore): AsyncStateStore {
  const known = wrappers.get(store);
  if (known) return known;
  const wrapper = new AsyncOverSync(store);
  wrappers.set(store, wrapper);
  return wrapper;
}

const wrappers = new WeakMap<StateStore, AsyncStateStore>();

/** Reads one page's records from a synchronous store (in-process SQLite: no round trip to save). */
export function snapshotFrom(store: StateStore, keys: PageKeys): PageSnapshot {
  return store.pageSnapshot(keys);
}

/** `tx` for one open SQLite transaction; refuses use after the transaction ended. */
function transactionOver(store: StateStore, ended: () => boolean): AsyncStoreTransaction {
  const live = <A extends unknown[], R>(method: string, call: (...args: A) => R) =>
    async (...args: A): Promise<R> => {
      if (ended()) throw transactionEndedError(method);
      return call(...args);
    };
  return {
    getLinkByCrmId: live('getLinkByCrmId', (crmId) => store.getLinkByCrmId(crmId)),
    getLinkByReferralId: live('getLinkByReferralId', (referralId) => store.getLinkByReferralId(referralId)),
    putLink: live('putLink', (link) => store.putLink(link)),
    deleteLink: live('deleteLink', (crmId) => store.deleteLink(crmId)),
    getIntent: live('getIntent', (target, sourceId) => store.getIntent(target, sourceId)),
    putIntent: live('putIntent', (intent) => store.putIntent(intent)),
    deleteIntent: live('deleteIntent', (target, sourceId) => store.deleteIntent(target, sourceId)),
    getParked: live('getParked', (side, recordId) => store.getParked(side, recordId)),
    park: live('park', (record) => store.park(record)),
    unpark: live('unpark', (side, recordId) => store.unpark(side, recordId)),
    addConflict: live('addConflict', (conflict) => store.addConflict(conflict)),
    refreshConflict: live('refreshConflict', (id, sides) => store.refreshConflict(id, sides)),
    closeAgreedConflict: live('closeAgreedConflict', (id, resolution, at) => store.closeAgreedConflict(id, resolution, at)),
    getCursor: live('getCursor', (side) => store.getCursor(side)),
    putCursor: live('putCursor', (side, cursor) => store.putCursor(side, cursor)),
    getMeta: live('getMeta', (key) => store.getMeta(key)),
    putMeta: live('putMeta', (key, value, at) => store.putMeta(key, value, at)),
    deleteMeta: live('deleteMeta', (key) => store.deleteMeta(key)),
    loadPage: live('loadPage', (keys) => snapshotFrom(store, keys)),
    putLead: live('putLead', (record) => store.leads.putLead(record)),
  };
}

type Sync = StateStore;

class AsyncOverSync implements AsyncStateStore {
  /** Settles when the open transaction ends; undefined when none is open. */
  private open: Promise<void> | undefined;
  private readonly scope = new TransactionScope();

  readonly leads: AsyncLeadRecords;
  readonly pendingReferrals: AsyncPendingReferrals;

  constructor(private readonly sync: Sync) {
    const pending = () => this.sync.pendingReferrals;
    this.pendingReferrals = {
      list: () => this.call('pendingReferrals.list', () => pending().list()),
      put: (entry, at) => this.call('pendingReferrals.put', () => pending().put(entry, at)),
      remove: (referralIds) => this.call('pendingReferrals.remove', () => pending().remove(referralIds)),
    };
    const leads = () => this.sync.leads;
    this.leads = {
      putLead: (record) => this.call('putLead', () => leads().putLead(record)),
      getLead: (leadId) => this.call('getLead', () => leads().getLead(leadId)),
      getLeads: (leadIds) => this.call('getLeads', () => leads().getLeads(leadIds)),
      openLeads: (limit) => this.call('openLeads', () => leads().openLeads(limit)),
      // One step of the synchronous store's own transaction: the link moves and the lead is marked together.
      convert: (leadId, opportunityId, at) => this.call('convert', (s) => s.transaction(() => leads().convert(leadId, opportunityId, at))),
    };
  }

  /** Runs one synchronous call once no transaction is open. */
  private async call<T>(method: string, work: (store: Sync) => T): Promise<T> {
    this.scope.assertOutside(method);
    while (this.open) await this.open;
    return work(this.sync);
  }

  async transaction<T>(work: (tx: AsyncStoreTransaction) => Promise<T>): Promise<T> {
    this.scope.assertOutside('transaction');
    while (this.open) await this.open;
    let release!: () => void;
    this.open = new Promise<void>((resolve) => (release = resolve));
    let ended = false;
    try {
      const handle = this.sync.beginOpenTransaction();
      try {
        const result = await this.scope.run(() => work(transactionOver(this.sync, () => ended)));
        ended = true;
        handle.commit();
        return result;
      } catch (error) {
        ended = true;
        handle.rollback();
        throw error;
      }
    } finally {
      ended = true;
      this.open = undefined;
      release();
    }
  }

  getLinkByCrmId = (crmId: string) => this.call('getLinkByCrmId', (s) => s.getLinkByCrmId(crmId));
  getLinkByReferralId = (referralId: string) => this.call('getLinkByReferralId', (s) => s.getLinkByReferralId(referralId));
  putLink = (link: Parameters<Sync['putLink']>[0]) => this.call('putLink', (s) => s.putLink(link));
  deleteLink = (crmId: string) => this.call('deleteLink', (s) => s.deleteLink(crmId));
  getIntent = (...a: Parameters<Sync['getIntent']>) => this.call('getIntent', (s) => s.getIntent(...a));
  putIntent = (...a: Parameters<Sync['putIntent']>) => this.call('putIntent', (s) => s.putIntent(...a));
  deleteIntent = (...a: Parameters<Sync['deleteIntent']>) => this.call('deleteIntent', (s) => s.deleteIntent(...a));
  getParked = (...a: Parameters<Sync['getParked']>) => this.call('getParked', (s) => s.getParked(...a));
  park = (...a: Parameters<Sync['park']>) => this.call('park', (s) => s.park(...a));
  unpark = (...a: Parameters<Sync['unpark']>) => this.call('unpark', (s) => s.unpark(...a));
  addConflict = (...a: Parameters<Sync['addConflict']>) => this.call('addConflict', (s) => s.addConflict(...a));
  refreshConflict = (...a: Parameters<Sync['refreshConflict']>) => this.call('refreshConflict', (s) => s.refreshConflict(...a));
  closeAgreedConflict = (...a: Parameters<Sync['closeAgreedConflict']>) => this.call('closeAgreedConflict', (s) => s.closeAgreedConflict(...a));
  getCursor = (...a: Parameters<Sync['getCursor']>) => this.call('getCursor', (s) => s.getCursor(...a));
  putCursor = (...a: Parameters<Sync['putCursor']>) => this.call('putCursor', (s) => s.putCursor(...a));
  getMeta = (...a: Parameters<Sync['getMeta']>) => this.call('getMeta', (s) => s.getMeta(...a));
  putMeta = (...a: Parameters<Sync['putMeta']>) => this.call('putMeta', (s) => s.putMeta(...a));
  deleteMeta = (...a: Parameters<Sync['deleteMeta']>) => this.call('deleteMeta', (s) => s.deleteMeta(...a));
  loadPage = (keys: PageKeys) => this.call('loadPage', (s) => snapshotFrom(s, keys));
  loadVersions = (keys: PageKeys) => this.call('loadVersions', (s) => s.versionSnapshot(keys));
  putLead = (record: Parameters<AsyncStoreTransaction['putLead']>[0]) => this.leads.putLead(record);

  rememberRelatedRows = (...a: Parameters<Sync['rememberRelatedRows']>) => this.call('rememberRelatedRows', (s) => s.rememberRelatedRows(...a));
  relatedParents = (...a: Parameters<Sync['relatedParents']>) => this.call('relatedParents', (s) => s.relatedParents(...a));
  relatedVersions = (...a: Parameters<Sync['relatedVersions']>) => this.call('relatedVersions', (s) => s.relatedVersions(...a));
  settleRelatedVersions = (...a: Parameters<Sync['settleRelatedVersions']>) => this.call('settleRelatedVersions', (s) => s.settleRelatedVersions(...a));
  markRelatedGone = (...a: Parameters<Sync['markRelatedGone']>) => this.call('markRelatedGone', (s) => s.markRelatedGone(...a));
  forgetRelatedGone = (...a: Parameters<Sync['forgetRelatedGone']>) => this.call('forgetRelatedGone', (s) => s.forgetRelatedGone(...a));

  dueHolds = (...a: Parameters<Sync['dueHolds']>) => this.call('dueHolds', (s) => s.dueHolds(...a));
  listLinks = (...a: Parameters<Sync['listLinks']>) => this.call('listLinks', (s) => s.listLinks(...a));
  attentionLinks = () => this.call('attentionLinks', (s) => s.attentionLinks());
  pipelineDeals = () => this.call('pipelineDeals', (s) => s.pipelineDeals());
  countLinks = () => this.call('countLinks', (s) => s.countLinks());
  listIntents = () => this.call('listIntents', (s) => s.listIntents());
  listParked = (...a: Parameters<Sync['listParked']>) => this.call('listParked', (s) => s.listParked(...a));
  countParked = () => this.call('countParked', (s) => s.countParked());
  dueParked = (...a: Parameters<Sync['dueParked']>) => this.call('dueParked', (s) => s.dueParked(...a));
  getConflict = (...a: Parameters<Sync['getConflict']>) => this.call('getConflict', (s) => s.getConflict(...a));
  listConflicts = (...a: Parameters<Sync['listConflicts']>) => this.call('listConflicts', (s) => s.listConflicts(...a));
  openConflictFor = (...a: Parameters<Sync['openConflictFor']>) => this.call('openConflictFor', (s) => s.openConflictFor(...a));
  resolveConflict = (...a: Parameters<Sync['resolveConflict']>) => this.call('resolveConflict', (s) => s.resolveConflict(...a));
  startRun = (...a: Parameters<Sync['startRun']>) => this.call('startRun', (s) => s.startRun(...a));
  finishRun = (...a: Parameters<Sync['finishRun']>) => this.call('finishRun', (s) => s.finishRun(...a));
  listRuns = (...a: Parameters<Sync['listRuns']>) => this.call('listRuns', (s) => s.listRuns(...a));
  failUnfinishedRuns = (...a: Parameters<Sync['failUnfinishedRuns']>) => this.call('failUnfinishedRuns', (s) => s.failUnfinishedRuns(...a));
  acquireLock = (...a: Parameters<Sync['acquireLock']>) => this.call('acquireLock', (s) => s.acquireLock(...a));
  renewLock = (...a: Parameters<Sync['renewLock']>) => this.call('renewLock', (s) => s.renewLock(...a));
  releaseLock = (...a: Parameters<Sync['releaseLock']>) => this.call('releaseLock', (s) => s.releaseLock(...a));
  lockHolder = () => this.call('lockHolder', (s) => s.lockHolder());
  breakLock = (...a: Parameters<Sync['breakLock']>) => this.call('breakLock', (s) => s.breakLock(...a));
  recentNotices = (limit: number) => this.call('recentNotices', (s) => s.notices.recent(limit));
  schemaVersion = () => this.call('schemaVersion', (s) => s.schemaVersion());
  close = () => this.call('close', (s) => s.close());
}
