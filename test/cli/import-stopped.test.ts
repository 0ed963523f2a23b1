/**
 * Ctrl-C during a real `cosell import` (the binary): the import stops after the write in flight, and still
 * prints its summary, names what it did not send, and writes the results file. It used to end at once
 * with code 130, printing nothing and leaving an empty results file, so the admin could not tell how many
 * deals had been created nor whether uploading the file again would create them twice.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import { startCliWorld, waitFor, type CliWorld } from '../helpers/cli.js';
import { csvText, records } from '../csv/helpers/csv.js';
import { SAMPLE_HEADER, SEED_SAMPLE_ROW } from '../csv/helpers/fixtures.js';

const ROWS = 12;

describe('cosell import stopped with Ctrl-C (real binary)', function () {
  this.timeout(120_000);
  let world: CliWorld;
  afterEach(async () => world?.close());

  it('sends no more rows, says which were not sent, and a second upload sends just those', async () => {
    world = await startCliWorld('dynamics');
    const good = { ...SEED_SAMPLE_ROW, Errors: '', 'Engagement ID': '', 'Referral ID': '', 'Declined/Lost reason': '', 'Estimated Close Date': '1/30/2027' };
    const file = join(world.configFile, '..', 'stopped.csv');
    writeFileSync(file, csvText(SAMPLE_HEADER, Array.from({ length: ROWS }, (_, i) => ({ ...good, 'CRM ID': `STOP-${i + 1}`, 'Deal Name': `Stopped deal ${i + 1}` }))));
    const created = () => world.set.partnerCenter.service.store.ownedBy(OUR_PARTNER_ORG).filter((r) => /^Stopped deal/.test(r.name ?? '')).length;
    // Each create takes a while, so that the signal comes while rows are left to send.
    world.set.partnerCenter.faults.configure({ rate: 1, kinds: { slow: 1 }, slowMs: 250, match: '^POST ' });

    const run = world.startCli(['import', file]);
    await waitFor(() => created() >= 2, 60_000, 'two deals created');
    run.child.kill('SIGINT');
    const stopped = await run.done;
    world.set.partnerCenter.faults.configure(undefined);

    const made = created();
    assert.ok(made < ROWS, `rows were left when the signal came (${made} created)`);
    assert.equal(stopped.code, 1, 'rows were not processed');
    assert.match(stopped.stdout, new RegExp(`^Created ${made}, updated 0, unchanged 0, empty 0, not processed ${ROWS - made}\\.`, 'm'));
    assert.match(stopped.stderr, /Stopped before the end of the file.*Upload the same file again/);
    assert.match(stopped.stderr, new RegExp(`^Row ${made + 2}: not sent: the import was stopped before this row.*\\[csv\\.interrupted\\]$`, 'm'));
    const [header, ...rows] = records(readFileSync(join(world.configFile, '..', 'stopped.results.csv'), 'utf8').replace(/^\uFEFF/, ''));
    assert.equal(rows.length, ROWS, 'the results file has every row');
    assert.equal(rows.filter((row) => row[header!.indexOf('Referral ID')] !== '').length, made, 'the created rows carry their IDs');

    const again = await world.cli(['import', file]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, new RegExp(`^Created ${ROWS - made}, updated 0, unchanged ${made}, empty 0, not processed 0\\.`, 'm'));
    assert.equal(created(), ROWS, 'no deal created twice');
  });
});
