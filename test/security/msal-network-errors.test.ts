/**
 * What a user reads when the token endpoint answers something msal cannot use: a redirect (refused, never
 * followed), or an HTML page from a proxy. The network client's own words must reach Dynamics' and Partner
 * Center's messages (msal-common's AuthError takes (errorCode, correlationId, errorMessage): text given as
 * the second argument was dropped for msal's generic "See https://aka.ms/msal.js.errors#network_error").
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { noRedirectNetworkClient } from '../../core/http/msal-network.js';
import { toConnectorError } from '../../connectors/dynamics/errors.js';
import { tokenFailure } from '../../connectors/partner-center/auth/token-provider.js';
import { ConnectorError } from '../../core/errors.js';

const SECRET = 'client_secret=never-shown-3f9a';

/** Answers by path as a redirecting host, a failing proxy (HTML) and Entra ID refusing credentials do. */
function answer(path: string): { status: number; headers: Record<string, string>; body: string } {
  if (path === '/redirect') return { status: 307, headers: { location: 'https://elsewhere.example/token' }, body: '' };
  const status = Number(/^\/html(\d{3})$/.exec(path)?.[1] ?? 0);
  if (status) return { status, headers: { 'content-type': 'text/html' }, body: '<html><body>Bad gateway</body></html>' };
  return { status: 400, headers: { 'content-type': 'application/json' }, body: '{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."}' };
}

async function failureOf(url: string): Promise<unknown> {
  try {
    await noRedirectNetworkClient().sendPostRequestAsync(url, { body: SECRET });
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('msal network client: what a refused or unreadable token answer tells the user', () => {
  let server: Server;
  let base = '';
  before(async () => {
    server = createServer((req, res) => {
      const { status, headers, body } = answer(req.url ?? '/');
      req.resume().on('end', () => res.writeHead(status, headers).end(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  it('a 307 reads as a refused redirect in Dynamics and Partner Center messages, with no secret', async () => {
    const error = await failureOf(`${base}/redirect`);
    assert.equal((error as { errorCode?: string }).errorCode, 'network_error');
    const dynamics = toConnectorError(error, 'reading opportunities');
    assert.equal(dynamics.code, 'entra_unreachable');
    assert.match(dynamics.message, /answered 307 with a redirect, which is not followed/);
    const partnerCenter = tokenFailure(error, 'sign in again');
    assert.match(partnerCenter.message, /answered 307 with a redirect, which is not followed/);
    for (const text of [dynamics.message, partnerCenter.message]) {
      assert.ok(!text.includes('never-shown'), text);
      assert.ok(!text.includes('aka.ms/msal.js.errors'), text);
    }
  });

  for (const status of [502, 503, 504, 408, 429]) {
    it(`an HTML ${status} (a proxy or an outage) reads as unavailable and retryable, not as refused credentials`, async () => {
      const dynamics = toConnectorError(await failureOf(`${base}/html${status}`), 'reading opportunities');
      assert.ok(dynamics instanceof ConnectorError);
      assert.notEqual(dynamics.code, 'auth_failed', dynamics.message);
      assert.equal(dynamics.retryable, true, dynamics.message);
      assert.match(dynamics.message, new RegExp(`answered ${status}`));
      assert.equal(tokenFailure(await failureOf(`${base}/html${status}`), 'sign in again').retryable, true);
    });
  }

  it('a 4xx JSON error stays msal\'s to read, and an HTML 4xx stays a parse failure', async () => {
    const refused = await noRedirectNetworkClient().sendPostRequestAsync<{ error: string }>(`${base}/json`, { body: SECRET });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error, 'invalid_client');
    const unreadable = await failureOf(`${base}/html404`);
    assert.equal((unreadable as { errorCode?: string }).errorCode, 'token_parsing_error');
    assert.match(String((unreadable as Error).message), /answered 404/);
  });
});
