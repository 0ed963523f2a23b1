/**
 * The connector's own status fields on the record (sync state, sync message, last synced) are the
 * connector's word, not the seller's: a seller (or a CRM workflow) who sets a parked record to "synced", or
 * clears the message, has the truth written back by the next sync, and nothing of it goes to Partner Center.
 * Until 2026-12-06 the engine compared what it would write only with what it had last written, so such an
 * edit stood, and the record said something false until the deal next changed (both CRMs).
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import type { CrmKind } from '../../sandbox/world.js';
import { worldPerTest } from '../helpers/world-per-test.js';
import { editStatusAsSeller } from '../helpers/seller-status-edit.js';
import { referralOf } from './lifecycle.suite.js';

const MINUTE = 60_000;

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) describe(`the connector's status fields edited on the record (${kind}, end to end)`, function () {
  this.timeout(120_000);
  const each = worldPerTest(kind);

  it('a synced record set to error with a typed message (and last synced cleared) says synced again; nothing reaches Partner Center', async () => {
    const { world } = each;
    const crmId = await world.seller.createDeal(dealSpec('Status typed over', { share: true }));
    await world.syncToQuiet();
    const before = await world.seller.read(crmId);
    assert.equal(before.syncState, 'synced');
    const referralId = before.referralId!;
    const pcBefore = JSON.stringify(referralOf(world, referralId));

    world.set.clock.advance(MINUTE);
    await editStatusAsSeller(world, crmId, { state: 'error', message: 'Typed by a seller', lastSynced: null });
    const reports = await world.syncToQuiet();

    const after = await world.seller.read(crmId);
    assert.equal(after.syncState, 'synced');
    assert.equal(after.syncMessage ?? '', before.syncMessage ?? '');
    assert.ok(after.lastSynced, 'last synced is written again');
    assert.equal(JSON.stringify(referralOf(world, referralId)), pcBefore, 'the status fields are not a seller edit to send');
    assert.equal(reports[0]!.writes > 0, true, 'the first sync after the edit puts the status back');
    assert.equal(reports.at(-1)!.writes, 0, 'and the next writes nothing');
  });

  it('a parked record set to synced with the message cleared shows the refusal again', async () => {
    const { world } = each;
    const crmId = await world.seller.createDeal(dealSpec('Parked typed over', { consent: false, helpType: 'technical-architecture', share: true }));
    await world.syncToQuiet();
    const parked = await world.seller.read(crmId);
    assert.equal(parked.syncState, 'error');
    assert.match(parked.syncMessage ?? '', /\[consent\.contact_required_for_help\]/);

    world.set.clock.advance(MINUTE);
    await editStatusAsSeller(world, crmId, { state: 'synced', message: null });
    const reports = await world.syncToQuiet();

    const after = await world.seller.read(crmId);
    assert.equal(after.syncState, 'error', 'a parked record never says synced');
    assert.equal(after.syncMessage, parked.syncMessage);
    assert.equal(world.set.partnerCenter.store.withExternalReferenceId(crmId).length, 0, 'still nothing in Partner Center');
    assert.equal(reports.at(-1)!.writes, 0, 'the last sync writes nothing');
  });

  it('a paused record set to synced says paused again', async () => {
    const { world } = each;
    const crmId = await world.seller.createDeal(dealSpec('Paused typed over', { share: true }));
    await world.syncToQuiet();
    await world.seller.optOut(crmId);
    await world.syncToQuiet();
    const paused = await world.seller.read(crmId);
    assert.equal(paused.syncState, 'pending');

    world.set.clock.advance(MINUTE);
    await editStatusAsSeller(world, crmId, { state: 'synced', message: null });
    await world.syncToQuiet();

    const after = await world.seller.read(crmId);
    assert.equal(after.syncState, 'pending');
    assert.equal(after.syncMessage, paused.syncMessage);
  });
});
