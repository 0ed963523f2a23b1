/**
 * A parked deal costs an idle run nothing (issue 13: an idle cycle is one Partner Center call and one CRM
 * call, token calls aside), both CRMs. Until 2026-12-07 every run read every parked CRM record again, in one
 * batched read after the listing (core/engine/parked-recheck.ts, added when neither CRM's feed saw a fix made
 * on a related record only): two CRM calls a run for as long as anything stayed parked, which a real install
 * always has. Both feeds now list an opportunity whose account, contact, team member or solution changed
 * (connectors/salesforce/related-changes.ts, connectors/dynamics/customer-changes.ts and child-changes.ts),
 * so a fix is seen at once without it; with nothing changed, a parked record is read only when its back-off
 * ends (core/engine/parked-retries.ts).
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import type { CrmKind, World } from '../../sandbox/world.js';
import { costedRun } from '../helpers/run-costs.js';
import { worldPerTest } from '../helpers/world-per-test.js';

const MINUTE = 60_000;
/** Past every feed's re-read margin for late commits (Salesforce 300 s, Partner Center 120 s). */
const PAST_MARGINS_MS = 6 * MINUTE;
/** The run after the park's: a daemon's short interval, so that the idle runs after it fall inside the back-off. */
const SETTLE_MS = 2 * MINUTE;
const REASON = /create\.team\.required/;

interface Run {
  pc: number;
  crm: number;
  writes: number;
  retried: number;
}

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) {
  describe(`a parked deal in idle runs (${kind}, end to end)`, function () {
    this.timeout(120_000);
    const each = worldPerTest(kind);
    const w = (): World => each.world;

    async function run(advanceMs: number): Promise<Run> {
      const { pc, crm, writes, report } = await costedRun(w(), advanceMs);
      return { pc, crm, writes, retried: report.counts.retried ?? 0 };
    }

    const park = (crmId: string) => w().runtime.store.getParked('crm', crmId);

    /**
     * The first run parks the deal and writes its reason onto the record; the park keeps the version that
     * write made, so no later run reads it back (park-write-read-back.test.ts). Until 2026-12-07 it was read
     * back once, and on Salesforce again by each run whose re-read margin still reached it. Returns the
     * settling runs, the last past the margin.
     */
    async function parkAndSettle(): Promise<Run[]> {
      const first = await w().sync();
      assert.equal(first.counts.parked, 1, JSON.stringify(first.counts));
      const settle = [await run(SETTLE_MS), await run(PAST_MARGINS_MS - SETTLE_MS)];
      // (Dynamics 365's second run also starts tracking its child tables: calls of its own, once per install.)
      for (const r of settle) assert.ok(r.pc === 1 && r.writes === 0 && r.retried === 0, `settling: ${JSON.stringify(settle)}`);
      assert.equal(settle.at(-1)!.crm, 1, `settling: ${JSON.stringify(settle)}`);
      return settle;
    }

    async function assertShowsPark(crmId: string): Promise<void> {
      const record = await w().seller.read(crmId);
      assert.equal(record.syncState, 'error', record.syncMessage);
      assert.match(record.syncMessage ?? '', REASON);
      assert.equal(record.referralId, undefined);
    }

    it('costs one call a side per idle run, one read more when its back-off ends, and is retried at once when fixed', async () => {
      await w().seller.createDeal(dealSpec('Synced deal'));
      const crmId = await w().seller.createDeal(dealSpec('Parked deal', { team: [] }));
      await parkAndSettle();
      const parked = park(crmId);
      assert.ok(parked, 'the deal without a team member is parked');
      assert.match(parked.reasons.map((r) => r.code).join(), REASON);
      await assertShowsPark(crmId);

      // Idle runs inside the park's back-off (10 minutes after the first attempt), past the feeds' margins.
      const idle: Run[] = [];
      while (w().set.clock.nowMs() + MINUTE < Date.parse(parked.retryAt!)) idle.push(await run(MINUTE));
      assert.ok(idle.length >= 3, `${idle.length} idle runs`);
      assert.deepEqual(idle, idle.map(() => ({ pc: 1, crm: 1, writes: 0, retried: 0 })), `idle runs: ${JSON.stringify(idle)}`);
      assert.equal(park(crmId)?.attempts, parked.attempts, 'not tried while its back-off lasts');
      await assertShowsPark(crmId);

      // The back-off ends: the deal is read once more, refused again and parked for longer; then idle again.
      w().set.clock.advance(Date.parse(parked.retryAt!) - w().set.clock.nowMs());
      const retry = await run(MINUTE);
      assert.deepEqual(retry, { pc: 1, crm: 2, writes: 0, retried: 1 }, `the retry's run: ${JSON.stringify(retry)}`);
      const again = park(crmId);
      assert.equal(again?.attempts, parked.attempts + 1);
      assert.ok(Date.parse(again.retryAt!) > w().set.clock.nowMs() + 10 * MINUTE, `the next retry waits longer: ${again.retryAt}`);
      const after = [await run(PAST_MARGINS_MS), await run(MINUTE)];
      assert.deepEqual(after, after.map(() => ({ pc: 1, crm: 1, writes: 0, retried: 0 })), `idle runs after the retry: ${JSON.stringify(after)}`);
      await assertShowsPark(crmId);

      // The seller adds a team member (a related row; the opportunity is not saved): retried at once, well
      // inside the new back-off, and created in Partner Center.
      await w().seller.addTeamMember(crmId, { firstName: 'Ava', lastName: 'Garcia', email: 'ava.garcia@partner.example', phone: '+1 425 555 0100' });
      w().set.clock.advance(MINUTE);
      const fixed = await w().sync();
      assert.equal(fixed.counts.pcCreated, 1, JSON.stringify(fixed.counts));
      await w().syncToQuiet();
      const record = await w().seller.read(crmId);
      assert.equal(record.syncState, 'synced', record.syncMessage);
      assert.ok(record.referralId, 'the fixed deal reached Partner Center');
      assert.equal(park(crmId), undefined, 'no longer parked');
      const settled = [await run(PAST_MARGINS_MS), await run(MINUTE)];
      assert.deepEqual(settled, settled.map(() => ({ pc: 1, crm: 1, writes: 0, retried: 0 })), `idle runs once synced: ${JSON.stringify(settled)}`);
    });

    it('a seller edit of the parked opportunity itself retries it at once, inside its back-off', async () => {
      const crmId = await w().seller.createDeal(dealSpec('Edited parked deal', { team: [] }));
      await parkAndSettle();
      const parked = park(crmId);
      assert.ok(parked);
      const idle = await run(MINUTE);
      assert.deepEqual(idle, { pc: 1, crm: 1, writes: 0, retried: 0 });
      await w().seller.edit(crmId, { notes: 'Edited while parked' });
      w().set.clock.advance(MINUTE);
      assert.ok(w().set.clock.nowMs() < Date.parse(parked.retryAt!), 'inside the back-off');
      const edited = await w().sync();
      // Read from the feed and refused again, with the same reason still shown; no back-off retry.
      assert.equal(edited.counts.crmRead, 1, JSON.stringify(edited.counts));
      assert.equal(edited.counts.parked, 1, JSON.stringify(edited.counts));
      assert.equal(edited.counts.retried ?? 0, 0, JSON.stringify(edited.counts));
      await assertShowsPark(crmId);
    });
  });
}
