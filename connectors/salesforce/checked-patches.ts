/**
 * sObject Collections PATCHes with a read of their records before and after (the writer's version check,
 * write.ts), laid out over Composite calls so that one read serves two calls: the read that opens a call is
 * the read after of the previous call's PATCHes and the read before of its own. A call holds five "sObject
 * Collections or query operations" (composite-limits.ts): one read and four PATCHes of 200, the last call one
 * read, up to three PATCHes and the read after them. 2,000 updates (one listing page's write-backs) are three
 * calls [read, 4 PATCHes] [read, 4 PATCHes] [read, 2 PATCHes, read]; with a read before and after inside each
 * call they were four (issue 13: 84 of the 50,000 initial sync's 152 calls).
 *
 * Why a read shared between calls keeps every guarantee the check gives (write.ts `versionCheck`):
 * - A record's read before is still in the same call as its PATCH, as it always was: a save by someone else
 *   between the engine's read and this read shows as a version other than the one the engine read; one
 *   between this read and the PATCH shows in the read after (own-save.ts), as before.
 * - The read after comes one call later, so the time between the PATCH and it is a round trip longer. What
 *   commits in it is told as before: the row after must equal the row before with the values sent applied
 *   (own-save.ts), and a value sent that comes back otherwise is a rewrite (save-rewrites.ts). A save that
 *   changes only fields the PATCH itself moves (what derives from the values sent: a seller's Close Date on a
 *   deal whose stage was written) is told by who saved last (own-save.ts `lastSavedByAnother`): in the
 *   round trip it now has, such a save was taken for the connector's own (saved-between-calls.test.ts).
 * - A record whose read after never answered (its call failed, or the row was not in the answer) gets no
 *   version of the engine's own and is read again next run (`unread`): a failed call no longer costs only
 *   its own PATCHes but also the previous call's read after.
 * - A reader without `unread` (leads.ts: a lead is never read again for its write) keeps each call's read
 *   after in that call, [read, PATCHes, read], as before: the next call's failure cannot cost it its read after.
 * Each read names at most 1,600 records (the previous call's 800 and this call's 800), inside the 2,000-row
 * batch of a statement that selects one custom long text field (query-pages: Change the Batch Size in
 * Queries) and far below SOQL's 100,000 characters; the url travels in the Composite body (deals-by-id.ts).
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite.htm
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_changing_batch_size.htm
 * https://developer.salesforce.com/docs/atlas.en-us.salesforce_app_limits_cheatsheet.meta/salesforce_app_limits_cheatsheet/salesforce_app_limits_platform_soslsoql.htm
 */
import { AuthError, BudgetPausedError, ConnectorError } from '../../core/errors.js';
import { collectionBody, type CompositeSubresponse, type SalesforceClient, type SaveResult } from './client.js';
import { queryUrl, subrequestError } from './composite-queries.js';
import { QUERIES_PER_CALL } from './composite-limits.js';

/**
 * The reads around the PATCHes: each record is read once before its PATCH and once after it, by `soql`, in
 * the same Composite calls as the PATCHes (no call of their own), as the check an ETag would make.
 */
export interface ReadsAround {
  soql(ids: readonly string[]): string;
  /** Records as a read before their PATCH found them; `ids` are the records asked about. */
  rows(ids: readonly string[], records: readonly Record<string, unknown>[]): void;
  /** Records as a read after their PATCH found them: the versions the save made. */
  saved(records: readonly Record<string, unknown>[]): void;
  /**
   * Records PATCHed (or maybe PATCHed) whose read after did not answer, or answered without them. Present: a
   * call's read after may be the next call's first read (one read serves two calls). Absent: each call reads
   * its records after its own PATCHes (a reader with nothing to fall back on when a read after is lost).
   */
  unread?(ids: readonly string[]): void;
  /**
   * The most chunks of 200 one call PATCHes (1 when absent; at most four, three in the call that ends with
   * the read after). More than one: the query must answer up to eight chunks' records in one batch.
   */
  chunksPerCall?: number;
}

/** The most chunks of 200 one call PATCHes between its reads (`ReadsAround.chunksPerCall`). */
export const MAX_CHUNKS_PER_CALL = QUERIES_PER_CALL - 1;

/** A chunk's answer: one result per record, or why the whole chunk failed. */
export type ChunkAnswer = SaveResult[] | Error;

/** A collection subrequest's answer: one result per record, or why Salesforce refused the chunk whole. */
export function chunkAnswer(answer: CompositeSubresponse | undefined, records: number): ChunkAnswer {
  if (!answer) return new ConnectorError('unexpected_response', `Salesforce left the save of ${records} records unanswered`, true);
  return answer.httpStatusCode !== 200 || !Array.isArray(answer.body) ? subrequestError(answer) : (answer.body as SaveResult[]);
}

