/**
 * Which turns end `cosell run` (core/cli/commands/run.ts `endsTheLoop`). A full disk ended it like a
 * damaged database, so the deals stayed unsynced after someone freed the space, until a restart.
 */
import assert from 'node:assert/strict';
import { endsTheLoop } from '../../../core/cli/commands/run.js';
import { EXIT } from '../../../core/cli/exit-codes.js';

describe('cosell run: which failed turn ends the loop', () => {
  it('a config a person must fix, and a state store that cannot be used until someone acts, end it', () => {
    assert.equal(endsTheLoop(EXIT.config, undefined), true);
    for (const code of ['store.damaged', 'store.read_only', 'store.cannot_open', 'store.schema_too_new', 'store.missing']) assert.equal(endsTheLoop(EXIT.stateStore, code), true, code);
  });

  it('a full disk does not: the next turn tries again once space is freed', () => {
    assert.equal(endsTheLoop(EXIT.stateStore, 'store.disk_full'), false);
  });

  it('nor does anything else (a failed run, a refused sign-in, a lock held elsewhere)', () => {
    for (const code of [EXIT.ok, EXIT.failed, EXIT.auth, EXIT.locked, EXIT.partial, EXIT.parked]) assert.equal(endsTheLoop(code, undefined), false, String(code));
  });
});
