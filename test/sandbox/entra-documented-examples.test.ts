/**
 * Requests copied from the Microsoft identity platform documentation, sent unchanged (host substituted),
 * and the answers it documents. Raw HTTP, so the wire is checked rather than msal-node's reading of it.
 */
import assert from 'node:assert/strict';
import { startEntraSandbox, SANDBOX_APPS, type EntraSandbox } from '../../sandbox/entra/index.js';

describe('Entra ID sandbox answers the documented examples', () => {
  let entra: EntraSandbox;
  before(async () => {
    entra = await startEntraSandbox();
  });
  after(async () => entra.close());

  const post = (tenant: string, endpoint: string, form: Record<string, string>) =>
    fetch(`${entra.url}/${tenant}/oauth2/v2.0/${endpoint}`, { method: 'POST', body: new URLSearchParams(form) });
  // https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow (first case: shared secret)
  const clientCredentials = (secret: string) => ({ client_id: SANDBOX_APPS.dataverse.clientId, scope: 'https://graph.microsoft.com/.default', client_secret: secret, grant_type: 'client_credentials' });

  // https://learn.microsoft.com/entra/identity-platform/reference-error-codes ("Handling error codes in your application"):
  // "error_description": "AADSTS70011: … \r\nTrace ID: 0000aaaa-…\r\nCorrelation ID: aaaa0000-…\r\nTimestamp: 2016-01-09 02:02:12Z",
  // "error_codes": [70011], "timestamp": "2016-01-09 02:02:12Z", "trace_id": "0000aaaa-…", "correlation_id": "aaaa0000-…",
  // "error_uri": "https://login.microsoftonline.com/error?code=70011"
  it('errors carry the same trace and correlation IDs and timestamp in error_description as in their own members, and error_uri', async () => {
    const res = await post(entra.tenantId, 'token', clientCredentials('wrong'));
    assert.equal(res.status, 401);
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(body.error, 'invalid_client');
    assert.deepEqual(body.error_codes, [7000215]);
    assert.match(String(body.timestamp), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
    const description = String(body.error_description);
    assert.match(description, /^AADSTS7000215: /);
    assert.ok(description.includes(`\r\nTrace ID: ${String(body.trace_id)}\r\n`), description);
    assert.ok(description.includes(`\r\nCorrelation ID: ${String(body.correlation_id)}\r\n`), description);
    assert.ok(description.endsWith(`\r\nTimestamp: ${String(body.timestamp)}`), description);
    assert.equal(body.error_uri, 'https://login.microsoftonline.com/error?code=7000215');
  });

  // A tenant the cloud does not know: "AADSTS90002: Tenant '…' not found." (quoted in MSAL issues, e.g.
  // AzureAD/microsoft-authentication-library-for-dotnet#1270), never a token.
  it('refuses a tenant it does not know with AADSTS90002, for the token and device code endpoints', async () => {
    const stranger = '11111111-2222-3333-4444-555555555555';
    for (const res of [
      await post(stranger, 'token', clientCredentials(SANDBOX_APPS.dataverse.clientSecret!)),
      await post(stranger, 'devicecode', { client_id: SANDBOX_APPS.cli.clientId, scope: 'user.read openid profile' }),
      await post('nowhere.example', 'token', clientCredentials(SANDBOX_APPS.dataverse.clientSecret!)),
    ]) {
      assert.equal(res.status, 400);
      const body = (await res.json()) as { error: string; error_codes: number[]; error_description: string };
      assert.equal(body.error, 'invalid_request');
      assert.deepEqual(body.error_codes, [90002]);
      assert.match(body.error_description, /^AADSTS90002: Tenant '[^']+' not found\./);
    }
  });

  it('still answers its own tenant by ID, by a domain of its users, and at common / organizations', async () => {
    for (const tenant of [entra.tenantId, 'contoso-partner.example', 'common', 'organizations']) {
      const res = await post(tenant, 'token', clientCredentials(SANDBOX_APPS.dataverse.clientSecret!));
      assert.equal(res.status, 200, tenant);
    }
  });
});
