/**
 * A SOQL query's batches in order: the query (or a first batch already in hand, as a Composite call
 * answers it) and then Query More on each `nextRecordsUrl` until Salesforce says `done`. The one place
 * the follow-the-locator loop is written; callers that need their own recovery (an expired locator asked
 * again from where it stopped) wrap or keep their own loop.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query_more_results.htm
 */
import type { QueryResult, SalesforceClient } from './client.js';

export type QueryPageReader = Pick<SalesforceClient, 'query' | 'queryMore'>;

export async function* queryPages<T>(client: QueryPageReader, soqlOrFirstPage: string | QueryResult<T>): AsyncGenerator<QueryResult<T>, void, undefined> {
  let page = typeof soqlOrFirstPage === 'string' ? await client.query<T>(soqlOrFirstPage) : soqlOrFirstPage;
  for (;;) {
    yield page;
    // Salesforce sets `done` on the last batch; a batch without a locator has nothing to follow either.
    if (page.done || !page.nextRecordsUrl) return;
    page = await client.queryMore<T>(page.nextRecordsUrl);
  }
}

/** Every record of a query, all batches gathered: for lookups whose answers are small (IDs in one chunk). */
export async function queryAllRecords<T>(client: QueryPageReader, soql: string): Promise<T[]> {
  const records: T[] = [];
  for await (const page of queryPages<T>(client, soql)) records.push(...page.records);
  return records;
}
