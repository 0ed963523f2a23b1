/**
 * The sync engine's decisions against in-memory fakes of both sides (the end-to-end tests run the same
 * paths across the real sandboxes).
 */
import assert from 'node:assert/strict';
import { runSyncOnce } from '../../../core/engine/sync-engine.js';
import type { EngineOptions } from '../../../core/engine/context.js';
import { silentLogger } from '../../../core/logger.js';
import { openMemoryStore, type StateStore } from '../../../core/store/index.js';
import { FakeCrm } from '../../helpers/fake-crm.js';
import { FakePartnerCenter } from '../../helpers/fake-partner-center.js';
import { coSellDeal, inboundFromMicrosoft, outboundDeal } from '../../helpers/referrals.js';

const HOUR = 3_600_000;

function world(start = '2026-03-02T08:00:00.000Z') {
  let nowMs = Date.parse(start);
  const now = () => new Date(nowMs);
  const crm = new FakeCrm(now);
  const pc = new FakePartnerCenter(now);
  const store: StateStore = openMemoryStore();
  const sync = (options: Partial<EngineOptions> = {}) => runSyncOnce({ crm, partnerCenter: pc, store, logger: silentLogger(), now }, options);
  const advance = (ms: number) => {
    nowMs += ms;
  };
  return { crm, pc, store, sync, advance };
}

const draft = (o = {}) => outboundDeal({ referralId: undefined, engagementId: undefined, crmId: undefined, createdAt: undefined, updatedAt: undefined, acceptedAt: undefined, ...o });

