/**
 * No silent loss, against in-memory fakes of both sides: whatever one side refuses is parked with its
 * reasons, counted in the run, retried when either side changes and after a back-off, and settled once it
 * goes through; text longer than the CRM keeps is written shortened and never flows back as an edit.
 */
import assert from 'node:assert/strict';
import type { CrmWrite } from '../../../core/engine/crm-port.js';
import { retryDelayMs } from '../../../core/engine/backoff.js';
import type { FakeRefusal } from '../../helpers/fake-crm.js';
import { fakeWorld } from '../../helpers/fake-world.js';
import { inboundFromMicrosoft, outboundDeal } from '../../helpers/referrals.js';

const world = () => fakeWorld({ policy: 'newest-wins', holdWonHours: 72 });

const TERRITORY: FakeRefusal = { field: 'territory', rule: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Choose a sales territory before saving.' };
const refuseCreates = (w: CrmWrite) => (w.kind === 'create' ? TERRITORY : undefined);
const inbound = (o = {}) => inboundFromMicrosoft({ referralId: undefined, crmId: undefined, ...o });

describe('no silent loss (engine)', () => {
  it('parks an inbound referral the CRM refuses, counts it, and retries it on a change, after the back-off, and until it goes through', async () => {
    const w = world();
    w.crm.refuse = refuseCreates;
    const sent = w.pc.receive(inbound({ dealName: 'Refused at first' }));

    const first = await w.sync();
    assert.equal(first.outcome, 'ok');
    assert.equal(first.counts.parked, 1, 'the refused create is counted');
    const parked = w.store.getParked('partner-center', sent.referralId!)!;
    assert.equal(parked.name, 'Refused at first');
    assert.deepEqual(parked.reasons.map((r) => [r.field, r.code]), [['territory', 'crm.FIELD_CUSTOM_VALIDATION_EXCEPTION']]);
    assert.match(parked.reasons[0]!.message, /Fake CRM refused it: Choose a sales territory/);
    assert.equal(parked.attempts, 1);
    assert.ok(parked.retryAt);
    assert.equal(w.store.listIntents().length, 1, 'the create intent stays until the create goes through');

    const quiet = await w.sync();
    assert.equal(quiet.counts.parked ?? 0, 0, 'nothing changed and the back-off has not ended: not tried again');
    assert.equal(quiet.writes, 0);
    assert.equal(w.crm.calls.write, 1);

    w.pc.actAs(sent.referralId!, (r) => ({ ...r, notes: 'Microsoft added a note' }));
    const onChange = await w.sync();
    assert.equal(onChange.counts.parked, 1, 'a change on Partner Center retries it at once');
    assert.equal(w.store.getParked('partner-center', sent.referralId!)!.attempts, 2);

    w.advance(retryDelayMs(2));
    const afterBackOff = await w.sync();
    assert.equal(afterBackOff.counts.retried, 1);
    assert.equal(afterBackOff.counts.parked, 1, 'still refused after the back-off: parked again, for longer');
    assert.equal(w.store.getParked('partner-center', sent.referralId!)!.attempts, 3);

    w.crm.refuse = undefined; // the admin fixed the validation rule
    w.advance(retryDelayMs(3));
    const fixed = await w.sync();
    assert.equal(fixed.counts.crmCreated, 1);
    assert.equal(w.opportunitiesFor(sent.referralId!).length, 1);
    assert.equal(w.store.countParked(), 0);
    assert.equal(w.store.listIntents().length, 0);
    await w.sync();
    assert.equal((await w.sync()).writes, 0);
    assert.equal(w.opportunitiesFor(sent.referralId!).length, 1);
  });

  it('parks a Partner Center change the CRM refuses to apply, shows it on the record once, and applies it once allowed', async () => {
    const w = world();
    w.crm.fieldLabels = { notes: 'Description' };
    const sent = w.pc.receive(inbound());
    await w.sync();
    await w.sync();
    const [opportunity] = w.opportunitiesFor(sent.referralId!);
    w.crm.refuse = (write) => (write.kind === 'update' && write.changedFields.includes('notes') ? { field: 'notes', rule: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Description is locked.' } : undefined);
    w.pc.actAs(sent.referralId!, (r) => ({ ...r, notes: 'New note from Microsoft' }));

    const refused = await w.sync();
    assert.equal(refused.counts.parked, 1);
    assert.deepEqual(w.store.getParked('partner-center', sent.referralId!)?.reasons.map((r) => [r.field, r.code]), [['notes', 'crm.FIELD_CUSTOM_VALIDATION_EXCEPTION']], 'the store keeps the canonical path');
    assert.equal(opportunity!.status?.state, 'error');
    assert.equal(opportunity!.status?.message, 'Description: Fake CRM refused it: Description is locked. [crm.FIELD_CUSTOM_VALIDATION_EXCEPTION]', 'the record names the field by its CRM label');
    for (let i = 0; i < 2; i += 1) {
      const echo = await w.sync();
      assert.equal(echo.writes, 0, `the echo of the error status sends nothing (run ${i + 2}): ${JSON.stringify(echo.counts)}`);
      assert.equal(echo.counts.parked ?? 0, 0);
    }

    w.crm.refuse = undefined;
    w.advance(retryDelayMs(1));
    await w.sync();
    assert.equal(opportunity!.referral.notes, 'New note from Microsoft');
    assert.equal(opportunity!.status?.state, 'synced');
    assert.equal(w.store.countParked(), 0);
    await w.sync();
    assert.equal((await w.sync()).writes, 0);
  });

  it('writes a name longer than the CRM keeps shortened, says so, and never sends the short form back to Partner Center', async () => {
    const w = world();
    w.crm.textLimits = { dealName: 120 };
    const long = `Contoso worldwide rollout ${'with many sites '.repeat(20)}`.slice(0, 300);
    const sent = w.pc.receive(inbound({ dealName: long }));

    const first = await w.sync();
    assert.equal(first.counts.parked ?? 0, 0, JSON.stringify(w.store.listParked()));
    const [opportunity] = w.opportunitiesFor(sent.referralId!);
    assert.ok(opportunity, 'the referral reached the CRM');
    assert.equal(opportunity.referral.dealName.length, 120);
    assert.ok(opportunity.referral.dealName.endsWith('…'));
    assert.equal(opportunity.status?.state, 'synced');
    assert.match(opportunity.status?.message ?? '', /Shortened to fit Fake CRM: deal name \(300 characters, Fake CRM keeps 120\)/);
    for (const run of [2, 3]) {
      const report = await w.sync();
      assert.equal(report.writes, 0, `run ${run} writes nothing: ${JSON.stringify(report.counts)}`);
    }
    assert.equal(w.pc.referrals.get(sent.referralId!)!.dealName, long, 'Partner Center keeps the full name');

    w.crm.edit(opportunity.crmId, (o) => {
      o.referral.value = 123_456;
    });
    await w.sync();
    assert.equal(w.pc.referrals.get(sent.referralId!)!.value, 123_456);
    assert.equal(w.pc.referrals.get(sent.referralId!)!.dealName, long, 'an edit of another field leaves the full name alone');

    const renamed = `Renamed in Partner Center ${'and still too long '.repeat(10)}`;
    w.pc.actAs(sent.referralId!, (r) => ({ ...r, dealName: renamed }));
    await w.sync();
    assert.ok(renamed.startsWith(opportunity.referral.dealName.slice(0, -1)));
    await w.sync();
    assert.equal((await w.sync()).writes, 0);
    assert.equal(w.pc.referrals.get(sent.referralId!)!.dealName, renamed);
  });

  it('counts every record parked during a run, whatever the cause, and retries rule refusals after the back-off without rewriting the record', async () => {
    const w = world();
    w.crm.refuse = refuseCreates;
    w.pc.receive(inbound());
    const missingTeam = w.crm.add({ ...outboundDeal({ team: [] }), referralId: undefined, engagementId: undefined });
    const report = await w.sync();
    assert.equal(report.counts.parked, 2, 'one CRM refusal and one Partner Center rule refusal');
    assert.equal((await w.sync()).counts.parked ?? 0, 0, 'the echo of the status written onto the refused deal is not an attempt');
    const writesBefore = w.crm.calls.write;
    w.advance(retryDelayMs(1));
    const retry = await w.sync();
    assert.equal(retry.counts.retried, 2);
    assert.equal(w.store.getParked('crm', missingTeam)?.attempts, 2);
    assert.equal(w.crm.records.get(missingTeam)!.status?.state, 'error');
    assert.equal(w.crm.calls.write - writesBefore, 1, 'only the refused create was sent again; the unchanged rule refusal wrote nothing');
  });

  it('finishes a create left as a bare intent by an older version (refused, never parked), and drops one whose referral is gone', async () => {
    const w = world();
    w.crm.refuse = refuseCreates;
    const stranded = w.pc.receive(inbound({ dealName: 'Stranded before the upgrade' }));
    const vanished = w.pc.receive(inbound({ dealName: 'Gone since' }));
    await w.sync();
    // What an older version left behind: the create intents only, the change feed already past them.
    for (const id of [stranded.referralId!, vanished.referralId!]) w.store.unpark('partner-center', id);
    w.pc.referrals.delete(vanished.referralId!);
    w.crm.refuse = undefined;
    w.advance(1000);
    const report = await w.sync();
    assert.equal(report.counts.retried, 2);
    assert.equal(w.opportunitiesFor(stranded.referralId!).length, 1, 'the stranded referral reaches the CRM');
    assert.deepEqual(w.store.listIntents(), [], 'no intent is left: one finished, one dropped with its vanished referral');
    assert.equal(w.store.countParked(), 0);
    await w.sync();
    assert.equal((await w.sync()).writes, 0);
  });

  it('drops a parked record that no longer needs syncing when its retry comes', async () => {
    const w = world();
    const crmId = w.crm.add({ ...outboundDeal({ team: [] }), referralId: undefined, engagementId: undefined });
    await w.sync();
    assert.equal(w.store.countParked(), 1);
    w.crm.records.get(crmId)!.intent.optedIn = false; // the seller unticks "Sync with Partner Center" (not yet read)
    w.advance(retryDelayMs(1));
    await w.sync();
    assert.equal(w.store.countParked(), 0);
  });
});
