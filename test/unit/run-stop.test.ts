/**
 * The stop of one run under a long-lived process stop (core/run-stop.ts): it fires with the process's stop or
 * on its own, and once released it leaves nothing on the long-lived signal, which `cosell run` and
 * `cosell worker` keep for the process's life.
 */
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { runStop } from '../../core/run-stop.js';
import { signalsFollowing } from '../helpers/signal-followers.js';

describe('runStop: one run\'s stop under a long-lived one', () => {
  it('fires when the long-lived stop does, with its reason', () => {
    const process = new AbortController();
    const stop = runStop(process.signal);
    process.abort('SIGTERM');
    assert.equal(stop.signal.aborted, true);
    assert.equal(stop.signal.reason, 'SIGTERM');
  });

  it('fires on its own (the lock was lost) and leaves the long-lived stop alone', () => {
    const process = new AbortController();
    const stop = runStop(process.signal);
    stop.abort('lock lost');
    assert.equal(stop.signal.reason, 'lock lost');
    assert.equal(process.signal.aborted, false);
  });

  it('starts aborted when the long-lived stop already fired', () => {
    const process = new AbortController();
    process.abort('SIGINT');
    assert.equal(runStop(process.signal).signal.reason, 'SIGINT');
  });

  it('without a long-lived stop, only its own abort stops it', () => {
    const stop = runStop();
    assert.equal(stop.signal.aborted, false);
    stop.abort('lock lost');
    assert.equal(stop.signal.reason, 'lock lost');
  });

  it('a thousand released runs leave no listener and no follower on the long-lived stop, which still stops the next run', () => {
    const process = new AbortController();
    for (let i = 0; i < 1000; i += 1) runStop(process.signal).release();
    assert.equal(getEventListeners(process.signal, 'abort').length, 0);
    assert.equal(signalsFollowing(process.signal), 0);
    const next = runStop(process.signal);
    process.abort('SIGTERM');
    assert.equal(next.signal.reason, 'SIGTERM');
  });

  it('a released run no longer follows the long-lived stop', () => {
    const process = new AbortController();
    const stop = runStop(process.signal);
    stop.release();
    process.abort('SIGTERM');
    assert.equal(stop.signal.aborted, false);
  });
});
