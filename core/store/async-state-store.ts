/**
 * The asynchronous state store: the same records and rules as `StateStore` (state-store.ts), with every
 * method returning a Promise, so that a networked database (PostgreSQL, for many tenants and workers) can
 * implement it. Two implementations: SQLite (async-sqlite-store.ts, wrapping the embedded store, for single
 * installs) and PostgreSQL (pg/pg-store.ts, rows keyed by tenant). One contract suite runs against both
 * (test/store/async-contract-*.ts).
 *
 * Transactions keep today's unit of work: everything one page of the sync changes (links, parked records,
 * conflicts, intents, the cursor) is written in one `transaction(async (tx) => …)`, all of it or none of it.
 * A transaction's work may await (the PostgreSQL one holds one pooled connection for its duration), but it
 * should await only the store: network calls to Partner Center or the CRM belong before or after it, as
 * today, so that a transaction never stays open for the length of an HTTP request.
 *
 * The hot path avoids a round trip per record: `loadPage` reads everything the engine consults about one
 * page's records (links by either ID, create intents, parked records, open conflicts) in one query, and the
 * engine decides from that `PageState` synchronously; the page's writes then go in one transaction.
 * docs/store-async.md describes how the engine moves to this interface.
 */
import type { RelatedRowIndex } from '../engine/crm-port.js';
import type { LeadRecord } from './lead-records.js';
import type { StoredNotice } from './notice-log.js';
import type { PendingReferral } from './pending-referrals.js';
import type {
  Conflict,
  ConflictSides, ConflictResolution, CreateIntent, Link, LinkState, LockHolder, LockIdentity, ParkedRecord, PipelineDeal, RunFinish, RunRecord, Side, StoredCursor,
} from './state-store.js';

/** The records of one page: the CRM IDs and referral IDs it names. */
export interface PageKeys {
  crmIds?: readonly string[];
  referralIds?: readonly string[];
}

/**
 * What the store knows about one page's records, read in one go. Links are found by either ID; intents,
 * parked records and open conflicts are then included for every CRM ID and referral ID of the page and of
 * the links found (a CRM record's link names its referral, whose parked record the engine may settle).
 */
export interface PageSnapshot {
  links: Link[];
  intents: CreateIntent[];
  parked: ParkedRecord[];
  openConflicts: Conflict[];
}

/** What deciding "echo", "known" and "settled" reads of a link: its versions and state, not its base (a whole referral). */
export type LinkVersion = Pick<Link, 'crmId' | 'referralId' | 'state' | 'heldUntil' | 'crmEtag' | 'pcEtag'>;

/** A link's {@link LinkVersion}, optional fields left out when absent (as the stores read them back). Pure. */
export function linkVersionOf(link: LinkVersion): LinkVersion {
  const version: LinkVersion = { crmId: link.crmId, referralId: link.referralId, state: link.state };
  if (link.pcEtag !== undefined) version.pcEtag = link.pcEtag;
  if (link.crmEtag !== undefined) version.crmEtag = link.crmEtag;
  if (link.heldUntil !== undefined) version.heldUntil = link.heldUntil;
  return version;
}

/**
 * {@link PageSnapshot} without what only deciding a pair needs (the links' bases and statuses, the intents):
 * what the engine consults to tell an echo or a known CRM version from a change, before it loads a page.
 */
export interface VersionSnapshot {
  links: LinkVersion[];
  parked: ParkedRecord[];
  openConflicts: Conflict[];
}

/** Everything one transaction can touch: `StoreTransaction` with Promises, plus the page preload. */
export interface AsyncStoreTransaction {
  getLinkByCrmId(crmId: string): Promise<Link | undefined>;
  getLinkByReferralId(referralId: string): Promise<Link | undefined>;
  putLink(link: Link): Promise<void>;
  deleteLink(crmId: string): Promise<void>;
  getIntent(target: CreateIntent['target'], sourceId: string): Promise<CreateIntent | undefined>;
  putIntent(intent: CreateIntent): Promise<void>;
  deleteIntent(target: CreateIntent['target'], sourceId: string): Promise<void>;
  getParked(side: Side, recordId: string): Promise<ParkedRecord | undefined>;
  park(record: ParkedRecord): Promise<void>;
  unpark(side: Side, recordId: string): Promise<void>;
  addConflict(conflict: Omit<Conflict, 'id'>): Promise<Conflict>;
  refreshConflict(id: number, sides: ConflictSides): Promise<void>;
  closeAgreedConflict(id: number, resolution: ConflictResolution, at: string): Promise<void>;
  getCursor(side: Side): Promise<StoredCursor | undefined>;
  putCursor(side: Side, cursor: StoredCursor): Promise<void>;
  getMeta(key: string): Promise<unknown>;
  putMeta(key: string, value: unknown, at: string): Promise<void>;
  deleteMeta(key: string): Promise<void>;
  /** Everything about one page's records in one read (one query on PostgreSQL). */
  loadPage(keys: PageKeys): Promise<PageSnapshot>;
  /** Records the CRM lead created for a lead referral, with the page that created it. */
  putLead(record: Pick<LeadRecord, 'leadId' | 'referralId' | 'createdAt'>): Promise<void>;
}

/** The CRM adapter's related-row index: the adapters' own port (core/engine/related-rows.ts) is asynchronous. */
export type AsyncRelatedRowIndex = RelatedRowIndex;

