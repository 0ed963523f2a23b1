/**
 * The fewest API calls a phase can cost, from the services' own limits, so that each measured figure is
 * printed next to its minimum and the ratio (issue 13). Pure: counts in, calls out.
 * - Partner Center: a list page holds 100 referrals; it has no batch write, so one POST or PATCH per
 *   referral written.
 * - Salesforce: a query page holds 2,000 rows (queryMore); an sObject Collections write 200 records. But "if
 *   the SOQL statement selects two or more custom fields of type long text, the batch size can't be greater
 *   than 200 records" (Change the Batch Size in Queries, REST and SOAP alike), child rows counted, and a co-sell
 *   opportunity read complete selects four that setup creates (notes to Microsoft, invitations, outside team,
 *   and the invitation's notes in its subquery). A listing can leave all but one to other statements of the
 *   same Composite call and keep 2,000 (connectors/salesforce/long-text-apart.ts), at one query operation each
 *   of the five a Composite call holds; the changed cycle's first call has none to spare (its related-change
 *   queries fill it), so its read of the changed deals in full holds 200 records a batch (`firstCallPage`), five batches a call.
 *   A Composite call carries "up to 5" query operations (Query, QueryAll, Query More) and sObject Collections
 *   (Composite resource, Composite Subrequest Limits; connectors/salesforce/composite-limits.ts), and "the
 *   entire series of requests counts as a single call toward your API limits"; a later subrequest may take
 *   an earlier one's output in its url or body (`@{ref.nextRecordsUrl}` continues a query), so one call can
 *   read five batches or write five collections of 200 (`opsPerCall`). Until 2026-12-07 this minimum
 *   counted a call per batch and per collection; the connector then sent three collections a call and came
 *   in under it (152 calls for a "minimum" of 275 at 50,000), which showed the minimum was not one.
 *   Reads and writes are counted in calls of their own: one call mixing them would save at most one call.
 * - Dataverse: a page holds 5,000 rows (`odata.maxpagesize`); a `$batch` 1,000 operations. A page's next
 *   link cannot be followed inside the same `$batch`, and a `$batch` of writes is already at its limit, so
 *   one read page or one `$batch` a call (`opsPerCall` 1).
 * - A cycle with nothing to do still asks each side once whether anything changed; so does the run that
 *   ends the 1% cycle, which also lists our Partner Center writes back (the API cannot leave them out).
 * - Dataverse change tracking lists every change since the delta token, the connector's own writes
 *   included: `$filter` is refused with `Prefer: odata.track-changes` ("The "$filter" query parameter isn't
 *   supported when Change Tracking is enabled", use-change-tracking-synchronize-data-external-systems;
 *   /work/shared/reference/wire-protocols.md §4.7), so its feed cannot leave out rows the connector saved.
 *   The run after a run that wrote opportunity rows lists them again, a page per 5,000 (`ownWritesListed`);
 *   the initial sync's first run lists them in the change-tracking listing it makes after its writes for a
 *   delta link (connectors/dynamics/first-read.ts): the same pages, once.
 *   Salesforce's query filters on who saved a row, so its minimum has no such part.
 * Related rows: accounts and contacts are parents (their fields ride in the deal's row: relationship fields,
 * `$expand`), so they add nothing. The child rows, a deal's primary contact role, team member and solution in
 * the benchmark's seeding (seed.ts: `CHILD_ROWS_PER_DEAL`), do on Salesforce: "Child objects count toward the
 * number of records for the batch size" (Query Options Header), so read as subqueries of the deal statement
 * or as queries of their own, every child row fills a batch's slot: 50,000 deals with three each are 200,000
 * rows, 100 batches of 2,000 (`childRowsInBatches`). Until 2026-12-07 this minimum let them ride free, which
 * Salesforce's batch rule does not allow (50,000 outbound: 5 read calls, now 20). Dataverse's minimum is left
 * as it was (a page holds 5,000 deals with their expanded rows), so its child rows add nothing here.
 * Deep writes carry a deal's related rows with it, so writes add no calls for them either.
 */
import type { CrmKind } from '../sandbox/world.js';
import type { Seeding } from './protocol.js';

