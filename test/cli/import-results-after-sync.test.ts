/**
 * An import's results file uploaded again after the sync linked its deals, through the real binary, on
 * both CRMs. The results file's CRM ID column still holds the key each deal was created under, which the
 * sync replaced in Partner Center with the opportunity's ID. Until 2026-12-06 the re-upload wrote the old
 * key back over the link (Partner Center named no opportunity until the next sync put its ID back); now
 * the link's ID stays, the row says why, and the next sync has nothing to correct.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCliWorld, type CliWorld } from '../helpers/cli.js';
import { csvText } from '../csv/helpers/csv.js';
import { SAMPLE_HEADER, SEED_SAMPLE_ROW } from '../csv/helpers/fixtures.js';

for (const kind of ['salesforce', 'dynamics'] as const) {
  describe(`cosell import of its results file after the sync linked the deal (real binary, ${kind})`, function () {
    this.timeout(180_000);
    let world: CliWorld;
    afterEach(async () => world?.close());

    it('keeps the opportunity\'s ID in Partner Center and the next sync writes nothing', async () => {
      world = await startCliWorld(kind);
      const row = { ...SEED_SAMPLE_ROW, Errors: '', 'Engagement ID': '', 'Referral ID': '', 'Declined/Lost reason': '', 'Sales Stage': '', 'Partner Referral Status': 'New', 'Estimated Close Date': '1/30/2027', 'CRM ID': 'OLD-KEY-1', 'Deal Name': 'Imported, then linked' };
      const file = join(world.configFile, '..', 'new.csv');
      writeFileSync(file, csvText(SAMPLE_HEADER, [row]));
      assert.match((await world.cli(['import', file])).stdout, /^Created 1,/m);
      const crmIdInPartnerCenter = () => world.set.partnerCenter.store.all().find((r) => r.name === 'Imported, then linked')?.externalReferenceId;
      assert.equal((await world.cli(['sync', '--once'])).code, 0);
      const linked = crmIdInPartnerCenter();
      assert.notEqual(linked, 'OLD-KEY-1', 'the sync replaced the key with the opportunity\'s ID');

      const again = await world.cli(['import', join(world.configFile, '..', 'new.results.csv')]);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /^Created 0, updated 0, unchanged 1,/m);
      assert.match(again.stderr, /column "CRM ID": "OLD-KEY-1" is the key this deal was created under; .* \[csv\.crm_id_replaced\]/);
      assert.equal(crmIdInPartnerCenter(), linked, 'the key was not written over the link');
      const next = await world.cli(['sync', '--once', '--json']);
      assert.equal((JSON.parse(next.stdout) as { writes: number }).writes, 0, next.stdout);
      assert.ok(readFileSync(join(world.configFile, '..', 'new.results.results.csv'), 'utf8').includes('csv.crm_id_replaced'), 'the results file says why');
    });
  });
}
