/**
 * A state store lost or replaced: links are rebuilt from the referral IDs on both sides, and a field the
 * two sides hold differently is a conflict for the configured policy, never a silent overwrite (issue 11).
 * The pure decision first, then the engine against in-memory fakes of both sides.
 */
import { asyncStateStore } from '../../../core/store/async-over-sync.js';
import assert from 'node:assert/strict';
import type { EngineOptions } from '../../../core/engine/context.js';
import { rebuildBase } from '../../../core/engine/merge/rebuild.js';
import type { ConflictPolicy } from '../../../core/engine/merge/three-way.js';
import { addRebuiltLink, describeRebuild, readRebuildRecord } from '../../../core/engine/rebuild-record.js';
import { settleConflict } from '../../../core/engine/settle-conflict.js';
import { runSyncOnce } from '../../../core/engine/sync-engine.js';
import { silentLogger } from '../../../core/logger.js';
import { openMemoryStore, type StateStore } from '../../../core/store/index.js';
import { FakeCrm } from '../../helpers/fake-crm.js';
import { FakePartnerCenter } from '../../helpers/fake-partner-center.js';
import { outboundDeal } from '../../helpers/referrals.js';

const EARLY = '2026-02-01T10:00:00.000Z';
const LATE = '2026-02-01T11:00:00.000Z';
const MINUTE = 60_000;

