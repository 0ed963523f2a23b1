/**
 * A Salesforce org set up by an older connector, synced by this one before anyone ran `cosell setup
 * salesforce` again: the sync-state picklist lacks `closed`, so the record's status write is refused. The
 * record is parked with a message that names the missing value and the fix (it used to show Salesforce's
 * "bad value for restricted picklist field" only), and once setup has added the value the parked record's
 * retry writes the state, with no edit by anyone.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { OUR_PARTNER_ORG } from '../../sandbox/partner-center/organizations.js';
import { startWorld, type World } from '../../sandbox/world.js';
import { F } from '../../mappings/custom-fields.salesforce.js';
import { unwrap } from '../e2e/lifecycle.suite.js';

const MINUTE = 60_000;
const OLDER_STATES = ['synced', 'pending', 'error', 'conflict', 'held', 'orphaned'];

describe('Salesforce: syncing an org whose picklist an older connector made, before setup runs again', function () {
  this.timeout(120_000);
  let world: World;
  afterEach(async () => world?.close());

  it('parks the record naming the missing value and `cosell setup salesforce`; after setup the retry writes the state', async () => {
    world = await startWorld('salesforce');
    const def = world.set.salesforce.store.object('Opportunity')!;
    const field = def.fields.get(F.syncState.toLowerCase())!;
    def.fields.set(F.syncState.toLowerCase(), { ...field, picklist: OLDER_STATES });

    const crmId = await world.seller.createDeal(dealSpec('Won before the upgrade', { share: true, stage: 'Qualified' }));
    await world.syncToQuiet();
    const referralId = (await world.seller.read(crmId)).referralId!;
    world.set.clock.advance(MINUTE);
    unwrap(world.set.partnerCenter.service.change(OUR_PARTNER_ORG, referralId, (json) => ({ ok: true, value: { ...json, status: 'Closed', substatus: 'Won' } })));
    await world.syncToQuiet();
    world.set.clock.advance(MINUTE);
    await world.seller.edit(crmId, { value: 99_000 });

    await world.syncToQuiet();
    const refused = await world.seller.read(crmId);
    assert.equal(refused.syncState, 'error');
    assert.match(refused.syncMessage ?? '', /Cosell_Sync_State__c: no value "closed" \(set up by an older connector\): run `cosell setup salesforce`/);
    assert.equal(world.runtime.store.listParked().length, 1);

    const setup = await world.runtime.crm.setup();
    assert.deepEqual(setup.updated?.filter((f) => f.startsWith('Opportunity.')), ['Opportunity.Cosell_Sync_State__c (+closed)']);
    world.set.clock.advance(11 * MINUTE);
    await world.syncToQuiet();
    const after = await world.seller.read(crmId);
    assert.equal(after.syncState, 'closed', after.syncMessage);
    assert.match(after.syncMessage ?? '', /^Closed in Partner Center, not sent: Amount\./);
    assert.equal(world.runtime.store.listParked().length, 0, 'nothing parked once the value exists');
  });
});
