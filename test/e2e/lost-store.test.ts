import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import type { ConflictPolicy } from '../../core/engine/merge/three-way.js';
import { readRebuildRecord } from '../../core/engine/rebuild-record.js';
import type { CrmKind } from '../../sandbox/world.js';
import { bothSides, CRM_NOTES, lostStoreScenario, PC_VALUE, syncUntilQuiet, type Scenario } from './lost-store.suite.js';

const BIN = fileURLToPath(new URL('../../bin/cosell.js', import.meta.url));

/** Runs the real CLI against the scenario's store and returns its standard output. */
async function cosell(s: Scenario, args: string[]): Promise<string> {
  const config = join(s.world.runtime.config.store.path, '..', 'lost-store.config.json');
  writeFileSync(config, JSON.stringify({ ...s.world.runtime.config, logging: { level: 'silent' } }));
  return (await promisify(execFile)(process.execPath, [BIN, ...args, '-c', config], { env: process.env })).stdout;
}

const ORIGINAL = { value: dealSpec('x').value, notes: dealSpec('x').notes };
const HELP = { crm: { pc: 'CustomerTechnicalArchitecture', crm: 'technical-architecture' }, pc: { pc: 'QuotesOrLicensing', crm: 'quotes-licensing' } };

/** What both sides must hold for A and B once the policy decided (A: Partner Center newer; B: the CRM newer). */
const EXPECTED: Record<Exclude<ConflictPolicy, 'manual'>, { a: { value: number; notes: string }; b: keyof typeof HELP }> = {
  'newest-wins': { a: { value: PC_VALUE, notes: ORIGINAL.notes! }, b: 'crm' },
  'crm-wins': { a: { value: ORIGINAL.value, notes: CRM_NOTES }, b: 'crm' },
  'partner-center-wins': { a: { value: PC_VALUE, notes: ORIGINAL.notes! }, b: 'pc' },
};

async function assertNoDuplicates(s: Scenario): Promise<void> {
  for (const deal of ['a', 'b', 'c', 'inbound'] as const) {
    assert.deepEqual(await s.world.seller.recordsForReferral(s.referrals[deal]), [s.ids[deal]], `one CRM record for referral ${deal}`);
  }
  assert.equal(s.store.countLinks().active, 4);
}