describe('rebuilding a link from referral IDs (pure)', () => {
  const rebuild = (crm: Parameters<typeof outboundDeal>[0], pc: Parameters<typeof outboundDeal>[0], policy: ConflictPolicy, crmAt = LATE, pcAt = EARLY) =>
    rebuildBase({ crm: outboundDeal(crm), pc: outboundDeal(pc), policy, crmModifiedAt: crmAt, pcUpdatedAt: pcAt });

  it('decides nothing where the sides agree, and bases the link on the referral', () => {
    const result = rebuild({}, {}, 'manual');
    assert.deepEqual(result.decisions, []);
    assert.deepEqual(result.base, outboundDeal());
  });

  it('newest-wins takes the newer record, even for a field the CRM owns (ownership settles edits since a known base)', () => {
    const pcNewer = rebuild({ value: 1000 }, { value: 2000 }, 'newest-wins', EARLY, LATE);
    assert.deepEqual(pcNewer.decisions, [{ unit: 'value', winner: 'partner-center', settledBy: 'policy' }]);
    assert.equal(pcNewer.base.value, 1000, "the CRM's value is the base, so Partner Center's reads as the change");
    const crmNewer = rebuild({ value: 1000 }, { value: 2000 }, 'newest-wins', LATE, EARLY);
    assert.deepEqual(crmNewer.decisions, [{ unit: 'value', winner: 'crm', settledBy: 'policy' }]);
    assert.equal(crmNewer.base.value, 2000);
  });

  it('a solution or team member only one side holds an attribute of is no conflict; different values of one both hold are', () => {
    // A bulk CSV import creates solutions without a name; the CRM's product line has one (walkthrough: every
    // such deal was a "solutions" conflict after "cosell state rebuild").
    const named = [{ id: 'SOL-Microsoft365', kind: 'own' as const, name: 'SOL-Microsoft365' }];
    const unnamed = [{ id: 'SOL-Microsoft365', kind: 'own' as const }];
    assert.deepEqual(rebuild({ solutions: named }, { solutions: unnamed }, 'manual').decisions, []);
    assert.deepEqual(rebuild({ solutions: unnamed }, { solutions: named }, 'manual').decisions, []);
    const renamed = rebuild({ solutions: named }, { solutions: [{ ...unnamed[0]!, name: 'Microsoft 365' }] }, 'manual');
    assert.deepEqual(renamed.manual, ['solutions']);
    assert.deepEqual(rebuild({ solutions: named }, { solutions: [...named, { id: 'SOL-Azure', kind: 'own' as const }] }, 'manual').manual, ['solutions']);
    const member = { firstName: 'Sam', lastName: 'Seller', email: 'sam@contoso-partner.example', phone: '' };
    const { phone: _phone, ...withoutPhone } = member;
    assert.deepEqual(rebuild({ team: [{ ...member, phone: '+1 425 555 0101' }] }, { team: [withoutPhone as typeof member] }, 'manual').decisions, []);
  });

  it('crm-wins and partner-center-wins decide as named; manual leaves the field for an admin', () => {
    assert.equal(rebuild({ notes: 'crm' }, { notes: 'pc' }, 'crm-wins').decisions[0]!.winner, 'crm');
    assert.equal(rebuild({ notes: 'crm' }, { notes: 'pc' }, 'partner-center-wins', LATE, EARLY).decisions[0]!.winner, 'partner-center');
    const manual = rebuild({ notes: 'crm' }, { notes: 'pc' }, 'manual');
    assert.deepEqual(manual.manual, ['notes']);
    assert.deepEqual(manual.decisions, [{ unit: 'notes', settledBy: 'manual' }]);
  });

  it('keeps a closed deal closed whatever the policy', () => {
    const result = rebuild({ status: 'Active', substatus: 'Accepted' }, { status: 'Closed', substatus: 'Lost', closeReason: 'other' }, 'crm-wins');
    assert.deepEqual(result.decisions, [{ unit: 'status', winner: 'partner-center', settledBy: 'terminal' }]);
  });

  it("takes the status further along a one-way move under every policy (Partner Center's status moves only forward); a move either way is the policy's", () => {
    const fresh = { status: 'New' as const, substatus: 'Pending' as const };
    const accepted = { status: 'Active' as const, substatus: 'Accepted' as const };
    for (const policy of ['manual', 'crm-wins', 'partner-center-wins', 'newest-wins'] as ConflictPolicy[]) {
      const pcAhead = rebuild(fresh, accepted, policy);
      assert.deepEqual(pcAhead.decisions, [{ unit: 'status', winner: 'partner-center', settledBy: 'lifecycle' }], policy);
      assert.deepEqual(pcAhead.manual, [], policy);
      assert.deepEqual([pcAhead.base.status, pcAhead.base.substatus], ['New', 'Pending'], "the CRM's status is the base, so Partner Center's reads as the change");
      const crmAhead = rebuild(accepted, fresh, policy, EARLY, LATE);
      assert.deepEqual(crmAhead.decisions, [{ unit: 'status', winner: 'crm', settledBy: 'lifecycle' }], policy);
    }
    const eitherWay = rebuild(fresh, { status: 'New', substatus: 'Received' }, 'manual');
    assert.deepEqual(eitherWay.decisions, [{ unit: 'status', settledBy: 'manual' }]);
  });

  it('a difference on a referral Partner Center holds closed is the CRM\'s edit after the close, whatever the policy: no conflict, Partner Center\'s value the base', () => {
    const won = { status: 'Closed' as const, substatus: 'Won' as const };
    for (const policy of ['manual', 'newest-wins', 'partner-center-wins'] as ConflictPolicy[]) {
      const result = rebuild({ ...won, dealName: 'Renamed after the win', value: 1000 }, { ...won, value: 2000 }, policy, EARLY, LATE);
      assert.deepEqual(result.decisions, [{ unit: 'dealName', settledBy: 'closed' }, { unit: 'value', settledBy: 'closed' }], policy);
      assert.deepEqual(result.manual, [], policy);
      assert.equal(result.base.value, 2000, "Partner Center's value is the base, so the CRM's reads as its edit after the close");
      assert.equal(result.base.dealName, outboundDeal().dealName);
    }
    const record = addRebuiltLink(undefined, rebuild({ ...won, value: 1000 }, { ...won }, 'manual').decisions, 'manual', LATE);
    assert.deepEqual(record.decided, { crm: 0, partnerCenter: 0, conflicts: 0, closed: 1 });
    assert.match(describeRebuild(record), /0 left as conflicts \(policy manual\), 1 kept in the CRM only \(edited after Partner Center closed the deal\)/);
  });

  it('treats a value one side does not hold as no opinion, and compares sets by element', () => {
    // A CRM without the campaign field, and a team member without a phone: no opinion on either.
    const team = outboundDeal().team.map(({ phone: _phone, ...member }) => member);
    const result = rebuild({ marketingCampaignId: undefined, team: team as ReturnType<typeof outboundDeal>['team'] }, {}, 'manual');
    assert.deepEqual(result.decisions, []);
    assert.deepEqual(rebuild({ solutions: [] }, {}, 'manual').manual, ['solutions']);
  });

  it('adds every rebuilt link to one record that status can show', () => {
    let record = addRebuiltLink(undefined, [], 'newest-wins', EARLY);
    record = addRebuiltLink(record, [{ unit: 'value', winner: 'crm', settledBy: 'policy' }, { unit: 'notes', settledBy: 'manual' }], 'newest-wins', LATE);
    assert.deepEqual(record, { firstAt: EARLY, lastAt: LATE, links: 2, fieldsDiffered: 2, decided: { crm: 1, partnerCenter: 0, conflicts: 1 }, policy: 'newest-wins' });
    assert.match(describeRebuild(record), /2 link\(s\); 2 field\(s\) differed: 1 taken from the CRM, 0 from Partner Center, 1 left as conflicts \(policy newest-wins\)/);
  });
});