export const PARTNER_CENTER_PAGE = 100;
/** `listsOwnWrites`: the CRM's change feed cannot leave out the connector's own saves (Dataverse change tracking, above). */
/** `childRowsInBatches`: a deal's child rows fill batch slots as the deals do (above). */
export const CRM_LIMITS: Record<CrmKind, { readPage: number; firstCallPage: number; writeBatch: number; opsPerCall: number; listsOwnWrites: boolean; childRowsInBatches: boolean }> = {
  // https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_changing_batch_size.htm
  // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite_post.htm
  // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_queryoptions.htm
  salesforce: { readPage: 2000, firstCallPage: 200, writeBatch: 200, opsPerCall: 5, listsOwnWrites: false, childRowsInBatches: true },
  dynamics: { readPage: 5000, firstCallPage: 5000, writeBatch: 1000, opsPerCall: 1, listsOwnWrites: true, childRowsInBatches: false },
};

/**
 * Child rows per deal in the benchmark's seeding (seed.ts: a primary contact role, one team member, one
 * solution; the Partner Center seeding's deals arrive with the same), one in each of three child objects.
 */
export const CHILD_ROWS_PER_DEAL = 3;

/** One kind of call at the minimum: how many calls, and how many records each carries (for the floor). */
export interface MinimumPart {
  side: 'partnerCenter' | 'crm';
  what: string;
  calls: number;
  recordsPerCall: number;
}

export interface Minimum {
  partnerCenter: number;
  crm: number;
  parts: MinimumPart[];
}

/** What a phase has to move: records read from and written to each side. */
export interface PhaseWork {
  pcReads: number;
  pcWrites: number;
  crmReads: number;
  crmWrites: number;
  /** The CRM records are read complete in the run's first call (the changed cycle): `firstCallPage` a call. */
  readInFirstCall?: boolean;
  /**
   * The phase ends with a run that finds nothing left to do (it syncs until a run writes nothing), and that
   * run lists our own Partner Center writes back (the API filters on `updatedDateTime` only: they come back
   * as echoes, one list page per 100) and asks the CRM once.
   */
  confirmingRun?: boolean;
  /**
   * CRM rows the phase's runs save besides `crmReads`' rows, which the next run's change feed lists again
   * where the CRM's feed cannot leave out the connector's own saves (`listsOwnWrites`): the initial sync
   * from the CRM writes the referral ID and sync status onto each of its N deals, and a change-tracking
   * listing after those writes lists them (on Dynamics, the first run's listing for its delta link; its
   * `crmReads` are the sellers' deals, read by the first run's plain query).
   */
  ownWritesListed?: number;
}

const pages = (records: number, size: number) => Math.max(1, Math.ceil(records / size));
const ownWritesPart = (records: number, readPage: number): MinimumPart => ({
  side: 'crm', what: 'our writes listed back (change tracking cannot filter them out)', calls: pages(records, readPage), recordsPerCall: Math.min(readPage, Math.max(1, records)),
});
const batches = (records: number, size: number) => Math.ceil(records / size);
/** Calls for `records` moved `size` a batch, `opsPerCall` batches a call. */
const bundled = (records: number, size: number, opsPerCall: number) => Math.ceil(batches(records, size) / opsPerCall);

/**
 * Batches to read `deals` complete: the deals `dealPage` a batch, and where child rows count
 * (`childRowsInBatches`) each child object's rows `listPage` a batch in a statement of their own, which is never
 * more than as subqueries of the deal statement (there they would come `dealPage` a batch with the deals).
 */
function readBatches(deals: number, dealPage: number, listPage: number, childRows: boolean): number {
  if (deals === 0) return 0;
  return batches(deals, dealPage) + (childRows ? CHILD_ROWS_PER_DEAL * batches(deals, listPage) : 0);
}

