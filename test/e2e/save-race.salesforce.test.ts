/**
 * A seller's Salesforce save that commits while the connector writes the same opportunity, between the
 * Composite call's PATCH and its read after ('save' and 'after', connectors/salesforce/checked-patches.ts): the
 * read after holds the seller's edit too. Until 2026-12-06 that row's version was stored as the connector's
 * echo, so the next run skipped the record and the seller's edit never reached Partner Center (a silent lost
 * change). Now the row after is the connector's own only if it is the row before with the values sent
 * applied (connectors/salesforce/own-save.ts); otherwise the record is read again next run.
 */
import assert from 'node:assert/strict';
import { OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import { startWorld, type World } from '../../sandbox/world.js';
import { referralOf, unwrap } from './lifecycle.suite.js';

describe('a seller save between the connector\'s PATCH and its read after is not taken for the echo (Salesforce)', function () {
  this.timeout(120_000);
  let world: World;
  beforeEach(async () => {
    world = await startWorld('salesforce');
  });
  afterEach(async () => world.close());

  it('the seller\'s notes reach Partner Center within the next runs, then quiet', async () => {
    const sent = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Fabrikam', notes: 'Notes from Partner Center' } }));
    await world.syncToQuiet();
    const [crmId] = await world.seller.recordsForReferral(sent.id);
    const { store, seller } = world.set.salesforce;
    let raced = 0;
    store.afterCompositeSubrequest = (method, path, referenceId) => {
      // Once, right after the connector's collection PATCH of the opportunity: the seller saves the notes.
      if (raced > 0 || method !== 'PATCH' || referenceId !== 'save' || !path.endsWith('/composite/sobjects')) return;
      raced += 1;
      const result = seller.editOpportunity(crmId!, { Description: 'Seller notes, saved mid-write' });
      assert.ok(result.ok, JSON.stringify(result));
    };
    unwrap(world.set.partnerCenter.service.change(OUR_PARTNER_ORG, sent.id, (json) => ({ ok: true, value: { ...json, name: 'Fabrikam expansion' } })));
    const runs = await world.syncToQuiet(undefined, 6);
    assert.equal(raced, 1, 'the seller saved between the PATCH and the read after it');
    assert.ok(runs.length <= 3, `quiet within two runs that write: ${runs.map((r) => r.writes).join(', ')}`);
    const referral = referralOf(world, sent.id);
    assert.equal(referral.name, 'Fabrikam expansion', "Partner Center's change reached Salesforce");
    assert.equal(referral.details?.notes, 'Seller notes, saved mid-write', "the seller's edit reached Partner Center");
    assert.equal((await world.seller.read(crmId!)).name, 'Fabrikam expansion');
    for (const n of [1, 2]) assert.equal((await world.sync()).writes, 0, `run ${n} after quiet writes nothing`);
  });
});
