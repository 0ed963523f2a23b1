/**
 * Saving many records through sObject Collections, 200 per request, one result per record, several requests
 * a Composite call (`bundled`; PATCHes between reads of their records: checked-patches.ts). Records that
 * fail with a transient per-record error (UNABLE_TO_LOCK_ROW), or whose whole call failed with it, are
 * retried once in a follow-up call. A whole call that fails for a transient reason fails only its records; budget and auth failures are
 * thrown, because no other record can succeed either.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections.htm
 */
import { ConnectorError } from '../../core/errors.js';
import { collectionBody, collectionDeletePath, type CompositeSubrequest, type SalesforceClient, type SaveResult } from './client.js';
import { chunks } from '../../core/chunks.js';
import { chunkAnswer, isFatal, patchBetweenReads, type ChunkAnswer, type ReadsAround } from './checked-patches.js';
import { QUERIES_PER_CALL } from './composite-limits.js';

export type { ReadsAround } from './checked-patches.js';

export const COLLECTION_LIMIT = 200;
const TRANSIENT_ITEM_CODES = new Set(['UNABLE_TO_LOCK_ROW']);

export interface CollectionItem {
  key: string;
  record: Record<string, unknown>;
}

export type ItemOutcome = { ok: true; id: string; created?: boolean } | { ok: false; errors: SaveResult['errors'] };

/** Sends every chunk of at most 200 items; answers, per chunk, one result per item in order or its failure. */
type SendChunks = (parts: readonly (readonly CollectionItem[])[]) => Promise<ChunkAnswer[]>;

/** A sender of one chunk a call, as a `SendChunks`: a failed call fails its chunk, the next chunks are still sent. */
const oneChunk = (send: (chunk: readonly CollectionItem[]) => Promise<SaveResult[]>): SendChunks => async (parts) => {
  const answers: ChunkAnswer[] = [];
  for (const chunk of parts) {
    try {
      answers.push(await send(chunk));
    } catch (error) {
      if (isFatal(error)) throw error;
      answers.push(error as Error);
    }
  }
  return answers;
};

async function sendOnce(items: readonly CollectionItem[], outcomes: Map<string, ItemOutcome>, send: SendChunks): Promise<void> {
  const parts = chunks(items, COLLECTION_LIMIT);
  const answers = await send(parts);
  parts.forEach((chunk, c) => {
    const results = answers[c];
    if (results instanceof Error) return chunkFailed(chunk, results, outcomes);
    chunk.forEach((item, i) => {
      const r = results?.[i];
      if (r?.success && r.id) outcomes.set(item.key, { ok: true, id: r.id, ...(r.created !== undefined ? { created: r.created } : {}) });
      else outcomes.set(item.key, { ok: false, errors: r?.errors?.length ? r.errors : [{ statusCode: 'UNKNOWN_EXCEPTION', message: 'Salesforce returned no result for this record' }] });
    });
  });
}

/** A whole chunk refused: each of its records fails with the reason (budget and auth failures are thrown: no other record can succeed either). */
function chunkFailed(chunk: readonly CollectionItem[], error: Error, outcomes: Map<string, ItemOutcome>): void {
  if (isFatal(error)) throw error;
  // A whole call refused for a row lock saved none of its records, as a record refused for one saved
  // nothing: they are tried again with those (until 2026-12-06 a create's solution rows met one and were
  // dropped while the create said it succeeded: model seed 1803, test/salesforce/create-locked-call.test.ts).
  const locked = error instanceof ConnectorError && TRANSIENT_ITEM_CODES.has(String(error.context?.serviceCode));
  const code = locked ? String(error.context!.serviceCode) : error instanceof ConnectorError && error.retryable ? 'SERVER_UNAVAILABLE' : 'UNKNOWN_EXCEPTION';
  for (const item of chunk) outcomes.set(item.key, { ok: false, errors: [{ statusCode: code, message: error.message }] });
}

