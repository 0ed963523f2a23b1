/**
 * A lead write-back reads the leads' status fields back after its PATCH (connectors/salesforce/leads.ts), so that
 * an org's before-save automation that rewrote them is kept as the lead's form of the status (`savedStatus`,
 * e2e/lead-save-rewrites.test.ts). One chunk of 200 a Composite call, as before the shared reads of
 * checked-patches.ts: a lead has no re-read to fall back on, so its read after stays in its own call, and the
 * failure of the next call costs it nothing.
 */
import assert from 'node:assert/strict';
import type { CrmWrite, CrmWriteResult } from '../../core/engine/crm-port.js';
import { clientCredentialsToken, startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';

const LEADS = 600;
const MESSAGE = 'Cosell_Sync_Message__c';
const STAMP = '[checked]';

describe('Salesforce lead write-backs: the read after in the PATCH\'s own call', function () {
  this.timeout(120_000);
  let h: SalesforceHarness;
  let leadIds: string[];
  beforeEach(async () => {
    h = await startSalesforceHarness();
    const token = await clientCredentialsToken(h.sandbox);
    leadIds = [];
    for (let start = 0; start < LEADS; start += 200) {
      const records = Array.from({ length: 200 }, (_, i) => ({ attributes: { type: 'Lead' }, LastName: `Lead ${start + i}`, Company: `Company ${start + i}` }));
      const res = await fetch(`${h.sandbox.url}/services/data/v62.0/composite/sobjects`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ allOrNone: true, records }) });
      const saved = (await res.json()) as { id: string; success: boolean }[];
      assert.ok(saved.every((s) => s.success), JSON.stringify(saved[0]));
      leadIds.push(...saved.map((s) => s.id));
    }
    // The org's automation: every save of a lead stamps its sync message.
    h.sandbox.store.beforeSaveFlows.push({
      object: 'Lead',
      on: ['update'],
      sets: (row) => (typeof row[MESSAGE] === 'string' && !(row[MESSAGE] as string).startsWith(STAMP) ? { [MESSAGE]: `${STAMP} ${row[MESSAGE] as string}` } : {}),
    });
    h.sandbox.counters.reset();
  });
  afterEach(() => h?.close());

  it('600 lead write-backs are three Composite calls, each [read, PATCH of 200, read]', async () => {
    const results = await h.adapter.write(leadIds.map((id) => ({ kind: 'status', key: id, crmId: id, target: 'lead', status: { state: 'synced', message: 'written back' } }) as CrmWrite));
    assert.ok(results.every((r) => r.ok && (r as { savedStatus?: unknown }).savedStatus));
    assert.deepEqual(h.sandbox.counters.snapshot(), { composite: 3, 'composite.query:Lead': 6, 'composite.composite/sobjects:PATCH': 3 });
  });

  it('a lead of the first call keeps its saved form when the second call fails', async () => {
    let calls = 0;
    h.sandbox.store.afterCompositeSubrequest = (method, path) => {
      if (method !== 'PATCH' || !path.endsWith('/composite/sobjects')) return;
      calls += 1;
      // After the first call's PATCH, Salesforce stops answering Composite calls for a while: the second call fails, its retries too.
      if (calls === 1) h.sandbox.faults.configure({ rate: 1, kinds: { '503': 1 }, match: '^POST .*/composite$', limit: 4 });
    };
    const writes: CrmWrite[] = leadIds.map((id) => ({ kind: 'status', key: id, crmId: id, target: 'lead', status: { state: 'synced', message: 'written back' } }) as CrmWrite);
    const results: CrmWriteResult[] = await h.adapter.write(writes);
    h.sandbox.store.afterCompositeSubrequest = undefined;
    h.sandbox.faults.configure(undefined);
    const first = new Set(leadIds.slice(0, 200));
    const second = new Set(leadIds.slice(200, 400));
    assert.ok(results.filter((r) => second.has(r.key)).every((r) => !r.ok), 'the second call\'s leads failed');
    const ofFirst = results.filter((r) => first.has(r.key));
    assert.ok(ofFirst.every((r) => r.ok), 'the first call\'s leads were saved');
    const withoutForm = ofFirst.filter((r) => !(r as { savedStatus?: Record<string, unknown> }).savedStatus).length;
    assert.equal(withoutForm, 0, 'every saved lead of the first call carries the status as the org saved it');
    assert.match(String((ofFirst[0] as { savedStatus?: Record<string, unknown> }).savedStatus?.[MESSAGE]), /^\[checked\] /);
  });
});
