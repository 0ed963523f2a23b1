/**
 * The outbound-endpoint policy: where a credential may go. A config edited to point at another host is
 * refused with exit 2 naming the key, unless the operator's environment names the host (COSELL_ALLOW_ENDPOINTS;
 * then a warning on every start). The config's own allowCustomEndpoints allows nothing (custom-endpoint-consent.test.ts).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { operatorConsent, tenantConsent } from '../../config/endpoint-consent.js';
import { judgeEndpoint, warnCustomEndpoints } from '../../config/endpoint-policy.js';
import { judgeConfigEndpoints } from '../../config/endpoints.js';
import { ConfigFileError, validateConfig } from '../../config/load.js';
import { ConfigError } from '../../core/errors.js';
import { addressedToLoopback } from '../../core/serve/host-guard.js';

/** The operator's consent for the proxy host the Salesforce examples name. */
const PROXY_ALLOWED = operatorConsent({ COSELL_ALLOW_ENDPOINTS: 'proxy.contoso.example:3128' });

const verdict = (url: string, allowed = '') => judgeEndpoint({ key: 'k', url }, { consent: operatorConsent({ COSELL_ALLOW_ENDPOINTS: allowed }) }).verdict;

function dynamicsDoc(dynamics: Record<string, unknown> = {}, top: Record<string, unknown> = {}, partnerCenter: Record<string, unknown> = {}) {
  return {
    crm: { kind: 'dynamics', dynamics: { environmentUrl: 'https://contoso.crm.dynamics.com', tenantId: 'tenant', clientId: 'app', clientSecret: 'env:DV_SECRET', ...dynamics } },
    partnerCenter: { clientId: 'pc-app', ...partnerCenter },
    ...top,
  };
}

function salesforceDoc(salesforce: Record<string, unknown>) {
  return { crm: { kind: 'salesforce', salesforce: { clientId: 'key', auth: { kind: 'client_credentials', clientSecret: 'env:SF' }, ...salesforce } }, partnerCenter: { clientId: 'pc-app' } };
}

function refusedKey(document: unknown): string {
  try {
    validateConfig(document);
  } catch (error) {
    assert.ok(error instanceof ConfigFileError, `expected a ConfigFileError, got ${String(error)}`);
    assert.ok(error instanceof ConfigError, 'a ConfigError, which the CLI maps to exit 2');
    return error.path;
  }
  assert.fail('the config was accepted');
}

