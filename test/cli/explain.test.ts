/**
 * Issue 12, item 7: `cosell explain CRM-ID|REFERRAL-ID` through the real binary shows the last synced
 * base, both sides' current values, the merge decision per unit, the rules and what the next sync would
 * send; and the next sync then sends exactly that.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import { referralOf, unwrap } from '../e2e/lifecycle.suite.js';
import { startCliWorld, type CliWorld } from '../helpers/cli.js';

/** What would drive a terminal: ESC, BEL, CSI (C1) and a right-to-left override. */
// eslint-disable-next-line no-control-regex
const TERMINAL_CONTROLS = /[\u001b\u0007\u009b\u202e]/;

interface Explained {
  units: { unit: string; base: unknown; crm: unknown; partnerCenter: unknown; decision: string; toPartnerCenter: boolean; toCrm: boolean }[];
  nextSync: { toPartnerCenter: Record<string, unknown>; toCrm: Record<string, unknown> };
  rules: { code: string; severity: string }[];
}

describe('cosell explain (real binary)', function () {
  this.timeout(120_000);
  let world: CliWorld;
  afterEach(async () => world?.close());

  it('item 7: shows base, both sides and the decision per unit, and the next sync sends what it said', async () => {
    world = await startCliWorld('salesforce');
    const crmId = await world.seller.createDeal(dealSpec('Explained deal'));
    await world.syncToQuiet();
    const referralId = (await world.seller.read(crmId)).referralId!;
    await world.seller.edit(crmId, { value: 52_000 });
    unwrap(world.set.partnerCenter.service.change(OUR_PARTNER_ORG, referralId, (json) => ({ ok: true, value: { ...json, name: 'Renamed in Partner Center' } })));

    const json = await world.cli(['explain', crmId, '--json']);
    assert.equal(json.code, 0, json.stderr);
    const x = JSON.parse(json.stdout) as Explained;
    const unit = (name: string) => x.units.find((u) => u.unit === name)!;
    assert.deepEqual([unit('value').base, unit('value').crm, unit('value').partnerCenter, unit('value').decision], [48_000, 52_000, 48_000, 'changed in the CRM']);
    assert.deepEqual([unit('dealName').base, unit('dealName').partnerCenter, unit('dealName').decision], ['Explained deal', 'Renamed in Partner Center', 'changed in Partner Center']);
    assert.equal(unit('closeDate').decision, 'unchanged');
    assert.deepEqual(x.nextSync.toPartnerCenter, { value: 52_000 });
    assert.deepEqual(Object.keys(x.nextSync.toCrm), ['dealName']);
    assert.deepEqual(x.rules.filter((r) => r.severity === 'error'), [], 'Partner Center\'s rules let the change through');

    const text = await world.cli(['explain', referralId]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`CRM ${crmId} ↔ referral ${referralId}`));
    assert.match(text.stdout, /^value +crm +48000 +52000 +48000 +changed in the CRM$/m);
    assert.match(text.stdout, /The next sync would send to Partner Center:\n {2}value = 52000/);
    assert.match(text.stdout, /The next sync would write to the CRM:\n {2}dealName = Renamed in Partner Center/);

    await world.syncToQuiet();
    assert.equal(referralOf(world, referralId).details?.dealValue, 52_000);
    assert.equal((await world.seller.read(crmId)).name, 'Renamed in Partner Center');
    const quiet = JSON.parse((await world.cli(['explain', crmId, '--json'])).stdout) as Explained & { recordShows: { state: string; message: string } };
    assert.deepEqual(quiet.nextSync, { toPartnerCenter: {}, toCrm: {} });
    // What the record shows, message whole (a cut Salesforce message says explain shows all).
    assert.equal(quiet.recordShows.state, 'synced');
    assert.equal(quiet.recordShows.message, (await world.seller.read(crmId)).syncMessage ?? '');
    assert.match((await world.cli(['explain', crmId])).stdout, /^The record shows: synced.*, written 20\d\d-/m);

    const unlinked = await world.seller.createDeal(dealSpec('Not ticked', { optIn: false }));
    const plain = await world.cli(['explain', unlinked]);
    assert.match(plain.stdout, /not linked to a referral yet\.\nThe next sync would: nothing: "Sync with Partner Center" is not ticked/);
    const missing = await world.cli(['explain', 'no-such-id']);
    assert.equal(missing.code, 2, 'an ID nothing has is a usage error, like conflicts show 999');
    // Partner Center's 404 is the expected answer here: the clear message alone, no log line before it.
    assert.equal(missing.stderr, 'cosell: ID: no CRM record and no referral has the ID "no-such-id"\n');
    assert.equal(missing.stdout, '');
  });

  it('explain, status and a dry run print a seller\'s text without its escape sequences and bidi overrides (the admin\'s terminal is not theirs)', async () => {
    // Until 2026-12-06 the lines of what the next sync sends printed CRM text as it was: a deal name could
    // clear the admin's screen or set its title, and an override reorder what it shows.
    world = await startCliWorld('salesforce');
    const crmId = await world.seller.createDeal(dealSpec('Plain deal'));
    await world.syncToQuiet();
    await world.seller.edit(crmId, { name: 'Deal \u001b[2Jcleared', notes: 'hello \u001b]0;PWNED\u0007\u001b[31mRED\u009b0m \u202eevil \u200bhidden' });
    const text = await world.cli(['explain', crmId]);
    assert.equal(text.code, 0, text.stderr);
    assert.doesNotMatch(text.stdout, TERMINAL_CONTROLS);
    assert.match(text.stdout, /dealName = Deal \[2Jcleared/);
    const json = await world.cli(['explain', crmId, '--json']);
    assert.doesNotMatch(json.stdout, TERMINAL_CONTROLS, 'JSON escapes them');
    assert.ok(!json.stdout.includes('\u200b') && json.stdout.includes('\\u200bhidden'), 'a zero-width space is escaped as log lines escape it');
    assert.ok(String((JSON.parse(json.stdout) as Explained).nextSync.toPartnerCenter.notes).includes('\u009b0m \u202eevil \u200bhidden'), 'the same data');

    // Parked (co-sell without consent): `cosell status` lists it by its name.
    await world.seller.createDeal(dealSpec('Parked \u001b]0;PWNED\u0007\u202edeal', { consent: false, helpType: 'technical-architecture', share: true }));
    await world.syncToQuiet();
    const status = await world.cli(['status']);
    assert.match(status.stdout, /"Parked \]0;PWNEDdeal"/);
    assert.doesNotMatch(status.stdout, TERMINAL_CONTROLS);
    await world.seller.edit(crmId, { notes: 'dry \u001b]0;PWNED\u0007 run' });
    const plan = await world.cli(['sync', '--once', '--dry-run']);
    assert.match(plan.stdout, /update Description "Deal \[2Jcleared"/, plan.stdout + plan.stderr);
    assert.doesNotMatch(plan.stdout, TERMINAL_CONTROLS);
  });

  it('without consent, explain predicts what the sync then does: a private deal goes without the contact, a co-sell deal needing it is parked', async () => {
    world = await startCliWorld('salesforce');
    const explained = async (crmId: string) => {
      const out = await world.cli(['explain', crmId, '--json']);
      assert.equal(out.code, 0, out.stderr);
      return JSON.parse(out.stdout) as Explained & { nextSync: unknown; blockedBecause?: string };
    };
    const stateOf = async (crmId: string) => (await world.seller.read(crmId)).syncState;

    // Create (no link yet).
    const priv = await world.seller.createDeal(dealSpec('Private without consent', { consent: false }));
    const cosell = await world.seller.createDeal(dealSpec('Co-sell without consent', { consent: false, helpType: 'technical-architecture', share: true }));
    assert.equal((await explained(priv)).nextSync, 'create a referral in Partner Center');
    assert.match(String((await explained(cosell)).nextSync), /^park it/);
    await world.syncToQuiet();
    assert.equal(await stateOf(priv), 'synced', 'the sync sent the private deal without the contact');
    assert.equal(await stateOf(cosell), 'error', 'the sync parked the co-sell deal');

    // Change (linked): an edit to the private deal goes, the withheld contact stays behind.
    await world.seller.edit(priv, { value: 61_000 });
    const change = await explained(priv);
    assert.equal(change.blockedBecause, undefined, JSON.stringify(change.rules));
    assert.deepEqual(change.nextSync, { toPartnerCenter: { value: 61_000 }, toCrm: {} });
    await world.syncToQuiet();
    assert.equal(await stateOf(priv), 'synced');
    assert.equal(world.set.partnerCenter.store.withExternalReferenceId(priv)[0]?.details?.dealValue, 61_000);

    // Change (linked): withdrawing consent on a co-sell deal parks it, as explain says.
    const linkedCosell = await world.seller.createDeal(dealSpec('Co-sell consent withdrawn', { helpType: 'proof-of-concept', share: true }));
    await world.syncToQuiet();
    await world.seller.setConsent(linkedCosell, false);
    const withdrawn = await explained(linkedCosell);
    assert.match(withdrawn.blockedBecause ?? '', /the deal would be parked/);
    assert.ok(withdrawn.rules.some((r) => r.code === 'consent.contact_required_for_help' && r.severity === 'error'), JSON.stringify(withdrawn.rules));
    await world.syncToQuiet();
    assert.equal(await stateOf(linkedCosell), 'error');
  });

  it('a deal Partner Center closed, edited in the CRM since: no unit marked as sent, as nextSync says, and the record would show "closed"', async () => {
    world = await startCliWorld('salesforce');
    const crmId = await world.seller.createDeal(dealSpec('Won, then edited'));
    await world.syncToQuiet();
    const referralId = (await world.seller.read(crmId)).referralId!;
    unwrap(world.set.partnerCenter.service.change(OUR_PARTNER_ORG, referralId, (json) => ({ ok: true, value: { ...json, status: 'Closed', substatus: 'Won' } })));
    await world.syncToQuiet();
    world.set.clock.advance(60_000);
    await world.seller.edit(crmId, { value: 99_000 });

    const out = await world.cli(['explain', crmId, '--json']);
    assert.equal(out.code, 0, out.stderr);
    const x = JSON.parse(out.stdout) as Explained & { blockedBecause?: string; recordWouldShow?: { state: string; message?: string } };
    assert.equal(x.units.find((u) => u.unit === 'value')?.decision, 'changed in the CRM');
    assert.deepEqual(x.nextSync.toPartnerCenter, {});
    assert.deepEqual(x.units.filter((u) => u.toPartnerCenter).map((u) => u.unit), [], 'no unit flagged as going to Partner Center');
    assert.match(x.blockedBecause ?? '', /final state \(Closed\/Won\)/);
    assert.equal(x.recordWouldShow?.state, 'closed', JSON.stringify(x.recordWouldShow));
    assert.match(x.recordWouldShow?.message ?? '', /^Closed in Partner Center, not sent: Amount\./);

    await world.syncToQuiet();
    assert.equal((await world.seller.read(crmId)).syncState, 'closed', 'the sync did what explain said');
    assert.equal(referralOf(world, referralId).details?.dealValue, 48_000, 'Partner Center keeps its value');
    const text = await world.cli(['explain', crmId]);
    assert.match(text.stdout, /Nothing would be sent to Partner Center: Partner Center's deal is in a final state/);
    assert.match(text.stdout, /The next sync would send to Partner Center: nothing/);
  });

  it('says what the sync then does when the engine holds a change back: a registrable Won within 72 hours is held, not sent', async () => {
    world = await startCliWorld('salesforce');
    const crmId = await world.seller.createDeal(dealSpec('Registrable', { share: true, solutions: [{ id: 'SOL-AZIP-0001', kind: 'own', incentiveEligible: true }] }));
    await world.syncToQuiet();
    const referralId = (await world.seller.read(crmId)).referralId!;
    world.set.clock.advance(60 * 60 * 1000);
    await world.seller.win(crmId);

    const out = await world.cli(['explain', crmId, '--json']);
    assert.equal(out.code, 0, out.stderr);
    const x = JSON.parse(out.stdout) as Explained & { recordWouldShow?: { state: string; message?: string }; plan: { side: string; kind: string }[] };
    assert.equal(x.units.find((u) => u.unit === 'status')?.decision, 'changed in the CRM', 'the merge sees the Won');
    assert.equal(x.nextSync.toPartnerCenter.status, undefined, `the Won is not sent while it is held (${JSON.stringify(x.nextSync)})`);
    assert.equal(x.recordWouldShow?.state, 'held', JSON.stringify(x.plan));
    const text = await world.cli(['explain', crmId]);
    assert.match(text.stdout, /The record would then show: held/);

    await world.syncToQuiet();
    assert.equal((await world.seller.read(crmId)).syncState, 'held', 'the sync did what explain said');
    assert.notEqual(referralOf(world, referralId).substatus, 'Won');
  });

  it('for a record not linked yet, says what the sync then does when Partner Center\'s account refuses it (an assessment deal of an organisation not vetted)', async () => {
    world = await startCliWorld('salesforce');
    world.set.partnerCenter.service.orgs.setAssessmentVetted(OUR_PARTNER_ORG, false);
    const crmId = await world.seller.createDeal(dealSpec('Assessment, not vetted', { share: true, solutions: [{ id: 'SOL-ASSESS-AZMIG', kind: 'assessment', assessmentLocation: 'US' }] }));

    const out = await world.cli(['explain', crmId, '--json']);
    assert.equal(out.code, 0, out.stderr);
    const x = JSON.parse(out.stdout) as { nextSync: string; recordWouldShow?: { state: string; message?: string } };
    assert.match(x.nextSync, /^park it/, JSON.stringify(x));
    assert.match(x.recordWouldShow?.message ?? '', /assessment\.vetted_partners_only/);
    assert.match((await world.cli(['explain', crmId])).stdout, /The record would then show: error \(.*not vetted/);

    await world.syncToQuiet();
    assert.equal((await world.seller.read(crmId)).syncState, 'error', 'the sync parked it, as explain said');
  });

  it('for a referral not linked yet, says what the sync then does with it: an inbound referral becomes a CRM opportunity', async () => {
    world = await startCliWorld('salesforce');
    const sent = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Explained inbound' } }));
    const out = await world.cli(['explain', sent.id, '--json']);
    assert.equal(out.code, 0, out.stderr);
    const x = JSON.parse(out.stdout) as { nextSync: string; plan: { side: string; kind: string }[] };
    assert.match(x.nextSync, /^create a CRM opportunity/);
    assert.ok(x.plan.some((p) => p.side === 'crm' && p.kind === 'create'), JSON.stringify(x.plan));
    assert.equal(world.runtime.store.listLinks({}).length, 0, 'explain wrote nothing');
    await world.syncToQuiet();
    assert.ok(world.runtime.store.getLinkByReferralId(sent.id), 'the sync created and linked it, as explain said');
  });

  it('names each reason by its canonical path and, for admins matching the record, the CRM\'s label the record shows', async () => {
    world = await startCliWorld('dynamics');
    const crmId = await world.seller.createDeal(dealSpec('Explained zero amount', { value: 0 }));
    const out = await world.cli(['explain', crmId]);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /error format\.value_positive \(value, on the record "Est\. Revenue"\): The estimated value must be a positive amount/);
    assert.match(out.stdout, /The record would then show: error \(Est\. Revenue: .*\[format\.value_positive\]\)/);
  });
});