/** The CRM leads created for lead referrals (`LeadRecords`, lead-records.ts), with Promises. */
export interface AsyncLeadRecords {
  putLead(record: Pick<LeadRecord, 'leadId' | 'referralId' | 'createdAt'>): Promise<void>;
  getLead(leadId: string): Promise<LeadRecord | undefined>;
  getLeads(leadIds: readonly string[]): Promise<LeadRecord[]>;
  openLeads(limit?: number): Promise<LeadRecord[]>;
  /** Moves the lead's link to the opportunity and marks the lead converted, both or neither. */
  convert(leadId: string, opportunityId: string, at: string): Promise<void>;
}

/** The referrals waiting for a targeted sync (`PendingReferrals`, pending-referrals.ts), with Promises. */
export interface AsyncPendingReferrals {
  list(): Promise<PendingReferral[]>;
  put(entry: PendingReferral, at: string): Promise<void>;
  remove(referralIds: readonly string[]): Promise<void>;
}

/** `StateStore` with Promises; the semantics of each method are documented there. */
export interface AsyncStateStore extends AsyncStoreTransaction, AsyncRelatedRowIndex {
  /**
   * Runs `work` in one transaction: all of it is stored, or none of it (a rejection rolls back and is
   * rethrown). Calls on the store itself (not on `tx`) made while it runs see only committed state on
   * PostgreSQL, and wait for it to end on SQLite (one connection).
   */
  transaction<T>(work: (tx: AsyncStoreTransaction) => Promise<T>): Promise<T>;

  /**
   * The links of `keys` (by either ID) as {@link LinkVersion}s, with the parked records and open conflicts
   * of the keys and of the links found, as `loadPage` has them: one read, no referral parsed per link.
   */
  loadVersions(keys: PageKeys): Promise<VersionSnapshot>;

  dueHolds(now: string): Promise<Link[]>;
  listLinks(filter: { state?: LinkState; limit?: number; offset?: number }): Promise<Link[]>;
  attentionLinks(): Promise<Link[]>;
  pipelineDeals(): Promise<PipelineDeal[]>;
  countLinks(): Promise<Record<LinkState, number>>;
  listIntents(): Promise<CreateIntent[]>;
  listParked(filter?: { side?: Side; limit?: number }): Promise<ParkedRecord[]>;
  countParked(): Promise<number>;
  dueParked(now: string, limit?: number): Promise<ParkedRecord[]>;

  getConflict(id: number): Promise<Conflict | undefined>;
  listConflicts(options?: { includeResolved?: boolean }): Promise<Conflict[]>;
  openConflictFor(crmId: string): Promise<Conflict | undefined>;
  resolveConflict(id: number, resolution: ConflictResolution, at: string): Promise<void>;

  startRun(at: string): Promise<RunRecord>;
  finishRun(id: number, result: RunFinish): Promise<void>;
  listRuns(limit: number): Promise<RunRecord[]>;
  failUnfinishedRuns(at: string, message: string): Promise<number>;

  acquireLock(owner: string, now: number, staleMs: number, identity?: LockIdentity): Promise<boolean>;
  renewLock(owner: string, now: number): Promise<void>;
  releaseLock(owner: string): Promise<void>;
  lockHolder(): Promise<LockHolder | undefined>;
  breakLock(owner: string, heartbeatMs: number): Promise<boolean>;

  /** The CRM leads created for lead referrals and their conversion. */
  readonly leads: AsyncLeadRecords;

  /** The referrals a webhook announced and no sync has covered yet. */
  readonly pendingReferrals: AsyncPendingReferrals;

  /** The newest notifications, sent or waiting, newest first (the dashboard's list; `NoticeLog.recent`). */
  recentNotices(limit: number): Promise<StoredNotice[]>;

  /** The schema version after migrations (SQLite and PostgreSQL number their migrations separately). */
  schemaVersion(): Promise<number>;
  /** Releases what this store holds (a SQLite file; a PostgreSQL pool only if the store opened it). */
  close(): Promise<void>;
}

/** A page snapshot (or a version snapshot, `L` = {@link LinkVersion}) indexed for the engine's synchronous decisions. */
export class PageState<L extends LinkVersion = Link> {
  private readonly byCrmId = new Map<string, L>();
  private readonly byReferralId = new Map<string, L>();
  private readonly intents = new Map<string, CreateIntent>();
  private readonly parkedRecords = new Map<string, ParkedRecord>();
  private readonly conflicts = new Map<string, Conflict>();

  constructor(snapshot: Omit<PageSnapshot, 'links' | 'intents'> & { links: L[]; intents?: CreateIntent[] }) {
    for (const link of snapshot.links) {
      this.byCrmId.set(link.crmId, link);
      this.byReferralId.set(link.referralId, link);
    }
    for (const intent of snapshot.intents ?? []) this.intents.set(`${intent.target}\u0000${intent.sourceId}`, intent);
    for (const record of snapshot.parked) this.parkedRecords.set(`${record.side}\u0000${record.recordId}`, record);
    for (const conflict of snapshot.openConflicts) this.conflicts.set(conflict.crmId, conflict);
  }

  linkByCrmId(crmId: string): L | undefined {
    return this.byCrmId.get(crmId);
  }

  linkByReferralId(referralId: string): L | undefined {
    return this.byReferralId.get(referralId);
  }

  intent(target: CreateIntent['target'], sourceId: string): CreateIntent | undefined {
    return this.intents.get(`${target}\u0000${sourceId}`);
  }

  parked(side: Side, recordId: string): ParkedRecord | undefined {
    return this.parkedRecords.get(`${side}\u0000${recordId}`);
  }

  openConflictFor(crmId: string): Conflict | undefined {
    return this.conflicts.get(crmId);
  }
}
