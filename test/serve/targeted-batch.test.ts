/**
 * The referrals of one targeted sync (a burst of webhook events coalesced into one batch) each succeed or
 * fail on their own: one that Partner Center cannot serve by ID (its GET answers 500) stays waiting with
 * its reason and is tried again after its own back-off, while the others of the batch reach the CRM at
 * once. (Until 2026-12-05 the whole batch failed with it, and the others waited for the next poll, 15
 * minutes by default; the poll here is an hour away, so only the targeted sync can bring them.)
 */
import assert from 'node:assert/strict';
import { registrationClientFor } from '../../core/serve/registration.js';
import { waitFor } from '../helpers/cli.js';
import { deliver, referralEvent, startServeWorld, type ServeWorld } from './serve-world.js';

describe('cosell serve: one failing referral in a targeted batch', function () {
  this.timeout(120_000);
  let sw: ServeWorld;
  before(async () => {
    sw = await startServeWorld('salesforce', { pollIntervalMinutes: 60 });
    // The events below are ours to deliver, together, so that they make one batch.
    await registrationClientFor(sw.world.runtime.config).unregister();
  });
  after(async () => {
    sw?.world.set.partnerCenter.faults.configure(undefined);
    await sw?.close();
  });

  it('syncs the other referrals of the batch now and keeps the failing one waiting with its reason', async () => {
    const service = sw.service.context.service;
    const pc = sw.world.set.partnerCenter;
    const poison = sw.world.microsoft.sendReferral({ deal: { dealName: 'Unreadable by ID' } });
    const first = sw.world.microsoft.sendReferral({ deal: { dealName: 'Same batch, first' } });
    const second = sw.world.microsoft.sendReferral({ deal: { dealName: 'Same batch, second' } });
    assert.ok(poison.ok && first.ok && second.ok);
    pc.faults.configure({ rate: 1, kinds: { 'server-error': 1 }, match: `^GET /v1\\.0/engagements/referrals/${poison.value.id}$` });
    const polls = () => service.history.filter((r) => r.kind === 'poll').length;
    const pollsBefore = polls();

    const answers = await Promise.all([poison, first, second].map((sent) => deliver(sw, referralEvent(sw, sent.ok ? sent.value.id : '', 'referral-created'))));
    assert.deepEqual(answers.map((a) => a.status), [200, 200, 200]);

    for (const sent of [first, second]) {
      const id = sent.ok ? sent.value.id : '';
      await waitFor(async () => (await sw.world.seller.recordsForReferral(id)).length === 1, 30_000, `referral ${id} in the CRM`);
    }
    assert.equal(polls(), pollsBefore, 'brought by the targeted sync, not by a poll');
    assert.deepEqual(await sw.world.seller.recordsForReferral(poison.value.id), []);
    await waitFor(async () => service.queue.failures().length > 0, 60_000, 'the targeted sync to settle its batch');
    const failures = service.queue.failures();
    assert.deepEqual(failures.map((f) => f.referralId), [poison.value.id], 'only the failing referral waits');
    assert.match(failures[0]!.failure!.reason, /500|server/i);
    assert.ok(failures[0]!.failure!.retryAtMs > Date.now() - 60_000, 'tried again after a back-off');

    // Once Partner Center serves it again, its own retry brings it.
    pc.faults.configure(undefined);
    await waitFor(async () => (await sw.world.seller.recordsForReferral(poison.value.id)).length === 1, 60_000, 'the failing referral in the CRM after its retry');
    await waitFor(() => service.queue.size === 0, 60_000, 'its retry to settle');
    assert.equal(polls(), pollsBefore, 'brought by its retry, not by a poll');
  });
});
