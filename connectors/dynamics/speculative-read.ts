/**
 * A speculative read in the run's first `$batch` (issue 13). Change tracking takes no `$expand`, so the rows it
 * lists are read in full after its answer: one more call. The first `$batch` can guess most of them instead:
 * the opportunities changed since the last run by someone other than the connector's application user
 * (`modifiedon ge <watermark> and _modifiedby_value ne <app user>`), and the records the engine asked for
 * (`alsoRead`: the CRM records of the referrals Partner Center changed), each `$expand`ed as a read by ID is.
 *
 * A guessed row is used only when its `@odata.etag` is the one change tracking lists for it, or (a record
 * asked by ID) when tracking does not list it at all: the `$batch` runs its GETs in order ("Dataverse performs
 * these operations sequentially in the order you specify", execute-batch-operations-using-web-api), and these
 * reads come after the tracking GETs, so such a row is a read made after the listing. Every other listed row is
 * read after, as without the speculation. Nothing here moves the tracking position: only tracking rows do.
 *
 * Bounds, so that a first run, a long pause or a bulk change never reads more than without it: no speculation
 * without a delta cursor and its watermark, when the last listing is older than {@link SPECULATION_MAX_AGE_MS},
 * when the engine asks for more than {@link ASKED_MAX} records, or before the application user's ID is known
 * (learnt with `WhoAmI` in a first `$batch`, kept in the cursor); the changed-rows query is one page of at most
 * {@link SPECULATED_ROWS} rows, its next link never followed.
 */
import type { DynamicsFieldRow } from '../../mappings/fields.dynamics.js';
import type { BatchGet, GetAnswer } from './batch-reads.js';
import type { DeltaCursor } from './change-feed.js';
import { FORMATTED_VALUES, FULL_PAGE, type ODataPage } from './pages.js';
import { dateTimeLiteral, hydrateQueries, opportunityExpand, opportunitySelect, query } from './queries.js';
import type { ConnectorNames } from './schema-names.js';
import { isDeleted, type RawRow, type ReadContext } from './records.js';
import type { CrmCursor, CrmDeal } from '../../core/engine/crm-port.js';
import type { ReadAlong } from '../change-listing.js';
import { dealsOf, type HydrateDeps } from './hydrate.js';

/** The most rows the changed-rows guess reads (one page): a change larger than that is a bulk change. */
export const SPECULATED_ROWS = 500;
/** The most records the engine may ask to have read in the first call (4 IN-filtered GETs of 250). */
export const ASKED_MAX = 1_000;
/**
 * How far before the last listing (the cursor's `issuedAt`, the connector's clock) the changed-rows guess starts.
 * Narrow on purpose: every row saved before that listing was listed and read by it, so a wider window only fills
 * the page with rows already handled (a minute-old bulk save pushed newer rows off it). A row the window misses is
 * not lost: tracking lists it and it is read after (one call), and the etag check takes a guessed row only at the
 * listed version. The margin covers a save whose transaction was in flight at the listing and a few seconds'
 * difference between the connector's and the server's clocks; Dataverse documents no figure (UNVERIFIED).
 */
export const GUESS_MARGIN_MS = 30_000;
/** A listing older than this (a paused connector) is a catch-up: no guess. */
export const SPECULATION_MAX_AGE_MS = 60 * 60_000;
/** The cursor field holding the application user's ID (`WhoAmI`), so that later runs need not ask. */
export const APP_USER_FIELD = 'appUserId';
/** The cursor field naming the app registration (client ID) that user belongs to. */
export const APP_USER_CLIENT_FIELD = 'appUserClientId';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The application user's ID the cursor keeps, if any (pure). */
export function appUserOf(cursor: CrmCursor | undefined): string | undefined {
  const id = cursor?.[APP_USER_FIELD];
  return typeof id === 'string' && GUID.test(id) ? id.toLowerCase() : undefined;
}

