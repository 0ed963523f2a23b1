/**
 * A configured URL carrying a user name and password is refused (endpoint-policy.ts), and the refusal must
 * not quote the password: it reaches `cosell check`'s output, and for a tenant the worker's log at every load.
 * Until 2026-12-07 the refusal quoted the whole URL, password included (a proxy's was already left out by
 * its own rule in connectors/salesforce/config.ts).
 */
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { operatorConsent, tenantConsent } from '../../config/endpoint-consent.js';
import { judgeConfigEndpoints } from '../../config/endpoints.js';
import { validateConfig } from '../../config/load.js';
import { salesforceTenantConfig } from '../tenants/tenant-fixtures.js';

const PASSWORD = 'Hunter2-in-the-url';

function withLoginUrl(loginUrl: string, more: Record<string, unknown> = {}) {
  const doc = parse(salesforceTenantConfig('env:SF_KEY_REF')) as { crm: { salesforce: Record<string, unknown> } };
  Object.assign(doc.crm.salesforce, { loginUrl, ...more });
  return doc;
}

describe('endpoint policy: a URL with a password in it', () => {
  const doc = withLoginUrl(`https://svc:${PASSWORD}@login.salesforce.com`);

  it('is refused naming the key and the host, never the password (single install and tenant)', () => {
    for (const consent of [operatorConsent({}), tenantConsent('t', [])]) {
      assert.throws(
        () => validateConfig(doc, 'cosell.yaml', consent),
        (error: Error) => error.message.includes('crm > salesforce > loginUrl: https://login.salesforce.com') && error.message.includes('user name or password') && !error.message.includes(PASSWORD),
      );
    }
  });

  it("leaves it out of `cosell check`'s verdicts too", () => {
    const config = validateConfig(withLoginUrl('https://login.salesforce.com'), 'cosell.yaml');
    // As a config that passed the schema would carry it: the policy alone refuses it.
    (config.crm as unknown as { salesforce: { loginUrl: string } }).salesforce.loginUrl = `https://svc:${PASSWORD}@login.salesforce.com`;
    const verdicts = judgeConfigEndpoints(config, operatorConsent({}));
    const login = verdicts.find((v) => v.key === 'crm > salesforce > loginUrl')!;
    assert.equal(login.verdict, 'refused');
    assert.ok(!JSON.stringify(verdicts).includes(PASSWORD), JSON.stringify(login));
  });

  it('is left out where the proxy rule refuses an http endpoint, before the policy judges it', () => {
    const proxied = withLoginUrl(`http://svc:${PASSWORD}@127.0.0.1:4000`, { httpProxy: 'env:SF_HTTP_PROXY' });
    assert.throws(
      () => validateConfig(proxied, 'cosell.yaml', operatorConsent({})),
      (error: Error) => error.message.includes('crm > salesforce > httpProxy: is refused with http://127.0.0.1:4000') && !error.message.includes(PASSWORD),
    );
  });
});
