/**
 * A referral Partner Center cannot serve by ID (its GET answers 500, whatever the cause) keeps failing the
 * targeted sync its webhook asked for (its own retries: targeted-batch.test.ts), and the poll must still
 * run: it lists the changes instead of reading that referral, so every other referral still
 * arrives, and readiness says what failed. (Until 2026-12-05 the worker retried the targeted sync every 10 s
 * and never reached the poll on its timer: one such referral stopped the whole service.)
 */
import assert from 'node:assert/strict';
import { waitFor } from '../helpers/cli.js';
import { startServeWorld, type ServeWorld } from './serve-world.js';

describe('cosell serve: a referral whose targeted sync keeps failing', function () {
  this.timeout(120_000);
  let sw: ServeWorld;
  before(async () => {
    // A poll every 3 seconds, so that the test sees the timer's polls.
    sw = await startServeWorld('salesforce', { pollIntervalMinutes: 0.05 });
  });
  after(async () => {
    sw?.world.set.partnerCenter.faults.configure(undefined);
    await sw?.close();
  });

  it('does not stop the backstop poll: the other referrals still reach the CRM', async () => {
    const service = sw.service.context.service;
    const pc = sw.world.set.partnerCenter;
    const poison = sw.world.microsoft.sendReferral({ deal: { dealName: 'Unreadable by ID' } });
    assert.ok(poison.ok);
    // From now on Partner Center answers this referral's GET with 500; its list still shows it.
    pc.faults.configure({ rate: 1, kinds: { 'server-error': 1 }, match: `^GET /v1\\.0/engagements/referrals/${poison.value.id}$` });
    await waitFor(async () => service.history.some((r) => r.kind === 'targeted' && r.outcome === 'failed'), 60_000, 'a failed targeted sync');
    const pollsAfterFailure = () => service.history.slice(service.history.findIndex((r) => r.kind === 'targeted' && r.outcome === 'failed')).filter((r) => r.kind === 'poll');
    const other = sw.world.microsoft.sendReferral({ deal: { dealName: 'Sent after the failure' } });
    assert.ok(other.ok);
    await waitFor(async () => (await sw.world.seller.recordsForReferral(other.value.id)).length > 0, 60_000, 'the other referral in the CRM');
    await waitFor(async () => pollsAfterFailure().some((r) => r.outcome === 'ok'), 30_000, 'a poll after the failed targeted sync');
  });
});
