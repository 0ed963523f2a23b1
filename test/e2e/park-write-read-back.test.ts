/**
 * The write that shows a park reason on the CRM record is the connector's own and is not read back by later
 * runs (issue 13: an idle run is one Partner Center call and one CRM call), both CRMs; nor is the "sync is
 * off" status of an unticked linked deal. Until 2026-12-07 a status write carried no read version, so
 * neither CRM's writer could report the version it made as the engine's own: Salesforce put the record on
 * its recheck list and Dynamics 365 wrote it unconditionally, and the next run read it back in full. A parked
 * deal has no link to keep a version on either (echoes.ts `knownCrmVersions`): the parked record keeps it
 * now. On Salesforce, a deal parked in the run after its save was also read by every run whose 300 s re-read
 * margin still reached the rows the seller saved with it (five runs a minute apart).
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import type { CrmKind, World } from '../../sandbox/world.js';
import { idleCosts, installPastMargins, quietCosts } from '../helpers/run-costs.js';
import { worldPerTest } from '../helpers/world-per-test.js';
import { saveBeforeNextWrite } from '../helpers/seller-races.js';

const MINUTE = 60_000;
/** Runs a minute apart after the park's: well past Salesforce's 300 s re-read margin, inside the 10-minute back-off. */
const IDLE_RUNS = 7;

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) {
  describe(`the park reason's write is not read back (${kind}, end to end)`, function () {
    this.timeout(120_000);
    const each = worldPerTest(kind);
    const w = (): World => each.world;

    /** Idle runs a minute apart. */
    const idleRuns = () => idleCosts(w(), IDLE_RUNS, MINUTE);
    const quiet = quietCosts;

    const settledInstall = () => installPastMargins(w());

    it('a deal parked again after a seller edit: every run after the park costs one call a side', async () => {
      const crmId = await w().seller.createDeal(dealSpec('Parked deal', { team: [] }));
      await settledInstall();
      await w().seller.edit(crmId, { notes: 'Edited while parked' });
      w().set.clock.advance(MINUTE);
      const parkRun = await w().sync();
      assert.equal(parkRun.counts.parked, 1, JSON.stringify(parkRun.counts));
      assert.equal(parkRun.writes, 1, 'the park reason is written onto the record again');
      const idle = await idleRuns();
      assert.deepEqual(idle, quiet(idle), `idle runs: ${JSON.stringify(idle)}`);
      const record = await w().seller.read(crmId);
      assert.equal(record.syncState, 'error', record.syncMessage);
    });

    it('a new deal parked in the run after its save: every run after the park costs one call a side', async () => {
      await settledInstall();
      await w().seller.createDeal(dealSpec('Parked deal', { team: [] }));
      w().set.clock.advance(MINUTE);
      const parkRun = await w().sync();
      assert.equal(parkRun.counts.parked, 1, JSON.stringify(parkRun.counts));
      const idle = await idleRuns();
      assert.deepEqual(idle, quiet(idle), `idle runs: ${JSON.stringify(idle)}`);
    });

    it("a seller's fix saved between the run's read and the write of the reason is read by the next run", async () => {
      await settledInstall();
      const crmId = await w().seller.createDeal(dealSpec('Raced deal'));
      await w().seller.edit(crmId, { value: null });
      w().set.clock.advance(MINUTE);
      // The seller enters the value once the run has read the deal, just before its write of the reason.
      const saved = saveBeforeNextWrite(w(), () => w().seller.edit(crmId, { value: 52_000 }));
      const parkRun = await w().sync();
      assert.ok(saved(), 'the seller saved before the write');
      assert.equal(parkRun.counts.parked, 1, JSON.stringify(parkRun.counts));
      assert.match((await w().seller.read(crmId)).syncMessage ?? '', /create\.value\.required/, 'the reason is shown all the same');
      w().set.clock.advance(MINUTE);
      const next = await w().sync();
      assert.equal(next.counts.pcCreated, 1, `the fix reaches Partner Center in the next run: ${JSON.stringify(next.counts)}`);
    });

    it('the "sync is off" status written onto an unticked linked deal is not read back either', async () => {
      const crmId = await settledInstall();
      await w().seller.optOut(crmId);
      w().set.clock.advance(MINUTE);
      const pauseRun = await w().sync();
      assert.equal(pauseRun.writes, 1, 'the status is written once');
      assert.match((await w().seller.read(crmId)).syncMessage ?? '', /Sync with Partner Center is off/);
      const idle = await idleRuns();
      assert.deepEqual(idle, quiet(idle), `idle runs: ${JSON.stringify(idle)}`);
    });
  });
}
