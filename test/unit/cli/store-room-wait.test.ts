/**
 * `cosell run` started on a full disk waits for room instead of ending (core/cli/store-room-wait.ts); any
 * other failure to open still ends the command at once.
 */
import assert from 'node:assert/strict';
import { openWhenStoreHasRoom } from '../../../core/cli/store-room-wait.js';
import { StateStoreError } from '../../../core/store/store-problems.js';

/** What `body` writes to standard error (console.error writes there), in lines. */
async function capturingStderr<T>(body: () => Promise<T>): Promise<{ value: T; lines: string[] }> {
  let text = '';
  const original = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => ((text += String(chunk)), true)) as typeof process.stderr.write;
  try {
    const value = await body();
    return { value, lines: text.split('\n') };
  } finally {
    process.stderr.write = original;
  }
}

describe('opening the store when a start finds the disk full', () => {
  it('tries again after each wait, tells the problem once, and returns what opened', async () => {
    let tries = 0;
    const full = new StateStoreError('store.disk_full', 'The disk holding the state database /x is full (disk I/O error; 0 KiB free).', '/x');
    const { value, lines } = await capturingStderr(() =>
      openWhenStoreHasRoom(async () => {
        tries += 1;
        if (tries < 3) throw full;
        return 'runtime';
      }, 5, new AbortController().signal),
    );
    assert.equal(value, 'runtime');
    assert.equal(tries, 3);
    assert.equal(lines.filter((line) => line.includes('is full')).length, 1, lines.join('\n'));
    assert.match(lines.join('\n'), /Waiting for room on the disk: trying again every/);
  });

  it('ends at once on a store problem that needs a person, and on any other error', async () => {
    for (const error of [new StateStoreError('store.damaged', 'The state database /x is damaged.', '/x'), new Error('config refused')]) {
      let tries = 0;
      await assert.rejects(
        openWhenStoreHasRoom(async () => {
          tries += 1;
          throw error;
        }, 5, new AbortController().signal),
        (thrown: unknown) => thrown === error,
      );
      assert.equal(tries, 1);
    }
  });

  it('stops waiting when the stop fires', async () => {
    const stop = new AbortController();
    const full = new StateStoreError('store.disk_full', 'The disk holding the state database /x is full (disk I/O error; 0 KiB free).', '/x');
    const { value } = await capturingStderr(() =>
      openWhenStoreHasRoom(async () => {
        setImmediate(() => stop.abort());
        throw full;
      }, 60_000, stop.signal),
    );
    assert.equal(value, undefined);
  });
});