describe('sync engine', () => {
  it('creates an opted-in outbound deal in Partner Center once, writes the referral ID back, then goes quiet', async () => {
    const w = world();
    const crmId = w.crm.add(draft());
    const first = await w.sync();
    assert.equal(first.outcome, 'ok');
    assert.equal(w.pc.referrals.size, 1);
    const referral = [...w.pc.referrals.values()][0]!;
    assert.equal(referral.crmId, crmId);
    assert.equal(w.crm.records.get(crmId)!.status?.referralId, referral.referralId);
    assert.equal(w.crm.records.get(crmId)!.status?.state, 'synced');
    await w.sync(); // reads the echo of its own writes
    const idle = await w.sync();
    assert.equal(idle.writes, 0, JSON.stringify(idle.counts));
    assert.equal(w.pc.referrals.size, 1);
  });

  it('gives an inbound referral exactly one CRM opportunity and writes the CRM ID to Partner Center', async () => {
    const w = world();
    const inbound = w.pc.receive(inboundFromMicrosoft({ referralId: undefined, crmId: undefined }));
    await w.sync();
    await w.sync();
    const opportunities = [...w.crm.records.values()].filter((o) => o.status?.referralId === inbound.referralId);
    assert.equal(opportunities.length, 1);
    assert.equal(w.pc.referrals.get(inbound.referralId!)!.crmId, opportunities[0]!.crmId);
    assert.equal((await w.sync()).writes, 0);
  });

  it('parks a deal Partner Center would refuse, shows every reason on the record, and retries it once fixed', async () => {
    const w = world();
    const crmId = w.crm.add(draft({ team: [], solutions: [] }));
    await w.sync();
    const status = w.crm.records.get(crmId)!.status!;
    assert.equal(status.state, 'error');
    assert.match(status.message, /create\.team\.required/);
    assert.match(status.message, /create\.solution\.required/);
    assert.equal(w.pc.referrals.size, 0);
    assert.equal(w.store.countParked(), 1);
    assert.equal((await w.sync()).writes, 0, 'an unchanged parked record is not retried');
    w.crm.edit(crmId, (o) => {
      o.referral.team = outboundDeal().team;
      o.referral.solutions = outboundDeal().solutions;
    });
    await w.sync();
    assert.equal(w.pc.referrals.size, 1);
    assert.equal(w.crm.records.get(crmId)!.status!.state, 'synced');
    assert.equal(w.store.countParked(), 0);
  });

  it('flows edits both ways and recognises its own echoes', async () => {
    const w = world();
    const crmId = w.crm.add(draft());
    await w.sync();
    const referralId = w.crm.records.get(crmId)!.status!.referralId!;
    w.crm.edit(crmId, (o) => (o.referral.value = 99000));
    w.pc.actAs(referralId, (r) => ({ ...r, notes: 'Microsoft: customer meeting booked' }));
    await w.sync();
    assert.equal(w.pc.referrals.get(referralId)!.value, 99000);
    assert.equal(w.crm.records.get(crmId)!.referral.notes, 'Microsoft: customer meeting booked');
    await w.sync();
    assert.equal((await w.sync()).writes, 0);
  });

  it('under the manual policy parks a conflicting pair for an admin and changes neither side', async () => {
    const w = world();
    const crmId = w.crm.add(draft());
    await w.sync();
    await w.sync();
    const referralId = w.crm.records.get(crmId)!.status!.referralId!;
    w.crm.edit(crmId, (o) => (o.referral.marketingCampaignId = 'CRM-CAMPAIGN'));
    w.pc.actAs(referralId, (r) => ({ ...r, marketingCampaignId: 'PC-CAMPAIGN' }));
    await w.sync({ policy: 'manual' });
    assert.equal(w.store.listConflicts().length, 1);
    assert.deepEqual(w.store.listConflicts()[0]!.fields, ['marketingCampaignId']);
    assert.equal(w.crm.records.get(crmId)!.status!.state, 'conflict');
    assert.equal(w.pc.referrals.get(referralId)!.marketingCampaignId, 'PC-CAMPAIGN');
    assert.equal(w.crm.records.get(crmId)!.referral.marketingCampaignId, 'CRM-CAMPAIGN');
  });

  it('holds a Won on a registrable deal until 72 hours after creation, then sends it', async () => {
    const w = world();
    const deal = coSellDeal({ referralId: undefined, engagementId: undefined, crmId: undefined, microsoft: undefined, solutions: [{ id: 'SOL-AZIP-1', kind: 'own', incentiveEligible: true }] });
    const crmId = w.crm.add(deal);
    await w.sync();
    const referralId = w.crm.records.get(crmId)!.status!.referralId!;
    w.pc.actAs(referralId, (r) => ({ ...r, microsoft: { status: 'Accepted' } }));
    await w.sync();
    w.advance(HOUR);
    w.crm.edit(crmId, (o) => Object.assign(o.referral, { status: 'Closed', substatus: 'Won', salesStage: 'Won' }));
    await w.sync();
    assert.equal(w.pc.referrals.get(referralId)!.substatus, 'Accepted');
    const held = w.crm.records.get(crmId)!.status!;
    assert.equal(held.state, 'held', held.message);
    assert.equal(held.heldUntil, '2026-03-05T08:00:00.000Z');
    assert.match(held.message, /^Won is held until 2026-03-05T08:00:00\.000Z: .* It is sent then, with nothing more to do\.$/);
    w.advance(72 * HOUR);
    await w.sync();
    assert.equal(w.pc.referrals.get(referralId)!.substatus, 'Won');
    assert.equal(w.crm.records.get(crmId)!.status!.state, 'synced');
  });

  it('never deletes a referral when its CRM opportunity is deleted: the link is orphaned and reported', async () => {
    const w = world();
    const crmId = w.crm.add(draft());
    await w.sync();
    w.crm.remove(crmId);
    const report = await w.sync();
    assert.equal(w.pc.referrals.size, 1);
    assert.equal(w.store.countLinks()['crm-deleted'], 1);
    assert.equal(report.counts.orphaned, 1);
  });

  it('makes no writes and reads one change-feed page per side when nothing changed', async () => {
    const w = world();
    for (let i = 0; i < 5; i += 1) w.crm.add(draft({ dealName: `Deal ${i}` }));
    await w.sync();
    await w.sync();
    const pcBefore = w.pc.calls;
    const crmBefore = { ...w.crm.calls };
    const idle = await w.sync();
    assert.equal(idle.writes, 0);
    assert.equal(w.pc.calls - pcBefore, 1);
    assert.deepEqual({ read: w.crm.calls.read - crmBefore.read, write: w.crm.calls.write - crmBefore.write, get: w.crm.calls.get - crmBefore.get }, { read: 1, write: 0, get: 0 });
  });

  it('finishes a create that crashed before the CRM write-back without a duplicate', async () => {
    const w = world();
    const crmId = w.crm.add(draft());
    const write = w.crm.write.bind(w.crm);
    w.crm.write = async () => {
      throw new Error('process killed');
    };
    const crashed = await w.sync();
    assert.equal(crashed.outcome, 'failed');
    assert.equal(w.pc.referrals.size, 1);
    w.crm.write = write;
    await w.sync();
    await w.sync();
    assert.equal(w.pc.referrals.size, 1);
    assert.equal(w.crm.records.get(crmId)!.status!.referralId, [...w.pc.referrals.keys()][0]);
  });

  it('keeps no credential in a failed run\'s message, whatever error ended it', async () => {
    // A library error no mapper turned into a ConnectorError (its text quoting the request) used to be
    // stored verbatim; the run's message reaches `cosell status`, the dashboard and notification emails.
    const w = world();
    w.crm.add(draft());
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
    w.crm.write = async () => {
      throw new Error(`request failed: Authorization: Bearer ${jwt}; body client_secret=s3cr3t-value-123`);
    };
    const failed = await w.sync();
    assert.equal(failed.outcome, 'failed');
    const stored = w.store.listRuns(1)[0]!.message ?? '';
    assert.match(stored, /request failed/);
    for (const text of [stored, failed.message ?? '']) {
      assert.ok(!text.includes(jwt) && !text.includes('s3cr3t-value-123'), text);
    }
  });

  it('keeps no terminal control in a failed run\'s message, whatever error ended it', async () => {
    // `cosell sync` and `cosell run` print the run's message as it is: a library error quoting remote text
    // (a JSON.parse of a body, a CRM value) carried its escape sequences to the admin's screen, where a
    // ConnectorError's message has them removed when it is made.
    const w = world();
    w.crm.add(draft());
    w.crm.write = async () => {
      throw new SyntaxError('Unexpected token, "\u001b]0;pwned\u0007\u001b[2J\u202eevil" is not valid JSON');
    };
    const failed = await w.sync();
    assert.equal(failed.outcome, 'failed');
    const stored = w.store.listRuns(1)[0]!.message ?? '';
    assert.match(stored, /is not valid JSON/);
    for (const text of [stored, failed.message ?? '']) {
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(text, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/, JSON.stringify(text));
    }
  });
});
