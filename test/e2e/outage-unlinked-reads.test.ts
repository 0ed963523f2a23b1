/**
 * A deal ticked for sync while Partner Center is down has no link yet: the run tells it that its changes
 * wait (waiting-changes.ts), and that status write moves its row version. The CRM's cursor stays where the
 * last full run left it, so every later turn of the outage lists the deal again. Until 2026-12-08 each of
 * them read it in full (its team, solutions, contact) to write nothing, for as long as the outage lasted
 * (issue 13): a linked record told in the outage was spared (`knownDuringOutage`), an unlinked one was not.
 * Now such a deal is read once per change in the outage, still says it waits, and the first run after the
 * outage creates its referral once, with the seller's latest values. Both CRMs, real sandboxes and engine.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import type { CrmKind, World } from '../../sandbox/world.js';
import { installPastMargins } from '../helpers/run-costs.js';
import { saveBeforeNextWrite } from '../helpers/seller-races.js';
import { worldPerTest } from '../helpers/world-per-test.js';

const MINUTE = 60_000;
/** Turns a minute apart: past Salesforce's 300 s re-read margin. */
const OUTAGE_TURNS = 7;

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) {
  describe(`a deal ticked for sync during a Partner Center outage is read once in the outage (${kind}, end to end)`, function () {
    this.timeout(120_000);
    const each = worldPerTest(kind, { fastRetries: true });
    const w = (): World => each.world;
    const down = (): void => w().set.partnerCenter.faults.configure({ rate: 1, kinds: { unavailable: 1 }, retryAfterSeconds: 0 });

    /**
     * A settled install, then Partner Center down and a new deal ticked for sync: the outage's first turn tells
     * it. `meanwhile`: a seller's save between that turn's read and its write.
     */
    async function tickedDuringOutage(meanwhile?: (crmId: string) => Promise<void>): Promise<{ crmId: string; message: string | undefined }> {
      await installPastMargins(w());
      down();
      w().set.clock.advance(MINUTE);
      const crmId = await w().seller.createDeal(dealSpec('Ticked while down', { share: true, value: 10_000 }));
      const saved = meanwhile ? saveBeforeNextWrite(w(), () => meanwhile(crmId)) : undefined;
      const told = await w().sync();
      if (saved) assert.ok(saved(), 'the seller saved before the write');
      assert.equal(told.outcome, 'failed');
      assert.equal(told.counts.waiting, 1, JSON.stringify(told.counts));
      assert.equal(told.counts.crmRead, 1, `the new deal is read once: ${JSON.stringify(told.counts)}`);
      const shown = await w().seller.read(crmId);
      assert.equal(shown.syncState, 'pending', shown.syncMessage);
      assert.match(shown.syncMessage ?? '', /Partner Center has not answered since/);
      return { crmId, message: shown.syncMessage };
    }

    /** `count` failed turns of the outage a minute apart: what each wrote and read in full. */
    async function outageTurns(count: number): Promise<{ writes: number; crmRead: number }[]> {
      const turns: { writes: number; crmRead: number }[] = [];
      for (let i = 0; i < count; i++) {
        w().set.clock.advance(MINUTE);
        const turn = await w().sync();
        assert.equal(turn.outcome, 'failed', turn.message);
        turns.push({ writes: turn.writes, crmRead: turn.counts.crmRead ?? 0 });
      }
      return turns;
    }

    /** Partner Center answers again; the runs go on until quiet. Returns the deal's referrals in Partner Center. */
    async function afterOutage(crmId: string): Promise<ReturnType<World['set']['partnerCenter']['store']['all']>> {
      w().set.partnerCenter.faults.configure(undefined);
      w().set.clock.advance(MINUTE);
      await w().syncToQuiet();
      const created = await w().seller.read(crmId);
      assert.ok(created.referralId, `the deal ticked during the outage reached Partner Center: ${created.syncState} ${created.syncMessage}`);
      assert.equal(created.syncState, 'synced', created.syncMessage);
      w().set.clock.advance(MINUTE);
      assert.equal((await w().sync()).writes, 0, 'quiet after the outage');
      return w().set.partnerCenter.store.all().filter((r) => r.externalReferenceId?.toLowerCase() === crmId.toLowerCase());
    }

    it('later turns of the outage do not read it again, it still says it waits, and its referral is created once after', async () => {
      const { crmId, message } = await tickedDuringOutage();
      const turns = await outageTurns(OUTAGE_TURNS);
      assert.deepEqual(turns, turns.map(() => ({ writes: 0, crmRead: 0 })), `later turns: ${JSON.stringify(turns)}`);
      const shown = await w().seller.read(crmId);
      assert.equal(shown.syncState, 'pending');
      assert.equal(shown.syncMessage, message, 'it still says it waits, since the same start');

      const referrals = await afterOutage(crmId);
      assert.equal(referrals.length, 1, 'one referral, not none and not two');
      assert.equal(referrals[0]!.details?.dealValue, 10_000);
    });

    it("a seller's save between the outage turn's read and its write is read by the next turn, and goes after", async () => {
      const { crmId } = await tickedDuringOutage((id) => w().seller.edit(id, { value: 55_555 }));
      assert.deepEqual(await outageTurns(1), [{ writes: 0, crmRead: 1 }], "the seller's save is read, and the record says it waits");
      const turns = await outageTurns(OUTAGE_TURNS - 1);
      assert.deepEqual(turns, turns.map(() => ({ writes: 0, crmRead: 0 })), `later turns: ${JSON.stringify(turns)}`);
      const referrals = await afterOutage(crmId);
      assert.equal(referrals.length, 1, 'one referral, not none and not two');
      assert.equal(referrals[0]!.details?.dealValue, 55_555, "the seller's save");
    });

    it("a seller's edit during the outage is read once, and reaches Partner Center with the latest values after", async () => {
      const { crmId, message } = await tickedDuringOutage();
      assert.deepEqual(await outageTurns(1), [{ writes: 0, crmRead: 0 }]);
      await w().seller.edit(crmId, { value: 77_777, notes: 'Edited while Partner Center was down' });
      assert.deepEqual(await outageTurns(1), [{ writes: 0, crmRead: 1 }], 'the edit is read, and the record already says it waits');
      const turns = await outageTurns(OUTAGE_TURNS - 2);
      assert.deepEqual(turns, turns.map(() => ({ writes: 0, crmRead: 0 })), `turns after the edit: ${JSON.stringify(turns)}`);
      assert.equal((await w().seller.read(crmId)).syncMessage, message);

      const referrals = await afterOutage(crmId);
      assert.equal(referrals.length, 1, 'one referral, not none and not two');
      assert.equal(referrals[0]!.details?.dealValue, 77_777, "the seller's latest value");
      assert.equal(referrals[0]!.details?.notes, 'Edited while Partner Center was down', "the seller's latest notes");
    });
  });
}
