/**
 * A CRM feed opened early (core/engine/crm-listing.ts) answers its first call before the run writes: its
 * pages may hand on a record as it was before a write of this run (Salesforce's listing holds the rows its
 * first call returned, and a write in the same second keeps the record inside the page's window). A page
 * touching a write still in the buffer was written and read again (crm-phase-boundary.ts); a write the buffer
 * had already sent, because the run's creates go out before the CRM phase, was not: the CRM phase took the
 * record's old notes for a seller's edit and sent them to Partner Center over the colleague's note the Partner
 * Center phase had just written to the record (found while replaying model seed 4016, Salesforce). The next
 * run sent the note back, so Partner Center showed the old text in between.
 */
import assert from 'node:assert/strict';
import { openListing } from '../../../connectors/change-listing.js';
import type { CrmChangeListing, CrmChangePage, CrmCursor } from '../../../core/engine/crm-port.js';
import { FakeCrm } from '../../helpers/fake-crm.js';
import { fakeWorld } from '../../helpers/fake-world.js';
import { inboundFromMicrosoft } from '../../helpers/referrals.js';

/** A CRM whose listing hands on the records as its first call found them, whatever is written after it. */
class FirstAnswerListingCrm extends FakeCrm {
  async openChanges(cursor: CrmCursor | undefined): Promise<CrmChangeListing> {
    const answered: CrmChangePage[] = [];
    for await (const page of this.readChanges(cursor)) answered.push(structuredClone(page));
    return openListing(async function* (announce) {
      await announce(undefined);
      yield* answered;
    });
  }
}

describe('a CRM listing opened before a run wrote a record it lists', () => {
  it("is decided on the record as written, not as listed: Partner Center keeps its colleague's note", async () => {
    const { crm, pc, sync, advance } = fakeWorld({}, { makeCrm: (now) => new FirstAnswerListingCrm(now) });
    const first = pc.receive(inboundFromMicrosoft({ referralId: 'ref-first', notes: 'Wants Azure analytics' }));
    for (let i = 0; i < 3; i += 1) {
      advance(60_000);
      await sync();
    }
    const [record] = [...crm.records.values()];
    assert.ok(record);

    advance(60_000);
    // The seller edits the value (the record is listed), a colleague writes a note in Partner Center, and a
    // second referral arrives (the run creates before its CRM phase, which sends the buffer early).
    crm.edit(record.crmId, (o) => void (o.referral.value = 61_180));
    pc.actAs(first.referralId!, (r) => ({ ...r, notes: 'Call the customer on Monday' }));
    pc.receive(inboundFromMicrosoft({ referralId: 'ref-second', dealName: 'Second deal' }));
    await sync();

    assert.equal(crm.records.get(record.crmId)?.referral.notes, 'Call the customer on Monday', "the record has the colleague's note");
    const referral = pc.referrals.get(first.referralId!)!;
    assert.equal(referral.notes, 'Call the customer on Monday', 'Partner Center keeps the note');
    assert.equal(referral.value, 61_180, "Partner Center has the seller's value");
    advance(60_000);
    assert.equal((await sync()).writes, 0, 'the next run has nothing to send back');
  });
});
