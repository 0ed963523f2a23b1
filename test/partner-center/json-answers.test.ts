/**
 * How the Partner Center HTTP layer reads answer bodies (PartnerCenterHttp; axios' default response transform
 * until branch pchttp, lean-axios.ts `readJsonAnswer` since): JSON is parsed, an empty body stays empty, and a
 * body that is not JSON is handed on as its text (axios' `transitional.silentJSONParsing`, true by default),
 * not failed as unreadable; a refusal keeps its text. Passes on both: the reading did not change. Loopback server.
 */
import assert from 'node:assert/strict';
import { PartnerCenterHttp } from '../../connectors/partner-center/http.js';
import { fixedTokenProvider } from '../../connectors/partner-center/index.js';
import { ConnectorError } from '../../core/errors.js';
import { startTinyServer, type TinyServer } from '../helpers/partner-center-client.js';

describe('Partner Center answers: bodies read as JSON', () => {
  let server: TinyServer;
  let answer: { status: number; type: string; body: string };
  let requests = 0;
  beforeEach(async () => {
    requests = 0;
    server = await startTinyServer((_req, res) => {
      requests += 1;
      res.writeHead(answer.status, { 'content-type': answer.type });
      res.end(answer.body);
    });
  });
  afterEach(async () => server.close());

  const http = () => new PartnerCenterHttp({ baseUrl: server.url, timeoutMs: 2_000, retries: 3, backoff: { baseMs: 1, maxMs: 1, maxRetryAfterMs: 1 } }, { tokens: fixedTokenProvider('t'), sleep: async () => undefined });
  const get = () => http().send({ method: 'GET', path: '/r1', idempotent: true, operation: 'get', record: 'r1' });

  it('parses a JSON body and keeps an empty one empty', async () => {
    answer = { status: 200, type: 'application/json', body: '{"id":"r1","eTag":"e1","n":[1,2]}' };
    assert.deepEqual((await get()).data, { id: 'r1', eTag: 'e1', n: [1, 2] });
    answer = { status: 200, type: 'application/json', body: '' };
    assert.equal((await get()).data, '');
  });

  it('hands on a 2xx body that is not JSON as its text, once', async () => {
    answer = { status: 200, type: 'application/json', body: '<html>maintenance</html>' };
    assert.equal((await get()).data, '<html>maintenance</html>');
    assert.equal(requests, 1);
  });

  it('reads a refusal whose body is not JSON as the refusal it is, with its text', async () => {
    answer = { status: 400, type: 'text/html', body: '<html>bad request</html>' };
    const error = await get().then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof ConnectorError);
    assert.equal(`${error.code}: ${error.message}`, 'remote_validation: Partner Center get (r1) failed: HTTP 400: <html>bad request</html>');
    assert.equal(requests, 1);
  });
});
