/**
 * On Salesforce a deal's team members are read with their User's name, email and phone, and an edit of a User
 * moves only the User's SystemModstamp, not the team member row's nor the opportunity's. The change feed asks
 * for team members whose User changed too (connectors/salesforce/related-changes.ts, `User.SystemModstamp`),
 * so that the edit reaches the referral of every deal the user is on, and a deal parked for an incomplete team
 * member (`team.member_incomplete`) fixed by editing the User is retried in the next run, not after its
 * back-off. Until 2026-12-07 the query filtered on the team member's own stamp only: the referral kept the
 * old phone while the record said synced, and the parked deal waited for its back-off.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import type { World } from '../../sandbox/world.js';
import { costedRun } from '../helpers/run-costs.js';
import { worldPerTest } from '../helpers/world-per-test.js';
import { OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import { referralOf, unwrap } from './lifecycle.suite.js';

const MINUTE = 60_000;
/** Past the Salesforce feed's re-read margin (300 s) and Partner Center's (120 s). */
const PAST_MARGINS_MS = 6 * MINUTE;
const MEMBER = { firstName: 'Tess', lastName: 'Teammate', email: 'tess.teammate@partner.example', phone: '+1 425 555 0141' };

describe('a team member\'s User edited in Salesforce (end to end)', function () {
  this.timeout(120_000);
  const each = worldPerTest('salesforce');
  const w = (): World => each.world;

  const userId = (email: string): string => String(w().set.salesforce.store.all('User').find((u) => u.Email === email)?.Id);
  /** A seller or admin saves the User record (Setup › Users › Edit): SystemModstamp moves. */
  function editUser(email: string, values: Record<string, unknown>): void {
    const result = w().set.salesforce.seller.editRecord('User', userId(email), values);
    assert.ok(result.ok, JSON.stringify(result.errors));
  }
  async function run(advanceMs: number): Promise<{ pc: number; crm: number; writes: number }> {
    const { pc, crm, writes } = await costedRun(w(), advanceMs);
    return { pc, crm, writes };
  }
  /** Partner Center PATCH calls so far (the sandbox's call counter, by endpoint). */
  const patches = () => Object.entries(w().set.partnerCenter.counters.snapshot()).filter(([label]) => label.startsWith('PATCH ')).reduce((n, [, c]) => n + c, 0);
  const memberPhone = (referralId: string) => (referralOf(w(), referralId).team ?? []).find((m) => String(m.email).toLowerCase() === MEMBER.email)?.phoneNumber;

  it("reaches the referral's team member, and a further idle run costs one call a side", async () => {
    const crmId = await w().seller.createDeal(dealSpec('Team user edit', { team: [dealSpec('x').team[0]!, MEMBER] }));
    await w().syncToQuiet();
    const synced = await w().seller.read(crmId);
    assert.equal(synced.syncState, 'synced', synced.syncMessage);
    const referralId = synced.referralId!;
    assert.equal(memberPhone(referralId), MEMBER.phone);
    await run(PAST_MARGINS_MS);

    editUser(MEMBER.email, { Phone: '+1 425 555 0199' });
    const patchesBefore = patches();
    const edited = await run(MINUTE);
    assert.ok(edited.writes >= 1, `the edit's run writes the referral: ${JSON.stringify(edited)}`);
    assert.equal(patches() - patchesBefore, 1, 'one PATCH of the referral');
    assert.equal(memberPhone(referralId), '+1 425 555 0199', "the referral's team member has the User's new phone");
    assert.equal((await w().seller.read(crmId)).syncState, 'synced');

    const idle = [await run(PAST_MARGINS_MS), await run(MINUTE)];
    assert.deepEqual(idle, idle.map(() => ({ pc: 1, crm: 1, writes: 0 })), `idle runs after the edit: ${JSON.stringify(idle)}`);
    assert.equal(memberPhone(referralId), '+1 425 555 0199');

    // A User save that changes nothing a deal is read with (its title) moves the User's stamp only: the
    // team member's version is the one remembered, so the run reads no opportunity.
    editUser(MEMBER.email, { Title: 'Solution Architect' });
    const unrelated = await run(MINUTE);
    assert.deepEqual(unrelated, { pc: 1, crm: 1, writes: 0 }, `a title-only User edit: ${JSON.stringify(unrelated)}`);
  });

  it('reaches the referral when the same run reads a Partner Center change (the folded listing, fold-related.ts)', async () => {
    const crmId = await w().seller.createDeal(dealSpec('Team user edit folded', { team: [dealSpec('x').team[0]!, MEMBER] }));
    const otherId = await w().seller.createDeal(dealSpec('Changed in Partner Center'));
    await w().syncToQuiet();
    const referralId = (await w().seller.read(crmId)).referralId!;
    const otherReferral = (await w().seller.read(otherId)).referralId!;
    await run(PAST_MARGINS_MS);

    // The run's Partner Center phase asks for the other deal's CRM record: it rides in the listing's first
    // call, whose related-change queries also read that deal's rows and test each row for a change themselves
    // (isRelatedChange): a test that missed the User's stamp left the edited deal to the next run.
    unwrap(w().set.partnerCenter.service.change(OUR_PARTNER_ORG, otherReferral, (json) => ({ ok: true, value: { ...json, name: 'Renamed in Partner Center' } })));
    editUser(MEMBER.email, { Phone: '+1 425 555 0177' });
    const both = await run(MINUTE);
    assert.equal(memberPhone(referralId), '+1 425 555 0177', `that run writes the User's new phone: ${JSON.stringify(both)}`);
    assert.equal((await w().seller.read(crmId)).syncState, 'synced');
    assert.equal((await w().seller.read(otherId)).name, 'Renamed in Partner Center');
  });

  it('retries at once a deal parked for a team member without a phone when the User gets one', async () => {
    const crmId = await w().seller.createDeal(dealSpec('Parked for a phone', { team: [{ ...MEMBER, phone: '' }] }));
    editUser(MEMBER.email, { Phone: null });
    const first = await w().sync();
    assert.equal(first.counts.parked, 1, JSON.stringify(first.counts));
    const parked = w().runtime.store.getParked('crm', crmId);
    assert.match(parked?.reasons.map((r) => r.code).join() ?? '', /team\.member_incomplete/);
    await run(2 * MINUTE);
    await run(PAST_MARGINS_MS - 2 * MINUTE);

    editUser(MEMBER.email, { Phone: '+1 425 555 0142' });
    w().set.clock.advance(MINUTE);
    assert.ok(w().set.clock.nowMs() < Date.parse(parked!.retryAt!), 'inside the back-off');
    const fixed = await w().sync();
    assert.equal(fixed.counts.pcCreated, 1, JSON.stringify(fixed.counts));
    await w().syncToQuiet();
    const record = await w().seller.read(crmId);
    assert.equal(record.syncState, 'synced', record.syncMessage);
    assert.equal(memberPhone(record.referralId!), '+1 425 555 0142');
    assert.equal(w().runtime.store.getParked('crm', crmId), undefined, 'no longer parked');
  });
});
