/**
 * The connector's create intent for a referral ('crm': a CRM record to be made from it) names the referral,
 * not a record: it vouches only for the record the connector made, which carries the referral's deal and
 * customer names. A seller's other deal that types the referral's ID while that create is refused or
 * unfinished is a claim like any other (binding.ts): parked for `cosell link`, never bound. Until
 * 2026-12-06 (the day the intent began to count in the CRM phase) such a deal was linked to the referral.
 */
import assert from 'node:assert/strict';
import type { Referral } from '../../../core/model/index.js';
import type { FakeCrm } from '../../helpers/fake-crm.js';
import { fakeWorld, type FakeWorld } from '../../helpers/fake-world.js';
import { crmMadeDeal } from '../../helpers/fake-linked-deal.js';
import { inboundFromMicrosoft } from '../../helpers/referrals.js';

const MINUTE = 60_000;

/** A referral whose CRM create the org refuses, synced once: the referral is parked and its create intent kept. */
async function refusedCreate() {
  const world = fakeWorld({ policy: 'newest-wins' });
  const referral = inboundFromMicrosoft({ updatedAt: world.iso() });
  world.pc.referrals.set(referral.referralId!, referral);
  world.crm.refuse = (write) => (write.kind === 'create' ? { field: 'dealName', rule: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Refused by a rule' } : undefined);
  world.advance(MINUTE);
  await world.sync();
  return { ...world, referral };
}

/** A seller types the referral's ID into a deal of their own: that deal's CRM ID. */
function dealTypingId(crm: FakeCrm, referral: Referral): string {
  const typed = crm.add(crmMadeDeal({ dealName: 'Another deal entirely', customer: { ...referral.customer, name: 'Another customer' } }));
  crm.records.get(typed)!.status = { state: 'pending', message: '', referralId: referral.referralId! };
  return typed;
}

/** The typed deal is parked for `cosell link`, not linked, and made no referral; the referral waits for its own record. */
function parkedNotLinked({ pc, store }: FakeWorld, typed: string, referral: Referral): void {
  assert.notEqual(store.getLinkByCrmId(typed)?.referralId, referral.referralId, 'the typed deal is not linked to the referral');
  assert.equal(store.getLinkByReferralId(referral.referralId!), undefined, 'the referral waits for its own record');
  assert.ok(store.getParked('crm', typed)?.reasons.some((r) => r.code === 'binding.unconfirmed'), 'the typed deal is parked for cosell link');
  assert.deepEqual([...pc.referrals.keys()], [referral.referralId], 'no referral made for the typed deal');
}

describe("a seller's deal naming a referral whose CRM create the connector has not finished", () => {
  it('is parked, not linked, when it is another deal', async () => {
    const world = await refusedCreate();
    const { crm, store, sync, advance, referral } = world;
    assert.ok(store.getIntent('crm', referral.referralId!), 'the create intent is kept');

    const typed = dealTypingId(crm, referral);
    advance(MINUTE);
    await sync();

    parkedNotLinked(world, typed, referral);
  });

  it('is parked, not linked, when Partner Center changed the referral meanwhile (its phase meets the claim first)', async () => {
    const world = await refusedCreate();
    const { crm, pc, store, sync, advance, iso, referral } = world;
    assert.ok(store.getIntent('crm', referral.referralId!), 'the create intent is kept');

    const typed = dealTypingId(crm, referral);
    // Microsoft edits the referral: the Partner Center phase reads it and finds the typed deal carrying its ID.
    advance(MINUTE);
    pc.referrals.set(referral.referralId!, { ...pc.referrals.get(referral.referralId!)!, notes: 'Updated by Microsoft', updatedAt: iso() });
    advance(MINUTE);
    await sync();

    parkedNotLinked(world, typed, referral);
  });
});
