/**
 * The benchmark's floor (bench/floor.ts) carries real records (bench/record-samples.ts): a referral as
 * Partner Center answers it and an opportunity row as the CRM stores it, each about 2 KB, not the fixed
 * 330-byte object it carried before, which made the floor too cheap.
 */
import assert from 'node:assert/strict';
import { measureFloor } from '../../bench/floor.js';
import { minimumFor } from '../../bench/minimums.js';
import { recordSamples } from '../../bench/record-samples.js';
import { startSandboxSet, type SandboxSet } from '../../sandbox/launch.js';

describe('bench: the floor carries real records', () => {
  let set: SandboxSet;
  before(async () => {
    // The sandboxes' default seed: referrals of our partner, opportunities in both CRMs.
    set = await startSandboxSet();
  });
  after(async () => {
    await set.close();
  });

  it('samples a referral as the API answers it and an opportunity row of the CRM, larger than the 330-byte object the floor carried before', () => {
    for (const kind of ['salesforce', 'dynamics'] as const) {
      const samples = recordSamples(set, kind);
      const referral = samples.partnerCenter as Record<string, unknown>;
      assert.match(String(referral['@odata.context']), /\/referrals\/\$metadata#Referrals\/\$entity$/);
      assert.ok(referral.id && referral.links, 'the referral has its id and links');
      const crm = samples.crm as Record<string, unknown>;
      assert.ok(kind === 'salesforce' ? String(crm.Id).startsWith('006') : typeof crm.opportunityid === 'string', `${kind}: an opportunity row`);
      for (const record of [referral, crm]) assert.ok(JSON.stringify(record).length > 500, `${kind}: ${JSON.stringify(record).length} bytes`);
    }
  });

  it("sends each side's calls with that side's record, both ways", async () => {
    const parts = minimumFor('salesforce', { pcReads: 100, pcWrites: 3, crmReads: 10, crmWrites: 10 }).parts;
    const floor = await measureFloor(parts, { partnerCenter: { a: 'p'.repeat(3_000) }, crm: { b: 'c'.repeat(500) } });
    assert.equal(floor.calls, 1 + 3 + 1 + 1);
    assert.deepEqual(floor.recordBytes, { partnerCenter: 3_008, crm: 508 });
    assert.ok(floor.cpuMsBySide.partnerCenter >= 0 && floor.cpuMsBySide.crm >= 0);
  });
});
