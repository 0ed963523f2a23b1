/**
 * A seller who empties the notes of a linked deal has changed them, to nothing: Partner Center's
 * notes are cleared too. Until 2026-12-05 an empty Description read as "no opinion" (as for a field the CRM
 * does not map), so Partner Center kept the old text while the record said "synced" (found walking a
 * seller's life cycle: add, edit and clear the notes). An empty field the deal never had text in, and a
 * clear made while Partner Center's notes changed, still lose no text.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';
import { referralOf, unwrap } from './lifecycle.suite.js';

const MINUTE = 60_000;

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) describe(`notes cleared in the CRM (${kind}, end to end)`, function () {
  this.timeout(120_000);
  let world: World;
  beforeEach(async () => {
    world = await startWorld(kind);
  });
  afterEach(async () => {
    await world.close();
  });

  /** The seller empties the field in the CRM's UI. */
  const clearNotes = (crmId: string) => world.seller.edit(crmId, { notes: '' });

  it('clears Partner Center\'s notes, says synced only once both agree, and writes nothing more', async () => {
    const crmId = await world.seller.createDeal(dealSpec('Notes cleared deal'));
    await world.syncToQuiet();
    const referralId = (await world.seller.read(crmId)).referralId!;
    assert.equal(referralOf(world, referralId).details?.notes, 'Opened from the CRM');

    world.set.clock.advance(MINUTE);
    await clearNotes(crmId);
    await world.syncToQuiet();
    const record = await world.seller.read(crmId);
    assert.ok(!record.notes);
    assert.equal(record.syncState, 'synced', record.syncMessage);
    assert.ok(!referralOf(world, referralId).details?.notes, `Partner Center's notes are cleared, not "${referralOf(world, referralId).details?.notes}"`);
    assert.equal((await world.sync()).writes, 0, 'a further sync writes nothing');

    world.set.clock.advance(MINUTE);
    await world.seller.edit(crmId, { notes: 'Written again' });
    await world.syncToQuiet();
    assert.equal(referralOf(world, referralId).details?.notes, 'Written again');
  });

  it('a deal created without notes sends none and stays quiet', async () => {
    const crmId = await world.seller.createDeal(dealSpec('Never had notes', { notes: undefined }));
    await world.syncToQuiet();
    const referralId = (await world.seller.read(crmId)).referralId!;
    assert.ok(!referralOf(world, referralId).details?.notes);
    assert.equal((await world.sync()).writes, 0);
  });

  it('a clear in the CRM does not erase notes Partner Center changed meanwhile', async () => {
    const crmId = await world.seller.createDeal(dealSpec('Cleared while edited in Partner Center'));
    await world.syncToQuiet();
    const referralId = (await world.seller.read(crmId)).referralId!;
    world.set.clock.advance(MINUTE);
    await clearNotes(crmId);
    unwrap(world.set.partnerCenter.service.change(OUR_PARTNER_ORG, referralId, (json) => ({ ok: true, value: { ...json, details: { ...json.details, notes: 'Opened from the CRM\nCall booked' } } })));
    await world.syncToQuiet();
    assert.equal(referralOf(world, referralId).details?.notes, 'Opened from the CRM\nCall booked');
    const record = await world.seller.read(crmId);
    assert.equal(record.notes, 'Opened from the CRM\nCall booked');
    assert.equal(record.syncState, 'synced', record.syncMessage);
  });
});
