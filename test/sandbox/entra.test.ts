/**
 * The Entra ID sandbox against the real msal-node: client credentials (Dataverse application user),
 * device code then silent refresh (Partner Center App+User), revoked refresh tokens, and the v1 form
 * that Partner Center's authentication page documents.
 */
import assert from 'node:assert/strict';
import { ConfidentialClientApplication, PublicClientApplication, InteractionRequiredAuthError } from '@azure/msal-node';
import { startEntraSandbox, SANDBOX_APPS, SANDBOX_USERS, type EntraSandbox } from '../../sandbox/entra/index.js';

describe('Entra ID sandbox', () => {
  let entra: EntraSandbox;
  before(async () => {
    entra = await startEntraSandbox();
  });
  after(async () => entra.close());

  it('issues an app token to msal-node client credentials through authorityMetadata, and it verifies for its audience only', async () => {
    const cca = new ConfidentialClientApplication({
      auth: {
        clientId: SANDBOX_APPS.dataverse.clientId,
        clientSecret: SANDBOX_APPS.dataverse.clientSecret,
        authority: entra.authority,
        authorityMetadata: entra.authorityMetadata,
      },
    });
    const result = await cca.acquireTokenByClientCredential({ scopes: ['https://contoso.crm.dynamics.com/.default'] });
    assert.ok(result?.accessToken);
    const now = Math.floor(Date.now() / 1000);
    const verified = entra.signer.verify(result.accessToken, 'https://contoso.crm.dynamics.com', now);
    assert.equal(verified.ok, true);
    assert.equal(verified.ok && verified.claims.idtyp, 'app');
    const wrong = entra.signer.verify(result.accessToken, 'https://api.partner.microsoft.com', now);
    assert.equal(wrong.ok, false);
  });

  it('refuses a wrong client secret with an AADSTS error that msal surfaces', async () => {
    const cca = new ConfidentialClientApplication({
      auth: { clientId: SANDBOX_APPS.dataverse.clientId, clientSecret: 'wrong', authority: entra.authority, authorityMetadata: entra.authorityMetadata },
    });
    await assert.rejects(cca.acquireTokenByClientCredential({ scopes: ['https://other.crm.dynamics.com/.default'] }), (error: Error & { errorCode?: string }) => {
      assert.equal(error.errorCode, 'invalid_client');
      assert.match(error.message, /7000215/);
      return true;
    });
  });

  it('signs in by device code, then refreshes silently, and reports revocation as interaction required', async () => {
    const pca = new PublicClientApplication({
      auth: { clientId: SANDBOX_APPS.cli.clientId, authority: entra.authority, authorityMetadata: entra.authorityMetadata },
    });
    const scopes = ['https://api.partner.microsoft.com/.default'];
    const result = await pca.acquireTokenByDeviceCode({
      scopes,
      deviceCodeCallback: (response) => {
        assert.ok(entra.approveDeviceCode(response.userCode, SANDBOX_USERS.admin.username));
      },
    });
    assert.ok(result?.account);
    assert.equal(result.account.username, SANDBOX_USERS.admin.username);
    const claims = entra.signer.verify(result.accessToken, 'https://api.partner.microsoft.com', Math.floor(Date.now() / 1000));
    assert.equal(claims.ok && claims.claims.idtyp, 'user');

    const refreshed = await pca.acquireTokenSilent({ account: result.account, scopes, forceRefresh: true });
    assert.equal(refreshed.fromCache, false);
    assert.notEqual(refreshed.accessToken, result.accessToken);

    // The refresh token used stays valid (Entra does not revoke it on use): a process that refreshed and died
    // before saving its cache leaves the older token working for the next one.
    const before = [...entra.state.refreshTokens.keys()];
    await pca.acquireTokenSilent({ account: result.account, scopes, forceRefresh: true });
    assert.ok(before.every((key) => entra.state.refreshTokens.has(key)), 'no refresh token was revoked by being used');

    entra.state.revoke(SANDBOX_USERS.admin.username);
    await assert.rejects(pca.acquireTokenSilent({ account: result.account, scopes, forceRefresh: true }), (error: Error) => {
      assert.ok(error instanceof InteractionRequiredAuthError, `expected InteractionRequiredAuthError, got ${error.name}`);
      assert.match(error.message, /50173/);
      return true;
    });
  });

  it('answers the v1 password grant documented for Partner Center with string-typed numbers', async () => {
    const form = new URLSearchParams({
      resource: 'https://api.partner.microsoft.com',
      grant_type: 'password',
      scope: 'openid',
      client_id: SANDBOX_APPS.scripted.clientId,
      client_secret: SANDBOX_APPS.scripted.clientSecret,
      username: SANDBOX_USERS.seller.username,
      password: SANDBOX_USERS.seller.password,
    });
    const response = await fetch(`${entra.url}/common/oauth2/token`, { method: 'POST', body: form });
    assert.equal(response.status, 200);
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, '3599');
    assert.equal(body.resource, 'https://api.partner.microsoft.com');
  });

  it('answers a refresh token past its 90 days with AADSTS700082 every time it is sent, never as revoked', async () => {
    const own = await startEntraSandbox();
    try {
      const grant = (form: Record<string, string>) =>
        fetch(`${own.url}/common/oauth2/token`, { method: 'POST', body: new URLSearchParams({ resource: 'https://api.partner.microsoft.com', client_id: SANDBOX_APPS.scripted.clientId, client_secret: SANDBOX_APPS.scripted.clientSecret, ...form }) });
      const signedIn = (await (await grant({ grant_type: 'password', username: SANDBOX_USERS.admin.username, password: SANDBOX_USERS.admin.password })).json()) as { refresh_token: string };
      own.state.clock.advance(91 * 86_400_000);
      for (const attempt of [1, 2]) {
        const response = await grant({ grant_type: 'refresh_token', refresh_token: signedIn.refresh_token });
        const body = (await response.json()) as { error: string; error_codes: number[]; error_description: string };
        assert.equal(response.status, 400, `attempt ${attempt}`);
        assert.deepEqual([body.error, body.error_codes], ['invalid_grant', [700082]], `attempt ${attempt}: ${body.error_description}`);
        assert.match(body.error_description, /^AADSTS700082: The refresh token has expired due to inactivity\. The token was issued on \d{4}-\d\d-\d\dT[\d:]+\.\d{7}Z and was inactive for 90\.00:00:00\./);
      }
    } finally {
      await own.close();
    }
  });

  it('refuses client credentials for a delegated scope with AADSTS1002012 naming the scope, as Entra ID does', async () => {
    // A daemon that copies a delegated scope (".../user_impersonation") into a client-credentials request:
    // Entra ID answers 400 invalid_scope, "The provided value for scope <scope> is not valid. Client credential
    // flows must have a scope value with /.default suffixed to the resource identifier (application ID URI)."
    for (const scope of ['https://api.partner.microsoft.com/user_impersonation', 'openid profile']) {
      const response = await fetch(entra.tokenEndpoint, {
        method: 'POST',
        body: new URLSearchParams({ client_id: SANDBOX_APPS.dataverse.clientId, client_secret: SANDBOX_APPS.dataverse.clientSecret, grant_type: 'client_credentials', scope }),
      });
      assert.equal(response.status, 400, scope);
      const body = (await response.json()) as { error: string; error_codes: number[]; error_description: string };
      assert.deepEqual([body.error, body.error_codes], ['invalid_scope', [1002012]], scope);
      assert.ok(
        body.error_description.startsWith(`AADSTS1002012: The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`),
        body.error_description,
      );
    }
  });

  it('answers a GET of the token endpoint (a URL pasted into a browser) with AADSTS900561 in Entra ID error shape', async () => {
    for (const url of [entra.tokenEndpoint, entra.tokenEndpoint.replace('/oauth2/v2.0/token', '/oauth2/token')]) {
      const response = await fetch(url);
      assert.equal(response.status, 400, url);
      const body = (await response.json()) as { error: string; error_codes: number[]; error_description: string };
      assert.deepEqual([body.error, body.error_codes], ['invalid_request', [900561]], url);
      assert.match(body.error_description, /^AADSTS900561: The endpoint only accepts POST requests\. Received a GET request\.\r\nTrace ID: /);
    }
  });

  it('answers an unknown grant type in Entra ID error shape', async () => {
    const response = await fetch(entra.tokenEndpoint, { method: 'POST', body: new URLSearchParams({ client_id: SANDBOX_APPS.cli.clientId, grant_type: 'magic' }) });
    assert.equal(response.status, 400);
    const body = (await response.json()) as { error: string; error_codes: number[]; error_description: string };
    assert.equal(body.error, 'unsupported_grant_type');
    assert.deepEqual(body.error_codes, [70003]);
    assert.match(body.error_description, /^AADSTS70003:/);
  });
});
