/**
 * An orphaned link (Partner Center answered 404 for its referral: the connector's Referrals User taken off
 * the deal's team or location scope) is checked again on its own, on a back-off, and resumes once the
 * referral is readable again, though the referral never changed (so Partner Center's feed never lists it).
 * Until 2026-12-06 only a change listed in the feed brought it back: access restored without a change held
 * the seller's CRM edits for good.
 */
import assert from 'node:assert/strict';
import type { Referral } from '../../../core/model/index.js';
import { fakeWorld } from '../../helpers/fake-world.js';
import { crmMadeDeal, fakeLinkedDeal } from '../../helpers/fake-linked-deal.js';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../../core/store/index.js';
import { statusLines } from '../../helpers/status-lines.js';
import { makeLink, makeTempDir } from '../../store/store-fixtures.js';

const MINUTE = 60_000;

/** A linked deal whose referral Partner Center stops showing the connector, and the seller's edit that meets the 404; returns the hidden referral. */
async function orphaned(notes: string) {
  const world = fakeWorld({ policy: 'newest-wins' });
  const { crmId, referralId } = await fakeLinkedDeal(world);
  const hidden: Referral = world.pc.referrals.get(referralId)!;
  world.pc.referrals.delete(referralId);
  world.crm.edit(crmId, (o) => (o.referral.notes = notes));
  world.advance(MINUTE);
  await world.sync();
  return { world, ...world, crmId, referralId, hidden };
}

describe('an orphaned link is checked again on a back-off (engine)', () => {
  it('resumes when the referral is readable again without any change to it; checks cost nothing between their times', async () => {
    // Partner Center stops showing the referral to the connector: the seller's edit meets a 404.
    const { crm, pc, store, sync, advance, iso, crmId, referralId, hidden } = await orphaned('Edited while Partner Center did not show it');
    assert.equal(store.getLinkByReferralId(referralId)?.state, 'referral-missing');
    assert.match(crm.records.get(crmId)!.status!.message ?? '', /Checked again by itself/);
    const nextCheck = store.getLinkByReferralId(referralId)!.heldUntil!;
    assert.ok((await statusLines(store, new Date(iso()))).some((l) => l.includes(referralId) && l.includes(`checked again at ${nextCheck}`)), 'cosell status says when it is checked again');

    // Still gone: checked once its wait is over, then left alone for longer (no call between checks).
    advance(11 * MINUTE);
    const stillGone = await sync();
    assert.equal(stillGone.counts.orphanChecks, 1, JSON.stringify(stillGone.counts));
    assert.equal(store.getLinkByReferralId(referralId)?.state, 'referral-missing');
    advance(MINUTE);
    const quiet = await sync();
    assert.equal(quiet.counts.orphanChecks ?? 0, 0, 'not checked again before its back-off ends');

    // Access restored, the referral itself unchanged: nothing in Partner Center's feed.
    pc.referrals.set(referralId, hidden);
    advance(30 * MINUTE);
    const back = await sync();
    assert.equal(back.counts.orphanChecks, 1);
    assert.equal(store.getLinkByReferralId(referralId)?.state, 'active', 'the link is active again');
    assert.equal(store.getLinkByReferralId(referralId)?.heldUntil, undefined, 'no check is left scheduled');
    assert.equal(crm.records.get(crmId)!.status!.state, 'synced');
    assert.equal(pc.referrals.get(referralId)!.notes, 'Edited while Partner Center did not show it', 'the held edit is sent');

    crm.edit(crmId, (o) => (o.referral.notes = 'Edited after it came back'));
    advance(MINUTE);
    await sync();
    assert.equal(pc.referrals.get(referralId)!.notes, 'Edited after it came back');
  });

  it('a deal the seller paused meanwhile is checked once when it is readable again, then no more', async () => {
    const { crm, pc, store, sync, advance, crmId, referralId, hidden } = await orphaned('Edited while hidden');
    crm.edit(crmId, (o) => (o.intent = { ...o.intent, optedIn: false }));
    pc.referrals.set(referralId, hidden);
    advance(11 * MINUTE);
    assert.equal((await sync()).counts.orphanChecks, 1);
    assert.equal(store.getLinkByReferralId(referralId)?.state, 'active', 'readable again: active, though paused');
    advance(MINUTE);
    assert.equal((await sync()).counts.orphanChecks ?? 0, 0, 'not checked again at every run');
  });

  it('checks a bounded number of orphaned links per run, the longest-waiting first', async () => {
    const { crm, pc, store, sync, advance } = fakeWorld({ policy: 'newest-wins' });
    const ids: string[] = [];
    for (let i = 0; i < 25; i += 1) ids.push(crm.add(crmMadeDeal({ dealName: `Deal ${i}` })));
    advance(MINUTE);
    await sync();
    advance(MINUTE);
    await sync();
    for (const crmId of ids) {
      pc.referrals.delete(crm.records.get(crmId)!.status!.referralId!);
      crm.edit(crmId, (o) => (o.referral.notes = 'Edited while hidden'));
    }
    advance(MINUTE);
    await sync();
    assert.equal(store.countLinks()['referral-missing'], 25);
    advance(11 * MINUTE);
    const first = await sync();
    assert.equal(first.counts.orphanChecks, 20, 'at most 20 per run');
    const second = await sync();
    assert.equal(second.counts.orphanChecks, 5, 'the rest in the next run');
    const third = await sync();
    assert.equal(third.counts.orphanChecks ?? 0, 0);
  });

  it('checks every link orphaned before checks were scheduled, however many there are (each once)', async () => {
    // Orphaned by a version that set no check time: no revisit time, the orphaned-since time long past.
    // Such links only exist in a state file written before the orphan checks: the store's migration
    // (SQLite schema version 10) makes them due, and the engine finds them through their revisit times.
    const temp = makeTempDir();
    try {
      const file = temp.file();
      const before = openSqliteStore(file);
      const legacy = Array.from({ length: 230 }, (_, i) => makeLink(i + 1, { state: 'referral-missing' }));
      for (const link of legacy) before.putLink(link);
      before.close();
      const raw = new Database(file);
      // The file as schema version 9 left it: the later migrations are applied again at open (version 11's
      // column dropped, for its migration to add it again).
      raw.prepare('DELETE FROM schema_migrations WHERE version >= 10').run();
      raw.exec('ALTER TABLE parked_records DROP COLUMN crm_etag');
      raw.close();

      const { store, sync, advance } = fakeWorld({ policy: 'newest-wins' }, { store: openSqliteStore(file) });
      advance(MINUTE);
      let checked = 0;
      for (let run = 0; run < 13; run += 1) checked += (await sync()).counts.orphanChecks ?? 0;
      assert.equal(checked, legacy.length, 'each checked once, 20 a run');
      assert.deepEqual(legacy.filter((l) => store.getLinkByCrmId(l.crmId)?.heldUntil === undefined).map((l) => l.crmId), [], 'every one has its next check');
      store.close();
    } finally {
      temp.cleanup();
    }
  });
});
