/**
 * Issue 19 item 4, played from inside each CRM against the sandboxes: after Won, the record says whether
 * the deal can be registered and why, by when (60 days after contract signature), links to the deal in
 * Partner Center, mirrors Partner Center's registration state (sandbox extension, UNVERIFIED), and reminds
 * the seller through the notification channel (Microsoft Graph) before the deadline.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { lockedRun } from '../../core/cli/locked-run.js';
import type { SentItem } from '../../sandbox/graph/wire.js';
import { OUR_PARTNER_ORG } from '../../sandbox/partner-center/organizations.js';
import { notificationsFor } from '../helpers/notifications.js';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';
import { referralOf, unwrap } from './lifecycle.suite.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The same instant to the second, whatever format the CRM stores it in. */
function sameInstant(actual: string | undefined, expected: number, what: string): void {
  assert.ok(actual, `${what} is on the record`);
  const seconds = (ms: number) => Math.floor(ms / 1000);
  assert.equal(seconds(Date.parse(actual.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))), seconds(expected), `${what}: ${actual}`);
}

export function runRegistrationFollowUpSuite(kind: CrmKind): void {
  describe(`deal registration follow-up in ${kind === 'salesforce' ? 'Salesforce' : 'Dynamics 365'} (end to end)`, function () {
    this.timeout(120_000);
    let world: World | undefined;
    afterEach(async () => world?.close());

    async function wonDeal(w: World, name: string, extra: Parameters<typeof dealSpec>[1]): Promise<{ crmId: string; referralId: string }> {
      const crmId = await w.seller.createDeal(dealSpec(name, extra));
      await w.syncToQuiet();
      const referralId = (await w.seller.read(crmId)).referralId!;
      assert.ok(referralId, 'the deal reached Partner Center');
      w.set.clock.advance(73 * HOUR); // past the 72-hour gap, so the Won is not held
      await w.seller.win(crmId);
      await w.syncToQuiet();
      assert.equal(referralOf(w, referralId).substatus, 'Won');
      return { crmId, referralId };
    }

    it('an eligible Won deal shows why, the deadline 60 days after signature, the Partner Center link, then the registration state', async () => {
      world = await startWorld(kind);
      const { crmId, referralId } = await wonDeal(world, 'Registrable won', { share: true, solutions: [{ id: 'SOL-AZIP-0001', kind: 'own', incentiveEligible: true }] });
      const record = await world.seller.read(crmId);
      assert.equal(record.registrationEligible, true);
      assert.match(record.registrationNote ?? '', /Eligible for deal registration: register it with Register now in Partner Center by \d{4}-\d{2}-\d{2}/);
      assert.match(record.registrationNote ?? '', /only if the customer contract names your company and the incentive-eligible solution/);
      const closing = Date.parse(referralOf(world, referralId).details!.closingDateTime!);
      sameInstant(record.registrationDeadline, closing + 60 * DAY, 'register by (close date + 60 days, no signature date known)');
      assert.ok(record.referralLink?.includes(referralId), `the record links to the deal in Partner Center: ${record.referralLink}`);
      assert.equal(record.registrationStatus, undefined, 'not registered yet');

      // The partner registers in Partner Center (Register now) with the contract's signature date.
      const signed = Date.parse('2027-02-01T00:00:00Z');
      unwrap(world.set.partnerCenter.actAs(OUR_PARTNER_ORG).register(referralId, { status: 'Registered', contractSignedDateTime: new Date(signed).toISOString() }));
      await world.syncToQuiet();
      const registered = await world.seller.read(crmId);
      assert.equal(registered.registrationStatus, 'Registered');
      assert.match(registered.registrationNote ?? '', /Deal registered; Microsoft is validating it/);
      sameInstant(registered.registrationDeadline, signed + 60 * DAY, 'register by (signature + 60 days)');

      unwrap(world.set.partnerCenter.actAs(OUR_PARTNER_ORG).register(referralId, { status: 'ActionRequired', message: 'Upload the signed contract' }));
      await world.syncToQuiet();
      const action = await world.seller.read(crmId);
      assert.equal(action.registrationStatus, 'ActionRequired');
      assert.match(action.registrationNote ?? '', /needs action in Partner Center: Upload the signed contract/);
      assert.equal((await world.sync()).writes, 0, 'a further sync writes nothing');
    });

    it("reminds the deal's seller through the notification channel once the deadline is near, once", async () => {
      world = await startWorld(kind);
      world.runtime.config.notifications = notificationsFor(world);
      const { crmId } = await wonDeal(world, 'Registrable reminder', { share: true, solutions: [{ id: 'SOL-AZIP-0001', kind: 'own', incentiveEligible: true }] });
      const deadline = (await world.seller.read(crmId)).registrationDeadline!;
      const run = () => lockedRun(world!.runtime, 'registration-reminder-test');
      const reminders = async () => {
        const sent = (await (await fetch(`${world!.set.graph.controls}/sent`)).json()) as { value: SentItem[] };
        return sent.value.filter((m) => m.subject?.startsWith('Register the won deal Registrable reminder'));
      };
      await run();
      assert.deepEqual(await reminders(), [], 'no reminder while the deadline is far');

      const at = Date.parse(deadline.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
      world.set.clock.advance(at - 10 * DAY - world.set.clock.now().getTime());
      await run();
      await run();
      const sent = await reminders();
      assert.equal(sent.length, 1, 'one reminder, however many runs');
      assert.match(sent[0]!.content, /Register now/);
      assert.ok(sent[0]!.to.length > 0, "sent to the deal's seller");
    });

    it('a Won deal that cannot be registered says why on the record, with no deadline', async () => {
      world = await startWorld(kind);
      const { crmId } = await wonDeal(world, 'Private won', { solutions: [{ id: 'SOL-AZIP-0002', kind: 'own', incentiveEligible: true }] });
      const record = await world.seller.read(crmId);
      assert.equal(record.registrationEligible, false);
      assert.match(record.registrationNote ?? '', /Not eligible for deal registration: deal registration is not applicable for private deals/);
      assert.equal(record.registrationDeadline, undefined);

      const other = await wonDeal(world, 'No incentive won', { share: true, solutions: [{ id: 'SOL-1234-PQRS', kind: 'own' }] });
      assert.match((await world.seller.read(other.crmId)).registrationNote ?? '', /Not eligible for deal registration: the deal needs an incentive-eligible solution/);
    });

    it('an open deal carries no registration note', async () => {
      world = await startWorld(kind);
      const crmId = await world.seller.createDeal(dealSpec('Open registrable', { share: true, solutions: [{ id: 'SOL-AZIP-0003', kind: 'own', incentiveEligible: true }] }));
      await world.syncToQuiet();
      const record = await world.seller.read(crmId);
      assert.equal(record.registrationEligible, false);
      assert.equal(record.registrationNote, undefined);
    });
  });
}
