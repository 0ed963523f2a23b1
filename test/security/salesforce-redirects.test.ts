/**
 * A Salesforce redirect never carries the session to another origin. jsforce follows every 3xx with the
 * request's own headers, Authorization included, wherever `Location` points; until 2026-12-06 a 302 from
 * the instance sent the session ID to the host it named (heard by a loopback recorder standing for it).
 */
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { SalesforceClient } from '../../connectors/salesforce/client.js';
import { salesforceOptionsSchema } from '../../connectors/salesforce/config.js';
import { CredentialOriginError } from '../../core/http/credential-origin.js';
import { startRecorder, type RecordedRequest, type Recorder } from '../helpers/recorder.js';

// A sandbox's (sandbox-…): the fake login service below stands for one, over loopback http (config/secret-transport.ts).
const SF_SECRET = 'sandbox-salesforce-client-secret-redirect';
const SF_SESSION = '00DXX0000001gPL!AQ0AQHredirectSessionMustStayHome0';

/** A login host that is also the instance: its token answer names itself; every other request gets `answer`. */
async function startOrg(answer: (req: RecordedRequest, res: ServerResponse, self: string) => void): Promise<Recorder> {
  const org: Recorder = await startRecorder((req, res) => {
    if (!req.url.startsWith('/services/oauth2/token')) return answer(req, res, org.url);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ access_token: SF_SESSION, instance_url: org.url, id: `${org.url}/id/00DXX0000001gPLAAY/005XX000001SvQnYAK`, token_type: 'Bearer', issued_at: String(Date.now()) }));
  });
  return org;
}

const redirect = (res: ServerResponse, status: number, location: string) => {
  res.writeHead(status, { location });
  res.end();
};

describe('Salesforce redirects', () => {
  let other: Recorder;
  let previous: string | undefined;
  beforeEach(async () => {
    other = await startRecorder();
    previous = process.env.COSELL_TEST_SF_SECRET;
    process.env.COSELL_TEST_SF_SECRET = SF_SECRET;
  });
  afterEach(async () => {
    if (previous === undefined) delete process.env.COSELL_TEST_SF_SECRET;
    else process.env.COSELL_TEST_SF_SECRET = previous;
    await other.close();
  });

  const clientFor = (loginUrl: string) =>
    new SalesforceClient(salesforceOptionsSchema.parse({ loginUrl, clientId: 'consumer-key', auth: { kind: 'client_credentials', clientSecret: 'env:COSELL_TEST_SF_SECRET' } }));

  it('a 302 from the instance to another origin is refused: the session is not sent there', async () => {
    const org = await startOrg((_req, res) => redirect(res, 302, `${other.url}/services/data/v62.0/query?q=SELECT+Id+FROM+Opportunity`));
    try {
      await assert.rejects(clientFor(org.url).query('SELECT Id FROM Opportunity'), CredentialOriginError);
      assert.equal(other.received.length, 0, `the other origin heard: ${other.heard()}`);
    } finally {
      await org.close();
    }
  });

  it('a redirect of the sign-in to another origin is refused: nothing reaches it', async () => {
    const login = await startRecorder((_req, res) => redirect(res, 307, `${other.url}/services/oauth2/token`));
    try {
      await assert.rejects(clientFor(login.url).query('SELECT Id FROM Opportunity'), CredentialOriginError);
      assert.equal(login.received.length, 1);
      assert.equal(other.received.length, 0, `the other origin heard: ${other.heard()}`);
    } finally {
      await login.close();
    }
  });

  it('a redirect within the instance\'s origin is followed with the session, as before', async () => {
    const org = await startOrg((req, res, self) => {
      if (req.url.startsWith('/moved/')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ totalSize: 0, done: true, records: [] }));
        return;
      }
      redirect(res, 302, `${self}/moved/query`);
    });
    try {
      const page = await clientFor(org.url).query('SELECT Id FROM Opportunity');
      assert.equal(page.totalSize, 0);
      const moved = org.received.find((r) => r.url === '/moved/query');
      assert.equal(moved?.headers.authorization, `Bearer ${SF_SESSION}`);
    } finally {
      await org.close();
    }
  });
});
