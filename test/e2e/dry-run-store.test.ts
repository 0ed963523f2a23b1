/**
 * A dry run writes nothing to the state store, row for row, for both CRMs: not the engine's links and
 * cursors (dry-run-store.ts), and not the CRM adapter's own related-row index either (which opportunity a
 * team member, contact role, solution or invitation row belongs to, and the row versions a run read),
 * which the adapter keeps in the same store. A dry run followed by a real run then starts the real run
 * from exactly the state a real run alone would have.
 */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';

/** Every row of every table of the SQLite state store, each table's rows sorted (read through a second connection). */
function storeRows(file: string): Record<string, string[]> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    return Object.fromEntries(tables.map((t) => [t, (db.prepare(`SELECT * FROM "${t}"`).all() as unknown[]).map((row) => JSON.stringify(row)).sort()]));
  } finally {
    db.close();
  }
}

/** A dry run of `world`, checked to have left every row of the store as it was. */
async function dryRunChangesNothing(world: World, when: string): Promise<void> {
  const file = world.runtime.config.store.path;
  const before = storeRows(file);
  const dry = await world.sync({ dryRun: true });
  assert.ok(dry.plan && dry.plan.length > 0, `${when}: the dry run had something to plan`);
  const after = storeRows(file);
  assert.deepEqual(Object.keys(after), Object.keys(before), `${when}: the same tables`);
  for (const table of Object.keys(before)) {
    const added = after[table]!.filter((row) => !before[table]!.includes(row));
    const gone = before[table]!.filter((row) => !after[table]!.includes(row));
    assert.ok(added.length + gone.length === 0, `${when}: the dry run changed table ${table}: ${added.length} row(s) new or changed, e.g. ${added.slice(0, 2).join(' ')}; ${gone.length} row(s) gone or changed, e.g. ${gone.slice(0, 2).join(' ')}`);
  }
}

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) describe(`sync --dry-run leaves the state store unchanged (${kind}, end to end)`, function () {
  this.timeout(180_000);

  it('on a new store, and after related rows were added and removed alone', async () => {
    const world = await startWorld(kind, { seed: true });
    try {
      const crmId = await world.seller.createDeal(dealSpec('Related rows deal', { share: true, helpType: 'proof-of-concept', solutions: [{ id: 'SOL-1234-PQRS', kind: 'own' }, { id: 'SOL-5678-WXYZ', kind: 'own' }] }));
      // The first run: every deal and its related rows are read for the first time.
      await dryRunChangesNothing(world, 'a new store');
      await world.sync();
      assert.ok(world.runtime.store.listLinks({}).length > 0, 'the real run linked the deals');

      // Rows changed alone: the feeds trace them through the related-row index (a deletion names only its row).
      await world.seller.addTeamMember(crmId, { firstName: 'Robin', lastName: 'Rep', phone: '+1 425 555 0102', email: 'robin.rep@partner.example' }, { alone: true });
      await world.seller.removeSolution(crmId, 'SOL-5678-WXYZ', { alone: true });
      await world.seller.edit(crmId, { value: 52_000 });
      world.set.clock.advance(60_000);
      await dryRunChangesNothing(world, 'related rows changed alone');

      // The real run after the dry run does what it would have done alone: the removal and the edit reach Partner Center.
      const real = await world.sync();
      assert.ok((real.counts.pcUpdated ?? 0) > 0, JSON.stringify(real.counts));
      const referralId = world.runtime.store.getLinkByCrmId(crmId)?.referralId;
      assert.ok(referralId);
      const referral = world.set.partnerCenter.store.get(referralId);
      assert.deepEqual((referral?.details?.requirements?.solutions ?? []).map((s) => s.id).sort(), ['SOL-1234-PQRS']);
    } finally {
      await world.close();
    }
  });
});
