/**
 * The refusal the engine writes onto a record whose update the CRM refused (a validation rule, a plug-in:
 * crm-writes.ts reportRefusals) is its own write, and later runs must not read it back (issue 13: an idle
 * run is one Partner Center call and one CRM call), both CRMs. Until 2026-12-08 the next run read the record
 * in full, and asked Partner Center for its referral, to write nothing. As for the other status writes
 * (status-write-read-back.test.ts), a seller's save between the refused update and that write is still read.
 */
import assert from 'node:assert/strict';
import { OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import type { CrmKind, World } from '../../sandbox/world.js';
import { refuseDescriptionsWith } from '../helpers/crm-refusal-rules.js';
import { idleCosts, installPastMargins, quietCosts } from '../helpers/run-costs.js';
import { saveBeforeNextWrite } from '../helpers/seller-races.js';
import { worldPerTest } from '../helpers/world-per-test.js';
import { unwrap } from './lifecycle.suite.js';

const MINUTE = 60_000;
/** Runs a minute apart after the refusal: past Salesforce's 300 s re-read margin, before the 10-minute retry. */
const IDLE_RUNS = 7;

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) {
  describe(`the refusal written onto a record whose update the CRM refused is not read back (${kind}, end to end)`, function () {
    this.timeout(120_000);
    const each = worldPerTest(kind);
    const w = (): World => each.world;

    /** A referral synced and settled, then a note on it in Partner Center that the CRM's rule refuses. */
    async function refusedChange(): Promise<{ crmId: string; referralId: string }> {
      let referralId = '';
      const crmId = await installPastMargins(w(), async () => {
        referralId = unwrap(w().microsoft.sendReferral({ deal: { dealName: 'Update refused' } })).id;
        await w().syncToQuiet();
        const [id] = await w().seller.recordsForReferral(referralId);
        return id!;
      });
      refuseDescriptionsWith(w(), 'forbidden', 'Descriptions may not contain forbidden words.');
      w().set.clock.advance(MINUTE);
      unwrap(w().set.partnerCenter.service.change(OUR_PARTNER_ORG, referralId, (json) => ({ ok: true, value: { ...json, details: { ...json.details, notes: 'A forbidden note' } } })));
      return { crmId, referralId };
    }

    async function assertRefusalShown(crmId: string): Promise<void> {
      const shown = await w().seller.read(crmId);
      assert.equal(shown.syncState, 'error');
      assert.match(shown.syncMessage ?? '', /forbidden words/);
    }

    it('every run after the refusal is written onto the record costs one call a side', async () => {
      const { crmId, referralId } = await refusedChange();
      const refused = await w().sync();
      assert.equal(refused.counts.parked, 1, JSON.stringify(refused.counts));
      assert.ok(w().runtime.store.getParked('partner-center', referralId));
      await assertRefusalShown(crmId);
      const idle = await idleCosts(w(), IDLE_RUNS, MINUTE);
      assert.deepEqual(idle, quietCosts(idle), `idle runs: ${JSON.stringify(idle)}`);
    });

    it("a seller's save between the refused update and the refusal's write is read by the next run", async () => {
      const { crmId } = await refusedChange();
      // The run's first write call is the refused update, its second the refusal written onto the record.
      const saved = saveBeforeNextWrite(w(), () => w().seller.edit(crmId, { value: 123_456 }), 1);
      const refused = await w().sync();
      assert.ok(saved(), 'the seller saved before the refusal was written');
      assert.equal(refused.counts.parked, 1, JSON.stringify(refused.counts));
      await assertRefusalShown(crmId);
      w().set.clock.advance(MINUTE);
      const next = await w().sync();
      assert.equal(next.counts.crmRead, 1, `the seller's save is read by the next run: ${JSON.stringify(next.counts)}`);
    });
  });
}
