/**
 * The operator's consent names a host and a port; an entry without a port is https's 443 (what
 * `normalisedHost` strips). Until 2026-12-07 a consent was matched against the URL's `host`, which also drops
 * http's default port 80: `cosell tenants allow-endpoint t 127.0.0.1`, given for https://127.0.0.1, let the
 * tenant's config post its client secret to http://127.0.0.1/ (port 80, another service of the worker's
 * machine), and a consent for port 80 itself (`127.0.0.1:80`) matched nothing, its refusal asking for the
 * port-less entry again.
 */
import assert from 'node:assert/strict';
import { operatorConsent, parseAllowedHosts, tenantConsent } from '../../config/endpoint-consent.js';
import { judgeEndpoint, judgeEndpoints } from '../../config/endpoint-policy.js';

const judged = (url: string, hosts: string[], proxy = false) => judgeEndpoint({ key: 'k', url, ...(proxy ? { proxy } : {}) }, { consent: tenantConsent('t', hosts) });

describe('endpoint consent: the port is part of the host the operator named', () => {
  it("does not take a port-less (https) consent for http's port 80, and names host:80 as the one to allow", () => {
    for (const url of ['http://127.0.0.1/token', 'http://localhost:80/token']) {
      const verdict = judged(url, ['127.0.0.1', 'localhost']);
      assert.equal(verdict.verdict, 'refused', url);
      assert.ok(verdict.reason.includes(`cosell tenants allow-endpoint t ${new URL(url).hostname}:80`), verdict.reason);
    }
  });

  it('takes a consent for port 80 for an http URL on its default port', () => {
    assert.equal(judged('http://127.0.0.1/token', ['127.0.0.1:80']).verdict, 'custom');
    assert.equal(judged('http://127.0.0.1:80/token', ['127.0.0.1:80']).verdict, 'custom');
    assert.equal(judged('https://127.0.0.1/token', ['127.0.0.1:80']).verdict, 'refused');
  });

  it('takes a port-less consent, or :443 (the same entry), for https on 443 exactly as before', () => {
    for (const entry of ['127.0.0.1', '127.0.0.1:443']) {
      const hosts = parseAllowedHosts(entry, 'host');
      assert.equal(judged('https://127.0.0.1/token', hosts).verdict, 'custom', entry);
      assert.equal(judged('https://127.0.0.1:443/token', hosts).verdict, 'custom', entry);
    }
    assert.equal(judged('https://[::1]:8443/x', ['[::1]:8443']).verdict, 'custom');
  });

  it("holds for a plain http proxy under COSELL_ALLOW_ENDPOINTS too, and one refusal names every host:port", () => {
    const consent = operatorConsent({ COSELL_ALLOW_ENDPOINTS: 'proxy.contoso.example' });
    const refs = [{ key: 'proxy', url: 'http://proxy.contoso.example', proxy: true }, { key: 'api', url: 'https://api.contoso.example' }];
    const [proxy, api] = judgeEndpoints(refs, { consent });
    assert.equal(proxy!.verdict, 'refused');
    assert.ok(proxy!.reason.includes('COSELL_ALLOW_ENDPOINTS=proxy.contoso.example,proxy.contoso.example:80,api.contoso.example '), proxy!.reason);
    assert.equal(api!.verdict, 'refused');
    assert.equal(judgeEndpoint(refs[0]!, { consent: operatorConsent({ COSELL_ALLOW_ENDPOINTS: 'proxy.contoso.example:80' }) }).verdict, 'custom');
  });
});
