/**
 * Issue 12, items 8 and 9: nothing the engine decides is silent on the record. A stage-only move to a
 * stage the connector cannot map puts the record in error with the reason (it stayed "synced"); a
 * Partner Center edit replaced by the CRM's value under field ownership is logged and shown on the
 * record, and stays shown while nothing else changes. Both CRMs.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { Writable } from 'node:stream';
import { createLogger } from '../../core/logger.js';
import { OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import { insertRaw } from '../../sandbox/salesforce/seed.js';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';
import { referralOf, unwrap } from './lifecycle.suite.js';

const MINUTE = 60_000;

/** Moves the opportunity, and nothing else, to a stage of the CRM's own that no mapping names. */
async function moveToUnmappedStage(world: World, crmId: string): Promise<void> {
  if (world.kind === 'salesforce') {
    insertRaw(world.set.salesforce.store, 'OpportunityStage', { MasterLabel: 'Legal Review', ApiName: 'Legal Review', IsActive: true, IsClosed: false, IsWon: false, DefaultProbability: null, SortOrder: 11 });
    const saved = world.set.salesforce.seller.editOpportunity(crmId, { StageName: 'Legal Review' });
    assert.ok(saved.ok);
    return;
  }
  const control = async (path: string, body: unknown) => {
    const res = await fetch(`${world.set.dataverse.url}/_sandbox/dataverse/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.ok(res.ok, `${path}: ${res.status}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const { processstageid } = await control('stages', { name: 'Legal Review', category: 2 });
  await control('seller/edit', { id: crmId, changes: { stageid: processstageid, stepname: 'Legal Review' } });
}

/** A real logger at info level whose JSON lines are kept for the test to read. */
function capturingLogger(lines: { obj: Record<string, unknown>; msg: string }[]) {
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        const obj = JSON.parse(line) as Record<string, unknown>;
        lines.push({ obj, msg: String(obj.msg ?? '') });
      }
      done();
    },
  });
  return createLogger({ level: 'info', destination });
}

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) describe(`visible reasons on the record (${kind}, end to end)`, function () {
  this.timeout(120_000);

  it('item 8: a stage-only move to an unmapped stage puts the record in error with stage.unmapped, and moving back clears it', async () => {
    const world = await startWorld(kind);
    try {
      const crmId = await world.seller.createDeal(dealSpec('Unmapped stage', { share: true }));
      await world.syncToQuiet();
      await world.seller.setStage(crmId, 'Qualified');
      await world.syncToQuiet();
      assert.equal((await world.seller.read(crmId)).syncState, 'synced');
      world.set.clock.advance(MINUTE);
      await moveToUnmappedStage(world, crmId);
      await world.syncToQuiet();
      const view = await world.seller.read(crmId);
      assert.equal(view.syncState, 'error', 'the record does not stay "synced"');
      assert.match(view.syncMessage ?? '', /stage\.unmapped/);
      assert.match(view.syncMessage ?? '', /Legal Review/);
      assert.equal((await world.sync()).writes, 0, 'reported once, not on every run');
      await world.seller.setStage(crmId, 'Proposed');
      await world.syncToQuiet();
      assert.equal((await world.seller.read(crmId)).syncState, 'synced');
      assert.equal(referralOf(world, (await world.seller.read(crmId)).referralId!).salesStage, 'Propose');
    } finally {
      await world.close();
    }
  });

  it('item 9: a Partner Center edit to a CRM-owned field is replaced under manual, logged, and shown on the record', async () => {
    const lines: { obj: Record<string, unknown>; msg: string }[] = [];
    const world = await startWorld(kind, { sync: { conflictPolicy: 'manual' }, logger: capturingLogger(lines) });
    try {
      const crmId = await world.seller.createDeal(dealSpec('Owned name'));
      await world.syncToQuiet();
      const referralId = (await world.seller.read(crmId)).referralId!;
      world.set.clock.advance(MINUTE);
      unwrap(world.set.partnerCenter.service.change(OUR_PARTNER_ORG, referralId, (json) => ({ ok: true, value: { ...json, name: 'Renamed in Partner Center' } })));
      world.set.clock.advance(MINUTE);
      await world.seller.edit(crmId, { name: 'Renamed in the CRM' });
      await world.syncToQuiet();
      assert.equal(referralOf(world, referralId).name, 'Renamed in the CRM', 'the CRM owns the deal name (the policy is kept)');
      const view = await world.seller.read(crmId);
      assert.equal(view.syncState, 'synced');
      const field = kind === 'salesforce' ? 'Opportunity Name' : 'Topic';
      assert.ok((view.syncMessage ?? '').includes(`Partner Center's ${field} "Renamed in Partner Center" was replaced by the CRM's "Renamed in the CRM" (the CRM owns ${field})`), view.syncMessage);
      const logged = lines.find((l) => l.obj.unit === 'dealName');
      assert.ok(logged, 'the replacement is logged');
      assert.equal(logged.obj.replacedSide, 'partner-center');
      assert.equal(JSON.stringify(lines).includes('Renamed in Partner Center'), false, 'deal content stays out of the log');
      assert.equal((await world.sync()).writes, 0);
      assert.match((await world.seller.read(crmId)).syncMessage ?? '', /was replaced by/, 'the note stays while nothing else changes');
      assert.equal(world.runtime.store.listConflicts().length, 0, 'ownership settles it: no conflict for an admin');
    } finally {
      await world.close();
    }
  });
});
