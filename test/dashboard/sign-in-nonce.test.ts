/**
 * The dashboard's sign-in binds each sign-in to an OpenID Connect nonce, as well as to its `state` (and
 * this browser) and its PKCE verifier: the authorize request carries it, and an ID token without it opens
 * no session. The attack it stops: someone who reads a sign-in's authorize URL (its code challenge and
 * state) makes an authorize request of their own with that challenge, signs in with an account of theirs,
 * and has the victim's browser open the callback with the code they got. State matches (it is the victim's),
 * the verifier matches (same challenge); only the nonce tells the answer belongs to another request.
 */
import assert from 'node:assert/strict';
import { codeFrom, cookiesOf, startSignedInDashboard, type SignedInDashboard } from './signed-in-over-http.js';

describe('dashboard sign-in: the OpenID Connect nonce', function () {
  this.timeout(60_000);
  let dashboard: SignedInDashboard;
  before(async () => {
    // Signing the admin in on the way is the honest flow: the sandbox echoes the nonce, as Entra does.
    dashboard = await startSignedInDashboard();
  });
  after(async () => dashboard?.close());

  it('asks Entra ID for a fresh nonce with every sign-in, beside state and an S256 code challenge', async () => {
    const urls = await Promise.all([0, 1].map(async () => new URL((await fetch(`${dashboard.url}auth/sign-in`, { redirect: 'manual' })).headers.get('location')!)));
    for (const url of urls) {
      assert.match(url.searchParams.get('nonce') ?? '', /^[A-Za-z0-9_-]{32,}$/);
      assert.ok(url.searchParams.get('state'));
      assert.ok(url.searchParams.get('code_challenge'));
      assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    }
    assert.notEqual(urls[0]!.searchParams.get('nonce'), urls[1]!.searchParams.get('nonce'));
  });

  it("opens no session for a code from someone else's authorize request made with this sign-in's state and challenge", async () => {
    const start = await fetch(`${dashboard.url}auth/sign-in`, { redirect: 'manual' });
    const victimCookie = cookiesOf(start);
    const forged = new URL(start.headers.get('location')!);
    // The attacker's own request: the victim's state and code challenge, no nonce (or one of theirs).
    forged.searchParams.delete('nonce');
    const callback = await fetch(await codeFrom(forged.href), { redirect: 'manual', headers: { cookie: victimCookie } });
    assert.equal(callback.status, 401);
    assert.doesNotMatch(cookiesOf(callback), /cosell_session=/);
    assert.match(await callback.text(), /does not belong to the sign-in this browser started/);
  });
});
