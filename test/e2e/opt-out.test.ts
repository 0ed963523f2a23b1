/**
 * "Sync with Partner Center" is the seller's switch for a deal, also once it is linked (seller-view
 * review): unticked, the pair is paused in both directions and the record says so; ticked again, what
 * changed on both sides meanwhile is merged and no second referral is made. Until 2026-12-05 a linked
 * deal never looked at the box (an unticked deal's edit reached Partner Center and showed "synced"), and
 * a parked one that was unticked kept its old error message. Both CRMs.
 */
import assert from 'node:assert/strict';
import { retryDelayMs } from '../../core/engine/backoff.js';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';
import { referralOf, unwrap } from './lifecycle.suite.js';

const MINUTE = 60_000;
const SYNC_OFF = /Sync with Partner Center is off for this deal.*Tick "Sync with Partner Center" to resume/;

/** Partner Center's referrals that name this CRM record: exactly one, whatever the box did. */
const referralsFor = (world: World, crmId: string) => world.set.partnerCenter.store.withExternalReferenceId(crmId);

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) describe(`unticking "Sync with Partner Center" on a linked deal (${kind}, end to end)`, function () {
  this.timeout(180_000);
  let world: World;
  beforeEach(async () => {
    world = await startWorld(kind);
  });
  afterEach(async () => {
    await world.close();
  });

  it('pauses the pair both ways and says so once; ticking it again merges both sides\' changes', async () => {
    const crmId = await world.seller.createDeal(dealSpec('Switched off deal', { share: true, helpType: 'proof-of-concept' }));
    await world.syncToQuiet();
    const referralId = (await world.seller.read(crmId)).referralId!;
    assert.ok(referralId);

    world.set.clock.advance(MINUTE);
    await world.seller.optOut(crmId);
    await world.seller.edit(crmId, { value: 777 });
    await world.sync();
    assert.equal(Number(referralOf(world, referralId).details?.dealValue), 48_000, 'the unticked deal\'s edit is not sent');
    const paused = await world.seller.read(crmId);
    assert.equal(paused.syncState, 'pending');
    assert.match(paused.syncMessage ?? '', SYNC_OFF);
    assert.equal(paused.referralId, referralId, 'the link stays');
    assert.equal((await world.sync()).writes, 0, 'the status is written once');

    world.set.clock.advance(MINUTE);
    unwrap(world.set.partnerCenter.service.change(OUR_PARTNER_ORG, referralId, (json) => ({ ok: true, value: { ...json, details: { ...json.details, notes: 'Notes from Partner Center' } } })));
    await world.syncToQuiet();
    const stillPaused = await world.seller.read(crmId);
    assert.equal(stillPaused.notes, 'Opened from the CRM', 'Partner Center\'s change is not written to the paused deal');
    assert.equal(stillPaused.value, 777);
    assert.match(stillPaused.syncMessage ?? '', SYNC_OFF);
    assert.equal(Number(referralOf(world, referralId).details?.dealValue), 48_000);

    world.set.clock.advance(MINUTE);
    await world.seller.optIn(crmId);
    await world.syncToQuiet();
    const resumed = await world.seller.read(crmId);
    assert.equal(resumed.syncState, 'synced', resumed.syncMessage);
    assert.equal(resumed.notes, 'Notes from Partner Center', 'Partner Center\'s change made while paused reaches the CRM');
    assert.equal(resumed.value, 777);
    const referral = referralOf(world, referralId);
    assert.equal(Number(referral.details?.dealValue), 777, 'the CRM\'s change made while paused reaches Partner Center');
    assert.equal(referral.details?.notes, 'Notes from Partner Center');
    assert.equal(referralsFor(world, crmId).length, 1, 'no second referral');
    assert.equal((await world.sync()).writes, 0);
  });

  it('ticked again with no CRM edit meanwhile, Partner Center\'s change made during the pause still reaches the CRM', async () => {
    const crmId = await world.seller.createDeal(dealSpec('Paused, edited in Partner Center only', { share: true, helpType: 'proof-of-concept' }));
    await world.syncToQuiet();
    const referralId = (await world.seller.read(crmId)).referralId!;
    world.set.clock.advance(MINUTE);
    await world.seller.optOut(crmId);
    await world.syncToQuiet();
    unwrap(world.set.partnerCenter.service.change(OUR_PARTNER_ORG, referralId, (json) => ({ ok: true, value: { ...json, details: { ...json.details, dealValue: 91_000 } } })));
    await world.syncToQuiet();
    assert.equal((await world.seller.read(crmId)).value, 48_000);

    world.set.clock.advance(MINUTE);
    await world.seller.optIn(crmId);
    await world.syncToQuiet();
    const resumed = await world.seller.read(crmId);
    assert.equal(resumed.syncState, 'synced', resumed.syncMessage);
    assert.equal(resumed.value, 91_000);
    assert.equal((await world.sync()).writes, 0);
  });

  it('a parked deal that is unticked is no longer retried, and its error gives way to "sync is off"', async () => {
    const crmId = await world.seller.createDeal(dealSpec('Parked then switched off', { share: true, solutions: [{ id: 'SOL-ASSESS-AZMIG', kind: 'assessment', assessmentLocation: 'US' }] }));
    await world.syncToQuiet();
    const referralId = (await world.seller.read(crmId)).referralId!;
    const stageBefore = referralOf(world, referralId).salesStage;
    await world.seller.setStage(crmId, 'Developed'); // skips Qualified: refused and parked
    await world.syncToQuiet();
    assert.equal((await world.seller.read(crmId)).syncState, 'error');
    assert.equal(world.runtime.store.countParked(), 1);

    world.set.clock.advance(MINUTE);
    await world.seller.optOut(crmId);
    await world.sync();
    const paused = await world.seller.read(crmId);
    assert.equal(paused.syncState, 'pending');
    assert.match(paused.syncMessage ?? '', SYNC_OFF);
    assert.doesNotMatch(paused.syncMessage ?? '', /assessment\.stages_in_order/);
    assert.equal(world.runtime.store.countParked(), 0, 'no retry is left');

    world.set.clock.advance(retryDelayMs(5));
    assert.equal((await world.sync()).writes, 0);
    assert.equal(referralOf(world, referralId).salesStage, stageBefore);
    assert.match((await world.seller.read(crmId)).syncMessage ?? '', SYNC_OFF);
  });
});
