/**
 * The serve's lag metric (`cosell_inbound_lag_seconds`) hears of every Partner Center change a poll writes to
 * the CRM. Until 2026-12-06 only webhook-triggered syncs observed it, so referrals the backstop poll brought
 * (the slowest ones) were missing from it (and serve-cli's metrics test failed when the poll won the race).
 */
import assert from 'node:assert/strict';
import { fakeWorld } from '../../helpers/fake-world.js';
import { crmMadeDeal } from '../../helpers/fake-linked-deal.js';
import { inboundFromMicrosoft } from '../../helpers/referrals.js';

describe('a run tells each Partner Center change it wrote to the CRM (the lag metric)', () => {
  it("tells a new referral's and a changed referral's updatedAt once written, and nothing for the CRM's own changes", async () => {
    let told: string[] = [];
    const { crm, pc, sync: once, advance } = fakeWorld({ policy: 'newest-wins', onPartnerCenterChangeWritten: (updatedAt) => told.push(updatedAt) });
    const sync = async () => {
      advance(60_000);
      told = [];
      return once();
    };

    const inbound = pc.receive(inboundFromMicrosoft({ referralId: undefined, crmId: undefined }));
    await sync();
    assert.deepEqual(told, [inbound.updatedAt], 'the new referral, written to the CRM');
    await sync();
    await sync();
    assert.deepEqual(told, [], 'an idle run tells nothing');

    const changed = pc.actAs(inbound.referralId!, (r) => ({ ...r, notes: 'Microsoft: meeting booked' }));
    await sync();
    assert.deepEqual(told, [changed.updatedAt], 'a change Partner Center made, written to the CRM');

    const crmId = crm.add(crmMadeDeal());
    await sync();
    assert.ok(crm.records.get(crmId)!.status?.referralId, 'the outbound deal was created in Partner Center');
    await sync();
    assert.deepEqual(told, [], "the CRM's own deal and the echo of its create are no Partner Center change");
  });
});
