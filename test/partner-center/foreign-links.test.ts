/**
 * The bearer token stays with the configured Partner Center base URL (issue 14): a nextLink that names
 * another origin is followed on the configured one, and a redirect is not followed. A second loopback
 * server stands for the other origin and records every request (and Authorization header) it gets.
 */
import assert from 'node:assert/strict';
import { ConnectorError } from '../../core/errors.js';
import { createPartnerCenterClient, fixedTokenProvider, type ReferralPage } from '../../connectors/partner-center/index.js';
import { FAST_RETRY, json, referralJson, startTinyServer, type TinyServer } from '../helpers/partner-center-client.js';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJl';

describe('Partner Center client: links and redirects never take the token elsewhere', () => {
  let api: TinyServer;
  let elsewhere: TinyServer;

  before(async () => {
    elsewhere = await startTinyServer((_req, res) => json(res, 200, { value: [referralJson('stolen')] }));
    api = await startTinyServer((req, res) => {
      if (req.url.endsWith('/redirected')) {
        res.writeHead(307, { location: `${elsewhere.url}/v1.0/engagements/referrals/redirected` });
        return void res.end();
      }
      if (req.url.includes('$skiptoken=p2')) return json(res, 200, { value: [referralJson('r2')] });
      return json(res, 200, { value: [referralJson('r1')], '@odata.nextLink': `${elsewhere.url}/v1.0/engagements/referrals?$skiptoken=p2` });
    });
  });
  after(async () => {
    await api.close();
    await elsewhere.close();
  });

  const client = () =>
    createPartnerCenterClient({ baseUrl: api.url, clientId: 'unused', tokenCachePath: '/unused', retry: FAST_RETRY, timeoutMs: 2_000 }, { tokens: fixedTokenProvider(TOKEN), sleep: async () => undefined });

  it('follows a nextLink naming another origin on the configured base URL, with the token only there', async () => {
    const pages: ReferralPage[] = [];
    for await (const page of client().list({ orderBy: 'updatedDateTime asc' })) pages.push(page);
    assert.deepEqual(pages.flatMap((p) => p.referrals.map((r) => r.referralId)), ['r1', 'r2']);
    assert.equal(api.requests.at(-1)?.url, '/v1.0/engagements/referrals?$skiptoken=p2');
    assert.equal(api.requests.at(-1)?.headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(elsewhere.requests.length, 0, 'nothing, and no token, reached the other origin');
  });

  it('does not follow a redirect, and names the setting to check', async () => {
    await assert.rejects(client().get('redirected'), (error: Error) => error instanceof ConnectorError && /HTTP 307.*redirect is not followed.*partnerCenter > baseUrl/.test(error.message));
    assert.equal(elsewhere.requests.length, 0, 'the redirect was not followed');
  });
});
