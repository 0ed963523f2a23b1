/**
 * A create a stopped run made (the record carries the referral's ID, the create intent is kept, no link) is
 * bound by the next run's Partner Center phase, and the pair's CRM write then fails (Salesforce: the team
 * rows saved, the contact role refused). Binding clears the referral's old park; the failed write parks it
 * again, and that park must stand: it is what retries the write, and it tells the CRM phase that the link's
 * base does not stand for Partner Center's side (crm-phase.ts reads the referral fresh). Until 2026-12-06 the
 * page's steps ran after the write's park and cleared it; the CRM phase then sent the team the CRM had saved
 * as the seller's addition, and Partner Center's JSON Patch appended a member it already had (model seed 2631).
 */
import assert from 'node:assert/strict';
import type { CrmWrite, CrmWriteResult } from '../../../core/engine/crm-port.js';
import { FakeCrm } from '../../helpers/fake-crm.js';
import { fakeWorld } from '../../helpers/fake-world.js';
import { inboundFromMicrosoft } from '../../helpers/referrals.js';

/** A CRM that applies an update carrying the team and then answers a transient failure, while `failing`. */
class PartlyFailingCrm extends FakeCrm {
  failing = true;

  override async write(writes: readonly CrmWrite[]): Promise<CrmWriteResult[]> {
    const results = await super.write(writes);
    return results.map((result, i) => {
      const w = writes[i]!;
      if (!this.failing || w.kind !== 'update' || !w.changedFields.some((f) => f.startsWith('team'))) return result;
      return { key: result.key, ok: false, code: 'transient', message: 'the primary contact role: SERVER_UNAVAILABLE' };
    });
  }
}

describe('a stopped create bound, its CRM write failing', () => {
  it('keeps the referral parked for the retry, and the retry leaves both sides with one team', async () => {
    const { crm, pc, store, sync, advance, iso } = fakeWorld({}, { makeCrm: (now) => new PartlyFailingCrm(now) });
    const referral = pc.receive(inboundFromMicrosoft());
    assert.ok(referral.team.length > 0, 'the referral has a team');
    // What the stopped run left: the opportunity (without its team rows) and its create intent.
    const crmId = crm.add({ ...structuredClone(referral), team: [] });
    crm.edit(crmId, (o) => {
      o.referral.referralId = referral.referralId;
      o.status = { state: 'pending', message: '', referralId: referral.referralId! };
    });
    store.putIntent({ target: 'crm', sourceId: referral.referralId!, createdAt: iso(), attempts: 1 });
    advance(60_000);

    await sync();
    assert.equal(store.getLinkByReferralId(referral.referralId!)?.crmId, crmId, 'the record is bound to its referral');
    assert.ok(store.getParked('partner-center', referral.referralId!), 'the failed write keeps the referral parked for its retry');

    crm.failing = false;
    advance(3_600_000);
    await sync();
    await sync();
    const emails = (team: readonly { email: string }[]) => team.map((m) => m.email.toLowerCase()).sort();
    assert.deepEqual(emails(pc.referrals.get(referral.referralId!)!.team), emails(referral.team), 'Partner Center keeps its team, once each');
    assert.deepEqual(emails(crm.records.get(crmId)!.referral.team), emails(referral.team), 'the CRM has the team');
    assert.deepEqual(store.listParked(), [], 'nothing parked once the write went through');
    assert.equal(crm.records.size, 1, 'no second record');
  });
});
