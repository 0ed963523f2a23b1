/**
 * A deal the connector cannot send shows every reason at once, the fields it cannot map and the Partner
 * Center rules it breaks. Until 2026-12-05 a mapping problem (an account country that is not an ISO code)
 * hid the rules: the record named only the country, and once the seller fixed it, the next sync named a
 * second fix (no solution) the connector had known all along. Both CRMs.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { startWorld, type CrmKind } from '../../sandbox/world.js';

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) describe(`every reason on the record (${kind}, end to end)`, function () {
  this.timeout(120_000);

  it('names the unmappable country and the missing solution together, then syncs once both are fixed', async () => {
    const world = await startWorld(kind);
    try {
      const spec = dealSpec('Two things wrong');
      const crmId = await world.seller.createDeal({ ...spec, customer: { ...spec.customer, country: 'XX' }, solutions: [] });
      await world.syncToQuiet();
      const refused = await world.seller.read(crmId);
      assert.equal(refused.syncState, 'error');
      assert.match(refused.syncMessage ?? '', /country\.not_iso/);
      assert.match(refused.syncMessage ?? '', /create\.solution\.required/, `the rule is named beside the mapping problem: ${refused.syncMessage}`);
      assert.equal(refused.referralId, undefined);

      await world.seller.editAccount(crmId, { country: 'US' });
      await world.seller.addSolution(crmId, { id: 'SOL-1234-PQRS', kind: 'own' });
      await world.syncToQuiet();
      const synced = await world.seller.read(crmId);
      assert.equal(synced.syncState, 'synced', synced.syncMessage);
      assert.ok(synced.referralId);
    } finally {
      await world.close();
    }
  });
});
