/**
 * A CRM record created for an inbound referral by a run that stopped before it stored the link (a killed
 * `cosell sync`, or a targeted sync whose next CRM call failed): the next run links the pair from its create
 * intent (core/engine/link-from-ids.ts). A seller who edited the new record in between keeps the edits, and
 * Partner Center gets them; what the stopped run did not finish writing (related rows) is still filled in
 * from Partner Center. Found by the model-based test (Salesforce seed 1402: a note and a close date lost).
 */
import assert from 'node:assert/strict';
import { buildStatus } from '../../../core/engine/sync-status.js';
import type { Referral } from '../../../core/model/referral.js';
import { fakeWorld, type FakeWorld } from '../../helpers/fake-world.js';
import { inboundFromMicrosoft } from '../../helpers/referrals.js';

const MINUTE = 60_000;

/** The stopped run: its create intent stored, the CRM record created from the referral (without `unwritten`), no link. */
async function createdThenStopped(w: FakeWorld, unwritten: Partial<Referral> = {}): Promise<{ crmId: string; referral: Referral }> {
  const referral = w.pc.receive(inboundFromMicrosoft({ referralId: undefined, notes: 'From Microsoft', closeDate: '2027-03-31' }));
  w.advance(MINUTE);
  w.store.transaction((tx) => tx.putIntent({ target: 'crm', sourceId: referral.referralId!, createdAt: w.iso(), attempts: 1 }));
  const [result] = await w.crm.write([{ kind: 'create', key: referral.referralId!, referral: { ...referral, ...unwritten }, status: buildStatus({ state: 'synced', message: '', now: w.iso(), referral }) }]);
  assert.ok(result?.ok);
  return { crmId: result.crmId, referral };
}

describe('linking a CRM record that a stopped run created (engine, fakes)', () => {
  it("keeps the seller's edits made before the link, and sends them to Partner Center", async () => {
    const w = fakeWorld();
    const { crmId, referral } = await createdThenStopped(w);
    w.advance(MINUTE);
    w.crm.edit(crmId, (o) => {
      o.referral.notes = 'From Microsoft\nCalled the customer';
      o.referral.closeDate = '2027-09-15';
    });
    w.advance(MINUTE);
    await w.sync();
    await w.sync();
    const inPc = w.pc.referrals.get(referral.referralId!)!;
    assert.equal(inPc.notes, 'From Microsoft\nCalled the customer', "the seller's note reached Partner Center");
    assert.equal(inPc.closeDate, '2027-09-15');
    assert.equal(w.crm.records.get(crmId)!.referral.notes, 'From Microsoft\nCalled the customer', "the seller's note is still on the record");
    assert.equal(w.crm.records.get(crmId)!.referral.closeDate, '2027-09-15');
    assert.deepEqual(w.store.listIntents(), []);
    assert.equal((await w.sync()).writes, 0);
  });

  it('fills in what the stopped run did not write (the team), instead of removing it from Partner Center', async () => {
    const w = fakeWorld();
    const { crmId, referral } = await createdThenStopped(w, { team: [] });
    assert.ok(referral.team.length > 0);
    w.advance(MINUTE);
    await w.sync();
    await w.sync();
    assert.deepEqual(w.pc.referrals.get(referral.referralId!)!.team.map((m) => m.email), referral.team.map((m) => m.email));
    assert.deepEqual(w.crm.records.get(crmId)!.referral.team.map((m) => m.email), referral.team.map((m) => m.email));
  });

  it('a referral changed in Partner Center since the create: its values stand where the two differ', async () => {
    const w = fakeWorld();
    const { crmId, referral } = await createdThenStopped(w);
    w.advance(MINUTE);
    w.pc.actAs(referral.referralId!, (r) => ({ ...r, closeDate: '2027-06-30' }));
    w.advance(MINUTE);
    await w.sync();
    await w.sync();
    assert.equal(w.crm.records.get(crmId)!.referral.closeDate, '2027-06-30');
    assert.equal(w.pc.referrals.get(referral.referralId!)!.closeDate, '2027-06-30');
  });
});
