/**
 * `cosell check` reports the Partner Center role and location scope of the signed-in account, and warns
 * when deals will be invisible to the connector (issue 19 item 2): through the real binary, against the
 * sandboxes, once signed in as the Referrals admin and once as a Referrals user scoped to one location,
 * with each CRM (the check's other lines differ by CRM; the access line must be there with both).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loginPartnerCenter } from '../../connectors/partner-center/index.js';
import { SANDBOX_USERS } from '../../sandbox/entra/seed.js';
import type { CrmKind } from '../../sandbox/world.js';
import { cosell, startCliWorld, type CliWorld } from '../helpers/cli.js';

const accessLine = (stdout: string) => stdout.split('\n').find((line) => line.includes('Partner Center role and scope')) ?? '';

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) describe(`cosell check: Partner Center role and location scope (the real binary, ${kind})`, function () {
  this.timeout(120_000);
  let world: CliWorld;

  before(async () => {
    world = await startCliWorld(kind);
  });
  after(async () => world?.close());

  it('prints the Referrals admin role and the all-locations scope, without a warning', async () => {
    const result = await world.cli(['check']);
    const line = accessLine(result.stdout);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(line, /admin@contoso-partner\.example at Contoso Partner: Referrals admin/);
    assert.match(line, /scope: all locations \(loc-us-redmond, loc-de-munich, loc-jp-tokyo\)/);
    assert.doesNotMatch(line, /WARNING/);
  });

  it('warns that deals of other locations and teams are invisible for a Referrals user scoped to one location', async () => {
    const tokenCachePath = join(world.runtime.config.store.path, '..', 'seller.cache');
    await loginPartnerCenter(
      { ...world.runtime.config.partnerCenter, tokenCachePath },
      { onPrompt: (prompt) => void world.set.entra.approveDeviceCode(prompt.userCode, SANDBOX_USERS.seller.username) },
    );
    const configFile = world.configVariant('seller', (c) => ({ ...c, partnerCenter: { ...c.partnerCenter, tokenCachePath } }));
    const asSeller = await cosell(['-c', configFile, 'check']);
    // The connector still works for the deals the user sees: a warning, not a failed check.
    assert.equal(asSeller.code, 0, asSeller.stdout + asSeller.stderr);
    const line = accessLine(asSeller.stdout);
    assert.match(line, /sam@contoso-partner\.example at Contoso Partner: Referrals user; scope: loc-us-redmond\./);
    assert.match(line, /WARNING: deals will be invisible to the connector: every deal in loc-de-munich, loc-jp-tokyo, and every deal whose team does not include this user/);
  });
});
