/** connectors/dynamics/process-stages.ts: the stage listing riding in the run's first `$batch` when the kept list is old. */
import assert from 'node:assert/strict';
import { ConnectorError } from '../../core/errors.js';
import type { DataverseClient } from '../../connectors/dynamics/client.js';
import { listedStages, stageRider, type ListedStages } from '../../connectors/dynamics/process-stages.js';
import { StageCache } from '../../connectors/stage-cache.js';
import { effectiveStageTable } from '../../mappings/stages.dynamics.js';

const table = effectiveStageTable();
const rows = [
  { processstageid: 's1', stagename: 'Qualify', stagecategory: 0, _processid_value: 'p1' },
  { processstageid: 's2', stagename: 'Develop', stagecategory: 1, _processid_value: 'p1' },
];

function setup() {
  let listings = 0;
  let at = 0;
  const cache = new StageCache<ListedStages>(async () => (listings++, listedStages(rows, table)), (listed, stage) => listed.names.has(stage), () => at);
  // A one-page answer needs no next page: the client is not called.
  const client = {} as DataverseClient;
  return { cache, client, listings: () => listings, advance: (ms: number) => (at += ms) };
}

describe('Dynamics process stages riding in the first $batch', () => {
  it('asks nothing while the kept list is within its life', async () => {
    const s = setup();
    await s.cache.get();
    assert.equal(stageRider(s.cache, s.client, table), undefined);
  });

  it('keeps the answer as the run\'s listing: the read context lists nothing of its own', async () => {
    const s = setup();
    const rider = stageRider(s.cache, s.client, table)!;
    assert.match(rider.request.url, /^processstages\?/);
    await rider.accept({ ok: true, body: { value: rows } });
    assert.equal((await s.cache.get()).names.get('s2'), 'Develop');
    assert.equal(s.listings(), 0);
  });

  it('keeps nothing from a refused answer: the run lists the stages on its own, as before', async () => {
    const s = setup();
    const rider = stageRider(s.cache, s.client, table)!;
    await rider.accept({ ok: false, error: new ConnectorError('dataverse_failed', 'refused', true) });
    assert.equal(s.cache.isKept(), false);
    await s.cache.get();
    assert.equal(s.listings(), 1);
  });

  it('lists the open stages by name, then Won and Lost; process stages by normalised name', () => {
    const listed = listedStages(rows, table);
    assert.deepEqual(listed.stages.map((st) => st.name), ['Qualify', 'Develop', 'Won', 'Lost']);
    assert.deepEqual([...listed.processStages.values()].map((p) => p.id), ['s1', 's2']);
  });
});
