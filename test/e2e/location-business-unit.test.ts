/**
 * Issue 19: a default location per business unit for Dynamics 365. A deal whose record names no location and
 * whose owner has no default of their own takes the default of the owner's business unit (the record's
 * owningbusinessunit, which Dataverse keeps as the owner's), before sync.defaultLocation.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { SELLER_USER_ID } from '../../sandbox/dataverse/seed.js';
import { startWorld, type World } from '../../sandbox/world.js';
import { referralOf } from './lifecycle.suite.js';

describe('location by business unit in Dynamics 365 (end to end)', function () {
  this.timeout(120_000);
  let world: World | undefined;
  afterEach(async () => world?.close());

  it("a deal without a location takes its owner's business unit's default; another unit's deal the configured default", async () => {
    const germany = 'b0c05e11-0000-4000-8000-00000000de01';
    world = await startWorld('dynamics', { sync: { locationByBusinessUnit: { [germany]: 'loc-de-munich' } } });
    const store = world.set.dataverse.store;
    const first = await world.seller.createDeal(dealSpec('Root unit deal'));
    store.insert('businessunit', { name: 'Contoso Germany' }, germany);
    store.update('systemuser', SELLER_USER_ID, { _businessunitid_value: germany, '_businessunitid_value@target': 'businessunit' });
    const second = await world.seller.createDeal(dealSpec('German unit deal'));
    assert.equal(store.table('opportunity')!.rows.get(second)!._owningbusinessunit_value, germany, "Dataverse keeps the owner's unit on the record");
    await world.syncToQuiet();
    const located = async (crmId: string) => referralOf(world!, (await world!.seller.read(crmId)).referralId!).locationId;
    assert.equal(await located(second), 'loc-de-munich');
    assert.equal((await world.seller.read(second)).location, 'loc-de-munich', 'the record shows the location it got');
    assert.equal(await located(first), 'loc-us-redmond', 'the root unit has no default: sync.defaultLocation');
  });

  // The config template's example keys the unit by name ("Contoso Germany"): Dataverse names the owner's unit
  // only when the read asks for formatted values (_owningbusinessunit_value@OData.Community.Display.V1.FormattedValue).
  it("a unit keyed by its name in sync.locationByBusinessUnit gives its deals that unit's default", async () => {
    const germany = 'b0c05e11-0000-4000-8000-00000000de02';
    world = await startWorld('dynamics', { sync: { locationByBusinessUnit: { 'contoso germany': 'loc-de-munich' } } });
    const store = world.set.dataverse.store;
    store.insert('businessunit', { name: 'Contoso Germany' }, germany);
    store.update('systemuser', SELLER_USER_ID, { _businessunitid_value: germany, '_businessunitid_value@target': 'businessunit' });
    const deal = await world.seller.createDeal(dealSpec('German unit deal by name'));
    await world.syncToQuiet();
    assert.equal(referralOf(world, (await world.seller.read(deal)).referralId!).locationId, 'loc-de-munich');
  });
});
