/**
 * Issue 19 items 1 and 5, played from inside each CRM against the sandboxes: the MPN location chosen on
 * the record (or by the owner's default) reaches Partner Center, a later change is refused with the
 * reason on the record, and the "answer by" dates of both 14-day windows are on the record while an
 * answer is awaited and cleared once it is given.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';
import { SELLER_USER_ID } from '../../sandbox/dataverse/seed.js';
import { referralOf, unwrap } from './lifecycle.suite.js';

const DAY = 86_400_000;
const DEFAULT_LOCATION = 'loc-us-redmond';

/** The same instant to the second (Dataverse keeps no milliseconds), whatever format the CRM stores it in. */
function sameInstant(actual: string | undefined, expected: number, what: string): void {
  assert.ok(actual, `${what} is on the record`);
  const seconds = (ms: number) => Math.floor(ms / 1000);
  assert.equal(seconds(Date.parse(actual.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))), seconds(expected), `${what}: ${actual}`);
}

export function runLocationAnswerBySuite(kind: CrmKind): void {
  describe(`location per deal and answer-by dates in ${kind === 'salesforce' ? 'Salesforce' : 'Dynamics 365'} (end to end)`, function () {
    this.timeout(120_000);
    let world: World | undefined;
    afterEach(async () => world?.close());

    it('a deal with a non-default location reaches Partner Center with it; a later change is refused with the reason on the record', async () => {
      world = await startWorld(kind);
      const crmId = await world.seller.createDeal(dealSpec('Munich deal', { location: 'loc-de-munich' }));
      await world.syncToQuiet();
      const referralId = (await world.seller.read(crmId)).referralId!;
      assert.ok(referralId, 'the deal reached Partner Center');
      assert.equal(referralOf(world, referralId).locationId, 'loc-de-munich');

      await world.seller.setLocation(crmId, 'loc-jp-tokyo');
      await world.seller.edit(crmId, { value: 51_000 });
      await world.syncToQuiet();
      assert.equal(referralOf(world, referralId).locationId, 'loc-de-munich', 'the location change is not sent');
      assert.equal(referralOf(world, referralId).details?.dealValue, 51_000, 'the rest of the edit still is');
      const record = await world.seller.read(crmId);
      assert.equal(record.location, 'loc-de-munich', "the record shows Partner Center's location again");
      assert.match(record.syncMessage ?? '', /loc-jp-tokyo was not sent.*cannot be changed after the deal is created.*\[location\.immutable\]/);
      assert.equal(record.syncState, 'synced');
    });

    it("a deal without a location takes the owner's default, and the record shows the location it got", async () => {
      world = await startWorld(kind, { sync: { locationByOwner: { 'SAM.SELLER@partner.example': 'loc-jp-tokyo', [SELLER_USER_ID]: 'loc-jp-tokyo' } } });
      const crmId = await world.seller.createDeal(dealSpec('Owner default deal'));
      await world.syncToQuiet();
      const record = await world.seller.read(crmId);
      assert.equal(referralOf(world, record.referralId!).locationId, 'loc-jp-tokyo');
      assert.equal(record.location, 'loc-jp-tokyo');
    });

    it('a deal without a location and no owner default falls back to sync.defaultLocation', async () => {
      world = await startWorld(kind);
      const crmId = await world.seller.createDeal(dealSpec('Default location deal'));
      await world.syncToQuiet();
      const record = await world.seller.read(crmId);
      assert.equal(referralOf(world, record.referralId!).locationId, DEFAULT_LOCATION);
      assert.equal(record.location, DEFAULT_LOCATION);
    });

    it('an inbound referral shows its answer-by date until the seller answers', async () => {
      world = await startWorld(kind);
      const sent = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Inbound with a deadline' } }));
      await world.syncToQuiet();
      const [crmId] = await world.seller.recordsForReferral(sent.id);
      assert.ok(crmId);
      const stored = referralOf(world, sent.id);
      const expected = stored.expirationDateTime ? Date.parse(stored.expirationDateTime) : Date.parse(stored.createdDateTime!) + 14 * DAY;
      sameInstant((await world.seller.read(crmId)).answerBy, expected, 'answer by');
      await world.seller.accept(crmId);
      await world.syncToQuiet();
      assert.equal(referralOf(world, sent.id).status, 'Active');
      assert.equal((await world.seller.read(crmId)).answerBy, undefined, 'cleared once answered');
    });

    it("a co-sell request shows Microsoft's answer-by date until Microsoft decides", async () => {
      world = await startWorld(kind);
      const crmId = await world.seller.createDeal(dealSpec('Co-sell with a deadline', { share: true, helpType: 'proof-of-concept' }));
      await world.syncToQuiet();
      const record = await world.seller.read(crmId);
      const requested = referralOf(world, record.referralId!).microsoftEngagement?.requestedDateTime;
      assert.ok(requested, 'the co-sell request reached Microsoft');
      sameInstant(record.microsoftAnswerBy, Date.parse(requested) + 14 * DAY, 'Microsoft answers by');
      assert.equal(record.answerBy, undefined, 'an outbound deal waits for no answer of ours');
      unwrap(world.microsoft.respond(record.referralId!, 'accept'));
      await world.syncToQuiet();
      const after = await world.seller.read(crmId);
      assert.equal(after.microsoftStatus, 'Accepted');
      assert.equal(after.microsoftAnswerBy, undefined, 'cleared once Microsoft answered');
    });
  });
}
