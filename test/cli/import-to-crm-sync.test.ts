/**
 * `cosell import FILE --to-crm` then `cosell sync --once`, twice, through the real binary, on both CRMs:
 * the opportunities the import created are linked to their referrals by the first sync (none parked, none
 * created twice), and the second sync writes nothing. The import used to create them without the create
 * intent the sync records for its own creates, so the sync saw opportunities naming referrals that named
 * no CRM record, and parked every open one as an unconfirmed binding, asking for a `cosell link` each.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startCliWorld, type CliWorld } from '../helpers/cli.js';
import { unwrap } from '../e2e/lifecycle.suite.js';

interface Status { parked: unknown[]; links: { active: number } }

for (const kind of ['salesforce', 'dynamics'] as const) {
  describe(`cosell import --to-crm, then sync (real binary, ${kind})`, function () {
    this.timeout(180_000);
    let world: CliWorld;
    afterEach(async () => world?.close());

    it('links every imported opportunity at the first sync and writes nothing at the second', async () => {
      world = await startCliWorld(kind);
      for (const dealName of ['Adatum data estate', 'Litware, Inc. migration', 'Proseware =SUM(1) pilot']) unwrap(world.microsoft.sendReferral({ deal: { dealName } }));
      const file = join(world.configFile, '..', 'inbound.csv');
      const exported = await world.cli(['export', '--direction', 'inbound', '--out', file]);
      assert.equal(exported.code, 0, exported.stderr);
      const count = 3;
      assert.match(exported.stdout + exported.stderr, /Exported 3 referral/);

      const imported = await world.cli(['import', file, '--to-crm', '--direction', 'inbound']);
      assert.equal(imported.code, 0, imported.stderr + imported.stdout);
      assert.match(imported.stdout, new RegExp(`^Created ${count}, unchanged 0, empty 0, not processed 0\\.`, 'm'));

      const first = await world.cli(['sync', '--once', '--json']);
      assert.equal(first.code, 0, first.stderr + first.stdout);
      const status = JSON.parse((await world.cli(['status', '--json'])).stdout) as Status;
      assert.deepEqual(status.parked, [], 'no imported opportunity is parked');
      const report = JSON.parse(first.stdout) as { counts: { linked?: number } };
      assert.ok((report.counts.linked ?? 0) >= count, `each imported opportunity is linked: ${first.stdout}`);

      const second = await world.cli(['sync', '--once', '--json']);
      assert.equal(second.code, 0, second.stderr + second.stdout);
      assert.equal((JSON.parse(second.stdout) as { writes: number }).writes, 0, second.stdout);
      const again = await world.cli(['import', file, '--to-crm', '--direction', 'inbound']);
      assert.match(again.stdout, new RegExp(`^Created 0, unchanged ${count}, empty 0, not processed 0\\.`, 'm'), 'the same file creates nothing twice');
    });
  });
}