function assertRebuildRecorded(s: Scenario, report: { counts: Record<string, number> }, decided: { crm: number; partnerCenter: number; conflicts: number }): void {
  assert.equal(report.counts.rebuilt, 4, 'every pair is rebuilt from its IDs');
  assert.equal(report.counts.rebuiltFields, 3, 'exactly the three edited fields differed');
  const record = readRebuildRecord(s.store)!;
  assert.deepEqual([record.links, record.fieldsDiffered, record.decided], [4, 3, decided]);
  const differed = s.warnings.filter((w) => w.msg === 'link rebuilt from referral IDs: the two sides differed and the conflict policy decided');
  assert.deepEqual(differed.map((w) => w.crmId).sort(), [s.ids.a, s.ids.b].sort(), 'each pair that differed is logged at warn');
  assert.ok(s.warnings.some((w) => /links were rebuilt/.test(String(w.msg))), 'the run says at warn that links were rebuilt');
}

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) {
  describe(`the first sync after the state store is lost (${kind}, end to end)`, function () {
    this.timeout(120_000);

    for (const policy of Object.keys(EXPECTED) as (keyof typeof EXPECTED)[]) {
      it(`${policy}: each field that differs is decided by the policy on both sides, recorded and logged`, async () => {
        const s = await lostStoreScenario(kind, policy);
        try {
          const reports = await syncUntilQuiet(s);
          assert.equal(reports[reports.length - 1]!.writes, 0, 'a further sync writes nothing');
          const winners = { 'newest-wins': { crm: 1, partnerCenter: 2, conflicts: 0 }, 'crm-wins': { crm: 3, partnerCenter: 0, conflicts: 0 }, 'partner-center-wins': { crm: 0, partnerCenter: 3, conflicts: 0 } };
          assertRebuildRecorded(s, reports[0]!, winners[policy]);
          const expected = EXPECTED[policy];
          const a = await bothSides(s, 'a');
          assert.deepEqual({ value: a.pc.value, notes: a.pc.notes }, expected.a, 'deal A in Partner Center');
          assert.deepEqual({ value: a.crm.value, notes: a.crm.notes }, expected.a, 'deal A in the CRM');
          const b = await bothSides(s, 'b');
          assert.deepEqual([b.pc.help, b.crm.help], [HELP[expected.b].pc, HELP[expected.b].crm], 'deal B on both sides');
          await assertNoDuplicates(s);
        } finally {
          await s.close();
        }
      });
    }

    it('manual: each field that differs is a conflict for an admin, and neither side changes', async () => {
      const s = await lostStoreScenario(kind, 'manual');
      try {
        const reports = await syncUntilQuiet(s);
        assert.equal(reports[reports.length - 1]!.writes, 0);
        assertRebuildRecorded(s, reports[0]!, { crm: 0, partnerCenter: 0, conflicts: 3 });
        const conflicts = s.store.listConflicts().map((c) => ({ crmId: c.crmId, fields: [...c.fields].sort() }));
        assert.deepEqual(conflicts.sort((x, y) => (x.crmId === s.ids.a ? -1 : y.crmId === s.ids.a ? 1 : 0)), [
          { crmId: s.ids.a, fields: ['notes', 'value'] },
          { crmId: s.ids.b, fields: ['helpType'] },
        ]);
        const a = await bothSides(s, 'a');
        assert.deepEqual([a.pc.value, a.pc.notes, a.crm.value, a.crm.notes, a.crm.syncState], [PC_VALUE, ORIGINAL.notes, ORIGINAL.value, CRM_NOTES, 'conflict']);
        const b = await bothSides(s, 'b');
        assert.deepEqual([b.pc.help, b.crm.help], [HELP.pc.pc, HELP.crm.crm]);
        await assertNoDuplicates(s);
      } finally {
        await s.close();
      }
    });

    it('an older store file: links it holds merge against their old base, the others are rebuilt', async () => {
      const s = await lostStoreScenario(kind, 'newest-wins', { older: true });
      try {
        const reports = await syncUntilQuiet(s);
        assert.equal(reports[reports.length - 1]!.writes, 0);
        // A, B and C were in the older store: only the inbound referral, synced after the copy, is rebuilt.
        assert.equal(reports[0]!.counts.rebuilt, 1);
        assert.equal(reports[0]!.counts.rebuiltFields ?? 0, 0);
        // With their last synced base known, one-sided edits flow as edits: A keeps both.
        const a = await bothSides(s, 'a');
        assert.deepEqual([a.pc.value, a.pc.notes, a.crm.value, a.crm.notes], [PC_VALUE, CRM_NOTES, PC_VALUE, CRM_NOTES]);
        await assertNoDuplicates(s);
      } finally {
        await s.close();
      }
    });
  });
}

describe('cosell status after links were rebuilt (CLI)', function () {
  this.timeout(120_000);

  it('says a rebuild happened and what it decided, in the human output and in --json', async () => {
    const s = await lostStoreScenario('salesforce', 'manual');
    try {
      await syncUntilQuiet(s);
      const human = await cosell(s, ['status']);
      assert.match(human, /^Links rebuilt from referral IDs \(.+\): 4 link\(s\); 3 field\(s\) differed: 0 taken from the CRM, 0 from Partner Center, 3 left as conflicts \(policy manual\)\.$/m);
      assert.match(human, /Open conflicts: 2/);
      const json = JSON.parse(await cosell(s, ['status', '--json'])) as { rebuild: Record<string, unknown> };
      assert.deepEqual({ links: json.rebuild.links, fieldsDiffered: json.rebuild.fieldsDiffered, decided: json.rebuild.decided, policy: json.rebuild.policy }, { links: 4, fieldsDiffered: 3, decided: { crm: 0, partnerCenter: 0, conflicts: 3 }, policy: 'manual' });
    } finally {
      await s.close();
    }
  });
});
