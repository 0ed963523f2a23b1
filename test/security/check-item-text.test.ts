/**
 * `cosell check` (its table and `--json`), `cosell tenants check --connect` and the dashboard tell a failed
 * probe's error. The readiness checks of `cosell serve` were made to tell it through failureText (secrets
 * redacted, terminal controls removed); the items of `cosell check` still quoted the raw message of whatever
 * was thrown (the CRM's check items, the Partner Center sign-in, the account's role), and so did the
 * dashboard's readiness panel when the probe failed as a whole and the flash line of a failed action. A
 * library's error (an HTTP client's) may quote the request's Authorization header.
 */
import assert from 'node:assert/strict';
import { validateConfig } from '../../config/load.js';
import { gatherCheckItems } from '../../connectors/check-items.js';
import { accessCheck } from '../../core/cli/access-check.js';
import { readinessItems } from '../../core/cli/readiness.js';
import { actionFailureText } from '../../core/dashboard/actions.js';
import { dashboardData } from '../../core/dashboard/queries.js';
import { openMemoryStore } from '../../core/store/index.js';
import { storeReadsOf } from '../../core/store/store-reads.js';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzZWxsZXIifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
const leaky = () => new Error(`connect ECONNRESET; request headers: Authorization: Bearer ${TOKEN} \u001b]0;pwned\u0007\u202edetail`);

function assertShownSafely(detail: string | undefined): void {
  assert.ok(detail !== undefined);
  assert.ok(!detail.includes(TOKEN.slice(0, 20)), detail);
  for (const control of ['\u001b', '\u0007', '\u202e']) assert.ok(!detail.includes(control), JSON.stringify(detail));
  assert.match(detail, /ECONNRESET/, 'the cause is still named');
}

const config = validateConfig({
  crm: { kind: 'dynamics', dynamics: { environmentUrl: 'https://contoso.crm.dynamics.com', tenantId: 'tenant', clientId: 'app', clientSecret: 'env:DV_SECRET' } },
  partnerCenter: { clientId: 'pc-app' },
});

describe('check items and dashboard lines tell a failure without its secrets or terminal controls', () => {
  it("a CRM check item whose calls throw (the adapters' check)", async () => {
    const { items, attempt } = gatherCheckItems();
    assert.equal(await attempt('Sign-in', () => Promise.reject(leaky())), false);
    assertShownSafely(items[0]?.detail);
  });

  it('the Partner Center sign-in item (cosell check, cosell tenants check --connect)', async () => {
    const items = await readinessItems({
      config,
      crm: { check: () => Promise.resolve({ ready: true, items: [] }) },
      partnerCenterClient: { refreshSignIn: () => Promise.reject(leaky()), list: () => { throw new Error('not reached'); }, access: () => Promise.reject(new Error('not reached')) },
    });
    assertShownSafely(items.find((item) => item.name === 'Partner Center sign-in')?.detail);
  });

  it("the account's role and scope item", async () => {
    assertShownSafely((await accessCheck(() => Promise.reject(leaky()))).detail);
  });

  it("the dashboard's readiness panel when the probe fails as a whole, and a failed action's flash line", async () => {
    const data = await dashboardData(storeReadsOf(openMemoryStore()), { now: () => new Date(), readiness: () => Promise.reject(leaky()) });
    assertShownSafely(data.readiness?.checks[0]?.detail);
    assertShownSafely(actionFailureText(leaky()));
    assert.equal(actionFailureText(new Error('Choose the CRM or Partner Center.')), 'Choose the CRM or Partner Center.', "the action's own words stay as they are");
  });
});
