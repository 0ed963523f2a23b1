/**
 * An import or export that fails (here: no Partner Center sign-in, exit 3), through the real binary,
 * leaves the files already at its output paths as they were. Opening the output emptied it at once: the
 * previous run's results file, with the IDs of the deals it had created, was left empty, and a failed
 * export removed the file that was at `--out`. A run that gets to the end still replaces them.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCliWorld, type CliWorld } from '../helpers/cli.js';
import { csvText } from '../csv/helpers/csv.js';
import { SAMPLE_HEADER, SEED_SAMPLE_ROW } from '../csv/helpers/fixtures.js';

describe('cosell import and export that fail keep the files at their outputs (real binary)', function () {
  this.timeout(120_000);
  let world: CliWorld;
  afterEach(async () => world?.close());

  it('a refused sign-in leaves the earlier results file and export as they were; a finished run replaces them', async () => {
    world = await startCliWorld('dynamics');
    const dir = join(world.configFile, '..');
    const file = join(dir, 'deals.csv');
    writeFileSync(file, csvText(SAMPLE_HEADER, [{ ...SEED_SAMPLE_ROW, Errors: '', 'Engagement ID': '', 'Referral ID': '', 'Declined/Lost reason': '', 'Estimated Close Date': '1/30/2027' }]));
    const results = join(dir, 'deals.results.csv');
    const exported = join(dir, 'deals-export.csv');
    const earlier = 'Errors,Referral ID\n,the IDs of an earlier run\n';
    writeFileSync(results, earlier);
    writeFileSync(exported, earlier);
    const signedOut = world.configVariant('signed-out', (c) => ({ ...c, partnerCenter: { ...c.partnerCenter, tokenCachePath: join(dir, 'nothing.cache') } }));

    const refusedImport = await world.cli(['-c', signedOut, 'import', file]);
    assert.equal(refusedImport.code, 3, refusedImport.stderr);
    assert.equal(readFileSync(results, 'utf8'), earlier, 'the earlier results file');
    const refusedExport = await world.cli(['-c', signedOut, 'export', '--out', exported]);
    assert.equal(refusedExport.code, 3, refusedExport.stderr);
    assert.equal(readFileSync(exported, 'utf8'), earlier, 'the earlier export');
    assert.deepEqual(readdirSync(dir).filter((name) => name.endsWith('.partial')), [], 'nothing half-written left behind');

    const imported = await world.cli(['import', file]);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(readFileSync(results, 'utf8'), /UK spring deal/);
    const exportedAgain = await world.cli(['export', '--out', exported]);
    assert.equal(exportedAgain.code, 0, exportedAgain.stderr);
    assert.match(readFileSync(exported, 'utf8'), /UK spring deal/);
  });
});
