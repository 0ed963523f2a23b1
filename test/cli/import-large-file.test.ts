/**
 * A very large import file through the real binary: "If the file has more than 1000 records, it cannot
 * be processed" (bulk CSV seed), so the CLI reads it only as far as the first record over the limit and
 * counts the rest. It used to read the whole file into one string and parse all of it: 120 MB took 1.9 GB
 * of memory, so a big export pasted together, or a file with a runaway formula fill, could not even be
 * refused. The binary runs here with a 48 MB heap, which the old reader overran on this 40 MB file.
 *
 * A file within the record limit can be as large, with one runaway cell: until 2026-12-06 it was read and
 * parsed whole (150 MB in one Notes cell ran a default heap out of memory after a minute, exit 134). A
 * file over 32 MiB is now refused before it is parsed.
 */
import assert from 'node:assert/strict';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { startCliWorld, type CliWorld } from '../helpers/cli.js';
import { csvText, records } from '../csv/helpers/csv.js';
import { SAMPLE_HEADER, SEED_SAMPLE_ROW } from '../csv/helpers/fixtures.js';

const RECORDS = 100_000;

describe('cosell import of a file far over the 1,000-record limit (real binary)', function () {
  this.timeout(180_000);
  let world: CliWorld;
  afterEach(async () => world?.close());

  it('refuses it in bounded memory, naming its record count, with no call to Partner Center', async () => {
    world = await startCliWorld('salesforce');
    const file = join(world.configFile, '..', 'huge.csv');
    const row = { ...SEED_SAMPLE_ROW, 'Engagement ID': '', 'Referral ID': '', Notes: 'Pilot agreed,\r\nPO expected in March' };
    const [header, line] = csvText(SAMPLE_HEADER, [row], { bom: true }).split(/\r\n(?=[^\r\n]*UK spring deal)/);
    const fd = openSync(file, 'w');
    writeSync(fd, `${header}\r\n`);
    const block = `${line}`.repeat(1000);
    for (let i = 0; i < RECORDS / 1000; i += 1) writeSync(fd, block);
    closeSync(fd);
    world.set.partnerCenter.counters.reset();

    const run = await world.cli(['import', file, '--dry-run'], { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=48`.trim() });
    assert.equal(run.code, 1, run.stderr + run.stdout);
    assert.match(run.stderr, new RegExp(`error: The file has ${RECORDS} records; "If the file has more than 1000 records, it cannot be processed"`));
    assert.deepEqual(world.set.partnerCenter.counters.snapshot(), {}, 'no call to Partner Center');
    const [resultsHeader, ...rows] = records(readFileSync(join(world.configFile, '..', 'huge.dry-run.results.csv'), 'utf8'));
    assert.equal(rows.length, 1001, 'the results file holds the rows read: up to the first one over the limit');
    assert.ok(rows.every((r) => r[resultsHeader!.indexOf('Errors')]!.includes('cannot be processed')), 'each says why');
  });

  it('refuses a file over 32 MiB with one record before parsing it, naming the limit', async () => {
    world = await startCliWorld('salesforce');
    const file = join(world.configFile, '..', 'runaway-cell.csv');
    const row = { ...SEED_SAMPLE_ROW, 'Engagement ID': '', 'Referral ID': '', Notes: 'x'.repeat(40 * 1024 * 1024) };
    const fd = openSync(file, 'w');
    writeSync(fd, csvText(SAMPLE_HEADER, [row], { bom: true }));
    closeSync(fd);
    world.set.partnerCenter.counters.reset();

    const run = await world.cli(['import', file, '--dry-run'], { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=48`.trim() });
    assert.equal(run.code, 1, run.stderr + run.stdout);
    assert.match(run.stderr, /error: The file is larger than 32 MiB/);
    assert.deepEqual(world.set.partnerCenter.counters.snapshot(), {}, 'no call to Partner Center');
  });
});
