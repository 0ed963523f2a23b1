/**
 * Review of c991c0d (page-related.ts): a page's related call that fails after the listing's next batch rode
 * in it (a related subrequest refused) fails the read before that page is handed on, and the batch is not
 * lost: a run resumed from the last cursor handed on reads every deal from there.
 */
import assert from 'node:assert/strict';
import type { CrmCursor } from '../../core/engine/crm-port.js';
import type { CompositeSubrequest, CompositeSubresponse } from '../../connectors/salesforce/client.js';
import { seedOptedIn, startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';

describe('Salesforce page related call: a failure in the call the next batch rode in', function () {
  this.timeout(120_000);
  let h: SalesforceHarness;
  let ids: string[];

  before(async () => {
    h = await startSalesforceHarness({ adapter: { pageSize: 2000, rereadSeconds: 0 } });
    ids = seedOptedIn(h.sandbox, 9_000);
  });
  after(() => h?.close());

  it('hands on no page past the failure, and the resumed run reads every deal after the last cursor', async () => {
    const client = h.adapter.client;
    const original = client.composite;
    let riding = 0;
    client.composite = async (subrequests: CompositeSubrequest[], readOnly: boolean): Promise<CompositeSubresponse[]> => {
      const answer = await original.call(client, subrequests, readOnly);
      // The second call carrying a Query More and the related statements: its members statement answers 503.
      if (subrequests.some((s) => /\/query\/01g/.test(s.url)) && subrequests.some((s) => s.referenceId === 'window') && (riding += 1) === 2) {
        return answer.map((r) => (r.referenceId === 'window' ? { ...r, httpStatusCode: 503, body: [{ errorCode: 'SERVER_UNAVAILABLE', message: 'try later' }] } : r));
      }
      return answer;
    };
    const seen = new Set<string>();
    let cursor: CrmCursor | undefined;
    try {
      await assert.rejects(async () => {
        for await (const page of h.adapter.readChanges(undefined)) {
          for (const d of page.deals) seen.add(d.crmId);
          cursor = page.cursor;
        }
      });
    } finally {
      client.composite = original;
    }
    assert.equal(seen.size, 2_000, 'the first page only');
    for await (const page of h.adapter.readChanges(cursor)) for (const d of page.deals) seen.add(d.crmId);
    assert.deepEqual([...seen].sort(), ids);
  });
});
