/**
 * What the Partner Center client's axios instance (connectors/partner-center/lean-axios.ts) must keep while
 * axios does less per request for it: the bytes and headers on the wire, answers read as axios' JSON
 * transform read them, and the proxy taken from the environment at each request (axios' own lookup:
 * http_proxy / no_proxy, read per request, so a change after the client started counts). Loopback servers.
 */
import assert from 'node:assert/strict';
import { PartnerCenterHttp } from '../../connectors/partner-center/http.js';
import { fixedTokenProvider } from '../../connectors/partner-center/index.js';
import { ConnectorError } from '../../core/errors.js';
import { startTinyServer, type TinyServer } from '../helpers/partner-center-client.js';

const PROXY_VARIABLES = ['http_proxy', 'HTTP_PROXY', 'no_proxy', 'NO_PROXY', 'all_proxy', 'ALL_PROXY'];

const client = (baseUrl: string) =>
  new PartnerCenterHttp({ baseUrl, timeoutMs: 2_000, retries: 0, backoff: { baseMs: 1, maxMs: 1, maxRetryAfterMs: 1 } }, { tokens: fixedTokenProvider('token-1'), sleep: async () => undefined });

describe('Partner Center client: what its lean axios instance keeps', () => {
  let server: TinyServer;
  let answer: { status: number; type: string; body: string };
  const saved = new Map<string, string | undefined>();
  beforeEach(async () => {
    for (const name of PROXY_VARIABLES) {
      saved.set(name, process.env[name]);
      delete process.env[name];
    }
    answer = { status: 200, type: 'application/json', body: '{"id":"r1"}' };
    server = await startTinyServer((_req, res) => {
      res.writeHead(answer.status, { 'content-type': answer.type });
      res.end(answer.body);
    });
  });
  afterEach(async () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await server.close();
  });

  it('sends a body as JSON.stringify makes it, with the same headers, and none on a GET', async () => {
    const http = client(server.url);
    const body = { externalReferenceId: 'CRM-1', name: 'Contoso ü', details: { dealValue: 10, notes: 'a\nb' }, team: [] };
    await http.send({ method: 'POST', path: '', body, idempotent: false, operation: 'create' });
    await http.send({ method: 'PATCH', path: '/r1', body: [{ op: 'replace', path: '/name', value: 'x' }], headers: { 'If-Match': 'e1' }, idempotent: false, operation: 'update' });
    await http.send({ method: 'GET', path: '/r1', query: '$top=1', idempotent: true, operation: 'get' });
    const [post, patch, get] = server.requests;
    assert.equal(post?.body, JSON.stringify(body));
    assert.equal(patch?.body, '[{"op":"replace","path":"/name","value":"x"}]');
    assert.equal(get?.body, '');
    assert.deepEqual([post?.method, post?.url, patch?.method, patch?.url, get?.method, get?.url], ['POST', '/v1.0/engagements/referrals', 'PATCH', '/v1.0/engagements/referrals/r1', 'GET', '/v1.0/engagements/referrals/r1?$top=1']);
    const shape = (headers: Record<string, unknown> | undefined) => Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name, name === 'client-request-id' || name === 'ms-correlationid' ? typeof value : value]));
    const common = { accept: 'application/json', authorization: 'Bearer token-1', 'client-request-id': 'string', 'ms-correlationid': 'string', 'user-agent': (post?.headers['user-agent'] as string).startsWith('axios/') ? post?.headers['user-agent'] : 'not axios', 'accept-encoding': 'gzip, compress, deflate, br', host: new URL(server.url).host, connection: 'keep-alive' };
    assert.deepEqual(shape(post?.headers), { ...common, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(JSON.stringify(body))) });
    assert.deepEqual(shape(patch?.headers), { ...common, 'content-type': 'application/json', 'if-match': 'e1', 'content-length': '45' });
    assert.deepEqual(shape(get?.headers), common);
  });

  it('reads a JSON answer whatever its content type, and keeps text that is not JSON (whitespace too) as text', async () => {
    const http = client(server.url);
    const get = async () => (await http.send({ method: 'GET', path: '/r1', idempotent: true, operation: 'get' })).data;
    answer = { status: 200, type: 'text/plain', body: '{"id":"r1","n":[1]}' };
    assert.deepEqual(await get(), { id: 'r1', n: [1] });
    answer = { status: 200, type: 'application/json', body: '  ' };
    assert.equal(await get(), '  ');
    answer = { status: 200, type: 'application/json', body: '"text"' };
    assert.equal(await get(), 'text');
  });

  it("reads a refusal's JSON body for its codes, and a refusal whose body is cut short as its text", async () => {
    const http = client(server.url);
    const refusal = () => http.send({ method: 'GET', path: '/r1', idempotent: true, operation: 'get' }).then(() => undefined, (e: unknown) => e);
    answer = { status: 409, type: 'text/plain', body: '{"error":{"code":"resourceModified","message":"changed"}}' };
    const conflict = await refusal();
    assert.ok(conflict instanceof ConnectorError);
    assert.equal(`${conflict.code}: ${conflict.message}`, 'conflict: Partner Center get failed: HTTP 409 resourceModified: changed');
    answer = { status: 400, type: 'application/json', body: '{"error":{"code":' };
    const refused = await refusal();
    assert.ok(refused instanceof ConnectorError);
    assert.equal(refused.message, 'Partner Center get failed: HTTP 400: {"error":{"code":');
  });

  it('sends through the proxy http_proxy names, read at each request, and straight to a host no_proxy names', async () => {
    const target = 'http://partner-center.proxied.example:8123';
    const http = client(target);
    process.env.http_proxy = server.url;
    await http.send({ method: 'GET', path: '/r1', idempotent: true, operation: 'get' });
    const proxied = server.requests[0];
    assert.equal(proxied?.url, `${target}/v1.0/engagements/referrals/r1`);
    assert.equal(proxied?.headers.host, 'partner-center.proxied.example:8123');
    assert.equal(proxied?.headers.authorization, 'Bearer token-1');

    const direct = client(server.url);
    process.env.no_proxy = '127.0.0.1';
    process.env.http_proxy = 'http://127.0.0.1:9';
    await direct.send({ method: 'GET', path: '/r2', idempotent: true, operation: 'get' });
    assert.equal(server.requests[1]?.url, '/v1.0/engagements/referrals/r2');
  });
});
