/**
 * `cosell_inbound_lag_seconds` ("Seconds from Partner Center's updatedDateTime of a referral to its write
 * in the CRM") counts, for a targeted sync, only the referrals it wrote to the CRM: one announced referral
 * the CRM already has as it is adds no sample, even when another referral of the same batch is written.
 */
import assert from 'node:assert/strict';
import { registrationClientFor } from '../../core/serve/registration.js';
import { waitFor } from '../helpers/cli.js';
import { startServeWorld, type ServeWorld } from './serve-world.js';

const lagCount = async (sw: ServeWorld) => {
  const text = (await sw.service.context.service.metrics.text()).body;
  return Number(/cosell_inbound_lag_seconds_count\{tenant="default"\} (\d+)/.exec(text)?.[1] ?? 0);
};

describe('cosell serve: the lag of a targeted sync', function () {
  this.timeout(120_000);
  let sw: ServeWorld;
  before(async () => {
    sw = await startServeWorld('salesforce', { pollIntervalMinutes: 60 });
  });
  after(async () => sw?.close());

  it('observes the referral written, not the one of the same batch the CRM already had', async () => {
    const service = sw.service.context.service;
    const synced = sw.world.microsoft.sendReferral({ deal: { dealName: 'Lag already synced' } });
    assert.ok(synced.ok);
    await waitFor(async () => (await sw.world.seller.recordsForReferral(synced.value.id)).length > 0, 60_000, 'the first referral in the CRM');
    await service.idle();
    // From here the test announces the referrals itself, both at once: one targeted sync takes them together.
    assert.ok(await registrationClientFor(sw.world.runtime.config).unregister());
    const fresh = sw.world.microsoft.sendReferral({ deal: { dealName: 'Lag fresh' } });
    assert.ok(fresh.ok);
    const before = await lagCount(sw);
    const targetedBefore = service.history.filter((r) => r.kind === 'targeted').length;

    service.referralAnnounced(synced.value.id, Date.now());
    service.referralAnnounced(fresh.value.id, Date.now());
    await service.idle();

    const targeted = service.history.filter((r) => r.kind === 'targeted').slice(targetedBefore);
    assert.equal(targeted.length, 1, 'one targeted sync took both');
    assert.equal(targeted[0]!.counts.crmCreated, 1);
    assert.equal((await sw.world.seller.recordsForReferral(fresh.value.id)).length, 1);
    assert.equal(await lagCount(sw), before + 1, 'one sample: the referral written');
  });
});
