/**
 * Anyone who reaches the dashboard can start sign-ins (`GET /auth/sign-in`). A flood of them must not
 * push out an admin's sign-in in progress: since the dashboard needs an admin's session to be read from
 * another machine, that would lock the admins out. Held in the server's memory with a bound (10,000 until
 * 2026-12-06), the oldest was given up first, so 10,001 anonymous starts made the admin's callback say
 * "Sign-in expired".
 */
import assert from 'node:assert/strict';
import { codeFrom, cookiesOf, startSignedInDashboard, type SignedInDashboard } from './signed-in-over-http.js';

/** More anonymous starts than the old bound of 10,000 sign-ins in progress. */
const FLOOD = 10_001;

describe('dashboard sign-in under a flood of anonymous starts', function () {
  this.timeout(180_000);
  let dashboard: SignedInDashboard;
  before(async () => {
    dashboard = await startSignedInDashboard();
  });
  after(async () => dashboard?.close());

  it("still signs the admin in when many sign-ins were started after the admin's", async () => {
    const start = await fetch(`${dashboard.url}auth/sign-in`, { redirect: 'manual' });
    const back = await codeFrom(start.headers.get('location')!);

    // The flood, while the admin signs in at Entra ID (in process: the same route, without sockets).
    for (let i = 0; i < FLOOD; i += 1) {
      const flood = await dashboard.app.inject({ method: 'GET', url: '/auth/sign-in' });
      assert.equal(flood.statusCode, 302);
    }
    const callback = await fetch(back, { redirect: 'manual', headers: { cookie: cookiesOf(start) } });
    assert.equal(callback.status, 303, `the callback answered ${callback.status}: ${await callback.clone().text()}`);
    assert.match(cookiesOf(callback), /cosell_session=/);
  });
});