/**
 * The cursor as this sign-in sees it (pure): the application user it keeps is dropped when it was learnt under
 * another client ID (or before the client ID was kept). After a credential change to another application user,
 * that user's writes would pass the `ne` filter as others' saves, and the new user's would be left out.
 */
export function forClient(cursor: CrmCursor | undefined, clientId: string): CrmCursor | undefined {
  if (!cursor || cursor[APP_USER_CLIENT_FIELD] === clientId) return cursor;
  const { [APP_USER_FIELD]: _user, [APP_USER_CLIENT_FIELD]: _client, ...rest } = cursor;
  return rest;
}

/** The cursor fields keeping the application user and the client ID it belongs to. */
export function appUserFields(appUser: string | undefined, clientId: string): CrmCursor {
  return appUser ? { [APP_USER_FIELD]: appUser, [APP_USER_CLIENT_FIELD]: clientId } : {};
}

/**
 * The changed-rows query: expanded as a read by ID, the connector's own writes left out; newest first, so that
 * when more rows changed than the page holds, the page keeps the latest saves (the ones tracking lists now).
 */
export function changedByOthersQuery(since: string, appUser: string, fields: readonly DynamicsFieldRow[], names: ConnectorNames): string {
  return query('opportunities', {
    $select: opportunitySelect(fields),
    $expand: opportunityExpand(fields, names),
    $filter: `modifiedon ge ${dateTimeLiteral(since)} and _modifiedby_value ne ${appUser}`,
    $orderby: 'modifiedon desc',
  });
}

export interface SpeculationPlan {
  requests: BatchGet[];
  /** The records asked by ID (lower case), read by the requests after the first. */
  asked: string[];
}

/**
 * The guess this run may send in its first `$batch`, or undefined when it must not (see the bounds above).
 * `asked`: the records the engine needs read anyway. Pure.
 */
export function speculationPlan(cursor: CrmCursor | undefined, nowMs: number, asked: readonly string[], fields: readonly DynamicsFieldRow[], names: ConnectorNames): SpeculationPlan | undefined {
  const appUser = appUserOf(cursor);
  if (!appUser || cursor?.mode !== 'delta') return undefined;
  const delta = cursor as unknown as DeltaCursor;
  if (!delta.watermark || Number.isNaN(Date.parse(delta.watermark))) return undefined;
  const listedAt = Date.parse(delta.issuedAt);
  const age = nowMs - listedAt;
  if (!(age >= 0 && age <= SPECULATION_MAX_AGE_MS)) return undefined;
  // The later of the two: the watermark bounds what a fallback would read, the listing what is new since.
  const since = new Date(Math.max(listedAt - GUESS_MARGIN_MS, Date.parse(delta.watermark))).toISOString();
  const ids = [...new Set(asked.map((id) => id.toLowerCase()).filter((id) => GUID.test(id)))];
  if (ids.length > ASKED_MAX) return undefined;
  const prefer = [...FULL_PAGE, FORMATTED_VALUES];
  return {
    requests: [
      { url: changedByOthersQuery(since, appUser, fields, names), prefer: [`odata.maxpagesize=${SPECULATED_ROWS}`, FORMATTED_VALUES] },
      ...hydrateQueries(ids, fields, names).map((url) => ({ url, prefer })),
    ],
    asked: ids,
  };
}

/** What the guess read: raw rows by opportunity ID (lower case), and the asked IDs whose read this is. */
export class Speculated {
  private constructor(private readonly rows: Map<string, RawRow>, private askedIds: readonly string[]) {}

  /** The asked IDs whose read this is (none once released). */
  get asked(): readonly string[] {
    return this.askedIds;
  }

  /** Lets the rows go once the first tracking page is read: a run that goes on past it holds none of them. */
  release(): void {
    this.rows.clear();
    this.askedIds = [];
  }

