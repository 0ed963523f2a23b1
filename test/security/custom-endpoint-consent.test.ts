/**
 * A custom endpoint needs the consent of whoever holds the secrets, not of the config file. Until 2026-12-06
 * a config that said `allowCustomEndpoints: true` and pointed Dataverse's token endpoint at its editor's host
 * made `cosell check` post the Dataverse client secret there. Here that host is a local https listener
 * (0.0.0.0, which the policy does not count as loopback, with a certificate the child process trusts as a
 * real host's would be): it must receive nothing unless COSELL_ALLOW_ENDPOINTS names it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalisedHost, operatorConsent, parseAllowedHosts, tenantConsent } from '../../config/endpoint-consent.js';
import { enforceEndpointPolicy } from '../../config/endpoint-policy.js';
import { ConfigError } from '../../core/errors.js';
import { dynamicsConfigAt, startCatchingListener, type CatchingListener } from '../helpers/catching-listener.js';
import { cosell } from '../helpers/cli.js';

const SECRET = 'real-dataverse-secret-9f3c1e';

function configFor(listener: CatchingListener): string {
  return dynamicsConfigAt(listener, 'env:CONSENT_TEST_DV_SECRET', true);
}

describe('custom endpoints need the operator\'s consent (COSELL_ALLOW_ENDPOINTS), not the config\'s', function () {
  this.timeout(120_000);
  let dir: string;
  let listener: CatchingListener;
  let port: number;
  let received: string[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cosell-consent-'));
    listener = await startCatchingListener();
    received = listener.received;
    port = Number(listener.host.split(':')[1]);
    writeFileSync(join(dir, 'cosell.yaml'), configFor(listener), { mode: 0o600 });
  });
  after(async () => {
    await listener.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const check = (env: NodeJS.ProcessEnv) =>
    cosell(['check', '--config', join(dir, 'cosell.yaml')], {
      env: { CONSENT_TEST_DV_SECRET: SECRET, COSELL_TOKEN_KEY: Buffer.alloc(32, 3).toString('base64'), NODE_EXTRA_CA_CERTS: listener.certFile, COSELL_ALLOW_ENDPOINTS: '', ...env },
    });

  it('refuses with exit 2, naming the key, the host, the old key and exactly what to set; the listener receives nothing', async () => {
    const result = await check({});
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /crm > dynamics > authorityMetadata > token_endpoint: https:\/\/0\.0\.0\.0:\d+\/token is refused/);
    assert.match(result.stderr, /allowCustomEndpoints: true in the config no longer allows any host/);
    assert.ok(result.stderr.includes(`set COSELL_ALLOW_ENDPOINTS=0.0.0.0:${port} in the environment`), result.stderr);
    assert.ok(!`${result.stdout}${result.stderr}`.includes(SECRET));
    assert.deepEqual(received, []);
    // Naming another host, or the right host on another port, is no consent for this one.
    assert.equal((await check({ COSELL_ALLOW_ENDPOINTS: `0.0.0.0:${port + 1},proxy.contoso.example` })).code, 2);
    assert.deepEqual(received, []);
  });

  it('sends to the host once the operator names it, and `cosell check` shows who allowed it', async () => {
    const result = await check({ COSELL_ALLOW_ENDPOINTS: `0.0.0.0:${port}` });
    assert.match(result.stdout, /endpoint crm > dynamics > authorityMetadata > token_endpoint +https:\/\/0\.0\.0\.0:\d+\/token: 0\.0\.0\.0:\d+ is not a well-known Microsoft or Salesforce host; allowed by COSELL_ALLOW_ENDPOINTS/);
    assert.ok(received.some((r) => r.startsWith('POST /token') && r.includes('client_secret=')), received.join('\n'));
    assert.match(result.stdout, /allowCustomEndpoints +true in the config, and ignored/);
    assert.ok(!`${result.stdout}${result.stderr}`.includes(SECRET), 'the secret is in no output');
  });

  it('sends nothing on when an allowed token endpoint redirects to a host nobody allowed (msal followed 307s)', async () => {
    const elsewhere = await startCatchingListener();
    const redirecting = await startCatchingListener({ redirectTo: elsewhere.url('/token') });
    try {
      writeFileSync(join(dir, 'redirecting.yaml'), configFor(redirecting), { mode: 0o600 });
      const certs = join(dir, 'certs.pem');
      writeFileSync(certs, readFileSync(redirecting.certFile, 'utf8') + readFileSync(elsewhere.certFile, 'utf8'));
      const result = await cosell(['check', '--config', join(dir, 'redirecting.yaml')], {
        env: { CONSENT_TEST_DV_SECRET: SECRET, COSELL_TOKEN_KEY: Buffer.alloc(32, 3).toString('base64'), NODE_EXTRA_CA_CERTS: certs, COSELL_ALLOW_ENDPOINTS: redirecting.host },
      });
      assert.ok(redirecting.received.some((r) => r.startsWith('POST /token')), 'the allowed host was asked');
      assert.deepEqual(elsewhere.received, [], 'the redirect was not followed with the secret');
      assert.match(`${result.stdout}${result.stderr}`, /answered 307 with a redirect, which is not followed/, 'the user reads why, not msal\'s generic network_error');
      assert.ok(!`${result.stdout}${result.stderr}`.includes(SECRET));
    } finally {
      await Promise.all([elsewhere.close(), redirecting.close()]);
    }
  });

  it('reads COSELL_ALLOW_ENDPOINTS as exact host[:port] entries and refuses anything else, naming the variable', () => {
    assert.deepEqual(parseAllowedHosts(' Proxy.Contoso.example , proxy.contoso.example:8443,api.example:443', 'k'), ['proxy.contoso.example', 'proxy.contoso.example:8443', 'api.example']);
    for (const bad of ['*.contoso.example', 'https://proxy.contoso.example', 'proxy.contoso.example/path', 'user@proxy.contoso.example', 'proxy contoso']) {
      assert.equal(normalisedHost(bad), undefined, bad);
      assert.throws(() => operatorConsent({ COSELL_ALLOW_ENDPOINTS: `ok.example,${bad}` }), (error: unknown) => error instanceof ConfigError && error.path === 'env > COSELL_ALLOW_ENDPOINTS' && error.message.includes(`"${bad.trim()}"`), bad);
    }
    assert.deepEqual(operatorConsent({}).hosts, []);
  });

  it('names every refused host at once, with the one step that allows them all', () => {
    const refs = [
      { key: 'crm > dynamics > apiUrl', url: 'https://api.contoso.example/api/data/v9.2' },
      { key: 'crm > dynamics > authorityMetadata > token_endpoint', url: 'https://login.contoso.example/token' },
      { key: 'crm > dynamics > environmentUrl', url: 'https://contoso.crm.dynamics.com' },
    ];
    const refusal = (consent: ReturnType<typeof operatorConsent>) => {
      try {
        enforceEndpointPolicy(refs, { consent });
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    };
    const single = refusal(operatorConsent({ COSELL_ALLOW_ENDPOINTS: 'proxy.example' }));
    assert.ok(single.includes('set COSELL_ALLOW_ENDPOINTS=proxy.example,api.contoso.example,login.contoso.example in'), single);
    assert.ok(single.includes('Also refused: crm > dynamics > authorityMetadata > token_endpoint (https://login.contoso.example/token)'), single);
    const tenant = refusal(tenantConsent('contoso', []));
    assert.ok(tenant.includes('cosell tenants allow-endpoint contoso api.contoso.example login.contoso.example'), tenant);
  });
});
