/**
 * Several GET queries in one `$batch` call: Dataverse takes GET requests in a batch outside change sets
 * (up to 1,000 requests per batch), so the twenty IN-filtered queries that read a 5,000-row change page
 * back with its related rows cost one call, not twenty.
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api
 */
import { ConnectorError } from '../../core/errors.js';
import type { BatchEntry } from './batch-format.js';
import { MAX_BATCH_OPERATIONS, type DataverseClient } from './client.js';
import { dataverseError } from './errors.js';
import { chunks } from './queries.js';

/** The answers to `urls`, in order; one plain GET when there is one query. */
export async function getInBatch<T>(client: DataverseClient, what: string, urls: readonly string[], prefer: readonly string[]): Promise<T[]> {
  if (urls.length === 0) return [];
  if (urls.length === 1) return [(await client.get<T>(what, urls[0]!, { prefer: [...prefer] })).data];
  const out: T[] = [];
  for (const chunk of chunks(urls, MAX_BATCH_OPERATIONS)) {
    const entries = chunk.map((url): BatchEntry => ({ kind: 'operation', operation: { method: 'GET', url, headers: { Prefer: prefer.join(',') } } }));
    const answers = await client.batch(`${what} (${chunk.length} queries in a $batch)`, entries);
    chunk.forEach((_url, i) => {
      const answer = answers[i];
      const response = answer?.kind === 'operation' ? answer.response : undefined;
      if (!response || response.status >= 400) {
        const status = response?.status;
        const detail = dataverseError(response?.body)?.message ?? (status ? `HTTP ${status}` : 'no answer');
        throw new ConnectorError('dataverse_failed', `Dataverse refused ${what} (query ${i + 1} of a $batch): ${detail}`, status === undefined || status === 429 || status >= 500);
      }
      out.push(response.body as T);
    });
  }
  return out;
}
