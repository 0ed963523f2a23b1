/**
 * Writes without reads around them (creates, deletes, related rows, updates without a version check) send up
 * to five collection requests of 200 in one Composite call (connectors/salesforce/collections.ts `bundled`),
 * each with its own answers, where each was a call; a lone chunk stays a collection request of its own.
 */
import assert from 'node:assert/strict';
import { deleteRecords, saveRecords } from '../../connectors/salesforce/collections.js';
import { findAllByReferralIds } from '../../connectors/salesforce/write.js';
import { F } from '../../mappings/custom-fields.salesforce.js';
import { SOLUTION_FIELDS, SOLUTION_OBJECT, SOLUTION_PARENT_FIELD } from '../../mappings/custom-fields.salesforce.js';
import { seedOptedIn, startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';

describe('Salesforce collections: several chunks of a plain write in one Composite call', function () {
  this.timeout(60_000);
  let h: SalesforceHarness;
  beforeEach(async () => {
    h = await startSalesforceHarness();
  });
  afterEach(() => h?.close());

  const patches = (ids: readonly string[], text: string) => ids.map((id) => ({ key: id, record: { attributes: { type: 'Opportunity' }, id, NextStep: text } }));

  it('450 updates without a check: one Composite call of three PATCHes, every record saved', async () => {
    const ids = seedOptedIn(h.sandbox, 450);
    h.sandbox.counters.reset();
    const outcomes = await saveRecords(h.adapter.client, 'PATCH', '/composite/sobjects', patches(ids, 'Bundled'));
    assert.deepEqual(h.sandbox.counters.snapshot(), { composite: 1, 'composite.composite/sobjects:PATCH': 3 });
    assert.ok(ids.every((id) => outcomes.get(id)?.ok && h.sandbox.store.get('Opportunity', id)!.NextStep === 'Bundled'));
  });

  it('1,100 creates: five chunks in one Composite call, the sixth alone; each record created once', async () => {
    const [parent] = seedOptedIn(h.sandbox, 1) as [string];
    const before = h.sandbox.store.all(SOLUTION_OBJECT).length;
    h.sandbox.counters.reset();
    const items = Array.from({ length: 1100 }, (_, i) => ({ key: `t${i}`, record: { attributes: { type: SOLUTION_OBJECT }, [SOLUTION_PARENT_FIELD]: parent, Name: `Solution ${i}`, [SOLUTION_FIELDS.solutionId]: `SOL-${i}`, [SOLUTION_FIELDS.quantity]: 1 } }));
    const outcomes = await saveRecords(h.adapter.client, 'POST', '/composite/sobjects', items);
    assert.deepEqual(h.sandbox.counters.snapshot(), { composite: 1, 'composite.composite/sobjects:POST': 5, 'composite/sobjects:POST': 1 });
    assert.ok(items.every((i) => outcomes.get(i.key)?.ok), JSON.stringify([...outcomes.values()].find((o) => !o.ok)));
    assert.equal(new Set([...outcomes.values()].map((o) => (o.ok ? o.id : ''))).size, 1100);
    assert.equal(h.sandbox.store.all(SOLUTION_OBJECT).length, before + 1100);
  });

  it('deletes 450 rows in one Composite call; a row already gone counts as deleted', async () => {
    const ids = seedOptedIn(h.sandbox, 450);
    h.sandbox.counters.reset();
    const outcomes = await deleteRecords(h.adapter.client, ids);
    assert.equal(h.sandbox.counters.get('composite'), 1);
    assert.ok(ids.every((id) => outcomes.get(id)?.ok && !h.sandbox.store.get('Opportunity', id)));
    const again = await deleteRecords(h.adapter.client, ids);
    assert.ok(ids.every((id) => again.get(id)?.ok), 'gone already: what the delete wanted');
  });

  it('retries the records of a bundle that met a row lock, once, in the next call', async () => {
    const ids = seedOptedIn(h.sandbox, 450);
    h.sandbox.itemFaults.configure({ rate: 0.02, kinds: { UNABLE_TO_LOCK_ROW: 1 }, seed: 7, limit: 6 });
    h.sandbox.counters.reset();
    const outcomes = await saveRecords(h.adapter.client, 'PATCH', '/composite/sobjects', patches(ids, 'Retried'));
    h.sandbox.itemFaults.configure({ rate: 0, kinds: {} });
    assert.ok(ids.every((id) => outcomes.get(id)?.ok && h.sandbox.store.get('Opportunity', id)!.NextStep === 'Retried'));
    // The bundle of three PATCHes, then the locked records (fewer than 200) as a collection request of their own.
    assert.deepEqual(h.sandbox.counters.snapshot(), { composite: 1, 'composite.composite/sobjects:PATCH': 3, 'composite/sobjects:PATCH': 1 });
  });

  it('the existence check of 2,000 referral IDs is one Composite call', async () => {
    const ids = seedOptedIn(h.sandbox, 3);
    const referralId = (i: number) => `c0ffee00-0000-4000-8000-${String(i).padStart(12, '0')}`;
    ids.forEach((id, i) => assert.ok(h.sandbox.seller.editOpportunity(id, { [F.referralId]: referralId(7 + 900 * i) }).ok));
    h.sandbox.counters.reset();
    // Asked in upper case: Salesforce compares the text field without case, and the answer is keyed as asked.
    const found = await findAllByReferralIds(h.adapter.client, Array.from({ length: 2000 }, (_, i) => referralId(i).toUpperCase()));
    assert.deepEqual(h.sandbox.counters.snapshot(), { composite: 1, 'composite.query:Opportunity': 2 });
    assert.deepEqual([...found].sort(), ids.map((id, i) => [referralId(7 + 900 * i).toUpperCase(), [id]]).sort());
    assert.equal((await findAllByReferralIds(h.adapter.client, [])).size, 0);
    assert.equal(h.sandbox.counters.get('composite'), 1, 'none asked: no call');
  });
});
