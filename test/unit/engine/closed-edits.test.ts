/**
 * A seller's edits to a deal Partner Center has closed (Won, Lost, declined, expired: terminal states
 * never change, so nothing more is sent): the record shows the `closed` sync state with the fields not
 * sent, not "synced" while the two disagree; it shows "synced" again once the seller puts the values
 * back, and a quiet run writes nothing either way. Against the in-memory fakes; the sandboxes run the same
 * path in test/e2e/closed-edits.test.ts.
 */
import assert from 'node:assert/strict';
import { runSyncOnce } from '../../../core/engine/sync-engine.js';
import { silentLogger } from '../../../core/logger.js';
import { openMemoryStore } from '../../../core/store/index.js';
import type { Referral } from '../../../core/model/index.js';
import { FakeCrm } from '../../helpers/fake-crm.js';
import { FakePartnerCenter } from '../../helpers/fake-partner-center.js';
import { outboundDeal } from '../../helpers/referrals.js';

const MINUTE = 60_000;

async function closedPair(closed: Partial<Referral>) {
  let nowMs = Date.parse('2026-03-02T08:00:00.000Z');
  const now = () => new Date(nowMs);
  const crm = new FakeCrm(now);
  const pc = new FakePartnerCenter(now);
  const store = openMemoryStore();
  const sync = () => runSyncOnce({ crm, partnerCenter: pc, store, logger: silentLogger(), now }, {});
  const crmId = crm.add(outboundDeal({ referralId: undefined, engagementId: undefined, crmId: undefined, createdAt: undefined, updatedAt: undefined, acceptedAt: undefined }));
  await sync();
  await sync();
  const referralId = crm.records.get(crmId)!.status!.referralId!;
  nowMs += MINUTE;
  pc.actAs(referralId, (r) => ({ ...r, ...closed }));
  await sync();
  await sync();
  const advance = () => {
    nowMs += MINUTE;
  };
  return { crm, pc, sync, crmId, referralId, advance, status: () => crm.records.get(crmId)!.status! };
}

describe('a CRM edit after Partner Center closed the deal', () => {
  it('a closed deal without CRM edits stays "synced"', async () => {
    const w = await closedPair({ status: 'Closed', substatus: 'Won', salesStage: 'Won' });
    assert.equal(w.status().state, 'synced', w.status().message);
    assert.equal(w.status().message, 'Won in Partner Center.');
    assert.equal((await w.sync()).writes, 0);
  });

  for (const closed of [{ status: 'Closed', substatus: 'Won', salesStage: 'Won' }, { status: 'Closed', substatus: 'Lost', closeReason: 'chose-another-vendor' }] as Partial<Referral>[]) {
    it(`${closed.substatus}: shows "closed" naming the fields not sent, Partner Center unchanged; "synced" again once put back; quiet runs write nothing`, async () => {
      const w = await closedPair(closed);
      const before = structuredClone(w.pc.referrals.get(w.referralId)!);
      w.advance();
      w.crm.edit(w.crmId, (o) => {
        o.referral.value = 99_000;
        o.referral.notes = 'Customer asked for a second quote';
      });
      const run = await w.sync();
      assert.equal(w.status().state, 'closed', w.status().message);
      assert.match(w.status().message, /^Closed in Partner Center, not sent: Value, Notes\. (Won|Lost) in Partner Center/);
      assert.equal(run.counts.closed, 1);
      const after = w.pc.referrals.get(w.referralId)!;
      assert.deepEqual([after.value, after.notes, after.updatedAt], [before.value, before.notes, before.updatedAt], 'Partner Center is not written');
      const quiet = await w.sync();
      assert.equal(quiet.writes, 0, JSON.stringify(quiet.counts));
      assert.equal(w.status().state, 'closed', 'the state stays while the values differ');

      w.advance();
      w.crm.edit(w.crmId, (o) => {
        o.referral.value = before.value;
        o.referral.notes = before.notes;
      });
      await w.sync();
      assert.equal(w.status().state, 'synced', w.status().message);
      assert.doesNotMatch(w.status().message, /not sent/);
      assert.equal((await w.sync()).writes, 0);
    });
  }

  it('names the field of the status the seller edited (the loss reason), not the whole status', async () => {
    // The status unit moves four fields together; named as a unit, a changed loss reason read "not sent:
    // Status" (Salesforce: "Stage"), a field the seller never touched.
    const w = await closedPair({ status: 'Closed', substatus: 'Lost', closeReason: 'chose-another-vendor' });
    w.advance();
    w.crm.edit(w.crmId, (o) => {
      o.referral.closeReason = 'budget-not-adequate';
    });
    await w.sync();
    assert.equal(w.status().state, 'closed', w.status().message);
    assert.match(w.status().message, /^Closed in Partner Center, not sent: Close reason\. Lost in Partner Center/);
    assert.equal((await w.sync()).writes, 0);
  });
});
