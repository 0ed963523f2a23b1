/**
 * Sign-ins in progress are held in memory until their callback (or 10 minutes): anyone can start one
 * with `GET /auth/sign-in`, so how many are held is bounded, the oldest given up first; a sign-in
 * started after a flood still finishes.
 */
import assert from 'node:assert/strict';
import { MAX_PENDING_SIGN_INS, Sessions } from '../../core/dashboard/session.js';

describe('sign-ins in progress', () => {
  it('are bounded: a flood of anonymous starts forgets the oldest, and a new sign-in still finishes', () => {
    const sessions = new Sessions(3_600_000);
    const first = sessions.beginSignIn('verifier-first').state;
    for (let i = 0; i < MAX_PENDING_SIGN_INS; i += 1) sessions.beginSignIn(`flood-${i}`);
    assert.equal(sessions.pendingSignIns(), MAX_PENDING_SIGN_INS);
    assert.equal(sessions.finishSignIn(first), undefined, 'the oldest sign-in was given up');
    const latest = sessions.beginSignIn('verifier-latest');
    assert.deepEqual(sessions.finishSignIn(latest.state), { verifier: 'verifier-latest', nonce: latest.nonce });
  });

  it('are finished once: a replayed callback state finds nothing', () => {
    const sessions = new Sessions(3_600_000);
    const { state, nonce } = sessions.beginSignIn('v');
    assert.deepEqual(sessions.finishSignIn(state), { verifier: 'v', nonce });
    assert.equal(sessions.finishSignIn(state), undefined);
  });
});
