/**
 * The sandbox refuses a Composite request over Salesforce's limits as Salesforce does
 * (sandbox/salesforce/composite-limits.ts): more than 25 subrequests, or more than 5 query operations
 * (Query, QueryAll, Query More) and sObject Collections together. Refused whole: no subrequest runs, no
 * save is made. Raw HTTP (global fetch), so that the shapes are checked, not a client's reading of them.
 */
import assert from 'node:assert/strict';
import { insertRaw } from '../../sandbox/salesforce/seed.js';
import type { SalesforceSandbox } from '../../sandbox/salesforce/index.js';
import { seededSandboxWithToken, type SalesforceHarness } from '../helpers/salesforce-harness.js';

interface Envelope {
  compositeResponse: { body: unknown; httpHeaders: Record<string, string>; httpStatusCode: number; referenceId: string | null }[];
}

describe('Salesforce sandbox: Composite limits', function () {
  this.timeout(30_000);
  let h: SalesforceHarness;
  let sb: SalesforceSandbox;
  let token: string;
  const base = '/services/data/v62.0';
  const q = (soql: string) => `${base}/query/?q=${encodeURIComponent(soql)}`;
  const composite = async (compositeRequest: object[]): Promise<{ status: number; body: Envelope }> => {
    const res = await fetch(`${sb.url}${base}/composite`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ allOrNone: false, compositeRequest }) });
    return { status: res.status, body: (await res.json()) as Envelope };
  };
  const refusal = (message: string): Envelope => ({ compositeResponse: [{ body: [{ errorCode: 'LIMIT_EXCEEDED', message }], httpHeaders: {}, httpStatusCode: 400, referenceId: null }] });
  const FIVE = 'The request can’t contain more than 5 sObject Collections or query operations.';

  before(async () => {
    ({ harness: h, sandbox: sb, token } = await seededSandboxWithToken());
  });
  after(() => h?.close());

  it('runs five query operations beside other subrequests', async () => {
    const id = sb.store.all('Opportunity')[0]!.Id;
    const subrequests = [
      ...['query', 'queryAll', 'query', 'queryAll', 'query'].map((kind, i) => ({ method: 'GET', url: `${base}/${kind}/?q=${encodeURIComponent('SELECT Id FROM Account LIMIT 1')}`, referenceId: `q${i}` })),
      { method: 'GET', url: `${base}/sobjects/Opportunity/${id}`, referenceId: 'record' },
    ];
    const { status, body } = await composite(subrequests);
    assert.equal(status, 200);
    assert.deepEqual(body.compositeResponse.map((r) => [r.referenceId, r.httpStatusCode]), [...[0, 1, 2, 3, 4].map((i) => [`q${i}`, 200]), ['record', 200]]);
  });

  it('refuses a sixth query operation, whether Query, QueryAll or Query More, and runs none of them', async () => {
    const first = await composite([{ method: 'GET', url: `${base}/query/?q=${encodeURIComponent('SELECT Id FROM Opportunity')}`, referenceId: 'paged' }]);
    // A page of 2,000 rows ends before the seed's opportunities do only when there are more; a locator is made up otherwise.
    const locator = ((first.body.compositeResponse[0]!.body as { nextRecordsUrl?: string }).nextRecordsUrl) ?? `${base}/query/01gFAKE-2000`;
    for (const sixth of [q('SELECT Id FROM Contact'), `${base}/queryAll/?q=${encodeURIComponent('SELECT Id FROM Contact')}`, locator]) {
      const before = sb.counters.snapshot();
      const { status, body } = await composite([...[0, 1, 2, 3, 4].map((i) => ({ method: 'GET', url: q('SELECT Id FROM Account'), referenceId: `q${i}` })), { method: 'GET', url: sixth, referenceId: 'sixth' }]);
      assert.equal(status, 200);
      assert.deepEqual(body, refusal(FIVE), sixth);
      assert.equal(sb.counters.snapshot()['composite.query:Account'] ?? 0, before['composite.query:Account'] ?? 0, 'no subrequest ran');
    }
  });

  it('counts a Query More by reference (`@{ref.nextRecordsUrl}`) before it runs: six chained batches are refused, a chain within the five runs', async () => {
    // Accounts past 2,000 (a batch's most): one query and one Query More by reference read them all; the
    // answers of the chain show the reference resolved.
    for (let i = sb.store.all('Account').length; i < 2_100; i += 1) insertRaw(sb.store, 'Account', { Name: `Chained ${i}` });
    const soql = 'SELECT Id FROM Account ORDER BY Id';
    const chain = (n: number) => [{ method: 'GET', url: q(soql), referenceId: 'more0' }, ...Array.from({ length: n - 1 }, (_, i) => ({ method: 'GET', url: `@{more${i}.nextRecordsUrl}`, referenceId: `more${i + 1}` }))];
    const before = sb.counters.snapshot();
    const { body } = await composite([...chain(2), ...[0, 1, 2].map((i) => ({ method: 'GET', url: q('SELECT Id FROM Account LIMIT 1'), referenceId: `q${i}` }))]);
    const answers = body.compositeResponse.map((r) => [r.referenceId, r.httpStatusCode, (r.body as { records?: unknown[] }).records?.length]);
    assert.deepEqual(answers.slice(0, 2), [['more0', 200, 2_000], ['more1', 200, sb.store.all('Account').length - 2_000]]);
    const ran = sb.counters.snapshot()['composite.query:Account'] ?? 0;
    assert.equal(ran - (before['composite.query:Account'] ?? 0), 5);
    const refused = await composite([...chain(2), ...[0, 1, 2, 3].map((i) => ({ method: 'GET', url: q('SELECT Id FROM Account LIMIT 1'), referenceId: `q${i}` }))]);
    assert.deepEqual(refused.body, refusal(FIVE));
    assert.deepEqual((await composite(chain(6))).body, refusal(FIVE));
    assert.equal(sb.counters.snapshot()['composite.query:Account'], ran, 'no subrequest of a refused call ran');
  });

  it('answers a reference to the nextRecordsUrl of a finished batch PROCESSING_HALTED, and runs nothing for it', async () => {
    // A batch that came back done has no nextRecordsUrl: the chain's next subrequests stand for no value
    // (listing-more.ts sizes its chains so as not to get there, yet may when batches are larger than it thinks).
    const soql = 'SELECT Id FROM Account ORDER BY Id LIMIT 5';
    const before = sb.counters.snapshot()['composite.query:Account'] ?? 0;
    const { body } = await composite([
      { method: 'GET', url: q(soql), referenceId: 'more0' },
      { method: 'GET', url: '@{more0.nextRecordsUrl}', referenceId: 'more1' },
      { method: 'GET', url: '@{more1.nextRecordsUrl}', referenceId: 'more2' },
    ]);
    assert.deepEqual(body.compositeResponse.map((r) => [r.referenceId, r.httpStatusCode]), [['more0', 200], ['more1', 400], ['more2', 400]]);
    assert.deepEqual(body.compositeResponse[1]!.body, [{ errorCode: 'PROCESSING_HALTED', message: 'Invalid reference specified. No value for more0.nextRecordsUrl found in more0' }]);
    assert.equal((sb.counters.snapshot()['composite.query:Account'] ?? 0) - before, 1, 'only the query ran');
  });

  it('counts sObject Collections with the queries, and saves nothing of a refused request', async () => {
    const id = sb.store.all('Opportunity')[0]!.Id;
    const name = String(sb.store.get('Opportunity', id)!.Name);
    const save = { method: 'PATCH', url: `${base}/composite/sobjects`, body: { allOrNone: false, records: [{ attributes: { type: 'Opportunity' }, id, Name: 'Renamed by a refused call' }] } };
    const { body } = await composite([
      ...[0, 1, 2, 3].map((i) => ({ method: 'GET', url: q('SELECT Id FROM Account'), referenceId: `q${i}` })),
      { ...save, referenceId: 'save1' },
      { ...save, referenceId: 'save2' },
    ]);
    assert.deepEqual(body, refusal(FIVE));
    assert.equal(sb.store.get('Opportunity', id)!.Name, name);
  });

  it('refuses more than 25 subrequests in the shape Salesforce answers', async () => {
    const id = sb.store.all('Opportunity')[0]!.Id;
    const { status, body } = await composite(Array.from({ length: 26 }, (_, i) => ({ method: 'GET', url: `${base}/sobjects/Opportunity/${id}`, referenceId: `r${i}` })));
    assert.equal(status, 200);
    assert.deepEqual(body, refusal('The request can’t contain more than 25 operations.'));
  });
});
