/**
 * The Entra sandbox's authorization code flow with PKCE, as the Microsoft identity platform documents it:
 * the authorize page, the redirect with code and state, the single-use code, the S256 verifier check and
 * the documented error shapes; and msal-node's own auth-code flow (getAuthCodeUrl / acquireTokenByCode)
 * against it.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { ConfidentialClientApplication, CryptoProvider } from '@azure/msal-node';
import { startEntraSandbox, SANDBOX_APPS, SANDBOX_USERS, type EntraSandbox } from '../../sandbox/entra/index.js';
import { DASHBOARD_ADMINS_GROUP } from '../../sandbox/entra/seed.js';

const APP = SANDBOX_APPS.dashboard;
const REDIRECT = 'http://127.0.0.1:4999/auth/callback';

describe('Entra ID sandbox: authorization code flow with PKCE', () => {
  let entra: EntraSandbox;
  const authorize = () => `${entra.url}/${entra.tenantId}/oauth2/v2.0/authorize`;
  const token = (form: Record<string, string>) =>
    fetch(entra.tokenEndpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });

  /** Opens the sign-in page and signs in; returns where the browser is sent back to. */
  async function signIn(params: Record<string, string>, username: string = SANDBOX_USERS.admin.username, password: string = SANDBOX_USERS.admin.password): Promise<URL> {
    const page = await fetch(`${authorize()}?${new URLSearchParams(params)}`);
    assert.equal(page.status, 200);
    const requestId = /name="request_id" value="([^"]+)"/.exec(await page.text())?.[1];
    assert.ok(requestId);
    const back = await fetch(authorize(), { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ request_id: requestId, username, password }) });
    assert.equal(back.status, 302);
    return new URL(back.headers.get('location')!);
  }

  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const base = () => ({ client_id: APP.clientId, response_type: 'code', redirect_uri: REDIRECT, scope: 'openid profile User.Read', state: 'st-1', code_challenge: challenge, code_challenge_method: 'S256' });

  before(async () => {
    entra = await startEntraSandbox();
  });
  after(async () => entra.close());

  it('redirects with code and state, and redeems the code once with the right verifier', async () => {
    const back = await signIn(base());
    assert.equal(`${back.origin}${back.pathname}`, REDIRECT);
    assert.equal(back.searchParams.get('state'), 'st-1');
    const code = back.searchParams.get('code')!;
    const form = { client_id: APP.clientId, client_secret: APP.clientSecret, grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier, scope: 'openid profile User.Read' };
    const wrong = await token({ ...form, code_verifier: randomBytes(32).toString('base64url') });
    assert.equal(wrong.status, 400);
    const wrongBody = (await wrong.json()) as { error: string; error_description: string; error_codes: number[] };
    assert.equal(wrongBody.error, 'invalid_grant');
    assert.deepEqual(wrongBody.error_codes, [501481]);
    assert.match(wrongBody.error_description, /^AADSTS501481: /);

    const ok = await token(form);
    assert.equal(ok.status, 200);
    const tokens = (await ok.json()) as { access_token: string; id_token: string; token_type: string };
    assert.equal(tokens.token_type, 'Bearer');
    const claims = JSON.parse(Buffer.from(tokens.id_token.split('.')[1]!, 'base64url').toString()) as { preferred_username: string; groups?: string[]; aud: string };
    assert.equal(claims.preferred_username, SANDBOX_USERS.admin.username);
    assert.equal(claims.aud, APP.clientId);
    assert.deepEqual(claims.groups, [DASHBOARD_ADMINS_GROUP]);
    assert.equal(entra.signer.verify(tokens.access_token, 'https://graph.microsoft.com', Math.floor(Date.now() / 1000)).ok, true, 'User.Read is a Graph scope');

    const again = await token(form);
    assert.equal(again.status, 400);
    assert.deepEqual(((await again.json()) as { error_codes: number[] }).error_codes, [54005], 'a code is redeemed once');
  });

  it('refuses a redemption without the verifier when the request carried a challenge', async () => {
    const code = (await signIn(base())).searchParams.get('code')!;
    const response = await token({ client_id: APP.clientId, client_secret: APP.clientSecret, grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    assert.equal(response.status, 400);
    assert.match(((await response.json()) as { error_description: string }).error_description, /code_verifier/);
  });

  it('shows an unknown client and an unregistered redirect URI on the page, never redirecting to them', async () => {
    const unknown = await fetch(`${authorize()}?${new URLSearchParams({ ...base(), client_id: 'nobody' })}`, { redirect: 'manual' });
    assert.equal(unknown.status, 400);
    assert.match(await unknown.text(), /AADSTS700016/);
    const elsewhere = await fetch(`${authorize()}?${new URLSearchParams({ ...base(), redirect_uri: 'https://evil.example/auth/callback' })}`, { redirect: 'manual' });
    assert.equal(elsewhere.status, 400);
    assert.match(await elsewhere.text(), /AADSTS50011/);
  });

  it('sends a bad response_type back to the app as error, error_description and state', async () => {
    const back = await fetch(`${authorize()}?${new URLSearchParams({ ...base(), response_type: 'token' })}`, { redirect: 'manual' });
    assert.equal(back.status, 302);
    const location = new URL(back.headers.get('location')!);
    assert.equal(location.searchParams.get('error'), 'unsupported_response_type');
    assert.match(location.searchParams.get('error_description') ?? '', /^AADSTS70005/);
    assert.equal(location.searchParams.get('state'), 'st-1');
  });

  it('keeps the sign-in page on a wrong password', async () => {
    const page = await fetch(`${authorize()}?${new URLSearchParams(base())}`);
    const requestId = /name="request_id" value="([^"]+)"/.exec(await page.text())![1]!;
    const again = await fetch(authorize(), { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ request_id: requestId, username: SANDBOX_USERS.admin.username, password: 'wrong' }) });
    assert.equal(again.status, 401);
    assert.match(await again.text(), /account or password is incorrect/);
  });

  it('works with msal-node\'s auth-code flow with PKCE (getAuthCodeUrl, acquireTokenByCode)', async () => {
    const cca = new ConfidentialClientApplication({ auth: { clientId: APP.clientId, clientSecret: APP.clientSecret, authority: entra.authority, authorityMetadata: entra.authorityMetadata } });
    const pkce = await new CryptoProvider().generatePkceCodes();
    const url = new URL(await cca.getAuthCodeUrl({ scopes: ['User.Read'], redirectUri: REDIRECT, codeChallenge: pkce.challenge, codeChallengeMethod: 'S256', state: 'msal-state' }));
    assert.equal(`${url.origin}${url.pathname}`, authorize(), 'msal sends the browser to the sandbox authorize endpoint');
    const back = await signIn(Object.fromEntries(url.searchParams), SANDBOX_USERS.seller.username, SANDBOX_USERS.seller.password);
    const result = await cca.acquireTokenByCode({ code: back.searchParams.get('code')!, scopes: ['User.Read'], redirectUri: REDIRECT, codeVerifier: pkce.verifier });
    assert.equal(result.account?.username, SANDBOX_USERS.seller.username);
    assert.equal(result.account?.name, 'Sam Seller');
  });
});
