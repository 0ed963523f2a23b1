/**
 * A CRM create that saved the record but reported failure (Salesforce: the opportunity was saved, its
 * solution rows or contact role met a lock; connectors/salesforce/create.ts) keeps its create intent. The
 * CRM phase (of the same run, or of the next) meets the new record in its feed before Partner Center changes again: the record names the
 * referral, Partner Center names no record yet. It is our own create, so the pair is linked, the referral
 * takes the record's ID, and the create's park goes. Until 2026-12-06 the CRM phase counted only creates of
 * referrals as ours, and parked both sides for `cosell link` (model seed 2522, Salesforce, faults on).
 */
import assert from 'node:assert/strict';
import type { CrmWrite, CrmWriteResult } from '../../../core/engine/crm-port.js';
import { FakeCrm } from '../../helpers/fake-crm.js';
import { fakeWorld } from '../../helpers/fake-world.js';
import { inboundFromMicrosoft } from '../../helpers/referrals.js';

/** A CRM whose next create saves the record and then answers a transient failure. */
class CreateThenFailCrm extends FakeCrm {
  failNextCreate = true;

  override async write(writes: readonly CrmWrite[]): Promise<CrmWriteResult[]> {
    const results = await super.write(writes);
    return results.map((result, i) => {
      if (writes[i]!.kind !== 'create' || !result.ok || !this.failNextCreate) return result;
      this.failNextCreate = false;
      return { key: result.key, ok: false, code: 'transient', message: 'the solution of the new opportunity: UNABLE_TO_LOCK_ROW' };
    });
  }
}

describe('a CRM create saved but reported failed', () => {
  it('is linked by the next run as our own create, not parked for cosell link', async () => {
    const { crm, pc, store, sync, advance } = fakeWorld({}, { makeCrm: (now) => new CreateThenFailCrm(now) });
    const referral = pc.receive(inboundFromMicrosoft());

    await sync();
    const [record, ...more] = [...crm.records.values()];
    assert.ok(record && more.length === 0, 'the create saved one record');
    advance(60_000);

    await sync();
    assert.deepEqual(store.listParked().map((p) => `${p.side} ${p.recordId}: ${p.reasons.map((r) => r.code).join(',')}`), [], 'nothing parked');
    assert.equal(store.getLinkByReferralId(referral.referralId!)?.crmId, record.crmId, 'the record is linked to its referral');
    assert.equal(pc.referrals.get(referral.referralId!)?.crmId, record.crmId, 'Partner Center names the record');
    assert.deepEqual(store.listIntents(), [], 'the create is finished');
    assert.equal(crm.records.get(record.crmId)?.status?.state, 'synced', 'the record says synced, not the create\'s refusal');
    assert.equal(crm.records.size, 1, 'no second record');
    assert.equal((await sync()).writes, 0, 'a further sync writes nothing');
  });
});
