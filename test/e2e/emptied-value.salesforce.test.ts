/**
 * A seller empties the Amount of a synced opportunity, then closes it as won. Seen in the walk: the
 * emptied Amount read as no opinion, so the deal was won in Partner Center with its old value while the
 * record showed no Amount and said synced. A deal keeps its estimated value ("Estimated value |
 * Mandatory"): the record now says what is wrong and what to do, nothing is sent until the seller enters
 * a value, and then the win and the value reach Partner Center together.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { startWorld, type World } from '../../sandbox/world.js';
import { referralOf } from './lifecycle.suite.js';

describe('an emptied Amount, end to end on Salesforce', function () {
  this.timeout(120_000);
  let world: World;
  beforeEach(async () => {
    world = await startWorld('salesforce');
  });
  afterEach(async () => world.close());

  it('a deal closed as won without a value is not sent until the seller enters one; never "synced" while the values differ', async () => {
    const crmId = await world.seller.createDeal(dealSpec('Won without value'));
    await world.syncToQuiet();
    const referralId = (await world.seller.read(crmId)).referralId!;
    const before = referralOf(world, referralId).details?.dealValue;
    assert.ok(typeof before === 'number' && before > 0);

    assert.ok(world.set.salesforce.seller.editOpportunity(crmId, { Amount: null }).ok);
    await world.seller.win(crmId);
    await world.syncToQuiet();
    const refused = await world.seller.read(crmId);
    assert.equal(refused.syncState, 'error');
    assert.match(refused.syncMessage ?? '', /Partner Center requires an estimated value and does not let it be emptied; it keeps \d+ USD\. Enter the deal.s value again\. \[format\.value_positive\]/);
    assert.equal(referralOf(world, referralId).substatus, 'Accepted', 'not won in Partner Center without a value');
    assert.equal(referralOf(world, referralId).details?.dealValue, before);

    await world.seller.edit(crmId, { value: 42_000 });
    const reports = await world.syncToQuiet();
    assert.equal(reports.at(-1)!.writes, 0, 'the last sync writes nothing');
    assert.equal(referralOf(world, referralId).substatus, 'Won');
    assert.equal(referralOf(world, referralId).details?.dealValue, 42_000);
    assert.equal((await world.seller.read(crmId)).syncState, 'synced');
  });
});
