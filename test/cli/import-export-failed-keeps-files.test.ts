/**
 * An import or export that fails (here: no Partner Center sign-in, exit 3), through the real binary,
 * leaves the files already at its output paths as they were. Opening the output emptied it at once: the
 * previous run's results file, with the IDs of the deals it had created, was left empty, and a failed
 * export removed the file that was at `--out`. A run that gets to the end still replaces them. An export
 * stopped with Ctrl-C left its half-written file (customer names, deal values) hidden beside `--out`.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCliWorld, waitFor, type CliWorld } from '../helpers/cli.js';
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

  it('an export stopped with Ctrl-C leaves no half-written file beside --out, and the earlier export as it was', async () => {
    world = await startCliWorld('dynamics');
    const dir = join(world.configFile, '..');
    const exported = join(dir, 'stopped-export.csv');
    const earlier = 'Errors,Referral ID\n,an earlier export\n';
    writeFileSync(exported, earlier);
    const partials = () => readdirSync(dir).filter((name) => name.endsWith('.partial'));
    // Each read takes a while, so that the signal comes while the export is writing its file.
    world.set.partnerCenter.faults.configure({ rate: 1, kinds: { slow: 1 }, slowMs: 250, match: '^GET ' });

    const run = world.startCli(['export', '--out', exported]);
    await waitFor(() => partials().length > 0, 60_000, 'the export writing beside --out');
    run.child.kill('SIGINT');
    const stopped = await run.done;
    world.set.partnerCenter.faults.configure(undefined);

    assert.deepEqual(partials(), [], 'nothing half-written left behind (it holds customer names and deal values)');
    assert.equal(readFileSync(exported, 'utf8'), earlier, 'the earlier export');
    assert.equal(stopped.code, 130, `ended as by Ctrl-C (${stopped.signal ?? ''}): ${stopped.stderr}`);
  });
});