/** A failure no other call can escape either: thrown, not answered per chunk. */
export function isFatal(error: unknown): boolean {
  return error instanceof BudgetPausedError || error instanceof AuthError;
}

/**
 * How many chunks each call PATCHes, for `count` chunks; the last call also reads after (it may PATCH none).
 * Not `shared`: every call reads after its own PATCHes. Pure.
 */
export function patchesPerCall(count: number, chunksPerCall: number, shared = true): number[] {
  const most = Math.max(1, Math.min(QUERIES_PER_CALL - (shared ? 1 : 2), chunksPerCall));
  const mostInLast = Math.max(1, Math.min(QUERIES_PER_CALL - 2, chunksPerCall));
  const calls: number[] = [];
  let left = count;
  while (left > mostInLast) {
    const n = Math.min(most, left);
    calls.push(n);
    left -= n;
  }
  calls.push(left);
  return calls;
}

const recordsOf = (answer: CompositeSubresponse | undefined): Record<string, unknown>[] | undefined =>
  answer?.httpStatusCode === 200 ? ((answer.body as { records?: Record<string, unknown>[] }).records ?? []) : undefined;

/** The records of `ids` a read answered, split from the rest; undefined when it did not answer. */
function answered(records: readonly Record<string, unknown>[] | undefined, ids: ReadonlySet<string>): { mine: Record<string, unknown>[]; rest: Record<string, unknown>[] } | undefined {
  if (!records) return undefined;
  const mine: Record<string, unknown>[] = [];
  const rest: Record<string, unknown>[] = [];
  for (const r of records) (ids.has(String(r.Id).slice(0, 15)) ? mine : rest).push(r);
  return { mine, rest };
}

/** Tells `reads` which of `ids` a read after found, and which it did not. */
function tellSaved(reads: ReadsAround, ids: readonly string[], records: readonly Record<string, unknown>[] | undefined): void {
  if (ids.length === 0) return;
  if (records) reads.saved(records);
  const found = new Set((records ?? []).map((r) => String(r.Id).slice(0, 15)));
  const missing = ids.filter((id) => !found.has(id.slice(0, 15)));
  if (missing.length) reads.unread?.(missing);
}

/** PATCHes `parts` (chunks of at most 200 records) between reads; answers each chunk's results or failure, in order. */
export async function patchBetweenReads(client: SalesforceClient, path: string, parts: readonly Record<string, unknown>[][], reads: ReadsAround): Promise<ChunkAnswer[]> {
  if (parts.length === 0) return [];
  const base = client.dataPath();
  const query = (ids: readonly string[]) => queryUrl(base, reads.soql(ids));
  // The first PATCH of a call keeps the reference it always had ('save'), which tests hook on (save-race.salesforce.test.ts).
  const saveRef = (i: number) => (i === 0 ? 'save' : `save${i}`);
  const answers: ChunkAnswer[] = [];
  /** Records the previous call PATCHed: this call's first read is their read after. */
  let unreadIds: string[] = [];
  let next = 0;
  const shared = reads.unread !== undefined;
  const layout = patchesPerCall(parts.length, reads.chunksPerCall ?? 1, shared);
  for (const [n, count] of layout.entries()) {
    const group = parts.slice(next, next + count);
    next += count;
    const ids = group.flat().map((r) => String(r.id));
    // Without a shared read every call is as the last: it reads its own records after its PATCHes.
    const last = !shared || n === layout.length - 1;
    const subrequests = [
      // A call that only reads after the previous call's PATCHes names its read 'after'.
      { method: 'GET' as const, url: query([...unreadIds, ...ids]), referenceId: ids.length ? 'before' : 'after' },
      ...group.map((records, i) => ({ method: 'PATCH' as const, url: `${base}${path}`, referenceId: saveRef(i), body: collectionBody(records) })),
      ...(last && ids.length ? [{ method: 'GET' as const, url: query(ids), referenceId: 'after' }] : []),
    ];
    let responses: Map<string, CompositeSubresponse>;
    try {
      responses = new Map((await client.composite(subrequests, true)).map((r) => [r.referenceId, r] as const));
    } catch (error) {
      if (isFatal(error)) throw error;
      // Neither this call's PATCHes nor the previous call's read after are known to have happened.
      tellSaved(reads, unreadIds, undefined);
      answers.push(...group.map(() => error as Error));
      unreadIds = [];
      continue;
    }
    const first = answered(recordsOf(responses.get(ids.length ? 'before' : 'after')), new Set(unreadIds.map((id) => id.slice(0, 15))));
    tellSaved(reads, unreadIds, first?.mine);
    if (first && ids.length) reads.rows(ids, first.rest);
    if (last && ids.length) tellSaved(reads, ids, recordsOf(responses.get('after')));
    unreadIds = last ? [] : ids;
    group.forEach((records, i) => answers.push(chunkAnswer(responses.get(saveRef(i)), records.length)));
  }
  return answers;
}
