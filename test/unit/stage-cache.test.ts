/** connectors/stage-cache.ts: an hour's life, one listing per run for stages the list lacks, fresh on demand. */
import assert from 'node:assert/strict';
import { STAGE_LIST_LIFE_MS, StageCache } from '../../connectors/stage-cache.js';

function cache() {
  let at = 0;
  let listings = 0;
  const crm = ['Qualify', 'Develop'];
  const stages = new StageCache(async () => (listings++, [...crm]), (list, name) => list.includes(name), () => at);
  return { stages, crm, advance: (ms: number) => (at += ms), listings: () => listings };
}

describe('StageCache', () => {
  it('keeps the list for its life, then lists again', async () => {
    const c = cache();
    await c.stages.get();
    c.advance(STAGE_LIST_LIFE_MS - 1);
    await c.stages.get();
    assert.equal(c.listings(), 1);
    c.advance(1);
    await c.stages.get();
    assert.equal(c.listings(), 2);
  });

  it('keeps a listing made riding in another request as this run\'s: no listing of its own, for its life', async () => {
    const c = cache();
    assert.equal(c.stages.isKept(), false);
    c.stages.keep(['Qualify', 'Develop', 'Rode along']);
    assert.equal(c.stages.isKept(), true);
    assert.deepEqual(await c.stages.get(), ['Qualify', 'Develop', 'Rode along']);
    // This run's listing: a stage it lacks does not list them again in the same run.
    await c.stages.covering(['Unknown']);
    assert.equal(c.listings(), 0);
    c.advance(STAGE_LIST_LIFE_MS);
    assert.equal(c.stages.isKept(), false);
    await c.stages.get();
    assert.equal(c.listings(), 1);
  });

  it('a stage the CRM never has costs one listing per run, however many records name it', async () => {
    const c = cache();
    await c.stages.get();
    c.stages.beginRun();
    for (let i = 0; i < 50; i++) await c.stages.covering(['Develop', 'Deleted stage']);
    assert.equal(c.listings(), 2);
  });

  it('a stage a listing looked for and did not find lists nothing more within the list\'s life; looked for again after it', async () => {
    const c = cache();
    c.stages.beginRun();
    await c.stages.covering(['Qualify', 'Stage of another process']);
    assert.equal(c.listings(), 1, 'the first listing looked for it');
    for (let run = 0; run < 10; run++) {
      c.advance(5 * 60_000 - 1);
      c.stages.beginRun();
      await c.stages.covering(['Stage of another process']);
    }
    assert.equal(c.listings(), 1, 'ten runs within the hour list nothing more (old code: one listing per run)');
    c.advance(STAGE_LIST_LIFE_MS);
    c.crm.push('Stage of another process');
    c.stages.beginRun();
    assert.deepEqual(await c.stages.covering(['Stage of another process']), ['Qualify', 'Develop', 'Stage of another process']);
    assert.equal(c.listings(), 2);
  });

  it('a stage first named after the run listed is still looked for by the next run', async () => {
    const c = cache();
    c.stages.beginRun();
    await c.stages.covering(['Qualify']);
    await c.stages.covering(['Deleted stage']);
    c.stages.beginRun();
    await c.stages.covering(['Deleted stage']);
    assert.equal(c.listings(), 2);
    c.stages.beginRun();
    await c.stages.covering(['Deleted stage']);
    assert.equal(c.listings(), 2, 'that listing looked for it');
  });

  it('a stage added in the CRM is in the list the run lists; a known one lists nothing', async () => {
    const c = cache();
    c.stages.beginRun();
    await c.stages.covering(['Qualify']);
    c.crm.push('Propose');
    assert.deepEqual(await c.stages.covering(['Propose']), ['Qualify', 'Develop'], 'the run listed already');
    c.stages.beginRun();
    assert.deepEqual(await c.stages.covering(['Propose']), ['Qualify', 'Develop', 'Propose']);
    assert.equal(c.listings(), 2);
  });

  it('fresh lists every time; concurrent readers share one listing', async () => {
    const c = cache();
    await Promise.all([c.stages.get(), c.stages.get(), c.stages.covering(['x'])]);
    assert.equal(c.listings(), 1);
    await c.stages.fresh();
    await c.stages.fresh();
    assert.equal(c.listings(), 3);
  });
});
