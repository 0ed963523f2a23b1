/**
 * The sync engine's memory between runs. One interface; SQLite (better-sqlite3, a file under the working
 * directory) is the embedded default, and a PostgreSQL store for several workers can implement the same
 * interface later. Everything a page of work changes (links, snapshots, parked records, the watermark)
 * is written in one transaction, so a crash re-reads at most one page and never half-applies it.
 *
 * Nothing secret is ever stored here: referrals hold customer contact data (kept, as the CRM keeps it)
 * but no credential, token or key.
 */
import type { LeadRecords } from './lead-records.js';
import type { RelatedRow, SyncStatus } from '../engine/crm-port.js';
import type { Referral } from '../model/referral.js';
import type { Violation } from '../rules/violation.js';
import type { NoticeLog } from './notice-log.js';
import type { PendingReferrals } from './pending-referrals.js';
import type { PageKeys, PageSnapshot, VersionSnapshot } from './async-state-store.js';
import type { LockHolder, LockIdentity, RunFinish, RunRecord } from './run-records.js';

export { RUNS_KEPT, type LockHolder, type LockIdentity, type RunFinish, type RunRecord } from './run-records.js';

/** A change-feed cursor as either side defines it: JSON, opaque to the store. */
export type StoredCursor = Readonly<Record<string, unknown>>;

/** Which side a record or watermark belongs to. */
export type Side = 'crm' | 'partner-center';

export type LinkState = 'active' | 'crm-deleted' | 'referral-missing';

/** CRM record ↔ referral, with the last canonical snapshot both sides agreed on (the merge base). */
/** The fields of a link's base the pipeline by stage is computed from. */
export type PipelineDeal = Pick<Referral, 'direction' | 'status' | 'substatus' | 'salesStage' | 'value' | 'currency'>;

/** Whether an active link may need a person (`attentionLinks`). Pure; the databases' queries say the same. */
export function needsAttention(link: Link): boolean {
  if (link.state !== 'active') return false;
  return (link.base.direction === 'inbound' && link.base.status === 'New') || link.lastStatus?.registrationEligible === true;
}

/** The pipeline fields of a base (the memory store's projection; the databases select the same). */
export function pipelineDealOf(base: Referral): PipelineDeal {
  return {
    direction: base.direction,
    status: base.status,
    substatus: base.substatus,
    ...(base.salesStage !== undefined ? { salesStage: base.salesStage } : {}),
    ...(base.value !== undefined ? { value: base.value } : {}),
    ...(base.currency !== undefined ? { currency: base.currency } : {}),
  };
}

export interface Link {
  crmId: string;
  referralId: string;
  engagementId?: string;
  /** The last synced canonical referral: what both sides held after the last successful sync. */
  base: Referral;
  /** Partner Center's eTag after our last read or write, for If-Match. */
  pcEtag?: string;
  /**
   * The CRM row version (`CrmDeal.etag`) after our last read, or after our own write when the adapter
   * could prove no one else wrote in between: a listed row with this version is an echo (engine/echoes.ts).
   */
  crmEtag?: string;
  /** Server timestamps of the versions the base reflects. */
  crmModifiedAt?: string;
  pcUpdatedAt?: string;
  state: LinkState;
  /** The status last written onto the CRM record, so the same status is never written twice. */
  lastStatus?: SyncStatus;
  /** A Won held back by the 72-hour rule: when it may be sent. */
  heldUntil?: string;
  updatedAt: string;
}

/** A create recorded before the call, so a crash between the call and the link never duplicates. */
export interface CreateIntent {
  /** `referral` = creating a referral for a CRM record; `crm` = creating a CRM record for a referral. */
  target: 'referral' | 'crm';
  /** The source record: the CRM ID for a referral create, the referral ID for a CRM create. */
  sourceId: string;
  createdAt: string;
  attempts: number;
}

