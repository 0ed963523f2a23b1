/**
 * Every row of a Dataverse query, not only its first page: Dataverse answers at most 5,000 rows (or the
 * `odata.maxpagesize` asked) and an `@odata.nextLink` to the rest. A look-up that decided on the first page
 * alone missed whatever came after it (a referral ID or an email that many rows share filled the page).
 * The one place the follow-the-link loop of plain queries is written; the change feeds keep their own
 * (each tracking page carries a cursor, the last one a delta link).
 *
 * Next links are followed through `client.get`, so they go to the configured Web API only, and a link
 * outside `/api/data/v9.2/` is refused before anything is sent (links.ts).
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/page-results
 */
import { getInBatch } from './batch-reads.js';
import type { DataverseClient } from './client.js';

export interface ODataPage<T = Record<string, unknown>> {
  value: T[];
  '@odata.nextLink'?: string;
}

/** Dataverse's largest page: the fewest calls for a query with many rows. */
export const FULL_PAGE: readonly string[] = ['odata.maxpagesize=5000'];

/**
 * Asks for the lookups' formatted values (the related row's name) with an opportunity read: the owner's
 * business unit is matched to `sync.locationByBusinessUnit` by ID or by name, and Dataverse names it only
 * when asked ("_owningbusinessunit_value@OData.Community.Display.V1.FormattedValue"; query-data-web-api,
 * "Formatted values" and "Lookup property data"). Without it a unit keyed by name never matched.
 */
export const FORMATTED_VALUES = 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"';

/**
 * A query's pages in order: the first (a URL, or a page already read, as a `$batch` answers it), then one
 * GET per next link, with the same `Prefer` (page-results: a next link is asked with the same preference).
 */
export async function* odataPages<T>(client: DataverseClient, what: string, first: string | ODataPage<T>, prefer: readonly string[] = FULL_PAGE): AsyncGenerator<ODataPage<T>, void, undefined> {
  let page = typeof first === 'string' ? (await client.get<ODataPage<T>>(what, first, { prefer: [...prefer] })).data : first;
  for (;;) {
    yield page;
    const next = page['@odata.nextLink'];
    if (!next) return;
    page = (await client.get<ODataPage<T>>(`${what} (next page)`, next, { prefer: [...prefer] })).data;
  }
}

/** Every row of one query, all pages gathered. */
export async function allRows<T>(client: DataverseClient, what: string, first: string | ODataPage<T>, prefer: readonly string[] = FULL_PAGE): Promise<T[]> {
  const rows: T[] = [];
  for await (const page of odataPages(client, what, first, prefer)) rows.push(...page.value);
  return rows;
}

/**
 * Every row of each query, in the order asked: the first pages in one `$batch` of GETs (batch-reads.ts),
 * so that the usual look-up (no query past one page) stays one call; a query with more rows then reads
 * its further pages itself.
 */
export async function allRowsInBatch<T>(client: DataverseClient, what: string, urls: readonly string[], prefer: readonly string[] = FULL_PAGE): Promise<T[][]> {
  const firsts = await getInBatch<ODataPage<T>>(client, what, urls, prefer);
  const rows: T[][] = [];
  for (const first of firsts) rows.push(await allRows(client, what, first, prefer));
  return rows;
}
