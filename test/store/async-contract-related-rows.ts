/**
 * The asynchronous store contract, part 3: the CRM adapter's related-row index (row → opportunity), as
 * in behaviour-related-rows.ts, awaited. Run against every `AsyncStateStore` implementation.
 */
import assert from 'node:assert/strict';
import type { AsyncStateStore } from '../../core/store/async-state-store.js';
import { minutesAfterCreation } from './store-fixtures.js';
import type { OpenContractWorld } from './async-store-fixtures.js';

export function asyncRelatedRowContract(open: OpenContractWorld): void {
  let store: AsyncStateStore;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ store, cleanup } = await open()));
  afterEach(() => cleanup());

  describe('related rows', () => {
    it('finds the opportunity of each remembered row, and nothing for unknown rows', async () => {
      await store.rememberRelatedRows([{ rowId: '00q1', parentId: '006A' }, { rowId: 'a0S1', parentId: '006A' }, { rowId: '00K1', parentId: '006B' }]);
      assert.deepEqual([...await store.relatedParents(['00q1', '00K1', 'unknown'])], [['00q1', '006A'], ['00K1', '006B']]);
      assert.equal((await store.relatedParents([])).size, 0);
    });

    it('keeps a row reported gone findable until it is forgotten, and forgets only rows gone before the cutoff', async () => {
      await store.rememberRelatedRows([{ rowId: 'r1', parentId: 'p1' }, { rowId: 'r2', parentId: 'p1' }, { rowId: 'r3', parentId: 'p2' }]);
      await store.markRelatedGone(['r1'], minutesAfterCreation(1));
      await store.markRelatedGone(['r2', 'never-seen'], minutesAfterCreation(10));
      assert.deepEqual([...await store.relatedParents(['r1', 'r2'])], [['r1', 'p1'], ['r2', 'p1']], 'a deletion window read again still finds them');
      assert.equal(await store.forgetRelatedGone(minutesAfterCreation(5)), 1);
      assert.deepEqual([...await store.relatedParents(['r1', 'r2', 'r3'])], [['r2', 'p1'], ['r3', 'p2']]);
      assert.equal(await store.forgetRelatedGone(minutesAfterCreation(60)), 1);
      assert.deepEqual([...await store.relatedParents(['r2', 'r3'])], [['r3', 'p2']], 'a row never reported gone is kept');
    });

    it('knows a version only once the run that read it is settled; a later read is pending again', async () => {
      await store.rememberRelatedRows([{ rowId: 'r1', parentId: 'p1', version: 'v1', run: 'run-1' }, { rowId: 'r2', parentId: 'p1' }]);
      assert.equal((await store.relatedVersions(['r1'])).size, 0, 'pending: the run is not committed yet');
      assert.equal(await store.settleRelatedVersions('run-0'), 0);
      assert.equal(await store.settleRelatedVersions('run-1'), 1);
      assert.deepEqual([...(await store.relatedVersions(['r1', 'r2', 'unknown']))], [['r1', 'v1']]);
      await store.rememberRelatedRows([{ rowId: 'r1', parentId: 'p2', version: 'v2', run: 'run-2' }]);
      await store.rememberRelatedRows([{ rowId: 'r1', parentId: 'p2' }]);
      assert.deepEqual([...(await store.relatedVersions(['r1']))], [['r1', 'v1']], 'the known version stays until run-2 is settled');
      await store.settleRelatedVersions('run-2');
      assert.deepEqual([...(await store.relatedVersions(['r1']))], [['r1', 'v2']], 'a row remembered without a version kept the pending one');
      assert.deepEqual([...(await store.relatedParents(['r1']))], [['r1', 'p2']]);
    });

    it('a row read again at the version already known, under the same opportunity, leaves nothing to settle', async () => {
      await store.rememberRelatedRows([{ rowId: 'r1', parentId: 'p1', version: 'v1', run: 'run-1' }, { rowId: 'r2', parentId: 'p1', version: 'v1', run: 'run-1' }]);
      assert.equal(await store.settleRelatedVersions('run-1'), 2);
      await store.rememberRelatedRows([
        { rowId: 'r1', parentId: 'p1', version: 'v1', run: 'run-2' },
        { rowId: 'r2', parentId: 'p2', version: 'v1', run: 'run-2' },
      ]);
      assert.equal(await store.settleRelatedVersions('run-2'), 1, 'only the row that moved to another opportunity was written again');
      assert.deepEqual([...(await store.relatedVersions(['r1', 'r2']))], [['r1', 'v1'], ['r2', 'v1']]);
      assert.deepEqual([...(await store.relatedParents(['r1', 'r2']))], [['r1', 'p1'], ['r2', 'p2']]);
    });

    it('a row seen again is no longer gone, and the first gone time is kept', async () => {
      await store.rememberRelatedRows([{ rowId: 'r1', parentId: 'p1' }, { rowId: 'r2', parentId: 'p1' }]);
      await store.markRelatedGone(['r1', 'r2'], minutesAfterCreation(1));
      await store.markRelatedGone(['r2'], minutesAfterCreation(30));
      await store.rememberRelatedRows([{ rowId: 'r1', parentId: 'p1' }]);
      assert.equal(await store.forgetRelatedGone(minutesAfterCreation(5)), 1);
      assert.deepEqual([...await store.relatedParents(['r1', 'r2'])], [['r1', 'p1']]);
    });
  });
}
