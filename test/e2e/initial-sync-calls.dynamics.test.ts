/**
 * The CRM calls of an outbound initial sync on Dynamics, counted by the Dataverse sandbox as Dataverse bills
 * them (a `$batch` is one call), issue 13. 1,200 opted-in deals, one change-tracking page: run 1 is the first
 * `$batch` (the tracking page, the child tables' links, `WhoAmI`, the process stages and the plain read, whose
 * rows are taken at the listed versions) and two `$batch` writes (1,000 + 200 write-backs); run 2 lists the
 * write-backs again (change tracking takes no `$filter`) in its one call. Before, the first run listed the
 * process stages in a call of its own, and until branch dynfirst it read the listed rows again in a `$batch`
 * of their own (change tracking takes no `$expand`), leaving the plain read unused.
 */
import assert from 'node:assert/strict';
import { billedCalls } from '../../bench/billing.js';
import { seedCrmDeals } from '../../bench/seed.js';
import { startWorld, type World } from '../../sandbox/world.js';

const DEALS = 1_200;

function callsOf(world: World) {
  const billed = billedCalls(world.set.dataverse.counters.snapshot());
  // The billed requests alone: the operations inside a `$batch` and token requests are not calls here.
  const byEndpoint = Object.fromEntries(Object.entries(billed.byEndpoint).filter(([label]) => !label.startsWith('$batch ') && label !== 'token'));
  return { total: billed.total, byEndpoint };
}

describe(`Dynamics outbound initial sync of ${DEALS} deals: CRM calls`, function () {
  this.timeout(180_000);
  let world: World;
  before(async () => {
    world = await startWorld('dynamics');
  });
  after(async () => world?.close());

  const calls = () => callsOf(world);

  it('costs the first $batch (tracking page and plain read) and the writes at 1,000 a $batch; the stage list rides in the first $batch', async () => {
    world.set.clock.advance(-10 * 60_000);
    seedCrmDeals('dynamics', world.set, DEALS);
    world.set.clock.advance(10 * 60_000);
    world.set.dataverse.counters.reset();
    const first = await world.sync();
    assert.equal(first.counts.pcCreated, DEALS);
    const run1 = calls();
    assert.deepEqual(run1.byEndpoint, { 'POST $batch': 3 }, JSON.stringify(run1.byEndpoint));
    assert.equal(world.set.dataverse.counters.get('$batch GET processstages'), 1, 'the stage list rode in a $batch');

    world.set.dataverse.counters.reset();
    const second = await world.sync();
    assert.equal(second.writes, 0, JSON.stringify(second.counts));
    assert.equal(calls().total, 1, JSON.stringify(calls().byEndpoint));

    // An hour on the kept stage list is old: the idle run lists it again inside its one call.
    world.set.clock.advance(61 * 60_000);
    world.set.dataverse.counters.reset();
    const idle = await world.sync();
    assert.equal(idle.writes, 0);
    assert.deepEqual(calls().byEndpoint, { 'POST $batch': 1 }, JSON.stringify(calls().byEndpoint));
    assert.equal(world.set.dataverse.counters.get('$batch GET processstages'), 1);

    // A seller's edit after all that is still seen and sent.
    const open = world.runtime.store.listLinks({ limit: DEALS }).find((l) => l.base.status !== 'Closed')!;
    await world.seller.edit(open.crmId, { notes: 'Edited after the initial sync' });
    const next = await world.sync();
    assert.equal(next.counts.pcUpdated, 1, JSON.stringify(next.counts));
  });
});

/*
 * The CRM calls of an outbound initial sync on Dynamics when the opportunities fill several pages (issue 13),
 * counted by the Dataverse sandbox as Dataverse bills them, under its default reading of change tracking (a
 * row saved while a listing is paged is listed again on a later page and by the next delta). 3,000 opted-in
 * deals, pages of 1,000 rows (the sandbox's page limit lowered so that three pages stand for fifty).
 * The first run reads them with a plain query (connectors/dynamics/first-read.ts): the first `$batch` and two
 * GETs; the engine writes 3,000 write-backs (three `$batch`); then the change-tracking listing for the delta
 * link: three pages, every row at the version the engine wrote, none read again. The run after finds nothing
 * (one call). Before (measured on main with this test): 9 calls in run 1 too (tracking page one, each page read in
 * full with the next page riding along, the write-backs made while it paged listed again on later pages, the
 * writes), and run 2 listed the 3,000 write-backs once more (3 pages under this reading).
 */
const PAGED_DEALS = 3_000;
const PAGE = 1_000;

describe(`Dynamics outbound initial sync of ${PAGED_DEALS} deals in pages of ${PAGE}: CRM calls`, function () {
  this.timeout(240_000);
  let world: World;
  before(async () => {
    world = await startWorld('dynamics');
  });
  after(async () => world?.close());

  const calls = () => callsOf(world);

  it('reads each page once, writes, lists the write-backs once for the delta link; the next run makes one call', async () => {
    world.set.clock.advance(-10 * 60_000);
    seedCrmDeals('dynamics', world.set, PAGED_DEALS);
    world.set.clock.advance(10 * 60_000);
    world.set.dataverse.runtime.setPageLimit(PAGE);
    world.set.dataverse.counters.reset();
    const first = await world.sync();
    assert.equal(first.counts.pcCreated, PAGED_DEALS);
    const run1 = calls();
    // 1 first $batch + 2 GETs (the read), 3 $batch (the writes), 3 listing pages (two in a $batch with the
    // child tables' further pages, which ride along as before), and one $batch asking which of the rows read
    // or listed still exist (a row deleted while the tokenless listing pages is in no answer: first-read.ts).
    assert.equal(run1.total, 10, JSON.stringify(run1.byEndpoint));
    assert.deepEqual(run1.byEndpoint, { 'POST $batch': 7, 'GET opportunities': 3 }, JSON.stringify(run1.byEndpoint));

    world.set.dataverse.counters.reset();
    const second = await world.sync();
    assert.equal(second.writes, 0, JSON.stringify(second.counts));
    assert.equal(calls().total, 1, JSON.stringify(calls().byEndpoint));

    // A seller's edit after all that is still seen and sent.
    const open = world.runtime.store.listLinks({ limit: PAGED_DEALS }).find((l) => l.base.status !== 'Closed')!;
    await world.seller.edit(open.crmId, { notes: 'Edited after the initial sync' });
    const next = await world.sync();
    assert.equal(next.counts.pcUpdated, 1, JSON.stringify(next.counts));
  });
});
