/** The one query-then-Query-More loop (query-pages.ts): every batch in order, and no call past the last. */
import assert from 'node:assert/strict';
import type { QueryResult } from '../../connectors/salesforce/client.js';
import { queryAllRecords, queryPages, type QueryPageReader } from '../../connectors/salesforce/query-pages.js';

type Row = { Id: string };

/** A client serving `batches` as query + queryMore would, recording each call. */
function serving(batches: QueryResult<Row>[]): { client: QueryPageReader; calls: string[] } {
  const calls: string[] = [];
  const client = {
    query: async <T>(soql: string) => {
      calls.push(`query ${soql}`);
      return batches[0] as unknown as QueryResult<T>;
    },
    queryMore: async <T>(url: string) => {
      calls.push(`more ${url}`);
      return batches[Number(url.split('-').pop())] as unknown as QueryResult<T>;
    },
  };
  return { client, calls };
}

const batch = (at: number, count: number, more?: number): QueryResult<Row> => ({
  totalSize: 5,
  done: more === undefined,
  records: Array.from({ length: count }, (_, i) => ({ Id: `006-${at}-${i}` })),
  ...(more === undefined ? {} : { nextRecordsUrl: `/services/data/v62.0/query/01gX-${more}` }),
});

describe('Salesforce query pages (query-pages.ts)', () => {
  it('follows nextRecordsUrl through every batch, in order, and stops at the one marked done', async () => {
    const { client, calls } = serving([batch(0, 2, 1), batch(1, 2, 2), batch(2, 1)]);
    const seen: string[] = [];
    for await (const page of queryPages<Row>(client, 'SELECT Id FROM Opportunity')) seen.push(...page.records.map((r) => r.Id));
    assert.deepEqual(seen, ['006-0-0', '006-0-1', '006-1-0', '006-1-1', '006-2-0']);
    assert.deepEqual(calls, ['query SELECT Id FROM Opportunity', 'more /services/data/v62.0/query/01gX-1', 'more /services/data/v62.0/query/01gX-2']);
  });

  it('asks for nothing more after a batch marked done, even one that still carries a locator', async () => {
    const last = { ...batch(0, 2), nextRecordsUrl: '/services/data/v62.0/query/01gX-1' };
    const { client, calls } = serving([last, batch(1, 2)]);
    assert.deepEqual((await queryAllRecords<Row>(client, 'SELECT Id FROM Account')).map((r) => r.Id), ['006-0-0', '006-0-1']);
    assert.deepEqual(calls, ['query SELECT Id FROM Account']);
  });

  it('starts from a first batch already in hand without querying again', async () => {
    const { client, calls } = serving([batch(0, 1, 1), batch(1, 1)]);
    const pages: QueryResult<Row>[] = [];
    for await (const page of queryPages<Row>(client, batch(0, 1, 1))) pages.push(page);
    assert.equal(pages.length, 2);
    assert.deepEqual(calls, ['more /services/data/v62.0/query/01gX-1']);
  });

  it('fetches a batch only when it is wanted, so a caller that stops early makes no further call', async () => {
    const { client, calls } = serving([batch(0, 1, 1), batch(1, 1, 2), batch(2, 1)]);
    for await (const page of queryPages<Row>(client, 'SELECT Id FROM Lead')) if (page.records.length > 0) break;
    assert.deepEqual(calls, ['query SELECT Id FROM Lead']);
  });

  it('passes a Query More failure to the caller', async () => {
    const client: QueryPageReader = {
      query: async <T>() => batch(0, 1, 1) as unknown as QueryResult<T>,
      queryMore: async () => {
        throw new Error('INVALID_QUERY_LOCATOR');
      },
    };
    const pages: number[] = [];
    await assert.rejects(async () => {
      for await (const page of queryPages<Row>(client, 'SELECT Id FROM Contact')) pages.push(page.records.length);
    }, /INVALID_QUERY_LOCATOR/);
    assert.deepEqual(pages, [1]);
  });
});
