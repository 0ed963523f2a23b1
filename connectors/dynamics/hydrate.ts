/**
 * Reading opportunities in full with their related rows: the IN-filtered, expanded queries of queries.ts in
 * one `$batch` (a tracking request may not `$expand`), with other GETs of the run riding along.
 */
import type { CrmDeal } from '../../core/engine/crm-port.js';
import type { DataverseClient } from './client.js';
import { getEach, parsedNow, type BatchGet, type GetAnswer } from './batch-reads.js';
import { hydrateQueries } from './queries.js';
import { FORMATTED_VALUES, FULL_PAGE, odataPages, type ODataPage } from './pages.js';
import { contextFor, toDeal, type RawRow, type ReadContext } from './records.js';
import { markUnfinishedCloses, statedClose, type OpenButClosed } from './unfinished-close.js';
import type { CustomerReads } from './customer-reads.js';

/** The client, and where the account and contact versions read with each deal are remembered (absent: nowhere). */
export interface HydrateDeps {
  client: DataverseClient;
  customerReads?: CustomerReads;
}

/** Reads the given opportunities with their related rows, in the order given; missing ones are left out. */
export async function hydrate(deps: HydrateDeps, ids: readonly string[], ctx: ReadContext): Promise<CrmDeal[]> {
  return (await hydrateWith(deps, ids, ctx, [])).deals;
}

/**
 * {@link hydrate}, with other GETs in the same `$batch` (the next tracking page and the child tables' pages,
 * so that a change page costs one call, not two): their answers come back apart, with the call's `Date`.
 */
export async function hydrateWith(deps: HydrateDeps, ids: readonly string[], ctx: ReadContext, others: readonly BatchGet[]): Promise<{ deals: CrmDeal[]; others: GetAnswer<unknown>[]; date?: string }> {
  const byId = new Map<string, CrmDeal>();
  const what = 'reading opportunities with related rows';
  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/join-tables
  const prefer = [...FULL_PAGE, FORMATTED_VALUES];
  const reads = hydrateQueries(ids, ctx.fields, ctx.names).map((url): BatchGet => ({ url, prefer }));
  const { answers, date } = await getEach<unknown>(deps.client, what, [...others, ...reads]);
  // Each answer is parsed, mapped and let go before the next (answers are parsed when read): the raw rows of
  // a 5,000-row page are never all in memory at once.
  const readAnswers = answers.splice(others.length);
  const openButClosed: OpenButClosed[] = [];
  for (let answer = readAnswers.shift(); answer; answer = readAnswers.shift()) {
    if (!answer.ok) throw answer.error;
    for await (const page of odataPages(deps.client, what, answer.body as ODataPage<RawRow>, prefer)) {
      const known = await contextFor(page.value, ctx);
      for (const raw of page.value) byId.set(String(raw.opportunityid), withStatedClose(raw, known, openButClosed));
      await deps.customerReads?.read(page.value);
    }
  }
  await markUnfinishedCloses(deps.client, openButClosed);
  // The others wait until the engine is done with this page: parsed now, not kept as slices of this answer.
  return { deals: ids.flatMap((id) => byId.get(id) ?? []), others: parsedNow(answers), ...(date ? { date } : {}) };
}

/** Rows read as {@link hydrate} reads them (the same `$select` and `$expand`), as deals, noted as it notes them. */
export async function dealsOf(deps: HydrateDeps, rows: readonly RawRow[], ctx: ReadContext): Promise<CrmDeal[]> {
  const openButClosed: OpenButClosed[] = [];
  const known = await contextFor(rows, ctx);
  const deals = rows.map((raw) => withStatedClose(raw, known, openButClosed));
  await deps.customerReads?.read(rows);
  await markUnfinishedCloses(deps.client, openButClosed);
  return deals;
}

/** The row as a deal; an open one whose status columns say Closed is noted for {@link markUnfinishedCloses}. */
export function withStatedClose(raw: RawRow, ctx: ReadContext, openButClosed: OpenButClosed[]): CrmDeal {
  const deal = toDeal(raw, ctx);
  const stated = statedClose(raw, ctx);
  if (stated) openButClosed.push({ deal, stated });
  return deal;
}