describe('the first sync after the state store is lost (engine, fakes)', () => {
  function world() {
    let nowMs = Date.parse('2026-03-02T08:00:00.000Z');
    const now = () => new Date(nowMs);
    const crm = new FakeCrm(now);
    const pc = new FakePartnerCenter(now);
    const w = {
      crm,
      pc,
      now,
      store: openMemoryStore() as StateStore,
      sync: (options: Partial<EngineOptions> = {}) => runSyncOnce({ crm, partnerCenter: pc, store: w.store, logger: silentLogger(), now }, options),
      advance: (ms: number) => void (nowMs += ms),
    };
    return w;
  }

  /** One synced deal, then Partner Center edits the value and the CRM the notes, then the store is lost. */
  async function editedThenLost(policy: ConflictPolicy) {
    const w = world();
    const crmId = w.crm.add(outboundDeal({ referralId: undefined, engagementId: undefined, crmId: undefined, createdAt: undefined, updatedAt: undefined }));
    await w.sync({ policy });
    await w.sync({ policy });
    const referralId = w.crm.records.get(crmId)!.status!.referralId!;
    w.advance(MINUTE);
    w.crm.edit(crmId, (o) => void (o.referral.notes = 'edited in the CRM'));
    w.advance(MINUTE);
    w.pc.actAs(referralId, (r) => ({ ...r, value: 99_000 }));
    w.store = openMemoryStore();
    return { w, crmId, referralId };
  }

  it('newest-wins: the newer side wins each differing field on both sides, and the rebuild is recorded', async () => {
    const { w, crmId, referralId } = await editedThenLost('newest-wins');
    const first = await w.sync({ policy: 'newest-wins' });
    assert.equal(first.counts.rebuilt, 1);
    assert.equal(first.counts.rebuiltFields, 2);
    // Partner Center was edited last: both of its differing fields win, the CRM's notes edit included.
    assert.equal(w.pc.referrals.get(referralId)!.value, 99_000, 'the Partner Center edit is not overwritten');
    assert.equal(w.crm.records.get(crmId)!.referral.value, 99_000);
    assert.equal(w.crm.records.get(crmId)!.referral.notes, w.pc.referrals.get(referralId)!.notes);
    const record = readRebuildRecord(w.store)!;
    assert.deepEqual([record.links, record.fieldsDiffered, record.decided], [1, 2, { crm: 0, partnerCenter: 2, conflicts: 0 }]);
    await w.sync({ policy: 'newest-wins' });
    assert.equal((await w.sync({ policy: 'newest-wins' })).writes, 0);
  });

  it('manual: each differing field is a conflict for an admin, neither side changes, and the settled values then flow', async () => {
    const { w, crmId, referralId } = await editedThenLost('manual');
    await w.sync({ policy: 'manual' });
    const [conflict] = w.store.listConflicts();
    assert.ok(conflict, 'a conflict is open');
    assert.deepEqual(conflict.fields.sort(), ['notes', 'value']);
    assert.equal(conflict.base.value, undefined, 'a rebuilt link has no last synced value');
    assert.equal(w.pc.referrals.get(referralId)!.value, 99_000);
    assert.equal(w.crm.records.get(crmId)!.referral.value, outboundDeal().value);
    assert.equal(w.crm.records.get(crmId)!.status!.state, 'conflict');
    assert.equal((await w.sync({ policy: 'manual' })).writes, 0, 'held while the conflict is open');
    assert.deepEqual(readRebuildRecord(w.store)!.decided, { crm: 0, partnerCenter: 0, conflicts: 2 });

    await settleConflict(asyncStateStore(w.store), conflict.id, 'partner-center', w.now().toISOString());
    await w.sync({ policy: 'manual' });
    assert.equal(w.crm.records.get(crmId)!.referral.value, 99_000);
    assert.equal(w.crm.records.get(crmId)!.referral.notes, w.pc.referrals.get(referralId)!.notes);
    assert.equal(w.crm.records.get(crmId)!.status!.state, 'synced');
  });

  for (const [policy, winner] of [['crm-wins', 'crm'], ['partner-center-wins', 'partner-center']] as const) {
    it(`${policy}: ${winner}'s values on both sides`, async () => {
      const { w, crmId, referralId } = await editedThenLost(policy);
      await w.sync({ policy });
      const expected = winner === 'crm' ? { value: outboundDeal().value, notes: 'edited in the CRM' } : { value: 99_000, notes: outboundDeal().notes };
      assert.deepEqual({ value: w.pc.referrals.get(referralId)!.value, notes: w.pc.referrals.get(referralId)!.notes }, expected);
      assert.deepEqual({ value: w.crm.records.get(crmId)!.referral.value, notes: w.crm.records.get(crmId)!.referral.notes }, expected);
    });
  }

  it('an unchanged pair rebuilds without a decision or a field write', async () => {
    const { w } = await editedThenLost('manual');
    await w.sync({ policy: 'newest-wins' });
    w.store = openMemoryStore();
    const report = await w.sync({ policy: 'manual' });
    assert.equal(report.counts.rebuilt, 1);
    assert.equal(report.counts.rebuiltFields ?? 0, 0);
    assert.equal((report.counts.pcUpdated ?? 0) + (report.counts.crmUpdated ?? 0), 0);
    assert.equal(w.store.listConflicts().length, 0);
  });

  it('a create a stopped run made is linked without a rebuild: its source wins differences, a value only the other side holds is filled in', async () => {
    const w = world();
    const crmId = w.crm.add(outboundDeal({ referralId: undefined, engagementId: undefined, crmId: undefined, createdAt: undefined, updatedAt: undefined, marketingCampaignId: undefined }));
    // The stopped run: its intent was stored, Partner Center created the referral, then it died.
    w.store.transaction((tx) => tx.putIntent({ target: 'referral', sourceId: crmId, createdAt: w.now().toISOString(), attempts: 1 }));
    const { referral } = await w.pc.createIdempotent({ ...w.crm.records.get(crmId)!.referral, crmId, direction: 'outbound' });
    w.advance(MINUTE);
    w.pc.actAs(referral.referralId!, (r) => ({ ...r, value: 1, marketingCampaignId: 'SetInPartnerCenter' }));
    const report = await w.sync();
    assert.equal(report.counts.rebuilt ?? 0, 0, 'our own create is no rebuild');
    assert.equal(w.pc.referrals.size, 1, 'no second referral');
    assert.equal(w.pc.referrals.get(referral.referralId!)!.value, outboundDeal().value, 'the CRM record the create was made from wins');
    assert.equal(w.crm.records.get(crmId)!.referral.marketingCampaignId, 'SetInPartnerCenter', 'a value only Partner Center holds is filled in');
    assert.equal(w.crm.records.get(crmId)!.status?.referralId, referral.referralId);
    assert.deepEqual(w.store.listIntents(), [], 'the intent is cleared');
    assert.equal(readRebuildRecord(w.store), undefined);
    await w.sync();
    assert.equal((await w.sync()).writes, 0);
  });
});