export function minimumFor(crm: CrmKind, work: PhaseWork): Minimum {
  const { readPage: listPage, firstCallPage, writeBatch, opsPerCall, listsOwnWrites, childRowsInBatches } = CRM_LIMITS[crm];
  // Records read complete in the run's first call come `firstCallPage` a call; a plain listing `listPage`.
  const readPage = work.readInFirstCall ? firstCallPage : listPage;
  // The last run's question to the CRM is its tracking request, which lists the phase's own writes back.
  const lastRunCrm: MinimumPart = listsOwnWrites && work.crmWrites > 0
    ? { ...ownWritesPart(work.crmWrites, listPage), what: 'the last run: our writes listed back (change tracking cannot filter them out)' }
    : { side: 'crm', what: 'the last run: one question', calls: 1, recordsPerCall: 1 };
  const parts: MinimumPart[] = [
    { side: 'partnerCenter', what: 'list pages', calls: pages(work.pcReads, PARTNER_CENTER_PAGE), recordsPerCall: Math.min(PARTNER_CENTER_PAGE, Math.max(1, work.pcReads)) },
    { side: 'partnerCenter', what: 'creates and updates (one each)', calls: work.pcWrites, recordsPerCall: 1 },
    readPart(work.crmReads, readPage, listPage, opsPerCall, childRowsInBatches),
    { side: 'crm', what: 'batched writes', calls: bundled(work.crmWrites, writeBatch, opsPerCall), recordsPerCall: Math.min(writeBatch * opsPerCall, Math.max(1, work.crmWrites)) },
    ...(work.confirmingRun
      ? [
          { side: 'partnerCenter', what: 'the last run: our writes listed back', calls: pages(work.pcWrites, PARTNER_CENTER_PAGE), recordsPerCall: Math.min(PARTNER_CENTER_PAGE, Math.max(1, work.pcWrites)) },
          lastRunCrm,
        ]
      : []),
    ...(listsOwnWrites && work.ownWritesListed ? [ownWritesPart(work.ownWritesListed, listPage)] : []),
  ].filter((part) => part.calls > 0) as MinimumPart[];
  const total = (side: MinimumPart['side']) => parts.filter((p) => p.side === side).reduce((sum, p) => sum + p.calls, 0);
  return { partnerCenter: total('partnerCenter'), crm: total('crm'), parts };
}

/**
 * The work of the initial sync of N deals. From the CRM (`crm`): read N opportunities, create N
 * referrals, write N referral IDs back (which a CRM that lists its own writes lists again in the second
 * run). From Partner Center: read N referrals, create N opportunities, and write the CRM ID onto each open
 * referral (closed ones are locked); the CRM has nothing before, so its `crmReads` (N) are the second
 * run's listing of the N opportunities the first created.
 */
export function initialWork(seeding: Seeding, n: number, openReferrals: number): PhaseWork {
  return seeding === 'crm' ? { pcReads: n, pcWrites: n, crmReads: n, crmWrites: n, ownWritesListed: n } : { pcReads: n, pcWrites: openReferrals, crmReads: n, crmWrites: n };
}

/** An idle cycle: one question to each side. */
export const IDLE_WORK: PhaseWork = { pcReads: 0, pcWrites: 0, crmReads: 0, crmWrites: 0 };

/**
 * The changed cycle: read what changed on each side and write it to the other, write the sync status
 * (state and time of the sync) back onto each CRM deal whose change went to Partner Center (the connector
 * shows sellers every sync on the record), then one run that finds nothing left.
 */
export function changedWork(crmEdited: number, referralsChanged: number): PhaseWork {
  return { pcReads: referralsChanged, pcWrites: crmEdited, crmReads: crmEdited, crmWrites: referralsChanged + crmEdited, readInFirstCall: true, confirmingRun: true };
}

/**
 * The query pages that read `deals` complete, `opsPerCall` batches a call. For the floor each call carries its
 * share of the deals, at a deal row's size (record-samples.ts): a child row is a fraction of a deal row, and
 * counted as a deal-sized record each it made the 50,000 outbound floor's CRM part four times the bytes (a
 * floor of 35 s against 18 s, which would flatter CPU ÷ floor).
 */
function readPart(deals: number, dealPage: number, listPage: number, opsPerCall: number, childRows: boolean): MinimumPart {
  const calls = Math.max(1, Math.ceil(readBatches(deals, dealPage, listPage, childRows) / opsPerCall));
  return { side: 'crm', what: 'query pages', calls, recordsPerCall: childRows ? Math.max(1, Math.ceil(deals / calls)) : Math.min(dealPage * opsPerCall, Math.max(1, deals)) };
}
