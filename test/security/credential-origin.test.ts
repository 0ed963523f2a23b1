/**
 * No token or secret reaches another origin. Each client talks to a loopback listener standing for its
 * configured service; a second loopback listener (another origin) records whatever reaches it, and must
 * hear nothing: not through an absolute URL, not through a redirect, not through a server-supplied
 * instance URL.
 */
import assert from 'node:assert/strict';
import net, { type AddressInfo } from 'node:net';
import axios, { type InternalAxiosRequestConfig } from 'axios';
import { DataverseClient } from '../../connectors/dynamics/client.js';
import { parseDynamicsOptions } from '../../connectors/dynamics/config.js';
import { createPartnerCenterClient, fixedTokenProvider } from '../../connectors/partner-center/index.js';
import { SalesforceClient } from '../../connectors/salesforce/client.js';
import { salesforceOptionsSchema } from '../../connectors/salesforce/config.js';
import { CredentialOriginError, guardCredentialOrigin, requestOrigin } from '../../core/http/credential-origin.js';
import { failureText } from '../../core/errors.js';
import { SANDBOX_APPS, startEntraSandbox, type EntraSandbox } from '../../sandbox/entra/index.js';
import { FAST_RETRY } from '../helpers/partner-center-client.js';
import { startRecorder, type Recorder } from '../helpers/recorder.js';

const TOKEN = 'pc-token-that-must-stay-home';
// A sandbox's (sandbox-…): the fake login service below stands for one, over loopback http (config/secret-transport.ts).
const SF_SECRET = 'sandbox-salesforce-client-secret-xyz';
const SF_SESSION = '00DXX0000001gPL!AQ0AQHq5Ku8Fnm7o3SoZ2mUXu4bu0tBXcpkzv0y';

