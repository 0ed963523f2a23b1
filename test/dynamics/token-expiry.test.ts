/**
 * A Dataverse access token lives about an hour. msal keeps it until near its expiry by this machine's
 * clock, so Dataverse can refuse one msal still holds (it expired early, or the machine's clock is behind):
 * 401 "The access token has expired". Until 2026-12-06 the client sent the same token again on every call,
 * and each turn of `cosell run` failed, naming the environment URL as the thing to check, until msal's own
 * expiry. Now it gets a new token once and repeats the call. The sandbox moves its clock two hours on
 * (Dataverse checks expiry by its clock, as Entra ID dates the token by it).
 */
import assert from 'node:assert/strict';
import { unwrap } from '../e2e/lifecycle.suite.js';
import { startWorld, type World } from '../../sandbox/world.js';

describe('Dynamics 365: a Dataverse token that expired while msal still holds it', function () {
  this.timeout(120_000);
  let world: World;
  before(async () => {
    world = await startWorld('dynamics');
  });
  after(async () => world?.close());

  it('is replaced once and the run goes on: the referral sent meanwhile reaches Dynamics 365', async () => {
    assert.equal((await world.sync()).outcome, 'ok');
    world.set.clock.advance(2 * 3_600_000);
    const sent = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Sent two hours later' } }));
    const report = await world.sync();
    assert.equal(report.outcome, 'ok', report.message);
    assert.ok(world.runtime.store.getLinkByReferralId(sent.id), 'the referral reached Dynamics 365');
  });
});
