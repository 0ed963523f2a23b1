/**
 * Issue 15, "Done when": with `cosell serve` running against the sandbox and the backstop poll at 60
 * minutes, a referral Microsoft sends through the sandbox arrives in the CRM through the webhook — a
 * targeted sync, not the poll — for both CRMs. The delay is measured and printed (speed goals are
 * asserted by the bench, not by tests).
 */
import assert from 'node:assert/strict';
import { waitFor } from '../helpers/cli.js';
import { deliver, referralEvent, startServeWorld, type ServeWorld } from './serve-world.js';

for (const kind of ['salesforce', 'dynamics'] as const) {
  describe(`cosell serve: a referral from Microsoft reaches ${kind} through the webhook`, function () {
    this.timeout(120_000);
    let sw: ServeWorld;
    before(async () => {
      sw = await startServeWorld(kind, { pollIntervalMinutes: 60 });
    });
    after(async () => sw?.close());

    it('creates the opportunity through a targeted sync, without waiting for the poll', async () => {
      const service = sw.service.context.service;
      const pollsBefore = service.history.filter((r) => r.kind === 'poll').length;
      const started = Date.now();
      const sent = sw.world.microsoft.sendReferral({ deal: { dealName: `Webhook ${kind} deal` } });
      assert.ok(sent.ok);
      const referralId = sent.value.id;
      let records: string[] = [];
      await waitFor(async () => (records = await sw.world.seller.recordsForReferral(referralId)).length > 0, 60_000, `the referral ${referralId} in ${kind}`);
      const delayMs = Date.now() - started;
      process.stdout.write(`      ${kind}: Microsoft's referral was in the CRM ${delayMs} ms after it was sent (through the webhook)\n`);
      assert.equal(records.length, 1);
      await service.idle();
      const targeted = service.history.filter((r) => r.kind === 'targeted');
      assert.ok(targeted.some((r) => r.outcome === 'ok' && (r.counts.crmCreated ?? 0) === 1), 'a targeted sync created the opportunity');
      // The related-referral event (Microsoft's own side) asks for a poll; it finds the record already linked.
      const polls = service.history.filter((r) => r.kind === 'poll').slice(pollsBefore);
      assert.ok(polls.every((r) => (r.counts.crmCreated ?? 0) === 0), 'no poll created it (again)');
      const view = await sw.world.seller.read(records[0]!);
      assert.equal(view.referralId, referralId);
      // The CRM's remaining API allowance, as its last answer said, is in the metrics.
      const metrics = (await service.metrics.text()).body;
      assert.match(metrics, new RegExp(`cosell_api_budget_remaining\\{tenant="default",service="${kind === 'salesforce' ? 'salesforce' : 'dynamics-365'}"\\} \\d+`));
      assert.match(metrics, /cosell_inbound_lag_seconds_count\{tenant="default"\} [1-9]/);
    });

    it('a burst of events for one referral is coalesced and creates nothing twice', async () => {
      const service = sw.service.context.service;
      const sent = sw.world.microsoft.sendReferral({ deal: { dealName: `Burst ${kind} deal` } });
      assert.ok(sent.ok);
      await waitFor(async () => (await sw.world.seller.recordsForReferral(sent.value.id)).length > 0, 60_000, 'the referral in the CRM');
      await service.idle();
      const before = service.history.length;
      // Five updates of one referral announced at once (distinct dates, so none is a replay).
      const answers = await Promise.all([1, 2, 3, 4, 5].map((i) => deliver(sw, referralEvent(sw, sent.value.id, 'referral-updated', i))));
      assert.deepEqual(answers.map((a) => a.status), [200, 200, 200, 200, 200]);
      await service.idle();
      const targeted = service.history.slice(before).filter((r) => r.kind === 'targeted');
      process.stdout.write(`      ${kind}: 5 events for one referral took ${targeted.length} targeted sync(s)\n`);
      assert.ok(targeted.length >= 1 && targeted.every((r) => r.outcome === 'ok' && (r.counts.crmCreated ?? 0) === 0));
      assert.equal((await sw.world.seller.recordsForReferral(sent.value.id)).length, 1);
    });
  });
}
