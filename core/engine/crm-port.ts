/**
 * The contract between the sync engine and a CRM, defined beside the engine (as the Partner Center port is,
 * ports.ts) and implemented by `connectors/<crm>/`. The engine alone drives it; it never knows which CRM
 * is behind it, and nothing outside `connectors/<crm>/` may branch on the CRM's kind.
 *
 * An adapter:
 * - reads changed opportunities page by page, ascending by the CRM server's own modification
 *   timestamp (a first read of everything may use a key an edit cannot move, below), and maps each to the canonical {@link Referral} through its declarative field table
 *   (`mappings/fields.<crm>.ts`) and stage table (`mappings/stages.<crm>.ts`);
 * - writes in batches (Salesforce sObject Collections, Dataverse `$batch`), never one call per record;
 * - writes sync status back onto the CRM record, so a seller sees in the CRM whether Partner Center has
 *   the deal and, if not, why;
 * - reports what it cannot map (an unmapped stage, a missing country code) as a {@link MappingProblem}
 *   instead of guessing;
 * - throws the typed errors of `core/errors.ts` (`ConflictError` for a stale ETag, `AuthError`,
 *   `RateLimitError`, `BudgetPausedError`) so that the engine can decide without parsing messages.
 *
 * Every adapter passes the shared contract suite in `test/contract/crm-adapter.contract.ts`.
 */
import type { Referral } from '../model/referral.js';
import type { FieldLabels } from '../rules/field-labels.js';
import type { SyncStatus } from '../model/sync-status.js';

/**
 * Where a change feed stopped. Opaque to the engine, JSON-serialisable, stored by the state store and
 * handed back on the next run. Salesforce keeps `{ modstamp, id }`; Dynamics keeps a delta link or a
 * `modifiedon` watermark.
 */
export type CrmCursor = Readonly<Record<string, string | number | boolean | null>>;

export type { KnownVersions, RelatedRow, RelatedRowIndex } from './related-rows.js';
export type { CheckItem, CheckReport, CrmApiUsage, CrmStage, SetupReport } from './crm-admin-reports.js';
import type { CheckReport, CrmApiUsage, CrmStage, SetupReport } from './crm-admin-reports.js';
import type { KnownVersions, RelatedRowIndex } from './related-rows.js';

/** Something in a CRM record that could not be mapped to the canonical model. */
export interface MappingProblem {
  /** Stable code, e.g. `stage.unmapped`, `country.not_iso`. */
  code: string;
  /** Canonical field path, e.g. `salesStage`. */
  field: string;
  /** For a seller: what is wrong and how to fix it. */
  message: string;
}

/** The seller's own co-sell choices on the CRM record (the connector's custom fields). */
export interface SellerIntent {
  /** "Sync with Partner Center" is ticked (always true for deals that came from Partner Center). */
  optedIn: boolean;
  /** For an inbound referral still in the Received stage: the seller's answer, if given. */
  response?: 'accept' | 'decline';
}

/** One opportunity as the engine sees it. */
export interface CrmDeal {
  /** The CRM's record ID (Salesforce Opportunity Id, Dataverse opportunityid). */
  crmId: string;
  /** The CRM server's modification timestamp (SystemModstamp / modifiedon), ISO 8601 UTC. */
  modifiedAt: string;
  /**
   * Row version for optimistic concurrency: Dataverse's `@odata.etag`; for Salesforce, which has no ETags
   * on collections, the record's own SystemModstamp, which the writer compares just before it writes.
   */
  etag?: string;
  intent: SellerIntent;
  /** The canonical view of the deal; carries `referralId` once linked. */
  referral: Referral;
  /** What could not be mapped. A deal with problems is parked, not sent. */
  problems: MappingProblem[];
  /**
   * Units the CRM maps and holds empty (free text a seller may empty, such as notes). An absent value is
   * otherwise no opinion, since a CRM need not map every field; listed here, emptying the field is an edit
   * to "nothing" that reaches Partner Center (docs/sync.md, The link and the base).
   */
  cleared?: readonly string[];
  /**
   * The record keeps Partner Center's report of each invitation (the invited partner's answer, the terms it
   * may change), so the merge writes a report that differs. A CRM that keeps only the seller's requests
   * (one child row per invited partner) has no opinion on those details: compared with them, every visit
   * of the pair would rewrite the invitations and the record would never agree.
   */
  keepsInvitationReports?: true;
  /** The record's owner (CRM user ID, and email where the CRM gives it): picks the owner's default location. */
  owner?: { id: string; email?: string; businessUnit?: { id: string; name?: string } };
  /** Open, but never closed since the connector wrote this final status onto it: its close is unfinished, not a reopen. */
  unfinishedClose?: Pick<Referral, 'status' | 'substatus'>;
  /**
   * The connector's own status fields as the record holds them (sync state, message, last synced...: the
   * parts in {@link OWN_STATUS_PARTS}), in the adapter's terms: only {@link CrmAdapter.showsStatus} reads it.
   * Never part of the deal: a seller's edit of them is not a change to send, only a status to write again.
   */
  shownStatus?: Readonly<Record<string, unknown>>;
}

