/**
 * Issue 15, "Done when": a POST with a wrong signature, an unknown certificate host, or an event older
 * than the bound (a replay of a captured delivery included) is refused with 401/409 and changes nothing —
 * no work queued, no run, nothing in the CRM — while a correctly signed event in either signature form is
 * taken, and Partner Center's retry of an event already taken is acknowledged (200) without a second sync.
 */
import assert from 'node:assert/strict';
import { createSigningIdentity, signBody } from '../../sandbox/partner-center/webhooks/certificate.js';
import { waitFor } from '../helpers/cli.js';
import { deliver, referralEvent, startServeWorld, type Delivery, type ServeWorld } from './serve-world.js';
import { registrationClientFor } from '../../core/serve/registration.js';

describe('cosell serve: webhook deliveries that are refused change nothing', function () {
  this.timeout(120_000);
  let sw: ServeWorld;
  let referralId: string;

  before(async () => {
    sw = await startServeWorld('salesforce');
    // Without a registration the sandbox delivers nothing itself: every event below is ours to craft.
    await registrationClientFor(sw.world.runtime.config).unregister();
    const sent = sw.world.microsoft.sendReferral({ deal: { dealName: 'Unannounced deal' } });
    assert.ok(sent.ok);
    referralId = sent.value.id;
  });
  after(async () => sw?.close());

  async function assertRefused(delivery: Delivery, status: number, code: string): Promise<void> {
    const service = sw.service.context.service;
    const runs = service.history.length;
    const inCrm = await sw.world.seller.recordsForReferral(referralId);
    const answer = await deliver(sw, delivery);
    assert.equal(answer.status, status, JSON.stringify(answer.body));
    assert.equal(answer.body.error?.code, code);
    await service.idle();
    assert.equal(service.queue.size, 0, 'nothing queued');
    assert.equal(service.history.length, runs, 'no run');
    assert.deepEqual(await sw.world.seller.recordsForReferral(referralId), inCrm, 'nothing new in the CRM');
    const metrics = (await service.metrics.text()).body;
    assert.match(metrics, new RegExp(`cosell_webhook_events_total\\{tenant="default",result="refused",reason="${code}"\\} [1-9]`));
  }

  it('refuses a missing signature with 401', async () => {
    const delivery = referralEvent(sw, referralId);
    delete delivery.headers.authorization;
    await assertRefused(delivery, 401, 'signature_missing');
  });

  it('refuses a signature made with another key with 401', async () => {
    const delivery = referralEvent(sw, referralId);
    delivery.headers.authorization = `Signature ${signBody(delivery.body, createSigningIdentity())}`;
    await assertRefused(delivery, 401, 'signature_invalid');
  });

  it('refuses a body changed after signing with 401', async () => {
    const delivery = referralEvent(sw, referralId);
    delivery.body = delivery.body.replace('referral-updated', 'referral-created');
    await assertRefused(delivery, 401, 'signature_invalid');
  });

  it('refuses a certificate URL on a host that is not allow-listed with 401, without fetching it', async () => {
    const pc = sw.world.set.partnerCenter;
    const before = pc.counters.total();
    const delivery = referralEvent(sw, referralId);
    // The same certificate, served by the same sandbox, under a host name the config does not list.
    delivery.headers['x-ms-certificate-url'] = `${pc.url.replace('127.0.0.1', 'localhost')}/webhooks/v1/certificate`;
    await assertRefused(delivery, 401, 'certificate_refused');
    assert.equal(pc.counters.total(), before);
  });

  it('refuses an event older than the bound with 409', async () => {
    const delivery = referralEvent(sw, referralId, 'referral-updated', 0, { changedAt: new Date(sw.world.set.clock.nowMs() - 2 * 3_600_000) });
    await assertRefused(delivery, 409, 'replay');
  });

  it("acknowledges Partner Center's retry of an event already taken with 200 and syncs it once (x-ms-signature form)", async () => {
    const delivery = referralEvent(sw, referralId, 'referral-created', 1, { msHeader: true });
    const first = await deliver(sw, delivery);
    assert.equal(first.status, 200);
    await waitFor(async () => (await sw.world.seller.recordsForReferral(referralId)).length === 1, 60_000, 'the referral in the CRM');
    const service = sw.service.context.service;
    await service.idle();
    const runs = service.history.length;
    // Partner Center did not get the first answer (a timeout, a dropped connection): it sends the same
    // signed event again, and counts anything but a 2xx as a failed attempt to retry.
    const retry = await deliver(sw, delivery);
    assert.equal(retry.status, 200, JSON.stringify(retry.body));
    assert.deepEqual(retry.body, { accepted: true, duplicate: true, action: 'none' });
    assert.equal(service.queue.size, 0, 'nothing queued for the retry');
    await service.idle();
    assert.equal(service.history.length, runs, 'no run for the retry');
    assert.equal((await sw.world.seller.recordsForReferral(referralId)).length, 1);
    assert.match((await service.metrics.text()).body, /cosell_webhook_events_total\{tenant="default",result="duplicate",reason=""\} 1/);
  });

  it('refuses the same signed event replayed once it is older than the bound with 409', async () => {
    const delivery = referralEvent(sw, referralId, 'referral-updated', 2);
    assert.equal((await deliver(sw, delivery)).status, 200);
    await sw.service.context.service.idle();
    sw.world.set.clock.advance(61 * 60_000);
    try {
      await assertRefused(delivery, 409, 'replay');
    } finally {
      sw.world.set.clock.advance(-61 * 60_000);
    }
  });
});