/** Sends `items`, then once more those refused for a transient reason (a row lock). */
async function sendWithRetry(items: readonly CollectionItem[], send: SendChunks): Promise<Map<string, ItemOutcome>> {
  const outcomes = new Map<string, ItemOutcome>();
  if (items.length === 0) return outcomes;
  await sendOnce(items, outcomes, send);
  const locked = items.filter((i) => {
    const o = outcomes.get(i.key);
    return o && !o.ok && o.errors.every((e) => TRANSIENT_ITEM_CODES.has(e.statusCode));
  });
  if (locked.length) await sendOnce(locked, outcomes, send);
  return outcomes;
}

/**
 * Chunks of a write with no reads around it, up to five a Composite call (the "sObject Collections or query
 * operations" one call holds, composite-limits.ts), each chunk a collection subrequest with its own answer: the
 * Composite's `allOrNone` is false (client.ts), so a chunk refused whole (a row lock, a validation of the
 * request) fails only its records and the others stand, as when each chunk was a call. A lone chunk goes as a
 * collection request of its own, as it always did. `retrySafe`: the client may send the call again after a
 * server error (not for creates, which a repeated call would make twice).
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite.htm
 */
function bundled(client: SalesforceClient, single: (chunk: readonly CollectionItem[]) => Promise<SaveResult[]>, subrequest: (chunk: readonly CollectionItem[]) => Omit<CompositeSubrequest, 'referenceId'>, retrySafe: boolean): SendChunks {
  const alone = oneChunk(single);
  return async (parts) => {
    const answers: ChunkAnswer[] = [];
    for (const group of chunks(parts, QUERIES_PER_CALL)) {
      if (group.length === 1) {
        answers.push(...(await alone(group)));
        continue;
      }
      try {
        const byRef = new Map((await client.composite(group.map((chunk, i) => ({ ...subrequest(chunk), referenceId: `chunk${i}` })), retrySafe)).map((r) => [r.referenceId, r] as const));
        answers.push(...group.map((chunk, i) => chunkAnswer(byRef.get(`chunk${i}`), chunk.length)));
      } catch (error) {
        if (isFatal(error)) throw error;
        answers.push(...group.map(() => error as Error));
      }
    }
    return answers;
  };
}

/** Saves `items`; returns an outcome per item key. */
export function saveRecords(client: SalesforceClient, method: 'POST' | 'PATCH', path: string, items: readonly CollectionItem[], reads?: ReadsAround): Promise<Map<string, ItemOutcome>> {
  const records = (chunk: readonly CollectionItem[]) => chunk.map((i) => i.record);
  if (reads && method === 'PATCH') return sendWithRetry(items, (parts) => patchBetweenReads(client, path, parts.map(records), reads));
  const url = client.dataPath(path);
  return sendWithRetry(items, bundled(client, (chunk) => client.collection(method, path, records(chunk)), (chunk) => ({ method, url, body: collectionBody(records(chunk)) }), method === 'PATCH'));
}

/** Answers to a delete that mean the row is not there: what the delete wanted. */
const GONE_CODES = new Set(['ENTITY_IS_DELETED', 'INVALID_CROSS_REFERENCE_KEY']);

/**
 * Deletes the records `ids` (sObject Collections DELETE, allOrNone false); returns an outcome per ID. A row
 * already gone counts as deleted; a row lock is tried once more, as for saves. Until 2026-12-06 the answers
 * were not read: a refused deletion (a row lock, a trigger, the sharing model) said nothing, the write said it
 * succeeded, and the next run read the row still there as the seller's addition and sent it to Partner Center.
 */
export async function deleteRecords(client: SalesforceClient, ids: readonly string[]): Promise<Map<string, ItemOutcome>> {
  const url = (chunk: readonly CollectionItem[]) => client.dataPath(collectionDeletePath(chunk.map((i) => i.key)));
  const send = bundled(client, (chunk) => client.deleteRecords(chunk.map((i) => i.key)), (chunk) => ({ method: 'DELETE', url: url(chunk) }), true);
  const outcomes = await sendWithRetry([...new Set(ids)].map((id) => ({ key: id, record: {} })), send);
  for (const [id, outcome] of outcomes) {
    if (!outcome.ok && outcome.errors.length > 0 && outcome.errors.every((e) => GONE_CODES.has(e.statusCode))) outcomes.set(id, { ok: true, id });
  }
  return outcomes;
}
