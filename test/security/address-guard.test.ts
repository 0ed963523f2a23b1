/**
 * Credentials go to the address a connection reaches, not only to a name the policy liked (DNS rebinding).
 * Until 2026-12-07 a host was judged by its name alone: a name that DNS pointed at 127.0.0.1, a private
 * address or 169.254.169.254 (the cloud's metadata service) received the client secret, the bearer token or
 * the request. Here `rebound.example` resolves to 127.0.0.1 (dns.lookup stubbed) where a recorder listens,
 * and every client that carries a credential must refuse it at connect time, the recorder hearing nothing.
 */
import assert from 'node:assert/strict';
import dns from 'node:dns';
import axios, { AxiosError } from 'axios';
import { toConnectorError } from '../../connectors/dynamics/errors.js';
import { exitCodeFor } from '../../core/cli/output.js';
import { EXIT } from '../../core/cli/exit-codes.js';
import { addressRefusal, ADDRESS_REFUSED, AddressRefusedError, guardedLookup, installAddressGuard, vouchForHosts } from '../../core/http/address-guard.js';
import { noRedirectNetworkClient } from '../../core/http/msal-network.js';
import { WebhookRegistrationClient } from '../../connectors/partner-center/webhook-registration.js';
import { SalesforceClient } from '../../connectors/salesforce/client.js';
import { PartnerCenterHttp } from '../../connectors/partner-center/http.js';
import { DEFAULT_BACKOFF } from '../../core/http/retry.js';
import { salesforceOptionsSchema } from '../../connectors/salesforce/config.js';
import { startRecorder, type Recorder } from '../helpers/recorder.js';
import { validateConfig } from '../../config/load.js';
import { operatorConsent } from '../../config/endpoint-consent.js';

const never = () => false;

describe('address guard: which resolved addresses a name may lead to', () => {
  it('refuses loopback, private, link-local and unspecified answers for an ordinary name, naming host, address and rule', () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '172.16.0.9', '192.168.1.1', '169.254.169.254', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '100.100.100.200']) {
      const refusal = addressRefusal('crm.contoso.example', address, never);
      assert.ok(refusal, address);
      assert.match(refusal, /crm\.contoso\.example/);
      assert.ok(refusal.includes(address), refusal);
    }
    assert.match(addressRefusal('x.example', '169.254.169.254', never)!, /metadata/);
  });

  it('lets public answers through, and an address literal (judged by name already)', () => {
    assert.equal(addressRefusal('login.microsoftonline.com', '20.190.160.1', never), undefined);
    assert.equal(addressRefusal('x.example', '2001:4860::1', never), undefined);
    assert.equal(addressRefusal('127.0.0.1', '127.0.0.1', never), undefined);
    assert.equal(addressRefusal('[::1]', '::1', never), undefined);
  });

  it('localhost may lead to loopback only; a *.localhost name is an ordinary name', () => {
    assert.equal(addressRefusal('localhost', '127.0.0.1', never), undefined);
    assert.equal(addressRefusal('LOCALHOST.', '::1', never), undefined);
    assert.ok(addressRefusal('localhost', '10.0.0.1', never));
    assert.ok(addressRefusal('login.localhost', '127.0.0.1', never));
  });

  it('a name the operator consented to may lead to loopback or a private network, never to link-local or unspecified', () => {
    const vouched = (name: string) => name === 'crm.corp.example';
    assert.equal(addressRefusal('crm.corp.example', '10.0.0.5', vouched), undefined);
    assert.equal(addressRefusal('CRM.corp.example.', '127.0.0.1', vouched), undefined);
    assert.match(addressRefusal('crm.corp.example', '169.254.169.254', vouched)!, /no name may lead there/);
    assert.ok(addressRefusal('crm.corp.example', '0.0.0.0', vouched));
    assert.ok(addressRefusal('other.corp.example', '10.0.0.5', vouched));
  });

  it('the lookup refuses a rebinding answer that mixes a public address with an internal one', async () => {
    const lookup = guardedLookup((_name, _options, callback) => callback(null, [{ address: '93.184.216.34', family: 4 }, { address: '169.254.169.254', family: 4 }]), never);
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) => lookup('rebind.example', { all: true }, (e) => resolve(e)));
    assert.equal(error?.code, ADDRESS_REFUSED);
    assert.match(error!.message, /rebind\.example: DNS answered 169\.254\.169\.254/);
  });

  it('the lookup answers in the shape asked: one address, or all of them', async () => {
    const lookup = guardedLookup((_name, _options, callback) => callback(null, [{ address: '93.184.216.34', family: 4 }]), never);
    const one = await new Promise<unknown[]>((resolve) => lookup('x.example', {}, (e, address, family) => resolve([e, address, family])));
    assert.deepEqual(one, [null, '93.184.216.34', 4]);
    const all = await new Promise<unknown>((resolve) => lookup('x.example', { all: true }, (_e, addresses) => resolve(addresses)));
    assert.deepEqual(all, [{ address: '93.184.216.34', family: 4 }]);
  });
});

