/**
 * The transaction guard (core/store/transaction-scope.ts) marks a transaction's work with an
 * AsyncLocalStorage, which on Node 20 turns async_hooks' promise hooks on for every promise of the process.
 * They must be off again once no transaction is open (an await costs about 3× as much with them on), and
 * the guard must still work in every later transaction.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

/**
 * In a fresh process (nothing else has turned the hooks on): whether a promise continuation gets an async ID
 * of its own (what the promise hooks give it) before, inside and after transactions.
 */
function promiseIds(): { before: boolean; inside: boolean; after: boolean; afterSecond: boolean; nestedRefused: boolean } {
  const script = `
    import { executionAsyncId } from 'node:async_hooks';
    import { asyncStateStore } from './core/store/async-over-sync.ts';
    import { openMemoryStore } from './core/store/memory-store.ts';
    const tracked = async () => { await null; return executionAsyncId() !== 0; };
    const store = asyncStateStore(openMemoryStore());
    const before = await tracked();
    const inside = await store.transaction(() => tracked());
    const after = await tracked();
    let nestedRefused = false;
    await store.transaction(async () => { await null; await store.getMeta('k'); }).catch((error) => { nestedRefused = error.code === 'store.nested_call'; });
    const afterSecond = await tracked();
    console.log(JSON.stringify({ before, inside, after, afterSecond, nestedRefused }));`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout.trim().split('\n').pop()!);
}

describe('the store\'s transaction guard', function () {
  this.timeout(60_000);

  it('leaves no promise hooks on once its transactions have ended, and still refuses a nested call', () => {
    assert.deepEqual(promiseIds(), { before: false, inside: true, after: false, afterSecond: false, nestedRefused: true });
  });
});
