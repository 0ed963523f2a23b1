/**
 * The listing's batches after the first ride in a page's related call when it has room (page-related.ts), else
 * come up to three a Composite call (connectors/salesforce/listing-more.ts): Query More on the locator in hand,
 * then `@{moreN.nextRecordsUrl}` for each next one, never more than the query still holds. At 12,500
 * opportunities (seven batches of 2,000) the six batches after the first round's cost no call of their own
 * (two chained, six alone before that), and the deals read are the same; an expired locator still starts the
 * listing again where it stopped. Pure parts: how many batches a call asks for, and what a chain whose later subrequest failed keeps.
 */
import assert from 'node:assert/strict';
import type { CrmDeal, KnownVersions } from '../../core/engine/crm-port.js';
import type { CompositeSubrequest, CompositeSubresponse, SalesforceClient } from '../../connectors/salesforce/client.js';
import { isExpiredLocator } from '../../connectors/salesforce/errors.js';
import { batchesToAsk, moreBatches } from '../../connectors/salesforce/listing-more.js';
import { LOCATOR_LIFETIME_MS } from '../../sandbox/salesforce/query-pages.js';
import { seedOptedIn, startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';

describe('Salesforce listing: batches chained in Composite calls', function () {
  this.timeout(120_000);
  let h: SalesforceHarness;
  let seeded: string[];
  /** The Composite calls the client sent while `read` ran: each call's subrequest URLs and answer statuses. */
  const calls: { urls: string[]; statuses: number[] }[] = [];

  before(async () => {
    h = await startSalesforceHarness({ adapter: { pageSize: 2000, rereadSeconds: 0 } });
    seeded = seedOptedIn(h.sandbox, 12_500, { teamPerOpportunity: 1 });
    const client = h.adapter.client;
    const original = client.composite;
    client.composite = async (subrequests: CompositeSubrequest[], readOnly: boolean) => {
      const answer = await original.call(client, subrequests, readOnly);
      calls.push({ urls: subrequests.map((s) => s.url), statuses: answer.map((r) => r.httpStatusCode) });
      return answer;
    };
  });
  after(() => h?.close());

  async function read(known?: KnownVersions): Promise<CrmDeal[]> {
    calls.length = 0;
    h.sandbox.counters.reset();
    const deals: CrmDeal[] = [];
    for await (const page of h.adapter.readChanges(undefined, known)) deals.push(...page.deals);
    return deals;
  }
  const isQueryMore = (url: string) => url.includes('nextRecordsUrl') || /\/query\/01g/.test(url);

  it('reads each batch after the first in the related call of the page before it, each subrequest answered (page-related.ts)', async () => {
    const deals = await read();
    assert.deepEqual(deals.map((d) => d.crmId).sort(), seeded);
    // No call of Query More alone: each of the six rides with a page's four related statements (the
    // invitations a subquery of the members statement), answered. Was two chained calls of three.
    assert.deepEqual(calls.filter((c) => c.urls.every(isQueryMore)), []);
    const riding = calls.filter((c) => c.urls.some(isQueryMore));
    assert.deepEqual(riding.map((c) => c.urls.length), [5, 5, 5, 5, 5, 5]);
    assert.ok(riding.every((c) => c.statuses.every((s) => s === 200)));
    // The first round's call and one related call per page of 2,000 (seven): eight Composite calls, were ten.
    assert.equal(calls.length, 8);
    // No Query More outside a Composite call.
    assert.equal(h.sandbox.counters.get('query:Opportunity') ?? 0, 0);
  });

  it('chains the same way when no page has rows to read (every row held at its version: no related call)', async () => {
    const everything: KnownVersions = { prepare: async () => {}, isKnown: () => true };
    assert.deepEqual(await read(everything), []);
    assert.deepEqual(calls.map((c) => c.urls.filter(isQueryMore).length), [0, 3, 3]);
  });

  it('starts again after the last row handed on when the locator expired between calls', async () => {
    const client = h.adapter.client;
    const chained = client.composite;
    let seen = 0;
    client.composite = async (...args) => {
      const answer = await chained.apply(client, args);
      // After the first round: the listing's locator is two days old when its next batches are asked for.
      if ((seen += 1) === 1) h.sandbox.clock.advance(LOCATOR_LIFETIME_MS);
      return answer;
    };
    try {
      const deals = await read();
      assert.deepEqual(deals.map((d) => d.crmId).sort(), seeded, 'each deal once');
    } finally {
      client.composite = chained;
    }
    assert.ok(calls.some((c) => c.urls.some(isQueryMore) && c.statuses.includes(400)), 'a Query More was refused');
  });
});

describe('Salesforce listing: how many batches a call asks for', () => {
  const page = (totalSize: number, nextRecordsUrl?: string) => ({ totalSize, ...(nextRecordsUrl ? { nextRecordsUrl } : {}) });
  it('asks for what the query still holds, at most three (the listing buffer\'s memory), and one when the locator does not say', () => {
    assert.equal(batchesToAsk(page(12_500, '/services/data/v62.0/query/01gABC-2000'), 2000), 3);
    assert.equal(batchesToAsk(page(12_500, '/services/data/v62.0/query/01gABC-12000'), 2000), 1);
    assert.equal(batchesToAsk(page(6_000, '/services/data/v62.0/query/01gABC-2000'), 2000), 2);
    assert.equal(batchesToAsk(page(6_001, '/services/data/v62.0/query/01gABC-2000'), 2000), 3);
    assert.equal(batchesToAsk(page(6_000, '/services/data/v62.0/query/01gABC'), 2000), 1);
  });

  const fake = (answers: CompositeSubresponse[]) => ({ apiVersion: '62.0', dataPath: (path = '') => `/services/data/v62.0${path}`, composite: async () => answers }) as unknown as SalesforceClient;
  const batch = (n: number, next?: string) => ({ totalSize: 10_000, done: !next, ...(next ? { nextRecordsUrl: next } : {}), records: [{ Id: `r${n}` }] });
  it('keeps the batches before a chained subrequest that failed, and goes on from the last of them', async () => {
    const answers = [
      { referenceId: 'more0', httpStatusCode: 200, body: batch(0, '/services/data/v62.0/query/01gABC-4000') },
      { referenceId: 'more1', httpStatusCode: 200, body: batch(1, '/services/data/v62.0/query/01gABC-6000') },
      { referenceId: 'more2', httpStatusCode: 400, body: [{ errorCode: 'PROCESSING_HALTED', message: 'not run' }] },
      { referenceId: 'more3', httpStatusCode: 400, body: [{ errorCode: 'PROCESSING_HALTED', message: 'not run' }] },
    ];
    const got = await moreBatches(fake(answers), { ...batch(9, '/services/data/v62.0/query/01gABC-2000'), totalSize: 10_000 }, 2000);
    assert.deepEqual(got, { totalSize: 10_000, done: false, nextRecordsUrl: '/services/data/v62.0/query/01gABC-6000', records: [{ Id: 'r0' }, { Id: 'r1' }] });
  });

  it('passes on a refused first Query More as Query More would (an expired locator: the listing starts again)', async () => {
    const answers = [{ referenceId: 'more0', httpStatusCode: 400, body: [{ errorCode: 'INVALID_QUERY_LOCATOR', message: 'invalid query locator' }] }];
    await assert.rejects(moreBatches(fake(answers), batch(9, '/services/data/v62.0/query/01gABC-2000'), 2000), (error) => isExpiredLocator(error));
  });
});
