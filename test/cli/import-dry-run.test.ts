/**
 * Issue 12, item 7: `cosell import FILE --dry-run` through the real binary says it was a dry run and what
 * a real import would do, row by row, and sends nothing.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { startCliWorld, type CliWorld } from '../helpers/cli.js';
import { csvText } from '../csv/helpers/csv.js';
import { SAMPLE_HEADER, SEED_SAMPLE_ROW } from '../csv/helpers/fixtures.js';

const writes = (world: CliWorld) => Object.entries(world.set.partnerCenter.counters.snapshot()).filter(([k]) => /POST|PATCH/.test(k)).reduce((n, [, v]) => n + v, 0);

describe('cosell import --dry-run (real binary)', function () {
  this.timeout(120_000);
  let world: CliWorld;
  afterEach(async () => world?.close());

  it('item 7: prints DRY RUN and each row\'s create, update or refusal, and sends nothing', async () => {
    world = await startCliWorld('salesforce');
    const dir = join(world.configFile, '..');
    const created = { ...SEED_SAMPLE_ROW, 'Engagement ID': '', 'Referral ID': '', 'Estimated Close Date': '1/30/2027' };
    const first = join(dir, 'first.csv');
    writeFileSync(first, csvText(SAMPLE_HEADER, [created]));
    const real = await world.cli(['import', first]);
    assert.equal(real.code, 0, real.stderr + real.stdout);
    const [referral, ...others] = world.set.partnerCenter.store.all().filter((r) => r.name === 'UK spring deal' && r.externalReferenceId === SEED_SAMPLE_ROW['CRM ID']);
    assert.equal(others.length, 0);
    assert.ok(referral, 'the real import created the deal');

    const file = join(dir, 'second.csv');
    writeFileSync(file, csvText(SAMPLE_HEADER, [
      { ...created, 'Deal Name': 'A new deal', 'CRM ID': 'CRM-NEW-1' },
      { ...created, 'Referral ID': referral.id, 'Engagement ID': referral.engagementId, 'Estimated Deal Value': '25000' },
      created,
      { ...created, 'Referral ID': 'no-such-referral', 'Deal Name': 'Ghost' },
    ]));
    const before = writes(world);
    const count = world.set.partnerCenter.store.all().length;
    const dry = await world.cli(['import', file, '--dry-run']);
    assert.equal(dry.code, 1, 'rows would not be processed');
    assert.equal(writes(world), before, 'nothing was sent to Partner Center');
    assert.equal(world.set.partnerCenter.store.all().length, count);
    const lines = dry.stdout.split('\n');
    assert.match(lines[0]!, /^DRY RUN: nothing was sent to Partner Center\./);
    assert.match(dry.stdout, /would create 1, update 1, leave 0 unchanged, skip 0 empty row\(s\) and not process 2:/);
    // The sample row carries a Declined/Lost reason on an Accepted deal: ignored with a warning (issue 17).
    assert.ok(lines.some((l) => l.startsWith('  row 2: create "A new deal"')), dry.stdout);
    assert.ok(lines.some((l) => l.startsWith(`  row 3: update referral ${referral.id} "UK spring deal": value`)), dry.stdout);
    assert.ok(lines.some((l) => /^ {2}row 4: not processed: .*this row is about the same deal as row 3/.test(l)), dry.stdout);
    assert.ok(lines.some((l) => /^ {2}row 5: not processed: Referral ID: no referral with Referral ID "no-such-referral"/.test(l)), dry.stdout);
    assert.doesNotMatch(dry.stdout, /^Created /m, 'not the real import\'s summary');

    // The dry run's results file is its own: a real import's (with the IDs it created) is never replaced.
    const realResults = readFileSync(join(dir, 'first.results.csv'), 'utf8');
    assert.match(realResults, new RegExp(referral.id));
    const dryOfFirst = await world.cli(['import', first, '--dry-run']);
    assert.match(dryOfFirst.stdout, /Results \(as a real import would write them\): .*first\.dry-run\.results\.csv$/m);
    assert.equal(readFileSync(join(dir, 'first.results.csv'), 'utf8'), realResults, "the real import's results file is untouched");
    assert.ok(existsSync(join(dir, 'first.dry-run.results.csv')));

    const toCrm = await world.cli(['import', file, '--dry-run', '--to-crm']);
    assert.equal(toCrm.code, 2);
    assert.match(toCrm.stderr, /--dry-run.*not available with --to-crm/);
  });

  it('uploading the same file again after its deal was linked to a CRM opportunity creates nothing twice', async () => {
    world = await startCliWorld('salesforce');
    const dir = join(world.configFile, '..');
    const file = join(dir, 'deals.csv');
    writeFileSync(file, csvText(SAMPLE_HEADER, [{ ...SEED_SAMPLE_ROW, 'Engagement ID': '', 'Referral ID': '', 'CRM ID': '', 'Deal Name': 'Imported then linked', 'Estimated Close Date': '1/30/2027' }]));
    const first = await world.cli(['import', file]);
    assert.equal(first.code, 0, first.stderr + first.stdout);
    // Ours: the deal's engagement also holds Microsoft's referral of the same name (it asked for help).
    const ours = () => world.set.partnerCenter.store.all().filter((r) => r.name === 'Imported then linked' && r.externalReferenceId);
    const [imported, ...others] = ours();
    assert.ok(imported && others.length === 0, JSON.stringify(ours()));
    assert.match(imported.externalReferenceId ?? '', /^csv-/, 'keyed by content');

    // The admin links it to the seller's opportunity; the sync then gives Partner Center the opportunity's ID.
    const crmId = await world.seller.createDeal(dealSpec('Imported then linked', { share: true }));
    const linked = await world.cli(['link', crmId, imported.id]);
    assert.equal(linked.code, 0, linked.stderr + linked.stdout);
    await world.syncToQuiet();
    assert.equal(world.set.partnerCenter.store.all().find((r) => r.id === imported.id)?.externalReferenceId, crmId, linked.stdout + (await world.cli(['explain', crmId])).stdout + (await world.cli(['status'])).stdout);

    const again = await world.cli(['import', file]);
    assert.equal(again.code, 0, again.stderr + again.stdout);
    assert.match(again.stdout, /unchanged 1/);
    assert.deepEqual(ours().map((r) => r.id), [imported.id], 'no second deal');
  });
});
