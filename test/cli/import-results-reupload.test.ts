/**
 * The seed's loop, through the real binary: "You can download the details of the processed records, fix
 * any errors, and upload the same file". A create row says New/Accepted and no sales stage, as the seed
 * asks ("Use New if you are trying to create a new deal"); Partner Center creates the deal Active/Accepted
 * at its first stage. The results file used to echo New and the empty stage next to the new IDs, so the
 * corrected file sent back refused every deal already created ("Substatus Accepted does not belong to
 * status New") and, with the status put right, would have cleared their sales stage.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCliWorld, type CliWorld } from '../helpers/cli.js';
import { csvText } from '../csv/helpers/csv.js';
import { SAMPLE_HEADER, SEED_SAMPLE_ROW } from '../csv/helpers/fixtures.js';

describe('cosell import of its own results file (real binary)', function () {
  this.timeout(120_000);
  let world: CliWorld;
  afterEach(async () => world?.close());

  it('changes nothing on the deals the first upload created, and sends the corrected row', async () => {
    world = await startCliWorld('salesforce');
    const row = { ...SEED_SAMPLE_ROW, Errors: '', 'Engagement ID': '', 'Referral ID': '', 'Declined/Lost reason': '', 'Sales Stage': '', 'Partner Referral Status': 'New', 'Estimated Close Date': '1/30/2027' };
    const file = join(world.configFile, '..', 'new-deals.csv');
    writeFileSync(file, csvText(SAMPLE_HEADER, [
      { ...row, 'CRM ID': 'NEW-1', 'Deal Name': 'First new deal' },
      { ...row, 'CRM ID': '', 'Deal Name': 'Second new deal' },
      { ...row, 'CRM ID': 'NEW-3', 'Deal Name': 'Third new deal', 'Estimated Close Date': '30/01/2027' },
    ]));
    const first = await world.cli(['import', file]);
    assert.match(first.stdout, /^Created 2, updated 0, unchanged 0, empty 0, not processed 1\./m);

    const results = join(world.configFile, '..', 'new-deals.results.csv');
    const corrected = join(world.configFile, '..', 'corrected.csv');
    writeFileSync(corrected, readFileSync(results, 'utf8').replace(',30/01/2027,', ',01/30/2027,'));
    const again = await world.cli(['import', corrected]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^Created 1, updated 0, unchanged 2, empty 0, not processed 0\./m);
  });
});