/** A change feed whose first call has been made ({@link CrmAdapter.openChanges}). */
export interface CrmChangeListing {
  /**
   * The records the pages will read in full, when the first call listed every change (one page of the
   * listing, nothing left to follow); absent when the listing goes on. Rows `known` names are not in it.
   */
  readonly toRead?: readonly string[];
  /**
   * The pages, asked once. `engineReads`: records the engine read after the first call. A page takes a
   * listed record from there, instead of reading it again, when the listed version is the one read; a
   * record listed for a related-row change alone, when the engine read it after that change was listed.
   */
  pages(engineReads?: ReadonlyMap<string, CrmDeal>): AsyncIterable<CrmChangePage>;
  /**
   * Records the engine asked to have read with the first call (`alsoRead` of {@link CrmAdapter.openChanges}),
   * and listed records its answer held in full, as a read by ID would give them. `asked`: the IDs whose read
   * this is (one of them not in `deals` is gone); an asked ID not in it was not read (the engine reads it).
   */
  readonly readAlong?: { readonly deals: readonly CrmDeal[]; readonly asked: readonly string[] };
}

/** One page of a change feed. The engine checkpoints `cursor` after it has processed the page. */
export interface CrmChangePage {
  deals: CrmDeal[];
  /** CRM IDs deleted since the previous page (Dataverse `$deletedEntity`, Salesforce getDeleted). */
  deletedIds: string[];
  /**
   * The feed could not list every deletion since the cursor: the window reaches further back than the CRM
   * keeps deletions (Salesforce getDeleted's 15 days), or the change-tracking token expired and a query
   * without deletions replaced it (Dataverse's 7 days). Set on one page per gap; the engine then asks
   * {@link CrmAdapter.missingIds} which linked records are gone and orphans them as if they were listed.
   */
  deletionsIncomplete?: boolean;
  /**
   * The next page ends the listing with a cursor the adapter takes from the CRM's time after the run's writes
   * (Salesforce: the window that leaves the connector's own writes out, feed-window.ts): the engine sends the
   * writes it holds before asking for it. Until 2026-12-07 the writes the buffer held then (up to a batch) went
   * out after that time was taken, and the next run listed them all again (at 5,000 deals, 2,000 rows: a
   * second listing batch, a call, when the listing's first batch was full).
   */
  writesBeforeNext?: boolean;
  cursor: CrmCursor;
}

export type { SyncState, SyncStatus } from '../model/sync-status.js';
export { OWN_STATUS_PARTS, STATUS_CLEARED_WHEN_ABSENT } from '../model/sync-status.js';

export type { CrmLead, CrmWrite, CrmWriteResult } from './crm-write-types.js';
import type { CrmLead, CrmWrite, CrmWriteResult } from './crm-write-types.js';

export interface CrmAdapter {
  /** A human-readable name for logs and reports ("Salesforce", "Dynamics 365"). Never branched on. */
  readonly displayName: string;

  /**
   * The web address of an opportunity's form, `{crmId}` standing for its ID, when the adapter can tell it
   * from its own config: the dashboard and the notices link each record with it when `crmRecordUrl` is not set.
   */
  readonly recordUrlTemplate?: string;

  /** The most records one {@link CrmAdapter.write} call should be given. */
  readonly maxBatchSize: number;

  /**
   * The most characters the CRM keeps in each canonical text field it writes (`{ dealName: 120 }`), taken
   * from the adapter's own field table or metadata. The engine writes a shortened form of a longer
   * free-text value (and says so on the record) instead of having the whole write refused. `sync.message`:
   * the record's sync message field, which the engine composes to fit (most important note first).
   */
  readonly textLimits: Readonly<Record<string, number>>;

  /** The label a seller sees for each canonical path (`value` → "Amount"; mappings/labels.<crm>.ts), for the
   * reasons written onto a record (core/rules/field-labels.ts); a path it does not name is spelt out. */
  readonly fieldLabels: FieldLabels;

  /**
   * Reads opportunities changed since `cursor` (or all, when undefined), oldest first, one page at a
   * time. Re-reading an overlap is allowed; the engine de-duplicates by `crmId` and `modifiedAt`.
   * The first read of all may instead come in the order of a key an edit cannot change (Dynamics 365 reads
   * by `opportunityid`, connectors/dynamics/first-read.ts): in modification order, a row edited while the
   * pages are read would move past the page being read and be skipped or read twice. The engine relies on
   * no order: the cursor is the adapter's own.
   * Rows whose version `known` names are left out before they are read in full (their related rows are
   * still followed: a related-row change reaches the engine even when the opportunity row is an echo).
   */
  readChanges(cursor: CrmCursor | undefined, known?: KnownVersions): AsyncIterable<CrmChangePage>;

