/**
 * The client refuses to send a Composite call Salesforce would refuse (connectors/salesforce/composite-limits.ts):
 * more than 25 subrequests, or more than 5 query operations (Query, QueryAll, Query More) and sObject
 * Collections together. A builder's mistake fails at once, named, and costs no API call.
 */
import assert from 'node:assert/strict';
import type { SalesforceClient } from '../../connectors/salesforce/client.js';
import { assertWithinCompositeLimits, isQueryOrCollection, QUERIES_PER_CALL } from '../../connectors/salesforce/composite-limits.js';
import { startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';

const base = '/services/data/v62.0';
const query = (referenceId: string) => ({ method: 'GET' as const, url: `${base}/query/?q=${encodeURIComponent('SELECT Id FROM Account')}`, referenceId });

describe('Salesforce client: Composite limits', function () {
  this.timeout(30_000);

  it('counts Query, QueryAll, Query More and sObject Collections, not other resources', () => {
    for (const url of [`${base}/query/?q=x`, `${base}/query?q=x`, `${base}/queryAll/?q=x`, `${base}/query/01gD0000000001-2000`, `${base}/composite/sobjects`, `${base}/composite/sobjects/Opportunity/Ext__c`, '@{more0.nextRecordsUrl}', '@{q.records[0].Children__r.nextRecordsUrl}']) assert.ok(isQueryOrCollection(url), url);
    for (const url of [`${base}/sobjects/Opportunity/deleted/?start=a&end=b`, `${base}/sobjects/Account`, `${base}/sobjects/Opportunity/006000000000001`, `${base}/queryish`, `${base}/sobjects/Account/@{new.id}`]) assert.ok(!isQueryOrCollection(url), url);
  });

  it('passes five query operations with other subrequests, and names the subrequests of a call over a limit', () => {
    const five = [...[0, 1, 2, 3, 4].map((i) => query(`q${i}`)), { method: 'GET' as const, url: `${base}/sobjects/Opportunity/deleted/?start=a&end=b`, referenceId: 'deleted' }];
    assertWithinCompositeLimits(five);
    assert.throws(() => assertWithinCompositeLimits([...five, { method: 'GET', url: `${base}/query/01gD0000000001-2000`, referenceId: 'more' }]), /6 of them query operations or sObject Collections \(q0, q1, q2, q3, q4, more\)/);
    assert.throws(() => assertWithinCompositeLimits(Array.from({ length: 26 }, (_, i) => ({ method: 'GET', url: `${base}/sobjects/Account/x${i}`, referenceId: `r${i}` }))), /26 subrequests/);
    assert.equal(QUERIES_PER_CALL, 5);
  });

  describe('against the sandbox', () => {
    let h: SalesforceHarness;
    before(async () => {
      h = await startSalesforceHarness({ setup: false });
    });
    after(() => h?.close());

    it('does not send a call over the limit', async () => {
      const client = (h.adapter as unknown as { client: SalesforceClient }).client;
      await client.composite([query('warm')], true);
      const used = h.sandbox.store.apiUsage;
      await assert.rejects(client.composite([0, 1, 2, 3, 4, 5].map((i) => query(`q${i}`)), true), /over Salesforce's limits/);
      assert.equal(h.sandbox.store.apiUsage, used, 'no call made');
    });
  });
});
