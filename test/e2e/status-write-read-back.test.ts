/**
 * Two more status writes of the connector's own that later runs must not read back (issue 13: an idle run
 * is one Partner Center call and one CRM call), both CRMs: the status emptied on a seller's copy of a synced
 * opportunity that is not opted in (cloned-unsynced.test.ts), and the status written on a link whose
 * referral Partner Center no longer shows (orphaned: orphan-checks.ts), both when the referral goes missing
 * and when the seller typed over the status of an orphaned record. Like the park reason's write
 * (park-write-read-back.test.ts), a seller's save between the run's read and its write is still read.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { SANDBOX_USERS } from '../../sandbox/entra/index.js';
import { OUR_PARTNER_ORG, sampleDeal } from '../../sandbox/partner-center/index.js';
import { defaultUserLocations } from '../../sandbox/partner-center/organizations.js';
import type { CrmKind, World } from '../../sandbox/world.js';
import { copyOf } from '../helpers/crm-copies.js';
import { idleCosts, installPastMargins, quietCosts } from '../helpers/run-costs.js';
import { editStatusAsSeller } from '../helpers/seller-status-edit.js';
import { worldPerTest } from '../helpers/world-per-test.js';
import { saveBeforeNextWrite } from '../helpers/seller-races.js';

const MINUTE = 60_000;
/** Runs a minute apart after the write: past Salesforce's 300 s re-read margin, before the 10-minute orphan check. */
const IDLE_RUNS = 7;
const SAM = SANDBOX_USERS.seller.username.toLowerCase();

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) {
  describe(`the status emptied on an unlinked copy is not read back (${kind}, end to end)`, function () {
    this.timeout(120_000);
    const each = worldPerTest(kind);
    const w = (): World => each.world;

    /** A synced original, settled, and the seller's copy of it (not opted in, referral ID emptied). */
    async function copied(): Promise<string> {
      const original = await installPastMargins(w(), () => w().seller.createDeal(dealSpec('Original deal', { share: true })));
      return copyOf(w(), original);
    }

    it('every run after the write that empties the copied status costs one call a side', async () => {
      const copyId = await copied();
      w().set.clock.advance(MINUTE);
      const clearRun = await w().sync();
      assert.equal(clearRun.writes, 1, 'the copied status is emptied once');
      assert.equal((await w().seller.read(copyId)).syncState, undefined);
      const idle = await idleCosts(w(), IDLE_RUNS, MINUTE);
      assert.deepEqual(idle, quietCosts(idle), `idle runs: ${JSON.stringify(idle)}`);
    });

    it("a seller's save between the run's read and the write that empties the status is read by the next run", async () => {
      const copyId = await copied();
      w().set.clock.advance(MINUTE);
      const saved = saveBeforeNextWrite(w(), () => w().seller.edit(copyId, { notes: 'Saved while the run wrote' }));
      const clearRun = await w().sync();
      assert.ok(saved(), 'the seller saved before the write');
      assert.equal(clearRun.writes, 1, 'the status is emptied all the same');
      assert.equal((await w().seller.read(copyId)).syncState, undefined);
      w().set.clock.advance(MINUTE);
      const next = await w().sync();
      assert.equal(next.counts.crmRead, 1, `the seller's save is read by the next run: ${JSON.stringify(next.counts)}`);
    });
  });

  describe(`the status written on an orphaned link is not read back (${kind}, end to end)`, function () {
    this.timeout(120_000);
    const userLocations = defaultUserLocations();
    const each = worldPerTest(kind, { signInAs: 'seller', userLocations });
    const w = (): World => each.world;
    beforeEach(() => {
      userLocations[SAM] = ['loc-us-redmond'];
    });

    /** A referral Sam sees, synced to the CRM and settled; then an admin takes its location out of Sam's scope. */
    async function hiddenReferral(): Promise<string> {
      const pc = w().set.partnerCenter;
      const team = [{ firstName: 'Sam', lastName: 'Seller', phone: '+1 425 555 0101', email: SANDBOX_USERS.seller.username }];
      const crmId = await installPastMargins(w(), async () => {
        const created = pc.actAs(OUR_PARTNER_ORG).create(sampleDeal(pc.service.orgs, OUR_PARTNER_ORG, { dealName: 'Seen by Sam', location: 'loc-us-redmond', team }));
        assert.ok(created.ok);
        await w().syncToQuiet();
        return w().runtime.store.getLinkByReferralId(created.value.id)!.crmId;
      });
      userLocations[SAM] = [];
      return crmId;
    }

    /** The seller's edit meets Partner Center's 404: the record says orphaned. */
    async function orphaned(crmId: string): Promise<void> {
      await w().seller.edit(crmId, { notes: 'Edited while Partner Center hid the deal' });
      w().set.clock.advance(MINUTE);
      const run = await w().sync();
      assert.equal(run.writes, 1, 'the orphaned status is written');
      assert.equal(w().runtime.store.getLinkByCrmId(crmId)?.state, 'referral-missing');
      assert.equal((await w().seller.read(crmId)).syncState, 'orphaned');
    }

    it('every run after the write of "orphaned" costs one call a side', async () => {
      await orphaned(await hiddenReferral());
      const idle = await idleCosts(w(), IDLE_RUNS, MINUTE);
      assert.deepEqual(idle, quietCosts(idle), `idle runs: ${JSON.stringify(idle)}`);
    });

    /** An orphaned record whose status the seller then set to synced: the next run writes it again. */
    async function typedOverOrphan(): Promise<string> {
      const crmId = await hiddenReferral();
      await orphaned(crmId);
      w().set.clock.advance(MINUTE);
      await editStatusAsSeller(w(), crmId, { state: 'synced', message: null });
      w().set.clock.advance(MINUTE);
      return crmId;
    }

    it('every run after the orphaned status is written again over a seller\'s edit costs one call a side', async () => {
      const crmId = await typedOverOrphan();
      const restoreRun = await w().sync();
      assert.equal(restoreRun.writes, 1, 'the status is written again');
      assert.equal((await w().seller.read(crmId)).syncState, 'orphaned');
      const idle = await idleCosts(w(), IDLE_RUNS - 2, MINUTE);
      assert.deepEqual(idle, quietCosts(idle), `idle runs: ${JSON.stringify(idle)}`);
    });

    it("a seller's save between the run's read and the status written again is read by the next run", async () => {
      const crmId = await typedOverOrphan();
      const saved = saveBeforeNextWrite(w(), () => w().seller.edit(crmId, { notes: 'Saved while the run wrote' }));
      const restoreRun = await w().sync();
      assert.ok(saved(), 'the seller saved before the write');
      assert.equal(restoreRun.writes, 1, 'the status is written again all the same');
      assert.equal((await w().seller.read(crmId)).syncState, 'orphaned');
      w().set.clock.advance(MINUTE);
      const next = await w().sync();
      assert.equal(next.counts.crmRead, 1, `the seller's save is read by the next run: ${JSON.stringify(next.counts)}`);
    });
  });
}