describe('outbound-endpoint policy', () => {
  it('accepts Microsoft and Salesforce well-known hosts over https, and loopback over http', () => {
    for (const url of [
      'https://login.microsoftonline.com/organizations',
      'https://api.partner.microsoft.com',
      'https://graph.microsoft.com',
      'https://contoso.crm4.dynamics.com',
      'https://login.salesforce.com',
      'https://acme.my.salesforce.com',
      'https://acme--dev.sandbox.my.salesforce.com',
      'https://acme.lightning.force.com',
    ]) assert.equal(verdict(url), 'well-known', url);
    for (const url of ['http://127.0.0.1:4000', 'http://localhost:8080/x', 'http://[::1]:99', 'https://127.0.0.2']) assert.equal(verdict(url), 'loopback', url);
  });

  it('refuses plain http off loopback, look-alike hosts, unknown hosts and URLs with credentials', () => {
    for (const url of [
      'http://login.microsoftonline.com/organizations',
      'http://attacker.example',
      'https://login.microsoftonline.com.attacker.example',
      'https://evil-salesforce.com',
      'https://dynamics.com.evil.example',
      'https://attacker.example',
      'https://user:pw@login.salesforce.com',
      'ftp://127.0.0.1/x',
      'not a url',
    ]) assert.equal(verdict(url), 'refused', url);
  });

  it('allows an unknown https host only when the operator names it exactly (host and port), never plain http', () => {
    assert.equal(verdict('https://proxy.contoso.example', 'proxy.contoso.example'), 'custom');
    assert.equal(verdict('https://PROXY.contoso.example:443/x', 'proxy.contoso.example:443'), 'custom');
    assert.equal(verdict('https://proxy.contoso.example:8443', 'proxy.contoso.example'), 'refused');
    assert.equal(verdict('https://proxy.contoso.example:8443', 'other.example,proxy.contoso.example:8443'), 'custom');
    assert.equal(verdict('https://a.proxy.contoso.example', 'proxy.contoso.example'), 'refused');
    assert.equal(verdict('http://proxy.contoso.example', 'proxy.contoso.example'), 'refused');
  });

  it('refuses a config naming the key of each endpoint that would receive a credential', () => {
    assert.equal(refusedKey(dynamicsDoc({}, {}, { baseUrl: 'http://attacker.example' })), 'partnerCenter > baseUrl');
    assert.equal(refusedKey(dynamicsDoc({}, {}, { authority: 'https://attacker.example/organizations' })), 'partnerCenter > authority');
    assert.equal(refusedKey(dynamicsDoc({ environmentUrl: 'https://attacker.example' })), 'crm > dynamics > environmentUrl');
    assert.equal(refusedKey(dynamicsDoc({ apiUrl: 'http://attacker.example' })), 'crm > dynamics > apiUrl');
    assert.equal(refusedKey(dynamicsDoc({ authority: 'https://attacker.example/tenant' })), 'crm > dynamics > authority');
    assert.equal(
      refusedKey(dynamicsDoc({ authorityMetadata: JSON.stringify({ token_endpoint: 'http://attacker.example/token', issuer: 'https://login.microsoftonline.com/t/v2.0' }) })),
      'crm > dynamics > authorityMetadata > token_endpoint',
    );
    assert.equal(refusedKey(dynamicsDoc({}, {}, { authorityMetadata: JSON.stringify({ token_endpoint: 'https://attacker.example/token' }) })), 'partnerCenter > authorityMetadata > token_endpoint');
    assert.equal(refusedKey(salesforceDoc({ loginUrl: 'http://attacker.example' })), 'crm > salesforce > loginUrl');
    assert.equal(refusedKey(salesforceDoc({ instanceUrl: 'https://attacker.example' })), 'crm > salesforce > instanceUrl');
  });

  it('refuses http to loopback for a token a real sign-in issues, naming the key and the rule; a sandbox sign-in keeps http', () => {
    const sandboxMetadata = JSON.stringify({ token_endpoint: 'http://127.0.0.1:4100/t/oauth2/v2.0/token', issuer: 'http://127.0.0.1:4100/t/v2.0' });
    const realMetadata = JSON.stringify({ token_endpoint: 'https://login.microsoftonline.com/t/oauth2/v2.0/token', issuer: 'https://login.microsoftonline.com/t/v2.0' });
    const real = { authority: 'https://login.microsoftonline.com/t' };
    assert.equal(refusedKey(dynamicsDoc({}, {}, { ...real, baseUrl: 'http://127.0.0.1:4000' })), 'partnerCenter > baseUrl');
    assert.equal(refusedKey(dynamicsDoc({}, {}, { ...real, authorityMetadata: realMetadata, baseUrl: 'http://localhost:4000' })), 'partnerCenter > baseUrl');
    assert.equal(refusedKey(dynamicsDoc({}, { serve: { webhooks: { registrationUrl: 'http://127.0.0.1:4000/webhooks/v1/registration' } } }, real)), 'serve > webhooks > registrationUrl');
    // Dataverse's default authority is Entra's.
    assert.equal(refusedKey(dynamicsDoc({ apiUrl: 'http://127.0.0.1:4200' })), 'crm > dynamics > apiUrl');
    assert.equal(refusedKey(salesforceDoc({ loginUrl: 'https://login.salesforce.com', instanceUrl: 'http://localhost:4300' })), 'crm > salesforce > instanceUrl');
    const graph = { graph: { authority: 'https://login.microsoftonline.com/t', clientId: 'c', clientSecret: 'env:S', baseUrl: 'http://127.0.0.1:4400' }, from: 'n@contoso.example' };
    assert.equal(refusedKey(dynamicsDoc({}, { notifications: graph })), 'notifications > graph > baseUrl');
    assert.throws(
      () => validateConfig(dynamicsDoc({}, {}, { ...real, baseUrl: 'http://127.0.0.1:4000' })),
      /partnerCenter > baseUrl: .*http:\/\/127\.0\.0\.1:4000 is refused: http is allowed on loopback for a sandbox's sign-in only, and the token sent here is issued by partnerCenter > authority \(login\.microsoftonline\.com\)/,
    );
    // What `cosell sandbox --write-config` writes: a real-looking authority whose metadata sends msal to the sandbox's token endpoint.
    const sandbox = validateConfig(dynamicsDoc(
      { environmentUrl: 'https://contoso-sandbox.crm.dynamics.com', apiUrl: 'http://127.0.0.1:4200', authority: 'https://login.microsoftonline.com/t', authorityMetadata: sandboxMetadata },
      { serve: { webhooks: { registrationUrl: 'http://127.0.0.1:4000/webhooks/v1/registration' } } },
      { ...real, authorityMetadata: sandboxMetadata, baseUrl: 'http://127.0.0.1:4000' },
    ));
    assert.ok(judgeConfigEndpoints(sandbox).every((v) => v.verdict !== 'refused'));
    assert.equal(validateConfig(salesforceDoc({ loginUrl: 'http://127.0.0.1:4300', instanceUrl: 'http://127.0.0.1:4300' })).crm.kind, 'salesforce');
  });

  it('accepts a custom https endpoint when allowed, reports it as custom, and warns about it', () => {
    const consent = operatorConsent({ COSELL_ALLOW_ENDPOINTS: 'proxy.contoso.example' });
    const config = validateConfig(dynamicsDoc({ apiUrl: 'https://proxy.contoso.example' }), 'cosell.yaml', consent);
    const verdicts = judgeConfigEndpoints(config, consent);
    assert.deepEqual(verdicts.find((v) => v.key === 'crm > dynamics > apiUrl')?.verdict, 'custom');
    assert.ok(verdicts.filter((v) => v.key !== 'crm > dynamics > apiUrl').every((v) => v.verdict === 'well-known'));
    const warnings: { obj: object; msg: string }[] = [];
    warnCustomEndpoints(verdicts, { warn: (obj, msg) => warnings.push({ obj, msg }) });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!.msg, /crm > dynamics > apiUrl = https:\/\/proxy\.contoso\.example/);
  });

  it('refuses an http login URL for a JWT assertion a real Salesforce accepts (its audience), naming the keys', () => {
    // The assertion is signed with the org's private key and good for minutes at its audience: sent over
    // http to loopback, any local user listening on that port could redeem it at the real org. Until
    // 2026-12-06 a loopback loginUrl counted as a sandbox's whatever the audience.
    const jwt = (loginUrl: string, audience?: string) => ({ loginUrl, auth: { kind: 'jwt', username: 'integration@contoso.example', privateKey: 'env:SF_KEY', ...(audience ? { audience } : {}) } });
    const doc = (salesforce: Record<string, unknown>) => ({ crm: { kind: 'salesforce', salesforce: { clientId: 'key', ...salesforce } }, partnerCenter: { clientId: 'pc-app' } });
    assert.equal(refusedKey(doc(jwt('http://127.0.0.1:4300', 'https://login.salesforce.com'))), 'crm > salesforce > loginUrl');
    assert.throws(() => validateConfig(doc(jwt('http://127.0.0.1:4300', 'https://login.salesforce.com'))), /issued by crm > salesforce > auth > audience \(login\.salesforce\.com\)/);
    // A sandbox's: the audience is the sandbox (given, or the loginUrl by default).
    assert.equal(validateConfig(doc(jwt('http://127.0.0.1:4300', 'http://127.0.0.1:4300'))).crm.kind, 'salesforce');
    assert.equal(validateConfig(doc(jwt('http://127.0.0.1:4300'))).crm.kind, 'salesforce');
    assert.equal(validateConfig(doc(jwt('https://acme.my.salesforce.com', 'https://login.salesforce.com'))).crm.kind, 'salesforce');
  });

  it('takes a *.localhost name for another host: Node asks DNS for it, and the answer may be any address', () => {
    // getaddrinfo resolves `login.localhost` through nsswitch and DNS like any name (only browsers map
    // *.localhost to loopback themselves), so whoever answers that query chooses where the request goes.
    // Until 2026-12-06 such a name counted as loopback: http, and a token endpoint that made every other
    // endpoint of the config "a sandbox's", so a real client secret went over http to wherever DNS said.
    for (const url of ['http://login.localhost:4100/t/oauth2/v2.0/token', 'http://a.b.localhost', 'https://pc.localhost']) assert.equal(verdict(url), 'refused', url);
    const metadata = JSON.stringify({ token_endpoint: 'http://login.localhost:4100/t/oauth2/v2.0/token', issuer: 'http://login.localhost:4100/t/v2.0' });
    assert.equal(refusedKey(dynamicsDoc({ authorityMetadata: metadata })), 'crm > dynamics > authorityMetadata > token_endpoint');
    // A Host header a browser sent is another matter: browsers map *.localhost to loopback without DNS.
    assert.equal(addressedToLoopback('cosell.localhost:8080'), true);
  });

  it('judges every authorityMetadata value a URL parser reads as a URL, however it is spelt', () => {
    // msal sends the client secret to each of these (Node's URL parser strips leading blanks and control
    // characters, and reads `https:host` and `https:\\host` as `https://host`); until 2026-12-06 the
    // policy judged only values starting `scheme://`, so these passed unjudged.
    for (const tokenEndpoint of [' https://attacker.example/token', '\thttps://attacker.example/token', '\u0000https://attacker.example/token', 'https:attacker.example/token', 'https:\\\\attacker.example/token', 'http:/attacker.example/token']) {
      const metadata = JSON.stringify({ token_endpoint: tokenEndpoint, issuer: 'https://login.microsoftonline.com/t/v2.0' });
      assert.equal(refusedKey(dynamicsDoc({}, {}, { authorityMetadata: metadata })), 'partnerCenter > authorityMetadata > token_endpoint', JSON.stringify(tokenEndpoint));
    }
  });

  it('refuses a Salesforce httpProxy unless every Salesforce endpoint is https (a proxy reads http in clear)', () => {
    assert.equal(refusedKey(salesforceDoc({ loginUrl: 'http://127.0.0.1:4000', httpProxy: 'http://proxy.contoso.example:3128' })), 'crm > salesforce > httpProxy');
    assert.equal(refusedKey(salesforceDoc({ instanceUrl: 'http://localhost:4000', httpProxy: 'http://proxy.contoso.example:3128' })), 'crm > salesforce > httpProxy');
    const config = validateConfig(salesforceDoc({ instanceUrl: 'https://contoso.my.salesforce.com', httpProxy: 'http://proxy.contoso.example:3128' }), 'cosell.yaml', PROXY_ALLOWED);
    assert.equal(config.crm.kind, 'salesforce');
  });

  it("refuses a Salesforce httpProxy the config names without the operator's consent; one by reference is the operator's", () => {
    // Until 2026-12-07 a proxy written in the config was never judged: its editor could route every Salesforce
    // call, credentials inside, through a host of their own (or a port of the machine, for a tenant).
    const doc = salesforceDoc({ instanceUrl: 'https://contoso.my.salesforce.com', httpProxy: 'http://proxy.contoso.example:3128' });
    assert.throws(
      () => validateConfig(doc, 'cosell.yaml', operatorConsent({})),
      (error: Error) => /crm > salesforce > httpProxy: .*proxy\.contoso\.example:3128 is not a well-known .*set COSELL_ALLOW_ENDPOINTS=proxy\.contoso\.example:3128 .*secret reference/s.test(error.message),
    );
    assert.ok(validateConfig(salesforceDoc({ instanceUrl: 'https://contoso.my.salesforce.com', httpProxy: 'env:SF_HTTP_PROXY' }), 'cosell.yaml', operatorConsent({})));
    const local = salesforceDoc({ instanceUrl: 'https://contoso.my.salesforce.com', httpProxy: 'http://127.0.0.1:3128' });
    assert.ok(validateConfig(local, 'cosell.yaml', operatorConsent({})), "a single install's own local proxy");
    assert.throws(() => validateConfig(local, 'tenant t', tenantConsent('t', [])), (error: Error) => error.message.includes('cosell tenants allow-endpoint t 127.0.0.1:3128'));
    assert.equal(verdict('https://proxy.contoso.example:3128'), 'refused');
  });

  it('refuses a Salesforce httpProxy holding its user name or password in clear, naming the key but not the password; a reference to it is taken', () => {
    // Until 2026-12-06 the proxy URL was a plain value: a proxy's password sat in clear in the config file and
    // in the tenant registry, which hold every other secret by reference only.
    const doc = salesforceDoc({ instanceUrl: 'https://contoso.my.salesforce.com', httpProxy: 'http://svc-cosell:Pr0xy-Passw0rd@proxy.contoso.example:3128' });
    assert.equal(refusedKey(doc), 'crm > salesforce > httpProxy');
    assert.throws(() => validateConfig(doc), (error: Error) => /secret reference/.test(error.message) && !error.message.includes('Pr0xy-Passw0rd'));
    for (const httpProxy of ['env:SF_HTTP_PROXY', 'file:/etc/cosell/proxy-url', 'http://proxy.contoso.example:3128']) {
      const config = validateConfig(salesforceDoc({ instanceUrl: 'https://contoso.my.salesforce.com', httpProxy }), 'cosell.yaml', PROXY_ALLOWED);
      assert.equal((config.crm as { salesforce?: { httpProxy?: string } }).salesforce?.httpProxy, httpProxy);
    }
    assert.equal(refusedKey(salesforceDoc({ httpProxy: 'proxy.contoso.example:3128' })), 'crm > salesforce > httpProxy', 'not a URL');
    assert.equal(refusedKey(salesforceDoc({ loginUrl: 'http://127.0.0.1:4000', httpProxy: 'env:SF_HTTP_PROXY' })), 'crm > salesforce > httpProxy', 'a reference is judged like a URL toward http');
  });

  it('the Salesforce schema refuses vault: references that the resolver cannot read', () => {
    assert.equal(refusedKey(salesforceDoc({ auth: { kind: 'client_credentials', clientSecret: 'vault:secret/sf' } })), 'crm > salesforce > auth > clientSecret');
  });

  it('`cosell check` exits 2 naming the key of an http endpoint', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cosell-policy-'));
    const file = join(dir, 'cosell.config.yaml');
    writeFileSync(file, stringify(dynamicsDoc({}, {}, { baseUrl: 'http://attacker.example' })));
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'core/cli/main.ts', '--config', file, 'check'], { encoding: 'utf8' });
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /partnerCenter > baseUrl/);
    assert.match(run.stderr, /must be https/);
  });
});