describe('address guard: the clients that carry credentials judge the address they connect to', () => {
  const realLookup = dns.lookup;
  let recorder: Recorder;
  let port = '';
  before(() => {
    // `rebound.example` (and `vouched.example`) answer 127.0.0.1, as a rebinding DNS server would; every other name as before.
    (dns as { lookup: unknown }).lookup = (name: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
      if (!/^(rebound|vouched)\.example$/.test(name)) return (realLookup as (...args: unknown[]) => void)(name, options, callback);
      return options?.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4);
    };
  });
  after(() => {
    (dns as { lookup: unknown }).lookup = realLookup;
  });
  beforeEach(async () => {
    recorder = await startRecorder();
    port = new URL(recorder.url).port;
  });
  afterEach(() => recorder.close());

  it("msal's token requests (fetch): the client secret is not sent to a name that resolves to loopback", async () => {
    const error = await noRedirectNetworkClient()
      .sendPostRequestAsync(`http://rebound.example:${port}/tenant/oauth2/v2.0/token`, { body: 'client_secret=sandbox-never-sent' })
      .then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof Error);
    assert.match(error.message, /rebound\.example: DNS answered 127\.0\.0\.1, a loopback address/);
    assert.equal(recorder.received.length, 0, `the loopback listener heard: ${recorder.heard()}`);
  });

  it('Partner Center webhook registration (axios): the bearer token is not sent there', async () => {
    const tokens = { getAccessToken: async () => 'token-never-sent' };
    const client = new WebhookRegistrationClient(`http://rebound.example:${port}/webhooks/v1/registration`, tokens as never);
    await assert.rejects(client.get(), (error: Error & { code?: string }) => error.code === ADDRESS_REFUSED);
    assert.equal(recorder.received.length, 0, `the loopback listener heard: ${recorder.heard()}`);
  });

  it('Partner Center referrals (axios): the bearer token is not sent there, and the refusal is not retried', async () => {
    const tokens = { getAccessToken: async () => 'token-never-sent' };
    const http = new PartnerCenterHttp({ baseUrl: `http://rebound.example:${port}/v1/engagements/referrals`, timeoutMs: 10_000, retries: 3, backoff: DEFAULT_BACKOFF }, { tokens: tokens as never, sleep: async () => undefined });
    await assert.rejects(http.send({ method: 'GET', path: '', idempotent: true, operation: 'list' }), (error: Error) => error instanceof AddressRefusedError && /^Partner Center list failed: Refused to connect to rebound\.example: DNS answered 127\.0\.0\.1/.test(error.message));
    assert.equal(http.callStats().retries, 0);
    assert.equal(recorder.received.length, 0, `the loopback listener heard: ${recorder.heard()}`);
  });

  it('Salesforce (jsforce, node-fetch): the sign-in is not sent there', async () => {
    const options = salesforceOptionsSchema.parse({ loginUrl: `http://rebound.example:${port}`, clientId: 'consumer-key', auth: { kind: 'client_credentials', clientSecret: 'env:UNUSED' } });
    const client = new SalesforceClient(options, { resolveSecret: async () => 'sandbox-never-sent' });
    await assert.rejects(client.query('SELECT Id FROM Opportunity'), /rebound\.example: DNS answered 127\.0\.0\.1/);
    assert.equal(recorder.received.length, 0, `the loopback listener heard: ${recorder.heard()}`);
  });

  it('a name the operator consented to reaches its internal address; axios without a client is guarded once installed', async () => {
    installAddressGuard();
    await assert.rejects(axios.get(`http://rebound.example:${port}/`), (error: Error & { code?: string }) => error.code === ADDRESS_REFUSED);
    vouchForHosts([`vouched.example:${port}`]);
    const answer = await axios.get(`http://vouched.example:${port}/`);
    assert.equal(answer.status, 200);
    assert.equal(recorder.received.length, 1);
  });
});