/** A record that cannot sync, with its reasons; retried when the record changes (its fingerprint). */
export interface ParkedRecord {
  side: Side;
  /** CRM ID or referral ID. */
  recordId: string;
  /** The deal's name when it was parked, so that people can tell which deal it is (absent: not known). */
  name?: string;
  /**
   * The email addresses of the deal's team when it was parked (absent: none or not known). A deal refused
   * before it reached Partner Center has no link, so without these its "fix needed" notice could only go
   * to the shared mailbox, never to the sellers who must fix it.
   */
  team?: string[];
  reasons: Violation[];
  /** A hash of the record's content when parked: a different hash means it changed and is retried. */
  fingerprint: string;
  parkedAt: string;
  attempts: number;
  /**
   * When to try again even if neither side changed (a refusal that may pass later: a CRM validation rule
   * fixed by an admin, a service outage). Absent: retried only when the record changes.
   */
  retryAt?: string;
  /**
   * A CRM record's version as the engine last read it, or as its own write of the park reason left it (when
   * the adapter could tell no one else saved in between): a listed row of this version holds nothing new and
   * is not read again (echoes.ts). A parked deal has no link to keep it on. Absent: not known.
   */
  crmEtag?: string;
}

export type ConflictResolution = 'crm' | 'partner-center';

/** Both sides changed the same fields differently and the policy is manual: an admin decides. */
export interface Conflict {
  id: number;
  crmId: string;
  referralId: string;
  fields: string[];
  base: Referral;
  crm: Referral;
  partnerCenter: Referral;
  detectedAt: string;
  resolvedAt?: string;
  resolution?: ConflictResolution;
}

/** The two sides' values a conflict holds. */
export type ConflictSides = Pick<Conflict, 'crm' | 'partnerCenter'>;

/** Everything one transaction can touch. */
export interface StoreTransaction {
  getLinkByCrmId(crmId: string): Link | undefined;
  getLinkByReferralId(referralId: string): Link | undefined;
  putLink(link: Link): void;
  /** Removes a link and its conflicts (`cosell link` giving a deleted record's referral to the record that replaced it: confirm-link.ts). */
  deleteLink(crmId: string): void;
  getIntent(target: CreateIntent['target'], sourceId: string): CreateIntent | undefined;
  putIntent(intent: CreateIntent): void;
  deleteIntent(target: CreateIntent['target'], sourceId: string): void;
  getParked(side: Side, recordId: string): ParkedRecord | undefined;
  park(record: ParkedRecord): void;
  unpark(side: Side, recordId: string): void;
  addConflict(conflict: Omit<Conflict, 'id'>): Conflict;
  /**
   * An open conflict's sides as they are now: a side edited again while the conflict waits is what an admin
   * settles against (settling against the first values opened the same conflict again). No-op once settled.
   */
  refreshConflict(id: number, sides: ConflictSides): void;
  /**
   * An open conflict whose sides came to agree without an admin (someone typed the other side's value):
   * settled for the side whose values stand, so it no longer holds its fields. No-op once settled.
   */
  closeAgreedConflict(id: number, resolution: ConflictResolution, at: string): void;
  getCursor(side: Side): StoredCursor | undefined;
  putCursor(side: Side, cursor: StoredCursor): void;
  /** Small named facts about the store itself (such as "links were rebuilt"), as JSON. */
  getMeta(key: string): unknown;
  putMeta(key: string, value: unknown, at: string): void;
  deleteMeta(key: string): void;
}

/** What the store holds about a set of records: their links, parked records and open conflicts. */
export interface StoredRecords {
  links: Link[];
  parked: ParkedRecord[];
  openConflicts: Conflict[];
}

/** {@link StateStore.recordsFor} by point lookups, for a store without a cheaper bulk read. */
export function recordsByLookup(store: Pick<StateStore, 'getLinkByCrmId' | 'getLinkByReferralId' | 'getParked' | 'openConflictFor'>, ids: readonly string[]): StoredRecords {
  const links = new Map<string, Link>();
  for (const id of ids) for (const link of [store.getLinkByCrmId(id), store.getLinkByReferralId(id)]) if (link) links.set(link.crmId, link);
  const parked = ids.flatMap((id) => [store.getParked('crm', id), store.getParked('partner-center', id)].filter((p): p is ParkedRecord => p !== undefined));
  return { links: [...links.values()], parked, openConflicts: ids.flatMap((id) => store.openConflictFor(id) ?? []) };
}


/** The CRM adapter's related-row index (`RelatedRowIndex` in core/engine/related-rows.ts), synchronous. */
export interface SyncRelatedRowIndex {
  rememberRelatedRows(rows: readonly RelatedRow[]): void;
  settleRelatedVersions(run: string): number;
  relatedParents(rowIds: readonly string[]): Map<string, string>;
  relatedVersions(rowIds: readonly string[]): Map<string, string>;
  markRelatedGone(rowIds: readonly string[], at: string): void;
  forgetRelatedGone(before: string): number;
}