describe('credentials go only to the configured origin', () => {
  let other: Recorder;
  beforeEach(async () => {
    other = await startRecorder();
  });
  afterEach(async () => {
    await other.close();
  });

  it('a guarded axios instance refuses an absolute URL to another origin before sending', async () => {
    const home = await startRecorder();
    try {
      const instance = axios.create({ baseURL: `${home.url}/api/` });
      guardCredentialOrigin(instance, home.url, 'Test');
      await assert.rejects(instance.get(`${other.url}/steal`, { headers: { Authorization: `Bearer ${TOKEN}` } }), CredentialOriginError);
      await instance.get('ok', { headers: { Authorization: `Bearer ${TOKEN}` } });
      assert.equal(other.received.length, 0);
      assert.deepEqual(home.received.map((r) => r.url), ['/api/ok']);
    } finally {
      await home.close();
    }
  });

  it('a path below the base reaches the base\'s origin whatever it holds; any other URL is resolved in full', () => {
    const instance = axios.create();
    const origin = (baseURL: string, url: string) => requestOrigin(instance, { baseURL, url, headers: {} } as unknown as InternalAxiosRequestConfig);
    assert.equal(origin('https://api.example.com/v1/', '/@evil.example/x'), 'https://api.example.com');
    assert.equal(origin('https://api.example.com', '/x:1@evil.example:8080/y?z#w'), 'https://api.example.com');
    assert.equal(origin('http://127.0.0.1:8123', '/v1.0/engagements/referrals/r1'), 'http://127.0.0.1:8123');
    assert.notEqual(origin('https://api.example.com/v1', '//evil.example/x'), 'https://api.example.com');
    assert.equal(origin('https://api.example.com/v1', '/\\evil.example/x'), 'https://api.example.com', 'axios joins it below the base');
    assert.equal(origin('https://api.example.com/v1', 'https://evil.example/x'), 'https://evil.example');
    assert.notEqual(origin('http:///', '/evil.example/x'), 'http://evil.example', 'a base without a host is refused, not joined into one');
  });

  it('Partner Center: a redirect to another origin is not followed with the bearer token', async () => {
    const home = await startRecorder((_req, res) => {
      res.writeHead(302, { location: `${other.url}/v1.0/engagements/referrals` });
      res.end();
    });
    try {
      const client = createPartnerCenterClient(
        { baseUrl: home.url, clientId: 'app', tokenCachePath: '/nonexistent/unused.json', retry: FAST_RETRY, timeoutMs: 5_000 },
        { tokens: fixedTokenProvider(TOKEN) },
      );
      await assert.rejects(client.list({ top: 1 }).next());
      assert.equal(home.received.length, 1);
      assert.equal(home.received[0]!.headers.authorization, `Bearer ${TOKEN}`);
      assert.equal(other.received.length, 0);
    } finally {
      await home.close();
    }
  });

  describe('Dataverse', () => {
    let entra: EntraSandbox;
    before(async () => {
      entra = await startEntraSandbox();
    });
    after(async () => {
      await entra.close();
    });

    it('never sends its token to an absolute URL on another origin: such a link is followed on the configured Web API', async () => {
      const home = await startRecorder();
      try {
        const options = parseDynamicsOptions({
          environmentUrl: 'https://contoso-sandbox.crm.dynamics.com',
          apiUrl: home.url,
          tenantId: entra.tenantId,
          authority: entra.authority,
          authorityMetadata: entra.authorityMetadata,
          clientId: SANDBOX_APPS.dataverse.clientId,
          clientSecret: 'env:UNUSED',
          retries: 0,
        });
        const client = new DataverseClient(options, { logger: (await import('../../core/logger.js')).silentLogger(), clientSecret: SANDBOX_APPS.dataverse.clientSecret });
        await client.get('following a link', `${other.url}/api/data/v9.2/accounts?$skiptoken=2`);
        await client.get('a relative read', 'accounts');
        assert.equal(other.received.length, 0, 'the other origin received nothing');
        assert.equal(home.received.length, 2, 'both reads went to the configured origin');
        assert.ok(home.received.every((r) => /^Bearer /.test(String(r.headers.authorization))));
      } finally {
        await home.close();
      }
    });
  });

  it('Salesforce: a token response naming another instance is refused before the session is used', async () => {
    const login = await startRecorder((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({
        access_token: SF_SESSION,
        instance_url: other.url,
        id: `${login.url}/id/00DXX0000001gPLAAY/005XX000001SvQnYAK`,
        token_type: 'Bearer',
        issued_at: String(Date.now()),
      }));
    });
    const previous = process.env.COSELL_TEST_SF_SECRET;
    process.env.COSELL_TEST_SF_SECRET = SF_SECRET;
    try {
      const options = salesforceOptionsSchema.parse({ loginUrl: login.url, clientId: 'consumer-key', auth: { kind: 'client_credentials', clientSecret: 'env:COSELL_TEST_SF_SECRET' } });
      const client = new SalesforceClient(options);
      await assert.rejects(client.query('SELECT Id FROM Opportunity'), CredentialOriginError);
      assert.equal(login.received.length, 1, 'only the token request, at the login host');
      assert.match(login.received[0]!.body, /client_secret=/);
      assert.equal(other.received.length, 0);
      assert.ok(!other.heard().includes(SF_SESSION) && !other.heard().includes(SF_SECRET));
    } finally {
      if (previous === undefined) delete process.env.COSELL_TEST_SF_SECRET;
      else process.env.COSELL_TEST_SF_SECRET = previous;
      await login.close();
    }
  });
  it('Salesforce: an httpProxy never sees the client secret of an http (loopback) login host', async () => {
    // The proxy is another host. It tunnels (CONNECT) and then reads whatever the client sends through
    // the tunnel: in clear when the target is http. Until 2026-12-06 a config naming a loopback loginUrl
    // and any httpProxy sent the resolved client secret to that proxy.
    const heard: string[] = [];
    const proxy = net.createServer((socket) => {
      socket.on('data', (chunk: Buffer) => {
        const text = chunk.toString('utf8');
        heard.push(text);
        if (text.startsWith('CONNECT')) socket.write('HTTP/1.1 200 Connection established\r\n\r\n');
        else socket.end('HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}');
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const previous = process.env.COSELL_TEST_SF_SECRET;
    process.env.COSELL_TEST_SF_SECRET = SF_SECRET;
    try {
      const httpProxy = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      await assert.rejects(async () => {
        const options = salesforceOptionsSchema.parse({ loginUrl: other.url, httpProxy, clientId: 'consumer-key', auth: { kind: 'client_credentials', clientSecret: 'env:COSELL_TEST_SF_SECRET' } });
        await new SalesforceClient(options).query('SELECT Id FROM Opportunity');
      });
      assert.ok(!heard.join('').includes(SF_SECRET), 'the proxy heard the client secret');
      assert.equal(other.received.length, 0);
    } finally {
      if (previous === undefined) delete process.env.COSELL_TEST_SF_SECRET;
      else process.env.COSELL_TEST_SF_SECRET = previous;
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  });
  it('Salesforce: a proxy URL given by reference reaches the proxy as Proxy-Authorization, and its password no message', async () => {
    // The proxy's user and password are a secret (config.ts refuses them in clear): read from the reference
    // when the connection is made, sent to the proxy only, and filtered out of whatever error follows.
    const PROXY_PASSWORD = 'Pr0xy-Passw0rd-9';
    const heard: string[] = [];
    const proxy = net.createServer((socket) => {
      let request = '';
      socket.on('data', (chunk: Buffer) => {
        // The CONNECT request may arrive in several chunks: answer once its header block is complete.
        request += chunk.toString('latin1');
        if (!request.includes('\r\n\r\n')) return;
        heard.push(request);
        socket.end(`HTTP/1.1 407 Proxy Authentication Required\r\ncontent-length: 0\r\nx-note: ${PROXY_PASSWORD}\r\n\r\n`);
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const previous = { proxy: process.env.COSELL_TEST_SF_PROXY, secret: process.env.COSELL_TEST_SF_SECRET };
    process.env.COSELL_TEST_SF_PROXY = `http://svc-cosell:${PROXY_PASSWORD}@127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    process.env.COSELL_TEST_SF_SECRET = SF_SECRET;
    try {
      const options = salesforceOptionsSchema.parse({ loginUrl: 'https://login.salesforce.com', httpProxy: 'env:COSELL_TEST_SF_PROXY', clientId: 'consumer-key', auth: { kind: 'client_credentials', clientSecret: 'env:COSELL_TEST_SF_SECRET' } });
      const error = await new SalesforceClient(options).query('SELECT Id FROM Opportunity').then(() => assert.fail('signed in through a refusing proxy'), (e: Error) => e);
      const connect = heard.join('');
      assert.match(connect, /^CONNECT login\.salesforce\.com:443 /);
      assert.ok(connect.includes(`Proxy-Authorization: Basic ${Buffer.from(`svc-cosell:${PROXY_PASSWORD}`).toString('base64')}`), connect);
      assert.ok(!connect.includes(SF_SECRET), 'the client secret travels inside TLS only');
      assert.ok(!failureText(error).includes(PROXY_PASSWORD), failureText(error));
    } finally {
      for (const [name, value] of [['COSELL_TEST_SF_PROXY', previous.proxy], ['COSELL_TEST_SF_SECRET', previous.secret]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  });
});
