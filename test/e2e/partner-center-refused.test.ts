/**
 * The Partner Center sign-in revoked ("Revoke sessions" in Entra ID) while sellers keep editing in the CRM:
 * every run fails until an administrator signs in again, which can take days. Until 2026-12-06 only a
 * Partner Center that did not answer was an outage: a record edited while the sign-in was refused kept
 * saying "synced" for as long as it lasted, though its change had not gone. It now says its changes wait
 * and why, once, and says "synced" again after the new sign-in has sent them. Real sandboxes, real engine.
 */
import assert from 'node:assert/strict';
import { loginPartnerCenter } from '../../connectors/partner-center/index.js';
import { SANDBOX_USERS } from '../../sandbox/entra/seed.js';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';
import { referralOf, unwrap } from './lifecycle.suite.js';

const HOUR = 3_600_000;

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) {
  describe(`Partner Center sign-in revoked while sellers edit (${kind})`, function () {
    this.timeout(120_000);
    let world: World;
    beforeEach(async () => {
      world = await startWorld(kind, { fastRetries: true });
    });
    afterEach(async () => world.close());

    it('the edited record does not say synced while its change cannot go; after a new sign-in it goes and the record says synced', async () => {
      const sent = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Adatum renewal', value: 10_000 } }));
      await world.syncToQuiet();
      const [crmId] = await world.seller.recordsForReferral(sent.id);
      world.set.entra.state.revoke(SANDBOX_USERS.admin.username);
      // The access token in hand runs out (an hour): Partner Center answers 401 and the refresh is refused.
      world.set.clock.advance(2 * HOUR);
      await world.seller.edit(crmId!, { value: 12_345 });

      const refused = await world.sync();
      assert.equal(refused.outcome, 'failed');
      assert.equal(refused.errorCode, 'auth_failed', refused.message);
      const waiting = await world.seller.read(crmId!);
      assert.equal(waiting.syncState, 'pending', `the record must not say synced while its change cannot go: ${waiting.syncMessage}`);
      assert.match(waiting.syncMessage ?? '', /^Not sent to Partner Center yet: Partner Center has refused the connector's sign-in since .*an administrator/);
      world.set.clock.advance(5 * 60_000);
      assert.equal((await world.sync()).writes, 0, 'told once');

      await loginPartnerCenter(world.runtime.config.partnerCenter, { onPrompt: (prompt) => void world.set.entra.approveDeviceCode(prompt.userCode, SANDBOX_USERS.admin.username) });
      world.set.clock.advance(5 * 60_000);
      await world.syncToQuiet();
      assert.equal(referralOf(world, sent.id).details?.dealValue, 12_345);
      assert.equal((await world.seller.read(crmId!)).syncState, 'synced');
    });
  });
}
