/**
 * A signed-in admin's session attacked from outside (the dashboard over HTTP, signed in through the Entra
 * sandbox): a request from another site, or with an Origin header that is not a URL at all, is refused
 * with the dashboard's own 403 page and changes nothing; the admin's own form still works, also behind a
 * reverse proxy that sends its own Host (nginx's default is `Host: $proxy_host`, the upstream's address).
 */
import assert from 'node:assert/strict';
import { startSignedInDashboard, type SignedInDashboard } from './signed-in-over-http.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('dashboard actions attacked with a signed-in admin', () => {
  let dashboard: SignedInDashboard;
  before(async () => {
    dashboard = await startSignedInDashboard();
  });
  after(async () => dashboard?.close());

  const parkNew = (recordId: string) => dashboard.store.park({ side: 'crm', recordId, reasons: [], fingerprint: 'f', parkedAt: new Date().toISOString(), attempts: 1 });
  const retry = (recordId: string, headers: Record<string, string>) =>
    fetch(`${dashboard.url}parked/crm/${recordId}/retry`, { method: 'POST', redirect: 'manual', headers: { ...FORM, cookie: dashboard.admin.cookie, ...headers }, body: new URLSearchParams({ csrf: dashboard.admin.csrf }) });

  for (const origin of ['https://evil.example', 'garbage', 'http://', '::::']) {
    it(`refuses an action whose Origin is ${origin} with the dashboard's 403 page, and retries nothing`, async () => {
      parkNew('006ORIGIN');
      const response = await retry('006ORIGIN', { origin });
      assert.equal(response.status, 403);
      assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(await response.text(), /came from another site/);
      assert.equal(dashboard.store.getParked('crm', '006ORIGIN')?.retryAt, undefined);
    });
  }

  it("takes the admin's own form, from the dashboard's origin", async () => {
    parkNew('006OWN');
    const response = await retry('006OWN', { origin: dashboard.url.replace(/\/$/, '') });
    assert.equal(response.status, 303);
    assert.ok(dashboard.store.getParked('crm', '006OWN')?.retryAt, 'the parked record is due now');
  });

  it("takes the admin's own form behind a proxy that rewrote Host: the Origin is the sign-in redirect URI's", async () => {
    parkNew('006PROXY');
    const dashboardOrigin = new URL(dashboard.url).origin;
    const response = await dashboard.app.inject({
      method: 'POST',
      url: '/parked/crm/006PROXY/retry',
      headers: { ...FORM, host: '10.0.0.5:8080', origin: dashboardOrigin, cookie: dashboard.admin.cookie },
      payload: new URLSearchParams({ csrf: dashboard.admin.csrf }).toString(),
    });
    assert.equal(response.statusCode, 303, response.body);
    assert.ok(dashboard.store.getParked('crm', '006PROXY')?.retryAt, 'the parked record is due now');
  });
});
