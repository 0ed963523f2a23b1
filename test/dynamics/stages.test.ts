/**
 * Stage mapping: the standard sales process stages map through mappings/stages.dynamics.ts; a stage of
 * a customised process is reported as a mapping problem (and by check), never guessed; an override
 * in config maps it.
 */
import assert from 'node:assert/strict';
import { ASSESSMENT_STAGE_TABLE } from '../../mappings/assessment-stages.js';
import { effectiveStageTable, mapDynamicsStage } from '../../mappings/stages.dynamics.js';
import { seedOpportunities, startDynamicsHarness, type DynamicsHarness } from '../helpers/dynamics.js';

describe('Dynamics 365 adapter: sales stages', function () {
  this.timeout(30_000);
  let h: DynamicsHarness;
  beforeEach(async () => {
    h = await startDynamicsHarness();
    await h.adapter.setup();
  });
  afterEach(async () => h.close());

  it('maps Qualify, Develop, Propose and Close (and "1-Qualify" step names) to the standard stages', () => {
    const table = effectiveStageTable();
    assert.deepEqual(['Qualify', '2-Develop', 'propose', 'Close'].map((s) => mapDynamicsStage(s, table)), [
      { mapped: true, salesStage: 'Qualified' }, { mapped: true, salesStage: 'Developed' }, { mapped: true, salesStage: 'Proposed' }, { mapped: true, salesStage: 'Negotiated' },
    ]);
    assert.deepEqual(mapDynamicsStage('Legal review', table), { mapped: false, crmStage: 'Legal review' });
  });

  it('reads the active process stage, marks won deals Won, and reports an unmapped stage as a problem', async () => {
    const ids = seedOpportunities(h, 4);
    const { processstageid } = await h.control<{ processstageid: string }>('stages', { name: 'Legal review', category: 3 });
    await h.control('seller/edit', { id: ids[0], changes: { stageid: processstageid } });
    await h.control('seller/close', { id: ids[1], outcome: 'won' });
    const deals = await h.adapter.getDeals(ids);
    const byId = new Map(deals.map((d) => [d.crmId, d]));
    assert.equal(byId.get(ids[0]!)!.referral.salesStage, undefined);
    assert.deepEqual(byId.get(ids[0]!)!.problems.map((p) => [p.code, p.field]), [['stage.unmapped', 'salesStage']]);
    assert.match(byId.get(ids[0]!)!.problems[0]!.message, /Legal review/);
    assert.equal(byId.get(ids[1]!)!.referral.salesStage, 'Won');
    assert.equal(byId.get(ids[2]!)!.referral.salesStage, 'Proposed');
    assert.equal(byId.get(ids[3]!)!.referral.salesStage, 'Negotiated');

    const report = await h.adapter.check();
    const item = report.items.find((i) => i.name === 'stage mapping')!;
    assert.equal(item.ok, false);
    assert.match(item.detail, /Legal review/);

    const overridden = h.makeAdapter({ stageOverrides: [{ crmStage: 'Legal review', salesStage: 'Negotiated' }] });
    const [deal] = await overridden.getDeals([ids[0]!]);
    assert.equal(deal?.referral.salesStage, 'Negotiated');
    assert.deepEqual(deal?.problems, []);
    assert.ok((await overridden.check()).ready);
  });

  it('check fails a stageOverrides entry that names no stage of the sales processes, naming the key and the stages', async () => {
    // A typo maps nothing: the stage it was meant for stays unmapped or keeps its default, unseen.
    const typo = h.makeAdapter({ stageOverrides: [{ crmStage: 'Negotiate', salesStage: 'Negotiated' }, { crmStage: '2-develop', salesStage: 'Developed' }] });
    const item = (await typo.check()).items.find((i) => i.name === 'stage mapping')!;
    assert.equal(item.ok, false);
    assert.match(item.detail, /crm > dynamics > stageOverrides names "Negotiate"/);
    assert.doesNotMatch(item.detail, /"2-develop"/, 'a name that matches a stage as the mapping does is no typo');
    for (const stage of ['Qualify', 'Develop', 'Propose', 'Close']) assert.match(item.detail, new RegExp(`"${stage}"`), 'the stages it may name are listed');
  });

  it('lists the open process stages (the sales process and the assessment process) and the won and lost outcomes', async () => {
    const stages = await h.adapter.listStages();
    const names = stages.map((s) => s.name);
    assert.deepEqual(names.filter((n) => !n.startsWith('Assessment ')), ['Qualify', 'Develop', 'Propose', 'Close', 'Won', 'Lost']);
    assert.deepEqual(names.filter((n) => n.startsWith('Assessment ')), ASSESSMENT_STAGE_TABLE.map((row) => row.crmStage));
    assert.equal(stages.find((s) => s.name === 'Develop')?.probability, 40);
  });

  it('writes the Dynamics stage when the engine moves the deal to a standard stage', async () => {
    const [id] = seedOpportunities(h, 1);
    const [deal] = await h.adapter.getDeals([id!]);
    const [result] = await h.adapter.write([{ kind: 'update', key: id!, crmId: id!, etag: deal!.etag!, referral: { ...deal!.referral, salesStage: 'Developed' }, changedFields: ['salesStage'] }]);
    assert.ok(result?.ok, JSON.stringify(result));
    const row = h.dataverse.store.table('opportunity')!.rows.get(id!)!;
    assert.equal(row.stepname, 'Develop');
    assert.equal(row.salesstage, 1);
    assert.equal(row.closeprobability, 40);
  });
});
