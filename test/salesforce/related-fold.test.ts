/**
 * The related-change queries of the Salesforce feed's first round are read batch by batch into their
 * changes (first-round.ts), so that a window holding a bulk of related rows is never gathered as records:
 * the fold gives the same changes, versions and latest change per opportunity as the rows taken all at once.
 */
import assert from 'node:assert/strict';
import type { SfRecord } from '../../connectors/salesforce/assemble.js';
import type { QueryResult } from '../../connectors/salesforce/client.js';
import { SOLUTION_PARENT_FIELD } from '../../mappings/custom-fields.salesforce.js';
import { foldRelatedRows } from '../../connectors/salesforce/first-round.js';
import { latestByParent, relatedChanges, type RelatedChange, type RelatedChangeKind } from '../../connectors/salesforce/related-changes.js';

const stamp = (minute: number) => `2026-01-01T10:${String(minute).padStart(2, '0')}:00.000+0000`;

function rowsOf(ref: string, count: number): SfRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const opp = `006${String(i % 37).padStart(12, '0')}`;
    const at = stamp((i * 7) % 60);
    if (ref === 'contactRoles') return { Id: `00K${i}`, OpportunityId: opp, SystemModstamp: at, Contact: { SystemModstamp: stamp((i * 11) % 60) }, Opportunity: { SystemModstamp: stamp((i * 3) % 60) } } as SfRecord;
    if (ref === 'accounts') return { Id: opp, SystemModstamp: at, Account: { SystemModstamp: stamp((i * 13) % 60) } } as SfRecord;
    if (ref === 'solutions') return { Id: `a0${i}`, [SOLUTION_PARENT_FIELD]: opp, SystemModstamp: at } as SfRecord;
    return { Id: `01M${i}`, OpportunityId: opp, SystemModstamp: at } as SfRecord;
  });
}

/** The rows served in batches of `size`, as query and queryMore hand them out. */
function batched(rows: SfRecord[], size: number): { first: QueryResult<SfRecord>; client: { query<T>(soql: string): Promise<QueryResult<T>>; queryMore<T>(url: string): Promise<QueryResult<T>> } } {
  const page = (at: number): QueryResult<SfRecord> => {
    const done = at + size >= rows.length;
    return { totalSize: rows.length, done, records: rows.slice(at, at + size), ...(done ? {} : { nextRecordsUrl: `/query/01g-${at + size}` }) } as QueryResult<SfRecord>;
  };
  return { first: page(0), client: { query: async <T>() => page(0) as unknown as QueryResult<T>, queryMore: async <T>(url: string) => page(Number(url.split('-').pop())) as unknown as QueryResult<T> } };
}

describe('Salesforce feed: related changes folded batch by batch', () => {
  it('gives the same changes and latest change per opportunity as the rows taken all at once', async () => {
    const all: Partial<Record<RelatedChangeKind, SfRecord[]>> = {};
    const folded: RelatedChange[] = [];
    for (const ref of ['team', 'contactRoles', 'solutions', 'accounts'] as const) {
      all[ref] = rowsOf(ref, 450);
      const { first, client } = batched(all[ref]!, 100);
      await foldRelatedRows(client, ref, first, folded);
    }
    const expected = relatedChanges(all);
    assert.ok(folded.length > 1000, `the fixture yields changes (${folded.length})`);
    const byKey = (changes: RelatedChange[]) => [...changes].sort((a, b) => a.key.localeCompare(b.key));
    assert.deepEqual(byKey(folded), byKey(expected));
    const latest = latestByParent(folded);
    assert.ok(latest.size > 30);
    assert.deepEqual(new Map([...latest].sort()), new Map([...latestByParent(expected)].sort()));
  });

  it("asks a query again from its start when Salesforce no longer holds its locator, folding each row once", async () => {
    const rows = rowsOf('team', 450);
    const { first, client } = batched(rows, 100);
    let refused = 0;
    let asked = 0;
    const expiring = {
      queryMore: async <T>(url: string) => {
        if (refused === 0 && url.endsWith('-200')) {
          refused += 1;
          throw Object.assign(new Error('invalid query locator'), { context: { serviceCode: 'INVALID_QUERY_LOCATOR' } });
        }
        return client.queryMore<T>(url);
      },
      query: async <T>(soql: string) => {
        asked += 1;
        assert.equal(soql, 'SELECT team rows');
        return first as unknown as QueryResult<T>;
      },
    };
    const folded: RelatedChange[] = [];
    await foldRelatedRows(expiring, 'team', first, folded, 'SELECT team rows');
    assert.equal(refused, 1);
    assert.equal(asked, 1);
    const byKey = (changes: RelatedChange[]) => [...changes].sort((a, b) => a.key.localeCompare(b.key));
    assert.deepEqual(byKey(folded), byKey(relatedChanges({ team: rows })));
    // Without the query, or refused a second time, the error is the caller's.
    await assert.rejects(foldRelatedRows({ ...expiring, queryMore: async () => Promise.reject(Object.assign(new Error('gone'), { context: { serviceCode: 'INVALID_QUERY_LOCATOR' } })) }, 'team', first, [], 'SELECT team rows'), /gone/);
    await assert.rejects(foldRelatedRows({ ...expiring, queryMore: async () => Promise.reject(Object.assign(new Error('gone'), { context: { serviceCode: 'INVALID_QUERY_LOCATOR' } })) }, 'team', first, []), /gone/);
  });
});
