/**
 * A real `cosell import` of a file with bad rows, through the binary: the good rows go through ("a
 * summary with the number of referrals that got created, updated, and not processed", bulk CSV seed),
 * and each bad row is named on the terminal with its spreadsheet row, its column and the rule's code,
 * as the results file's Errors cell has it. The terminal used to show the counts only.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCliWorld, type CliWorld } from '../helpers/cli.js';
import { csvText } from '../csv/helpers/csv.js';
import { SAMPLE_HEADER, SEED_SAMPLE_ROW } from '../csv/helpers/fixtures.js';

describe('cosell import of a file with bad rows (real binary)', function () {
  this.timeout(120_000);
  let world: CliWorld;
  afterEach(async () => world?.close());

  it('creates the good rows and names each bad one by row, column and rule', async () => {
    world = await startCliWorld('dynamics');
    const good = { ...SEED_SAMPLE_ROW, Errors: '', 'Engagement ID': '', 'Referral ID': '', 'Declined/Lost reason': '', 'Estimated Close Date': '1/30/2027' };
    const file = join(world.configFile, '..', 'mixed.csv');
    writeFileSync(file, csvText(SAMPLE_HEADER, [
      good,
      { ...good, 'CRM ID': 'CRM-2', 'Estimated Close Date': '30/01/2027', 'Customer Country': 'USA' },
      { ...good, 'CRM ID': 'CRM-3', 'Deal Name': 'Second good deal' },
      { ...good, 'CRM ID': 'CRM-4', 'Referral ID': 'no-such-referral' },
      // Text from elsewhere (a Partner Center export, a customer's name) quoted in an error: printed without
      // what would drive the terminal (until 2026-12-06 an escape sequence in a cell reached it as it was).
      { ...good, 'CRM ID': 'CRM-6', 'Referral ID': 'other\u001b]0;PWNED\u0007\u202e' },
    ]));
    const run = await world.cli(['import', file]);
    assert.equal(run.code, 1, 'rows were not processed');
    assert.match(run.stdout, /^Created 2, updated 0, unchanged 0, empty 0, not processed 3\./m);
    assert.match(run.stderr, /^Row 3, column "Estimated Close Date": "30\/01\/2027" is not a date in MM\/DD\/YYYY \(UTC\).* \[csv\.date\]$/m);
    assert.match(run.stderr, /^Row 3, column "Customer Country": .* \[[a-z_.]+\]$/m);
    assert.match(run.stderr, /^Row 5, column "Referral ID": no referral with Referral ID "no-such-referral" .* \[csv\.unknown_referral\]$/m);
    assert.doesNotMatch(run.stderr, /^Row [24],/m, 'the good rows are not listed');
    assert.match(run.stderr, /^Row 6, column "Referral ID": no referral with Referral ID "other\]0;PWNED" /m);
    const said = run.stderr.split('\n').filter((line) => !line.startsWith('{')).join('\n');
    assert.ok(!['\u001b', '\u0007', '\u202e'].some((c) => said.includes(c)), 'no escape sequence, bell or override reaches the terminal');
    const keys = [SEED_SAMPLE_ROW['CRM ID'], 'CRM-2', 'CRM-3', 'CRM-4'];
    assert.deepEqual(world.set.partnerCenter.store.all().filter((r) => keys.includes(r.externalReferenceId ?? '')).map((r) => r.externalReferenceId).sort(), [SEED_SAMPLE_ROW['CRM ID'], 'CRM-3'].sort(), 'the two good rows were created, the bad ones not');
  });
});
