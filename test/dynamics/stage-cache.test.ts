/**
 * The process stages are kept an hour (connectors/stage-cache.ts): a daemon turn 6 minutes after the last
 * lists no stages; a stage an admin adds is listed at once by the run whose record names it.
 */
import assert from 'node:assert/strict';
import { seedOpportunities, startDynamicsHarness, type DynamicsHarness } from '../helpers/dynamics.js';
import { laterClock } from '../helpers/later-clock.js';
import { runDeals } from '../helpers/run-deals.js';

describe('Dynamics 365 adapter: the stage list kept across runs', function () {
  this.timeout(30_000);
  let h: DynamicsHarness;
  const clock = laterClock();
  beforeEach(async () => {
    h = await startDynamicsHarness();
    await h.adapter.setup();
  });
  afterEach(async () => {
    clock.restore();
    await h.close();
  });

  it('a run 6 minutes after the last lists no stages', async () => {
    const [id] = seedOpportunities(h, 2);
    const adapter = h.makeAdapter();
    h.dataverse.counters.reset();
    assert.equal((await runDeals(adapter)).length, 2);
    // Listed in the run's first `$batch` (process-stages.ts), not in a call of its own.
    assert.equal(h.dataverse.counters.get('$batch GET processstages'), 1);
    assert.equal(h.dataverse.counters.get('GET processstages'), 0);
    clock.advance(6 * 60_000);
    await h.control('seller/edit', { id, changes: { description: 'a seller edit' } });
    assert.ok((await runDeals(adapter)).length >= 1);
    assert.equal(h.dataverse.counters.get('$batch GET processstages'), 1, 'the second run used the kept list');
  });

  it('a stage added after the list was kept is listed by the run that reads it, once', async () => {
    const [id, other] = seedOpportunities(h, 2);
    // The admin mapped the stage before adding it to the sales process.
    const adapter = h.makeAdapter({ stageOverrides: [{ crmStage: 'Technical review', salesStage: 'Developed' }] });
    await runDeals(adapter);
    const added = await h.control<{ processstageid: string }>('stages', { name: 'Technical review', category: 1 });
    const unmapped = await h.control<{ processstageid: string }>('stages', { name: 'Legal review', category: 3 });
    await h.control('seller/edit', { id, changes: { stageid: added.processstageid } });
    await h.control('seller/edit', { id: other, changes: { stageid: unmapped.processstageid } });
    h.dataverse.counters.reset();
    const deals = await runDeals(adapter);
    const deal = deals.find((d) => d.crmId === id)!;
    assert.equal(deal.referral.salesStage, 'Developed');
    assert.deepEqual(deal.problems, []);
    assert.equal(h.dataverse.counters.get('GET processstages'), 1, 'one listing for the run');
    assert.deepEqual(deals.find((d) => d.crmId === other)!.problems.map((p) => p.code), ['stage.unmapped']);
  });

  it('a stage write names a process stage added after the list was kept: the write sets it as the active stage', async () => {
    const [id] = seedOpportunities(h, 1);
    const stages = h.dataverse.store.table('processstage')!.rows;
    const develop = [...stages.values()].find((row) => row.stagename === 'Develop')!;
    stages.delete(String(develop.processstageid));
    const adapter = h.makeAdapter();
    const [deal] = await runDeals(adapter);
    // The admin adds the stage back to the sales process; the engine moves the deal to it.
    const added = await h.control<{ processstageid: string }>('stages', { name: 'Develop', category: 1 });
    await runDeals(adapter);
    h.dataverse.counters.reset();
    const [result] = await adapter.write([{ kind: 'update', key: id!, crmId: id!, etag: deal!.etag!, referral: { ...deal!.referral, salesStage: 'Developed' }, changedFields: ['salesStage'] }]);
    assert.ok(result?.ok, JSON.stringify(result));
    assert.equal(h.dataverse.store.table('opportunity')!.rows.get(id!)!.stageid, added.processstageid);
    assert.equal(h.dataverse.counters.get('GET processstages'), 1);
  });
});
