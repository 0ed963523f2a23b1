/**
 * Issue 12, item 7: a dry run previews, record by record, the writes a real run then makes, says it was a
 * dry run, and writes nothing. Played on the demo's starting state (seeded sandboxes plus the demo's
 * deals), both CRMs.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { dryRunPlanText } from '../../core/cli/commands/dry-run-plan.js';
import { describeRun } from '../../core/cli/run-report.js';
import { writesOf } from '../../core/run-counts.js';
import { startWorld, type CrmKind } from '../../sandbox/world.js';

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) describe(`sync --dry-run (${kind}, end to end)`, function () {
  this.timeout(180_000);

  it('item 7: lists every create and update the real run then makes, and writes nothing', async () => {
    const world = await startWorld(kind, { seed: true });
    try {
      await world.seller.createDeal(dealSpec('Private deal'));
      await world.seller.createDeal(dealSpec('Co-sell deal', { share: true, helpType: 'proof-of-concept' }));
      await world.seller.createDeal(dealSpec('No solution', { solutions: [] }));
      const pcBefore = world.set.partnerCenter.counters.snapshot();
      const recordsBefore = (await world.seller.allRecords()).length;
      const dry = await world.sync({ dryRun: true });
      assert.ok(dry.plan, 'a dry run reports its plan');
      assert.equal((await world.seller.allRecords()).length, recordsBefore, 'no CRM record was created');
      assert.equal(world.runtime.store.listLinks({}).length, 0, 'the store is unchanged');
      assert.deepEqual(Object.keys(world.set.partnerCenter.counters.snapshot()).filter((k) => /POST|PATCH/.test(k) && world.set.partnerCenter.counters.snapshot()[k] !== pcBefore[k]), [], 'nothing was sent to Partner Center');
      const text = dryRunPlanText(dry, world.runtime.crm.fieldLabels);
      assert.match(text, /^DRY RUN/);
      // Fields by the words the rest of the output uses: each seeded referral's record ID goes back to Partner
      // Center as its "CRM ID", never the engine's path for it (found walking the README: `update crmId`).
      assert.match(text, /^ {2}update +CRM ID "/m);
      assert.doesNotMatch(text, /crmId/);

      const real = await world.sync();
      for (const key of ['crmCreated', 'pcCreated', 'pcUpdated', 'crmUpdated'] as const) {
        assert.equal(dry.counts[key] ?? 0, real.counts[key] ?? 0, `${key}: the dry run previews what the real run does`);
      }
      const crmCreates = dry.plan.filter((p) => p.side === 'crm' && p.kind === 'create');
      assert.equal(crmCreates.length, real.counts.crmCreated ?? 0);
      assert.ok(crmCreates.length > 0);
      for (const p of crmCreates) assert.ok(p.referralId && text.includes(p.referralId), 'each record is listed');
      const pcCreates = dry.plan.filter((p) => p.side === 'partner-center' && p.kind === 'create');
      assert.deepEqual(pcCreates.map((p) => p.dealName).sort(), ['Co-sell deal', 'Private deal']);
    } finally {
      await world.close();
    }
  });

  it('predicts as many writes as the real run then makes, as its summary and the run history (status) count them', async () => {
    const world = await startWorld(kind, { seed: true });
    try {
      const predictedThenMade = async (what: string) => {
        const dry = await world.sync({ dryRun: true });
        const real = await world.sync();
        const recorded = world.runtime.store.listRuns(1)[0]!;
        assert.ok(real.writes > 0, `${what}: the real run wrote something`);
        assert.equal(writesOf(recorded.counts), real.writes, `${what}: the run history counts the run's writes`);
        assert.equal(dry.plan?.length, real.writes, `${what}: the dry run lists each write the real run makes (${JSON.stringify(real.counts)})`);
        assert.equal(dry.writes, real.writes, `${what}: the dry run counts them alike`);
        assert.match(dryRunPlanText(dry), new RegExp(`would make ${real.writes} write\\(s\\)`));
        assert.match(describeRun(real), new RegExp(`${real.writes} writes in all`), `${what}: the sync's summary says so`);
      };
      // The seeded referrals become CRM records, and each one's CRM ID goes back to Partner Center.
      const crmId = await world.seller.createDeal(dealSpec('Private deal'));
      await predictedThenMade('first run');
      // A linked deal's edit goes to Partner Center, and the record then shows the sync.
      await world.seller.edit(crmId, { value: 61_000 });
      await predictedThenMade('an edit');
    } finally {
      await world.close();
    }
  });
});