describe("address guard: the operator's consent reaches it from the config's judgement", () => {
  const resolveTo = (address: string) => guardedLookup((_name, _options, callback) => callback(null, [{ address, family: 4 }]));
  const lookupError = (name: string, address: string) => new Promise<NodeJS.ErrnoException | null>((resolve) => resolveTo(address)(name, { all: true }, (e) => resolve(e)));

  it('a host COSELL_ALLOW_ENDPOINTS allowed for the config may resolve to a private address; other names may not', async () => {
    assert.equal((await lookupError('idp.corp.example', '10.0.0.5'))?.code, ADDRESS_REFUSED);
    const metadata = JSON.stringify({ token_endpoint: 'https://idp.corp.example:8443/token', issuer: 'https://login.microsoftonline.com/t/v2.0' });
    const document = {
      crm: { kind: 'dynamics', dynamics: { environmentUrl: 'https://contoso.crm.dynamics.com', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', clientId: 'app', clientSecret: 'env:X', authorityMetadata: metadata } },
      partnerCenter: { clientId: 'pc-app' },
    };
    validateConfig(document, 'cosell.yaml', operatorConsent({ COSELL_ALLOW_ENDPOINTS: 'idp.corp.example:8443' }));
    assert.equal(await lookupError('idp.corp.example', '10.0.0.5'), null);
    assert.equal((await lookupError('idp.corp.example', '169.254.169.254'))?.code, ADDRESS_REFUSED);
    assert.equal((await lookupError('other.corp.example', '10.0.0.5'))?.code, ADDRESS_REFUSED);
  });

  it('a well-known host the operator lists (a private connection to it) may resolve to a private address too', async () => {
    // A name no other test lists: the names the operator vouched for stay vouched for the whole process.
    assert.equal((await lookupError('private-link-org.crm.dynamics.com', '10.1.0.4'))?.code, ADDRESS_REFUSED);
    const document = {
      crm: { kind: 'dynamics', dynamics: { environmentUrl: 'https://private-link-org.crm.dynamics.com', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', clientId: 'app', clientSecret: 'env:X' } },
      partnerCenter: { clientId: 'pc-app' },
    };
    validateConfig(document, 'cosell.yaml', operatorConsent({ COSELL_ALLOW_ENDPOINTS: 'private-link-org.crm.dynamics.com' }));
    assert.equal(await lookupError('private-link-org.crm.dynamics.com', '10.1.0.4'), null);
  });
});

describe('address guard: how a refusal reads', () => {
  it('Dataverse reports it as refused, not unreachable: not retried, the config\'s exit code, the host, address and rule kept', () => {
    const refusal = 'Refused to connect to contoso.crm.dynamics.com: DNS answered 10.0.0.9, a private network address, and only localhost …';
    const error = toConnectorError(new AxiosError(refusal, ADDRESS_REFUSED), 'reading opportunities');
    assert.ok(error instanceof AddressRefusedError);
    assert.equal(error.retryable, false);
    assert.equal(error.message, `Dataverse call while reading opportunities failed: ${refusal}`);
    assert.equal(exitCodeFor(error), EXIT.config);
  });
});
