/**
 * Change tracking on the connector's child tables (connectors/dynamics/child-changes.ts, feed-run.ts): a
 * team member, solution or invitation row changed alone brings its opportunity back, a deleted one through
 * the related-row index; an idle run is one $batch; a child delta token past its life is listed afresh.
 */
import assert from 'node:assert/strict';
import { asyncStateStore } from '../../core/store/async-over-sync.js';
import { openMemoryStore } from '../../core/store/memory-store.js';
import type { CrmCursor } from '../../core/engine/crm-port.js';
import { collect, seedOpportunities, startDynamicsHarness, type DynamicsHarness } from '../helpers/dynamics.js';

const teamRows = (h: DynamicsHarness, crmId: string) => [...h.dataverse.store.table('cosell_teammember')!.rows.values()].filter((r) => r._cosell_opportunityid_value === crmId);

describe('Dynamics 365 adapter: child-table change tracking', function () {
  this.timeout(60_000);
  let h: DynamicsHarness;
  beforeEach(async () => {
    h = await startDynamicsHarness();
    await h.adapter.setup();
  });
  afterEach(async () => h.close());

  it('reads an opportunity again when only a child row was deleted or added, and idles on one $batch', async () => {
    const index = openMemoryStore();
    const adapter = h.makeAdapter({}, { relatedRows: asyncStateStore(index) });
    const ids = seedOpportunities(h, 5, { teamPerDeal: 2, solutionsPerDeal: 1 });
    const initial = await collect(adapter.readChanges(undefined));
    let cursor: CrmCursor = initial.at(-1)!.cursor;
    assert.match(String(cursor.teamLink), /^cosell_teammembers\?.*\$deltatoken=/);
    const gone = String(teamRows(h, ids[2]!)[0]!.cosell_teammemberid);
    assert.equal(index.relatedParents([gone]).get(gone), ids[2], 'the first listing filled the related-row index');

    const version = h.dataverse.store.table('opportunity')!.rows.get(ids[2]!)!.versionnumber;
    await h.control('seller/delete', { entitySet: 'cosell_teammembers', id: gone });
    await h.control('seller/create', { entitySet: 'cosell_solutions', values: { cosell_name: 'SOL-NEW', cosell_pcsolutionid: 'SOL-NEW', cosell_kind: 'own', 'cosell_opportunityid@odata.bind': `/opportunities(${ids[4]!})` } });
    assert.equal(h.dataverse.store.table('opportunity')!.rows.get(ids[2]!)!.versionnumber, version);
    h.dataverse.counters.reset();
    const delta = await collect(adapter.readChanges(cursor));
    const deals = new Map(delta.flatMap((p) => p.deals).map((d) => [d.crmId, d]));
    assert.deepEqual([...deals.keys()].sort(), [ids[2]!, ids[4]!].sort());
    assert.equal(deals.get(ids[2]!)!.referral.team.length, 1);
    assert.deepEqual(deals.get(ids[4]!)!.referral.solutions.map((s) => s.id).sort(), ['SOL-1234-PQRS', 'SOL-NEW']);
    assert.deepEqual(delta.flatMap((p) => p.deletedIds), []);
    // The feed's requests in the first call; then the look-ups of the opportunities of the seeded accounts and
    // contacts (inside the customer feed's margin: listed once) in one more $batch, and the two deals read.
    const counts = h.dataverse.counters.snapshot();
    assert.equal(Object.keys(counts).filter((label) => /^GET (cosell_|accounts|contacts)/.test(label)).length, 0, JSON.stringify(counts));
    assert.deepEqual([counts['POST $batch'], counts['GET opportunities']], [2, 1], JSON.stringify(counts));
    cursor = delta.at(-1)!.cursor;

    // A team member moved to another opportunity (its lookup edited): both opportunities changed.
    const moved = String(teamRows(h, ids[0]!)[0]!.cosell_teammemberid);
    await h.control('seller/edit', { entitySet: 'cosell_teammembers', id: moved, changes: { 'cosell_opportunityid@odata.bind': `/opportunities(${ids[1]!})` } });
    const reparented = await collect(adapter.readChanges(cursor));
    const teams = new Map(reparented.flatMap((p) => p.deals).map((d) => [d.crmId, d.referral.team.length]));
    assert.deepEqual([...teams.entries()].sort(), [[ids[0]!, 1], [ids[1]!, 3]].sort());
    cursor = reparented.at(-1)!.cursor;

    h.dataverse.counters.reset();
    const idle = await collect(adapter.readChanges(cursor));
    assert.deepEqual(idle.flatMap((p) => p.deals), []);
    const calls = Object.entries(h.dataverse.counters.snapshot()).filter(([label]) => !label.startsWith('$batch ')).reduce((n, [, c]) => n + c, 0);
    assert.equal(calls, 1, JSON.stringify(h.dataverse.counters.snapshot()));
  });

  it('check() reports change tracking on opportunity and on the three child tables', async () => {
    const item = (await h.adapter.check()).items.find((i) => i.name === 'change tracking')!;
    assert.equal(item.ok, true);
    assert.match(item.detail, /opportunity, cosell_teammember, cosell_solution, cosell_partnerinvitation/);
  });

  it('traces a deleted row that another process marked gone by an earlier clock, whichever table reports first', async () => {
    // Model-based test, Dynamics 365 seeds 230 and 231: a killed sync (the machine's clock) had marked a
    // solution row gone; the next run's team feed forgot it by the sandbox's later clock before the solution
    // feed traced it, and the removal never reached Partner Center.
    await h.close();
    const index = openMemoryStore();
    h = await startDynamicsHarness({ deps: { relatedRows: asyncStateStore(index) } });
    await h.adapter.setup();
    const ids = seedOpportunities(h, 2, { teamPerDeal: 1, solutionsPerDeal: 1 });
    const cursor = (await collect(h.adapter.readChanges(undefined))).at(-1)!.cursor;
    const solution = [...h.dataverse.store.table('cosell_solution')!.rows.values()].find((r) => r._cosell_opportunityid_value === ids[1]!)!;
    await h.control('seller/delete', { entitySet: 'cosell_teammembers', id: String(teamRows(h, ids[0]!)[0]!.cosell_teammemberid) });
    await h.control('seller/delete', { entitySet: 'cosell_solutions', id: String(solution.cosell_solutionid) });
    index.markRelatedGone([String(solution.cosell_solutionid).toLowerCase()], '2020-01-01T00:00:00.000Z');
    const deals = new Map((await collect(h.adapter.readChanges(cursor))).flatMap((p) => p.deals).map((d) => [d.crmId, d]));
    assert.ok(deals.has(ids[0]!), 'the deal that lost a team member is read again');
    assert.ok(deals.has(ids[1]!), 'the deal that lost its solution is read again');
    assert.deepEqual(deals.get(ids[1]!)!.referral.solutions, []);
  });

  it('lists a child table afresh when its delta token is past its life, and reads every opportunity it names', async () => {
    const ids = seedOpportunities(h, 4, { teamPerDeal: 2 });
    const cursor = (await collect(h.adapter.readChanges(undefined))).at(-1)!.cursor;
    await h.control('clock', { advanceDays: 8 });
    await h.control('seller/delete', { entitySet: 'cosell_teammembers', id: String(teamRows(h, ids[1]!)[0]!.cosell_teammemberid) });
    const pages = await collect(h.adapter.readChanges(cursor));
    const deals = new Map(pages.flatMap((p) => p.deals).map((d) => [d.crmId, d]));
    assert.equal(deals.get(ids[1]!)?.referral.team.length, 1);
    assert.ok(pages.some((p) => p.deletionsIncomplete), 'the opportunity feed says its deletions are incomplete');
    assert.match(String(pages.at(-1)!.cursor.teamLink), /\$deltatoken=/);
  });
});