  /**
   * The answers to a plan's requests; nothing when any of them was refused (the run then reads as before).
   * Only the first page of each answer is read (a next link is never followed): the changed-rows query is
   * bounded by its page. An asked chunk with a next link (a server paging below 250 rows) did not answer for
   * all its IDs: the engine takes an asked ID without a row as gone, so then only the IDs read are vouched for.
   */
  static of(plan: SpeculationPlan, answers: readonly GetAnswer<unknown>[]): Speculated | undefined {
    if (answers.length !== plan.requests.length || answers.some((a) => !a.ok)) return undefined;
    const pages = answers.map((a) => (a as { body: ODataPage<RawRow> }).body);
    const rows = new Map<string, RawRow>();
    for (const page of pages) for (const row of page.value ?? []) rows.set(String(row.opportunityid).toLowerCase(), row);
    const complete = pages.slice(1).every((page) => !page['@odata.nextLink']);
    return new Speculated(rows, complete ? plan.asked : plan.asked.filter((id) => rows.has(id)));
  }

  /**
   * A first run's plain read (first-read.ts), asked in its first `$batch` after the tracking GET: its rows are
   * taken at the version a tracking page of the whole listing names, as a guess's are. Nothing when refused.
   */
  static ofRead(answer: GetAnswer<unknown> | undefined): Speculated | undefined {
    if (!answer?.ok) return undefined;
    const rows = new Map<string, RawRow>();
    for (const row of (answer.body as ODataPage<RawRow>).value ?? []) rows.set(String(row.opportunityid).toLowerCase(), row);
    return new Speculated(rows, []);
  }

  /** The guessed row of `id` when its version is `etag` (the one change tracking listed). */
  atVersion(id: string, etag: unknown): RawRow | undefined {
    const row = this.rows.get(id.toLowerCase());
    return row && typeof etag === 'string' && row['@odata.etag'] === etag ? row : undefined;
  }

  /** The asked record's row (undefined: it was not there when read). */
  askedRow(id: string): RawRow | undefined {
    return this.rows.get(id.toLowerCase());
  }
}

/**
 * The rows of a listing that may be taken from the guess, and the asked records it read (pure): listed rows
 * whose guessed version is the listed one; asked records the listing does not name, or names at the version
 * read (`listed`: every row the tracking answer lists, known or not, with its etag; deleted ones too).
 */
export function usableRows(speculated: Speculated, toRead: readonly string[], listed: ReadonlyMap<string, unknown>): { rows: RawRow[]; asked: string[] } {
  const rows = new Map<string, RawRow>();
  for (const id of toRead) {
    const row = speculated.atVersion(id, listed.get(id.toLowerCase()));
    if (row) rows.set(id.toLowerCase(), row);
  }
  const asked: string[] = [];
  for (const id of speculated.asked) {
    const row = speculated.askedRow(id);
    if (listed.has(id)) {
      // Listed: usable only at the listed version (a deleted row's `undefined` never matches a read row).
      if (!row || !speculated.atVersion(id, listed.get(id))) continue;
    }
    asked.push(id);
    if (row) rows.set(id, row);
  }
  return { rows: [...rows.values()], asked };
}

/**
 * The guessed rows usable for a tracking page that is the whole listing (`rows`: its rows; `ids`: those the
 * engine does not hold), as deals by ID; and as an opened listing's `readAlong` (with the asked records).
 */
export async function guessedDeals(deps: HydrateDeps, speculated: Speculated, rows: readonly RawRow[], ids: readonly string[], context: () => Promise<ReadContext>): Promise<{ byId: Map<string, CrmDeal>; readAlong: ReadAlong }> {
  const listed = new Map<string, unknown>(rows.map((r) => (isDeleted(r) ? [String(r.id).toLowerCase(), undefined] : [String(r.opportunityid).toLowerCase(), r['@odata.etag']])));
  const usable = usableRows(speculated, ids, listed);
  const deals = usable.rows.length ? await dealsOf(deps, usable.rows, await context()) : [];
  return { byId: new Map(deals.map((d) => [d.crmId, d])), readAlong: { deals, asked: usable.asked } };
}