/**
 * The store also keeps the CRM adapter's related-row index (`RelatedRowIndex`): written by the adapter as
 * it reads, outside the engine's transactions (a row remembered by a page that then fails is harmless).
 */
export interface StateStore extends StoreTransaction, SyncRelatedRowIndex {
  /** Runs `work` in one transaction: all of it is stored, or none of it. */
  transaction<T>(work: (tx: StoreTransaction) => T): T;
  /**
   * Opens a transaction that may span awaits (the asynchronous wrapper, async-sqlite-store.ts, which keeps
   * every other call out until it ends); `commit` or `rollback` ends it.
   */
  beginOpenTransaction(): { commit(): void; rollback(): void };

  /** Links whose Won is held and whose hold ends at or before `now`. */
  dueHolds(now: string): Link[];
  /** Links by state, for `cosell status` (paged, newest first). */
  listLinks(filter: { state?: LinkState; limit?: number; offset?: number }): Link[];
  /**
   * The active links that may need a person (notifications, the dashboard's inbound panel): inbound
   * referrals waiting for our answer (status New) and deals eligible for deal registration follow-up.
   * Filtered in the database, so a run's notices do not read every link (newest first).
   */
  attentionLinks(): Link[];
  /** What the pipeline view needs of every active link's base, read without the rest of the record. */
  pipelineDeals(): PipelineDeal[];
  countLinks(): Record<LinkState, number>;
  listIntents(): CreateIntent[];
  listParked(filter?: { side?: Side; limit?: number }): ParkedRecord[];
  countParked(): number;
  /** Parked records whose `retryAt` is at or before `now`, oldest retry first. */
  dueParked(now: string, limit?: number): ParkedRecord[];

  getConflict(id: number): Conflict | undefined;
  /** Open conflicts unless `includeResolved`. */
  listConflicts(options?: { includeResolved?: boolean }): Conflict[];
  /** Open conflicts of one link (at most one is open at a time). */
  openConflictFor(crmId: string): Conflict | undefined;
  /**
   * In one read, the links naming any of `ids` (as CRM or referral ID), the records parked under any of
   * them (either side) and the open conflicts of those CRM IDs: the engine reads a page's records at once.
   */
  recordsFor(ids: readonly string[]): StoredRecords;
  /** Everything the engine consults about one page's records (`AsyncStateStore.loadPage`), in one read. */
  pageSnapshot(keys: PageKeys): PageSnapshot;
  /** The same links' versions, parked records and open conflicts (`AsyncStateStore.loadVersions`). */
  versionSnapshot(keys: PageKeys): VersionSnapshot;
  resolveConflict(id: number, resolution: ConflictResolution, at: string): void;

  startRun(at: string): RunRecord;
  /**
   * Records how the run ended. `startedAt` replaces the start it was opened with when the engine's clock moved
   * during the run (it follows Partner Center's when this machine's is off): the start as the clock reads now.
   */
  finishRun(id: number, result: RunFinish): void;
  listRuns(limit: number): RunRecord[];
  /**
   * Marks every run that never finished as failed with `message` (its process died mid-run). Call it
   * only while holding the runner lock, when no other run can be in progress. Returns how many.
   */
  failUnfinishedRuns(at: string, message: string): number;

  /**
   * Takes the single-runner lock (`cosell run` never runs two syncs at once, even from two processes).
   * Returns false when another live holder has it; a holder that stopped renewing for `staleMs` loses it.
   */
  acquireLock(owner: string, now: number, staleMs: number, identity?: LockIdentity): boolean;
  renewLock(owner: string, now: number): void;
  releaseLock(owner: string): void;
  /** The current holder, if any. */
  lockHolder(): LockHolder | undefined;
  /**
   * Removes the lock if `owner` still holds it with heartbeat `heartbeatMs` (compare-and-delete, so two
   * processes that both judged a holder dead cannot both take over). Returns whether it was removed.
   */
  breakLock(owner: string, heartbeatMs: number): boolean;

  /** Notifications decided on, one per cause (core/notify/). */
  readonly notices: NoticeLog;

  /** The referrals `cosell serve` was told about by webhook and has not synced yet, one row each (schema version 9). */
  readonly pendingReferrals: PendingReferrals;

  /** The schema version after migrations. */
  schemaVersion(): number;
  /** The CRM leads created for lead referrals, and their conversion (schema version 5). */
  readonly leads: LeadRecords;
  close(): void;
}