  /**
   * {@link CrmAdapter.readChanges} in two steps: the feed's first call now, its pages later (issue 13). The
   * engine opens the feed before its Partner Center phase reads CRM records, reads the records the listing
   * names together with its own in one call, and hands them to the pages, which then do not read them
   * again. An adapter without it is read with `readChanges` when the CRM phase starts. `alsoRead`: records
   * the engine needs read anyway; an adapter that can read them in the same first call hands them back in
   * {@link CrmChangeListing.readAlong} (an adapter may ignore it: the engine then reads them itself).
   */
  openChanges?(cursor: CrmCursor | undefined, known?: KnownVersions, alsoRead?: readonly string[]): Promise<CrmChangeListing>;

  /**
   * Whether `id` has the shape of this CRM's opportunity IDs (a Dataverse GUID, a Salesforce `006…` ID), so
   * that a referral naming such an ID the CRM does not have names a deleted opportunity, not another system's
   * key (a bulk CSV import's `csv-…`, a free-text CRM ID typed in Partner Center).
   */
  isRecordId?(id: string): boolean;

  /** Re-reads specific opportunities (after a conflict, or to verify a write). Missing IDs are omitted. */
  getDeals(crmIds: readonly string[]): Promise<CrmDeal[]>;

  /**
   * Of these opportunity IDs, the ones that no longer exist (deleted), spelled as given. Asks only for the
   * IDs (IN queries of as many IDs as the CRM's limits allow), never one call per record: the engine calls
   * it with every linked record after a {@link CrmChangePage.deletionsIncomplete} page.
   */
  missingIds(crmIds: readonly string[]): Promise<string[]>;

  /**
   * Every opportunity that carries each of these referral IDs (referral ID → CRM IDs, oldest first where
   * the CRM tells), so that an inbound referral creates one opportunity, ever: a record the connector made
   * is the only one naming its referral, unless a seller copied the ID (or cloned the record). Binding
   * after a lost store asks it (core/engine/binding.ts); where one record is enough, {@link oldestCarriers}.
   */
  findAllByReferralIds(referralIds: readonly string[]): Promise<Map<string, string[]>>;

  /**
   * Applies creates, updates and status write-backs in as few calls as the CRM allows. Creates match
   * accounts (D-U-N-S first, then name + postal code + country) and contacts before creating any.
   * Never throws for one bad record: each write gets its own result.
   */
  write(writes: readonly CrmWrite[]): Promise<CrmWriteResult[]>;

  /**
   * Leads the connector created (`as: 'lead'` creates), read in as few calls as the CRM allows: lead ID (as
   * given) → the lead now. A lead that no longer exists is absent from the map.
   */
  readLeads(leadIds: readonly string[]): Promise<Map<string, CrmLead>>;

  /** Leads that carry these referral IDs (a store rebuilt from the CRM finds its leads): referral ID → lead. */
  findLeads(referralIds: readonly string[]): Promise<Map<string, CrmLead>>;

  /** The CRM's own opportunity stages, for stage mapping and `cosell check`. */
  listStages(): Promise<CrmStage[]>;

  /** Creates the connector's custom fields and objects; safe to run again. */
  setup(): Promise<SetupReport>;

  /** Verifies fields, permissions, stage mapping and remaining API budget without writing anything. */
  check(): Promise<CheckReport>;

  /**
   * Whether the record, as read (`deal.shownStatus`), shows what writing `status` left on it, in the parts
   * only the connector writes: false when a seller or a CRM workflow changed them since (set a parked
   * record to "synced", cleared the message), so the engine writes the status again. Compares as the CRM
   * keeps values (a message cut to the field, a date to the second), or with the form the CRM saved it in
   * (`status.savedAs`). `messageSet`: the message only as set or empty, for a status whose saved form could
   * not be kept (a parked record without a link). Absent: the record is taken to show it.
   */
  showsStatus?(deal: CrmDeal, status: SyncStatus, messageSet?: boolean): boolean;

  /**
   * Whether a lead, as read (`lead.shownStatus`), shows what writing `status` onto it left: false when a
   * seller or a CRM workflow changed its status fields since, so the engine writes the status again
   * (lead-conversions.ts); compared with the form the CRM saved it in (`status.savedAs`) when the org's
   * automation rewrote it. Absent: the lead is taken to show it.
   */
  showsLeadStatus?(lead: CrmLead, status: SyncStatus): boolean;

  /** What the adapter has seen of the CRM's API limits so far, for `cosell serve`'s metrics (optional). */
  apiUsage?(): CrmApiUsage;

  /**
   * The same adapter (client, sign-in, caches) keeping its related-row index in `index` instead of the one
   * it was made with; the adapter it was called on is left as it was. A dry run hands it the store that
   * reads through and drops every write (dry-run-store.ts): the adapter reaches the store for that index
   * on its own, and its writes there must be dropped too. Required, so that no adapter keeps writing to
   * the real store in a dry run unnoticed.
   */
  withRelatedRows(index: RelatedRowIndex): CrmAdapter;
}

/** Of each referral's carriers ({@link CrmAdapter.findAllByReferralIds}), the oldest: the record it was made with. */
export function oldestCarriers(carriers: ReadonlyMap<string, readonly string[]>): Map<string, string> {
  return new Map([...carriers].flatMap(([referralId, crmIds]) => (crmIds[0] ? [[referralId, crmIds[0]] as [string, string]] : [])));
}
