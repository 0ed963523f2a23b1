/**
 * Who reads the dashboard without signing in: a request from this machine addressed to a loopback name.
 * Partner Center must reach `cosell serve` from the internet (the README's "public URL": a reverse proxy
 * forwarding to the service), and the container publishes port 8080; until 2026-12-06 whoever reached the
 * service that way read `/` and `/api/status` with no sign-in: every customer's name, every deal's value,
 * both values of each conflict (contacts included), the parked records' messages. Such a request now needs
 * an admin's session: a request from another address (the socket's, or the client a listed proxy names in
 * X-Forwarded-For), or addressed to the public name (a proxy passing the client's `Host`), is answered 401
 * with nothing of the data.
 */
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { openMemoryStore } from '../../core/store/index.js';
import { dashboardOn } from './dashboard-on.js';
import { startSignedInDashboard, type SignedInDashboard } from './signed-in-over-http.js';

const CUSTOMER = 'Contoso Confidential Customer';
const OUTSIDER = '203.0.113.9';

function parkCustomer(store: ReturnType<typeof openMemoryStore>): void {
  store.park({ side: 'crm', recordId: '006READ', name: CUSTOMER, reasons: [], fingerprint: 'f', parkedAt: new Date().toISOString(), attempts: 1 });
}

/** The dashboard without sign-in over a store with one parked customer. */
async function dashboardWithoutSignIn(trustProxy: boolean | string[] = []): Promise<FastifyInstance> {
  const store = openMemoryStore();
  parkCustomer(store);
  return dashboardOn(store, { trustProxy });
}

describe('dashboard reads from beyond this machine', () => {
  it('answers this machine (loopback peer, loopback name) without a session', async () => {
    const app = await dashboardWithoutSignIn();
    for (const host of ['127.0.0.1:8080', 'localhost', '[::1]:8080']) {
      const page = await app.inject({ url: '/', remoteAddress: '127.0.0.1', headers: { host } });
      assert.equal(page.statusCode, 200, host);
      assert.ok(page.body.includes(CUSTOMER));
    }
    await app.close();
  });

  it('knows the client behind a proxy listed in serve > trustProxy, and loopback in IPv6 forms', async () => {
    const app = await dashboardWithoutSignIn(['127.0.0.1']);
    // nginx's default: its own Host (the upstream's address), the client in X-Forwarded-For.
    const forwarded = await app.inject({ url: '/api/status', remoteAddress: '127.0.0.1', headers: { host: '127.0.0.1:8080', 'x-forwarded-for': OUTSIDER } });
    assert.equal(forwarded.statusCode, 401);
    for (const remoteAddress of ['::1', '::ffff:127.0.0.1']) {
      assert.equal((await app.inject({ url: '/api/status', remoteAddress, headers: { host: 'localhost:8080' } })).statusCode, 200, remoteAddress);
    }
    await app.close();
  });

  it('believes no forwarded loopback address from a peer beyond this machine, even when every proxy is trusted (trustProxy: true)', async () => {
    const app = await dashboardWithoutSignIn(true);
    const forged = await app.inject({ url: '/api/status', remoteAddress: OUTSIDER, headers: { host: 'localhost:8080', 'x-forwarded-for': '127.0.0.1' } });
    assert.equal(forged.statusCode, 401);
    await app.close();
  });

  for (const [who, remoteAddress, host] of [
    ['another address', OUTSIDER, '127.0.0.1:8080'],
    ['another address under the public name', OUTSIDER, 'cosell.contoso.example'],
    ['a proxy on this machine passing the public name', '127.0.0.1', 'cosell.contoso.example'],
  ] as const) {
    it(`refuses ${who} without a session: 401, none of the data (page, panels and JSON)`, async () => {
      const app = await dashboardWithoutSignIn();
      for (const url of ['/', '/?fragment=1', '/api/status']) {
        const answer = await app.inject({ url, remoteAddress, headers: { host } });
        assert.equal(answer.statusCode, 401, url);
        assert.ok(!answer.body.includes(CUSTOMER), `${url} shows no customer`);
        assert.ok(!answer.body.includes('006READ'), `${url} shows no record`);
      }
      await app.close();
    });
  }

  describe('with sign-in configured', () => {
    let dashboard: SignedInDashboard;
    before(async () => {
      dashboard = await startSignedInDashboard();
      parkCustomer(dashboard.store);
    });
    after(async () => dashboard?.close());

    it("shows the data to an admin's session from anywhere, and points anyone else to the sign-in", async () => {
      const signedIn = await dashboard.app.inject({ url: '/api/status', remoteAddress: OUTSIDER, headers: { host: 'cosell.contoso.example', cookie: dashboard.admin.cookie } });
      assert.equal(signedIn.statusCode, 200);
      assert.ok(signedIn.body.includes(CUSTOMER));
      const anonymous = await dashboard.app.inject({ url: '/', remoteAddress: OUTSIDER, headers: { host: 'cosell.contoso.example' } });
      assert.equal(anonymous.statusCode, 401);
      assert.match(anonymous.body, /href="auth\/sign-in"/);
      assert.ok(!anonymous.body.includes(CUSTOMER));
    });
  });
});
