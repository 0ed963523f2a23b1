/**
 * The bearer token stays with the configured Web API (issue 14): an `@odata.nextLink` that names
 * another origin is followed on the configured one, a redirect is not followed, and a link outside
 * the Web API is refused. A second loopback server stands for the other origin and records every
 * request (and so any Authorization header) that reaches it. Also the pure link rule the change feed
 * stores cursors with.
 */
import assert from 'node:assert/strict';
import { DataverseClient } from '../../connectors/dynamics/client.js';
import { parseDynamicsOptions } from '../../connectors/dynamics/config.js';
import { apiRelativeLink } from '../../connectors/dynamics/links.js';
import { ConnectorError } from '../../core/errors.js';
import { silentLogger } from '../../core/logger.js';
import { dynamicsOptionsFor } from '../../sandbox/dataverse/adapter-options.js';
import { SANDBOX_APPS, startEntraSandbox, type EntraSandbox } from '../../sandbox/entra/index.js';
import { json, startTinyServer, type TinyServer } from '../helpers/partner-center-client.js';

describe('Dynamics 365 client: links and redirects never take the token elsewhere', function () {
  this.timeout(20_000);
  let entra: EntraSandbox;
  let api: TinyServer;
  let elsewhere: TinyServer;
  let client: DataverseClient;

  before(async () => {
    entra = await startEntraSandbox();
    elsewhere = await startTinyServer((_req, res) => json(res, 200, { value: [{ opportunityid: 'stolen' }] }));
    api = await startTinyServer((req, res) => {
      if (req.url.includes('redirect=1')) {
        res.writeHead(302, { location: `${elsewhere.url}/api/data/v9.2/opportunities?redirected=1` });
        return void res.end();
      }
      if (req.url.includes('$skiptoken=2')) return json(res, 200, { value: [{ opportunityid: 'second' }] });
      return json(res, 200, { value: [{ opportunityid: 'first' }], '@odata.nextLink': `${elsewhere.url}/api/data/v9.2/opportunities?$select=name&$skiptoken=2` });
    });
    const options = parseDynamicsOptions({ ...dynamicsOptionsFor({ url: api.url, environmentUrl: 'https://contoso-sandbox.crm.dynamics.com' }, entra, 'env:UNUSED'), retries: 0 });
    client = new DataverseClient(options, { logger: silentLogger(), clientSecret: SANDBOX_APPS.dataverse.clientSecret });
  });
  after(async () => {
    await api.close();
    await elsewhere.close();
    await entra.close();
  });
  beforeEach(() => {
    api.requests.length = 0;
    elsewhere.requests.length = 0;
  });

  it('follows a nextLink naming another origin on the configured Web API, with the token only there', async () => {
    const first = await client.get<{ value: unknown[]; '@odata.nextLink': string }>('reading', 'opportunities?$select=name');
    const second = await client.get<{ value: { opportunityid: string }[] }>('reading the next page', first.data['@odata.nextLink']);
    assert.deepEqual(second.data.value.map((row) => row.opportunityid), ['second']);
    assert.equal(api.requests[1]?.url, '/api/data/v9.2/opportunities?$select=name&$skiptoken=2', 'the next page came from the configured Web API');
    assert.match(String(api.requests[1]?.headers.authorization), /^Bearer /);
    assert.equal(elsewhere.requests.length, 0, 'nothing, and no token, reached the other origin');
  });

  it('does not follow a redirect, and says where it pointed', async () => {
    await assert.rejects(client.get('reading', 'opportunities?redirect=1'), (error: Error) => {
      assert.ok(error instanceof ConnectorError);
      assert.match(error.message, new RegExp(`302, a redirect to ${elsewhere.url.replace(/\./g, '\\.')}.*not followed`));
      return true;
    });
    assert.equal(api.requests.length, 1, 'a redirect is not retried');
    assert.equal(elsewhere.requests.length, 0, 'the redirect was not followed');
  });

  it('refuses a link outside the Web API, without sending anything', async () => {
    await assert.rejects(client.get('reading', `${elsewhere.url}/collect?token=1`), (error: Error) => error instanceof ConnectorError && /outside its Web API/.test(error.message));
    assert.equal(api.requests.length + elsewhere.requests.length, 0);
  });

  it('keeps links relative to the Web API root, query verbatim', () => {
    const delta = "opportunities?$select=name&$deltatoken=919042%2108%2f22%2f2017%2008%3a10%3a44&$filter=name eq 'O''Brien'";
    assert.equal(apiRelativeLink(`https://contoso.crm.dynamics.com/api/data/v9.2/${delta}`), delta);
    assert.equal(apiRelativeLink(`http://127.0.0.1:50123/api/data/v9.2/${delta}`), delta, 'an old absolute sandbox link rebases the same way');
    assert.equal(apiRelativeLink(`https://proxy.example/dynamics/api/data/v9.2/${delta}`), delta, 'a path prefix in front of the Web API is dropped');
    assert.equal(apiRelativeLink(`/api/data/v9.2/${delta}`), delta);
    assert.equal(apiRelativeLink(`//evil.example/api/data/v9.2/${delta}`), delta, 'a scheme-relative link loses its host');
    assert.equal(apiRelativeLink(delta), delta, 'a relative link stays as it is');
    assert.throws(() => apiRelativeLink('https://evil.example/steal?x=1'), /outside its Web API/);
  });
});
