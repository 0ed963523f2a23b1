/**
 * A seller's save between two Composite calls of a write, of a record the first call PATCHed. Its read after is
 * the next call's first read (connectors/salesforce/checked-patches.ts), so the save is in the row the writer
 * takes for the connector's own. A save of any field the PATCH did not move shows as another save
 * (own-save.ts `changedBesidesSave`, shared-reads.test.ts); one of a field Salesforce derives from a value sent
 * (the Close Date of a deal whose stage the connector wrote: `DERIVED_ON_SAVE`) did not: the row's version was
 * reported as the engine's own, the next run skipped it as an echo, and the seller's date never reached Partner
 * Center. With the read after inside the PATCH's call (before a2d2d6c) the save came after it and the next
 * window read it. Now who saved last (`LastModifiedById`) tells it.
 */
import assert from 'node:assert/strict';
import type { CrmCursor, CrmDeal, CrmWriteResult, KnownVersions } from '../../core/engine/crm-port.js';
import { harnessSeededEarlier, type SalesforceHarness } from '../helpers/salesforce-harness.js';

describe('Salesforce writes: a seller save between two Composite calls', function () {
  this.timeout(120_000);
  let h: SalesforceHarness;
  let ids: string[];
  beforeEach(async () => {
    ({ h, ids } = await harnessSeededEarlier(1000));
  });
  afterEach(() => h?.close());

  it("of the close date of a deal whose stage the connector wrote: the next run reads the seller's date", async () => {
    const versions = new Map<string, string>();
    const known: KnownVersions = { prepare: async () => undefined, isKnown: (id, version) => versions.get(id) === version };
    const target = ids[100]!;
    const results: CrmWriteResult[] = [];
    let cursor: CrmCursor = {};
    let raced = false;
    for await (const page of h.adapter.readChanges(undefined, known)) {
      cursor = page.cursor;
      if (page.deals.length === 0) continue;
      const stageOf = page.deals.find((d) => d.crmId === target)!.referral.salesStage;
      const stage = stageOf === 'Proposed' ? 'Qualified' : 'Proposed';
      let composite = 0;
      h.sandbox.store.afterCompositeSubrequest = (method, path, ref) => {
        // The first call ends with its last PATCH ('save3'): the seller saves once it has answered, before the next call.
        if (method === 'PATCH' && ref === 'save3') composite += 1;
        if (composite === 1 && !raced && ref === 'save3') {
          raced = true;
          assert.deepEqual(h.sandbox.seller.editOpportunity(target, { CloseDate: '2031-03-15' }), { ok: true });
        }
      };
      // Every deal's status written back; the target's stage moved as Partner Center's was.
      results.push(...(await h.adapter.write(page.deals.map((d) => ({
        kind: 'update' as const, key: d.crmId, crmId: d.crmId, etag: d.etag!,
        referral: d.crmId === target ? { ...d.referral, salesStage: stage } : d.referral,
        changedFields: d.crmId === target ? ['salesStage'] : [],
        status: { state: 'synced' as const, message: 'written back' },
      })))));
      h.sandbox.store.afterCompositeSubrequest = undefined;
    }
    assert.ok(raced, 'the seller saved between the calls');
    assert.ok(results.every((r) => r.ok));
    for (const r of results) if (r.ok && r.etag) versions.set(r.key, r.etag);
    assert.equal(results.filter((r) => r.ok && !r.etag).map((r) => r.key).join(), target, 'only the raced deal has no version of the engine\'s own');
    h.sandbox.clock.advance(60_000);
    const next: CrmDeal[] = [];
    for await (const page of h.adapter.readChanges(cursor, known)) next.push(...page.deals);
    assert.deepEqual(next.map((d) => [d.crmId, d.referral.closeDate]), [[target, '2031-03-15']], "the next run reads the seller's close date, and only that deal");
  });
});
