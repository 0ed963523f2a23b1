/**
 * Several GET queries in one `$batch` call: Dataverse takes GET requests in a batch outside change sets
 * (up to 1,000 requests per batch), so the twenty IN-filtered queries that read a 5,000-row change page
 * back with its related rows cost one call, not twenty; and a run's change-feed requests (the tracked
 * tables' delta links and the customer-change queries) cost one call together.
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api
 *
 * Each GET carries its own `Prefer` header (`odata.track-changes`, `odata.maxpagesize`). The batch page
 * shows GET requests with their own headers; that Dataverse applies `odata.track-changes` to a GET inside a
 * `$batch` is not shown there (UNVERIFIED against a live environment; the sandbox honours it).
 */
import { ConnectorError } from '../../core/errors.js';
import type { BatchEntry, PartResponse } from './batch-format.js';
import { MAX_BATCH_OPERATIONS, type DataverseClient } from './client.js';
import { dataverseError, setupMissing } from './errors.js';
import { apiRelativeLink } from './links.js';
import { chunks } from '../../core/chunks.js';

/** One GET of a batch: its URL (relative to the Web API root) and its `Prefer` values. */
export interface BatchGet {
  url: string;
  prefer: readonly string[];
}

/** A GET's answer, or the error Dataverse gave for it (with its status and code, as a whole call's would carry). */
export type GetAnswer<T> = { ok: true; body: T } | { ok: false; error: ConnectorError };

function partError(what: string, index: number, status: number | undefined, body: unknown, publisherPrefix: string | undefined): ConnectorError {
  const remote = dataverseError(body);
  const detail = remote?.message ?? (status ? `HTTP ${status}` : 'no answer');
  const retryable = status === undefined || status === 429 || status >= 500;
  const context = { ...(status !== undefined ? { status } : {}), ...(remote?.code ? { serviceCode: remote.code } : {}) };
  return setupMissing(status, remote?.message, `${what} (query ${index + 1} of a $batch)`, publisherPrefix, context)
    ?? new ConnectorError('dataverse_failed', `Dataverse refused ${what} (query ${index + 1} of a $batch): ${detail}`, retryable, context);
}

/**
 * One GET's answer. Built here, apart from the loop over the batch, so that the body getter's closure holds
 * this part only: one inside the loop also held the batch's other parts (with the rows already parsed) for
 * as long as the caller kept this answer (the next tracking page, kept while the engine works on a page).
 */
function answerOf<T>(what: string, index: number, response: PartResponse | undefined, publisherPrefix: string | undefined): GetAnswer<T> {
  // The body is parsed when the caller reads it (batch-answer-reader.ts), so a caller may map one answer at a time.
  if (response && response.status < 400) return { ok: true, get body() { return response.body as T; } };
  return { ok: false, error: partError(what, index, response?.status, response?.body, publisherPrefix) };
}

/**
 * The answers to `requests`, in order, each on its own (one refused query does not hide the others'
 * answers), and the server's `Date` of the call; one plain GET when there is one request.
 */
export async function getEach<T>(client: DataverseClient, what: string, requests: readonly BatchGet[]): Promise<{ answers: GetAnswer<T>[]; date?: string }> {
  if (requests.length === 0) return { answers: [] };
  if (requests.length === 1) {
    try {
      const response = await client.get<T>(what, requests[0]!.url, { prefer: [...requests[0]!.prefer] });
      const date = response.headers?.date as unknown;
      return { answers: [{ ok: true, body: response.data }], ...(typeof date === 'string' ? { date } : {}) };
    } catch (error) {
      if (error instanceof ConnectorError && error.context.status !== undefined) return { answers: [{ ok: false, error }] };
      throw error;
    }
  }
  const answers: GetAnswer<T>[] = [];
  let date: string | undefined;
  for (const chunk of chunks(requests, MAX_BATCH_OPERATIONS)) {
    // Links the service handed back are absolute: inside a batch, as outside, they go to the configured Web API (links.ts).
    const entries = chunk.map((r): BatchEntry => ({ kind: 'operation', operation: { method: 'GET', url: apiRelativeLink(r.url), headers: r.prefer.length ? { Prefer: r.prefer.join(',') } : {} } }));
    const result = await client.batchAnswer(`${what} (${chunk.length} queries in a $batch)`, entries);
    date ??= result.date;
    for (let i = 0; i < chunk.length; i += 1) {
      const entry = result.entries[i];
      answers.push(answerOf<T>(what, answers.length, entry?.kind === 'operation' ? entry.response : undefined, client.publisherPrefix));
    }
  }
  return { answers, ...(date ? { date } : {}) };
}

/**
 * `answers` with their bodies parsed now, for a caller that keeps them while it works on other things: an
 * unread answer keeps its bytes, with the rest of the socket chunks they came in (batch-answer-reader.ts).
 */
export function parsedNow<T>(answers: readonly GetAnswer<T>[]): GetAnswer<T>[] {
  return answers.map((answer) => (answer.ok ? { ok: true, body: answer.body } : answer));
}

/** The answers to `urls`, in order, all with the same `Prefer`; the first refused query is thrown. */
export async function getInBatch<T>(client: DataverseClient, what: string, urls: readonly string[], prefer: readonly string[]): Promise<T[]> {
  const { answers } = await getEach<T>(client, what, urls.map((url) => ({ url, prefer })));
  return answers.map((answer) => {
    if (!answer.ok) throw answer.error;
    return answer.body;
  });
}
