/**
 * Partner Center down for hours (503 on every call) while sellers keep editing in the CRM. Until
 * 2026-12-06 each run failed before it read the CRM's feed, and an edited record kept saying "synced" for
 * as long as the outage lasted. Now the record says its changes wait and since when, once per outage (the
 * later runs of the outage write nothing), nothing is lost, and the first run after the outage sends the
 * change and says "synced" again. Real sandboxes, real engine.
 */
import assert from 'node:assert/strict';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';
import { referralOf, unwrap } from './lifecycle.suite.js';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';

const MINUTE = 60_000;

export function runPartnerCenterDownSuite(kind: CrmKind): void {
  describe(`Partner Center down for hours while sellers edit (${kind})`, function () {
    this.timeout(120_000);
    let world: World;
    beforeEach(async () => {
      world = await startWorld(kind, { fastRetries: true });
    });
    afterEach(async () => world.close());

    it('the edited record says it waits and since when, once; the change goes through after the outage and the record says synced', async () => {
      const edited = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Contoso rollout', value: 10_000 } }));
      const untouched = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Fabrikam pilot', value: 20_000 } }));
      await world.syncToQuiet();
      const [crmId] = await world.seller.recordsForReferral(edited.id);
      const [otherId] = await world.seller.recordsForReferral(untouched.id);
      assert.equal((await world.seller.read(crmId!)).syncState, 'synced');
      const syncedAt = (await world.seller.read(crmId!)).lastSynced;

      world.set.partnerCenter.faults.configure({ rate: 1, kinds: { unavailable: 1 }, retryAfterSeconds: 0 });
      world.set.clock.advance(MINUTE);
      await world.seller.edit(crmId!, { value: 77_777, notes: 'Edited while Partner Center was down' });

      const first = await world.sync();
      assert.equal(first.outcome, 'failed');
      const waiting = await world.seller.read(crmId!);
      assert.equal(waiting.syncState, 'pending', `the record must not say synced: ${waiting.syncMessage}`);
      assert.match(waiting.syncMessage ?? '', /Partner Center has not answered since \d{4}-\d\d-\d\d \d\d:\d\d UTC \(HTTP 503\)/);
      assert.match(waiting.syncMessage ?? '', /kept and sent when it answers/);
      assert.equal(waiting.lastSynced, syncedAt, '"Last synced" stays the last time it did sync');
      assert.equal(waiting.value, 77_777, "the seller's edit is kept");
      assert.equal(first.counts.waiting, 1);
      assert.equal((await world.seller.read(otherId!)).syncState, 'synced', 'a record without a change waiting still says synced');

      // Later runs of the same outage: nothing written again, no loop on the connector's own status write.
      for (let turn = 0; turn < 3; turn += 1) {
        world.set.clock.advance(5 * MINUTE);
        const later = await world.sync();
        assert.equal(later.outcome, 'failed');
        assert.equal(later.writes, 0, `turn ${turn}: nothing rewritten during the same outage (${JSON.stringify(later.counts)})`);
      }
      assert.equal((await world.seller.read(crmId!)).syncMessage, waiting.syncMessage);

      world.set.partnerCenter.faults.configure(undefined);
      world.set.clock.advance(5 * MINUTE);
      const after = await world.sync();
      assert.equal(after.outcome, 'ok', after.message);
      assert.equal(referralOf(world, edited.id).details?.dealValue, 77_777, 'the change waited, not lost');
      const synced = await world.seller.read(crmId!);
      assert.equal(synced.syncState, 'synced', synced.syncMessage);
      assert.equal(synced.syncMessage ?? '', '');
      const quiet = await world.syncToQuiet();
      world.set.clock.advance(5 * MINUTE);
      assert.equal((await world.sync()).writes, 0, `quiet after the outage: ${quiet.map((r) => r.writes).join(', ')}`);
    });

    it('a second outage is told again with its own start; a deal ticked for sync during it waits too and is created after', async () => {
      const sent = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Northwind', value: 5_000 } }));
      await world.syncToQuiet();
      const [crmId] = await world.seller.recordsForReferral(sent.id);
      const down = () => world.set.partnerCenter.faults.configure({ rate: 1, kinds: { unavailable: 1 }, retryAfterSeconds: 0 });

      down();
      await world.seller.edit(crmId!, { value: 6_000 });
      await world.sync();
      const firstMessage = (await world.seller.read(crmId!)).syncMessage;
      world.set.partnerCenter.faults.configure(undefined);
      world.set.clock.advance(5 * MINUTE);
      assert.equal((await world.sync()).outcome, 'ok');
      assert.equal((await world.seller.read(crmId!)).syncState, 'synced');

      world.set.clock.advance(3 * 60 * MINUTE);
      down();
      await world.seller.edit(crmId!, { value: 7_000 });
      const newDeal = await world.seller.createDeal(dealSpec('Tailspin co-sell', { share: true }));
      const during = await world.sync();
      assert.equal(during.counts.waiting, 2, JSON.stringify(during.counts));
      const second = await world.seller.read(crmId!);
      assert.equal(second.syncState, 'pending');
      assert.notEqual(second.syncMessage, firstMessage, 'the second outage names its own start');
      assert.equal((await world.seller.read(newDeal)).syncState, 'pending');
      world.set.clock.advance(5 * MINUTE);
      assert.equal((await world.sync()).writes, 0, 'the new deal is not told again');

      world.set.partnerCenter.faults.configure(undefined);
      world.set.clock.advance(5 * MINUTE);
      await world.syncToQuiet();
      assert.equal(referralOf(world, sent.id).details?.dealValue, 7_000);
      const created = await world.seller.read(newDeal);
      assert.ok(created.referralId, `the deal ticked during the outage reached Partner Center: ${created.syncState} ${created.syncMessage}`);
      assert.equal(created.syncState, 'synced', created.syncMessage);
      assert.equal((await world.seller.read(crmId!)).syncState, 'synced');
    });

    // The status write moves the record's row version, and the CRM's cursor stays where the last full run
    // left it: every later turn of the outage listed the record again and read it in full (its team,
    // solutions, contact), to decide to write nothing. A record told in this outage is now its own echo.
    /** A referral synced and settled, then Partner Center down and the seller's edit told at the outage's first turn. */
    async function toldDuringOutage(dealName: string): Promise<{ sent: { id: string }; crmId: string }> {
      const sent = unwrap(world.microsoft.sendReferral({ deal: { dealName, value: 5_000 } }));
      await world.syncToQuiet();
      const [crmId] = await world.seller.recordsForReferral(sent.id);
      world.set.partnerCenter.faults.configure({ rate: 1, kinds: { unavailable: 1 }, retryAfterSeconds: 0 });
      await world.seller.edit(crmId!, { value: 6_000 });
      const told = await world.sync();
      assert.equal(told.counts.waiting, 1, JSON.stringify(told.counts));
      return { sent, crmId: crmId! };
    }

    it('a record told in this outage is not read again at later turns, and an edit made after the status write still goes', async () => {
      const { sent, crmId } = await toldDuringOutage('Litware');
      const message = (await world.seller.read(crmId!)).syncMessage;

      world.set.clock.advance(5 * MINUTE);
      const quiet = await world.sync();
      assert.equal(quiet.counts.crmRead ?? 0, 0, `the record told is not read again: ${JSON.stringify(quiet.counts)}`);
      world.set.clock.advance(MINUTE);
      await world.seller.edit(crmId!, { notes: 'Edited after the record said it waits' });
      for (let turn = 0; turn < 2; turn += 1) {
        world.set.clock.advance(5 * MINUTE);
        const later = await world.sync();
        assert.equal(later.outcome, 'failed');
        assert.equal(later.writes, 0, `turn ${turn}: ${JSON.stringify(later.counts)}`);
        assert.equal(later.counts.crmRead ?? 0, 0, `turn ${turn}: a record told in this outage is not read again: ${JSON.stringify(later.counts)}`);
      }
      const shown = await world.seller.read(crmId!);
      assert.equal(shown.syncState, 'pending');
      assert.equal(shown.syncMessage, message);

      world.set.partnerCenter.faults.configure(undefined);
      world.set.clock.advance(5 * MINUTE);
      await world.syncToQuiet();
      assert.equal(referralOf(world, sent.id).details?.dealValue, 6_000);
      assert.equal(referralOf(world, sent.id).details?.notes, 'Edited after the record said it waits', 'the edit made after the status write is not lost');
      assert.equal((await world.seller.read(crmId!)).syncState, 'synced');
    });

    // A team member added alone (the opportunity not saved) changes a related row only, which the adapters list
    // from the last full run's cursor as well: until 2026-12-08 every later turn read the told record for it.
    it("a record told in this outage is not read again for a change in its related rows, which still goes after", async () => {
      const { sent, crmId } = await toldDuringOutage('Adatum');
      world.set.clock.advance(MINUTE);
      await world.seller.addTeamMember(crmId!, { firstName: 'Robin', lastName: 'Presales', phone: '+1 425 555 0199', email: 'robin.presales@partner.example' }, { alone: true });
      for (let turn = 0; turn < 3; turn += 1) {
        world.set.clock.advance(5 * MINUTE);
        const later = await world.sync();
        assert.equal(later.outcome, 'failed');
        assert.equal(later.counts.crmRead ?? 0, 0, `turn ${turn}: the told record is not read for its team: ${JSON.stringify(later.counts)}`);
      }
      assert.equal((await world.seller.read(crmId!)).syncState, 'pending');

      world.set.partnerCenter.faults.configure(undefined);
      world.set.clock.advance(5 * MINUTE);
      await world.syncToQuiet();
      assert.equal(referralOf(world, sent.id).details?.dealValue, 6_000);
      const team = (referralOf(world, sent.id).team ?? []).map((m) => m.email);
      assert.ok(team.includes('robin.presales@partner.example'), `the team member added during the outage is not lost: ${JSON.stringify(team)}`);
      assert.equal((await world.seller.read(crmId!)).syncState, 'synced');
    });

    // Partner Center answers the runs' first calls (its changes feed) and still fails every update: the outage
    // lasts. Until 2026-12-06 a run that read the feed ended the outage recorded, and one that then failed on
    // an update either kept no record of it or recorded a new one: the waiting records were told again every
    // other run, each time with another start.
    it('an outage that fails only the updates lasts through the runs that read the feed, and is told once', async () => {
      const sent = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Woodgrove', value: 5_000 } }));
      await world.syncToQuiet();
      const [crmId] = await world.seller.recordsForReferral(sent.id);
      world.set.partnerCenter.faults.configure({ rate: 1, kinds: { unavailable: 1 }, retryAfterSeconds: 0 });
      await world.seller.edit(crmId!, { value: 6_000 });
      assert.equal((await world.sync()).outcome, 'failed');
      const second = await world.seller.read(crmId!);
      assert.equal(second.syncState, 'pending');

      world.set.partnerCenter.faults.configure({ rate: 1, kinds: { unavailable: 1 }, retryAfterSeconds: 0, match: '^PATCH ' });
      for (let turn = 0; turn < 3; turn += 1) {
        world.set.clock.advance(5 * MINUTE);
        const later = await world.sync();
        assert.equal(later.outcome, 'failed');
        assert.equal(later.writes, 0, `turn ${turn}: the same outage is told once (${JSON.stringify(later.counts)})`);
      }
      assert.equal((await world.seller.read(crmId!)).syncMessage, second.syncMessage);

      world.set.partnerCenter.faults.configure(undefined);
      world.set.clock.advance(5 * MINUTE);
      await world.syncToQuiet();
      assert.equal(referralOf(world, sent.id).details?.dealValue, 6_000);
      assert.equal((await world.seller.read(crmId!)).syncState, 'synced');
    });
  });
}
