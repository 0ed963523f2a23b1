/**
 * The model's newer parts at work, on one small world: a webhook's targeted sync (webhook.ts), the admin
 * who settles conflicts under the manual policy (admin.ts), and the invariant that holds the conflicts list
 * and the records to each other (invariants.ts).
 */
import assert from 'node:assert/strict';
import { startWorld } from '../../sandbox/world.js';
import { settleOpenConflict } from './admin.js';
import { checkInvariants, TerminalWatch } from './invariants.js';
import { recentlyChanged, webhookSync } from './webhook.js';

describe('the model-based test: webhooks, conflicts and their invariant (salesforce)', function () {
  this.timeout(120_000);

  it('a webhook syncs a new referral at once; an open conflict both sides agree on breaks the invariant; the admin settles it', async () => {
    const world = await startWorld('salesforce', { sync: { conflictPolicy: 'manual' } });
    try {
      assert.ok(world.microsoft.sendReferral({ deal: { dealName: 'Webhook deal' } }).ok);
      const [referralId] = recentlyChanged(world, 1);
      assert.match(await webhookSync(world, [referralId!]), /targeted sync ok/);
      const [crmId] = await world.seller.recordsForReferral(referralId!);
      assert.ok(crmId, 'the targeted sync made the CRM record');
      const reports = await world.syncToQuiet();
      const check = () => checkInvariants(world, reports, new TerminalWatch(), new Map(), 'test');
      await check();

      // A conflict left open though both sides hold the same customer name: nothing for an admin to settle.
      const link = world.runtime.store.getLinkByCrmId(crmId)!;
      world.runtime.store.addConflict({ crmId, referralId: referralId!, fields: ['customer.name'], base: link.base, crm: link.base, partnerCenter: link.base, detectedAt: world.set.clock.iso() });
      await assert.rejects(check, /still open .* though both sides agree/);

      const first = <T>(items: readonly T[]) => items[0]!;
      assert.match(await settleOpenConflict(world, first), /settles conflict \d+ \(customer.name on .*\) for crm/);
      assert.deepEqual(world.runtime.store.listConflicts(), []);
      await check();
      // The engine closes such a conflict by itself at its next sync (core/engine/pair-decide.ts).
      world.runtime.store.addConflict({ crmId, referralId: referralId!, fields: ['customer.name'], base: link.base, crm: link.base, partnerCenter: link.base, detectedAt: world.set.clock.iso() });
      await checkInvariants(world, await world.syncToQuiet(), new TerminalWatch(), new Map(), 'test');
    } finally {
      await world.close();
    }
  });
});
