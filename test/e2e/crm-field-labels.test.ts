/**
 * The reasons a record cannot sync name the CRM's own fields, as the seller sees them on the form: a
 * Salesforce seller reads "Amount" and "Billing Country (Account)", a Dynamics 365 seller "Est. Revenue"
 * and "Country/Region (Account)", each with the rule code an admin looks up in docs/rules.md. Until
 * 2026-12-06 the message named the connector's canonical paths (`value: … [format.value_positive]`,
 * `customer.country: …`), which sellers who work only in their CRM could not place. The store, `cosell
 * status` and the rule codes keep the canonical paths, and a quiet second run still writes nothing.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';

const LABELS: Record<CrmKind, { value: string; solutions: string; country: string }> = {
  salesforce: { value: 'Amount', solutions: 'Co-sell Solutions', country: 'Billing Country (Account)' },
  dynamics: { value: 'Est. Revenue', solutions: 'Co-sell Solutions', country: 'Country/Region (Account)' },
};

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) describe(`sync messages name the CRM's fields (${kind}, end to end)`, function () {
  this.timeout(120_000);
  let world: World;
  beforeEach(async () => {
    world = await startWorld(kind);
  });
  afterEach(async () => {
    await world.close();
  });
  const labels = LABELS[kind];

  it('a new deal with a non-positive amount and no solution: the CRM labels and rule codes, canonical paths kept in the store', async () => {
    const crmId = await world.seller.createDeal(dealSpec('Zero amount deal', { value: 0, solutions: [] }));
    await world.sync();
    const record = await world.seller.read(crmId);
    assert.equal(record.syncState, 'error');
    const message = record.syncMessage ?? '';
    assert.ok(message.includes(`${labels.value}: The estimated value must be a positive amount; it is 0. [format.value_positive]`), message);
    assert.ok(message.includes(`${labels.solutions}: Add at least one solution. [create.solution.required]`), message);
    assert.doesNotMatch(message, /(^|; )(value|solutions): /, 'no canonical path where the seller reads a field');
    const parked = world.runtime.store.getParked('crm', crmId);
    assert.deepEqual(parked?.reasons.map((r) => `${r.field} ${r.code}`).sort(), ['solutions create.solution.required', 'value format.value_positive'], 'the store keeps canonical paths and codes');
    assert.equal((await world.sync()).writes, 0, 'a second run writes nothing');
  });

  it('a customer country that is not an ISO code names the account field', async () => {
    const spec = dealSpec('Country name deal');
    const crmId = await world.seller.createDeal({ ...spec, customer: { ...spec.customer, country: 'USA' } });
    await world.sync();
    const record = await world.seller.read(crmId);
    assert.equal(record.syncState, 'error');
    assert.ok((record.syncMessage ?? '').startsWith(`${labels.country}: `), record.syncMessage);
    assert.match(record.syncMessage ?? '', /\[country\.not_iso\]/);
    assert.equal((await world.sync()).writes, 0, 'a second run writes nothing');
  });
});
