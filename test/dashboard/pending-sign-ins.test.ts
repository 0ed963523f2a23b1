/**
 * A sign-in in progress lives in the browser that started it, sealed (pending-sign-in.ts): the callback
 * finishes it only with its own `state`, an unchanged cookie sealed by this dashboard, within 10 minutes.
 * The browser cannot read the verifier or the nonce from the cookie.
 */
import assert from 'node:assert/strict';
import { PendingSignIns, SIGN_IN_TTL_MS } from '../../core/dashboard/pending-sign-in.js';

describe('sign-ins in progress', () => {
  it('finish with their own state and cookie, giving back the verifier and nonce', () => {
    const pending = new PendingSignIns();
    const { state, nonce, cookie } = pending.begin('verifier-1');
    assert.deepEqual(pending.finish(cookie, state), { verifier: 'verifier-1', nonce });
  });

  it('do not show the verifier or the nonce in the cookie', () => {
    const { nonce, cookie } = new PendingSignIns().begin('verifier-in-clear');
    assert.ok(!cookie.includes(nonce));
    assert.ok(!Buffer.from(cookie, 'base64url').toString('latin1').includes('verifier-in-clear'));
  });

  it("refuse another sign-in's state, a changed cookie, a cookie of another dashboard, and none", () => {
    const pending = new PendingSignIns();
    const mine = pending.begin('v');
    const other = pending.begin('w');
    assert.equal(pending.finish(mine.cookie, other.state), undefined);
    const raw = Buffer.from(mine.cookie, 'base64url');
    raw[raw.length - 1]! ^= 1;
    assert.equal(pending.finish(raw.toString('base64url'), mine.state), undefined);
    assert.equal(new PendingSignIns().finish(mine.cookie, mine.state), undefined);
    assert.equal(pending.finish(undefined, mine.state), undefined);
    assert.equal(pending.finish('garbage', mine.state), undefined);
    assert.equal(pending.finish(mine.cookie, undefined), undefined);
  });

  it('expire after 10 minutes', () => {
    let now = 1_000_000;
    const pending = new PendingSignIns(() => now);
    const { state, cookie } = pending.begin('v');
    now += SIGN_IN_TTL_MS;
    assert.equal(pending.finish(cookie, state), undefined);
  });
});
