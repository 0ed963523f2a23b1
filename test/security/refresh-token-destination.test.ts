/**
 * The Partner Center refresh token goes back only to the token endpoint that issued it. The sign-in is kept
 * for months and the config names the token endpoint; until 2026-12-06 an edit of `authorityMetadata`'s
 * `token_endpoint` to a loopback port (allowed as "a sandbox's") sent the stored refresh token there in
 * clear at the next run, to whatever local user listened on that port.
 */
import assert from 'node:assert/strict';
import { PublicClientApplication, type ICachePlugin } from '@azure/msal-node';
import { DeviceCodeTokenProvider } from '../../connectors/partner-center/auth/token-provider.js';
import { AuthError } from '../../core/errors.js';
import { startEntraSandbox, SANDBOX_APPS, SANDBOX_USERS, type EntraSandbox } from '../../sandbox/entra/index.js';
import { startRecorder, type Recorder } from '../helpers/recorder.js';

const SCOPES = ['https://api.partner.microsoft.com/.default'];

/** A cache kept in memory, as the encrypted file or a tenant's row keeps it. */
function memoryCache(): ICachePlugin {
  let stored: string | undefined;
  return {
    async beforeCacheAccess(context) {
      if (stored !== undefined) context.tokenCache.deserialize(stored);
    },
    async afterCacheAccess(context) {
      if (context.cacheHasChanged) stored = context.tokenCache.serialize();
    },
  };
}

describe('the Partner Center refresh token and its token endpoint', () => {
  let entra: EntraSandbox;
  let listener: Recorder;
  beforeEach(async () => {
    entra = await startEntraSandbox();
    listener = await startRecorder();
  });
  afterEach(async () => {
    await listener.close();
    await entra.close();
  });

  const provider = (cachePlugin: ICachePlugin, authorityMetadata: string) =>
    new DeviceCodeTokenProvider({ clientId: SANDBOX_APPS.cli.clientId, authority: entra.authority, authorityMetadata, scopes: SCOPES, cachePlugin });

  async function signIn(cachePlugin: ICachePlugin): Promise<void> {
    await provider(cachePlugin, entra.authorityMetadata).login((prompt) => assert.ok(entra.approveDeviceCode(prompt.userCode, SANDBOX_USERS.admin.username)));
  }

  it('is not sent to another token endpoint: the sign-in is refused, naming both and the login to run', async () => {
    const cache = memoryCache();
    await signIn(cache);
    const elsewhere = JSON.stringify({ ...JSON.parse(entra.authorityMetadata), token_endpoint: `${listener.url}/t/oauth2/v2.0/token` });
    await assert.rejects(provider(cache, elsewhere).getAccessToken({ forceRefresh: true }), (error: Error) => {
      assert.ok(error instanceof AuthError, `${error.name}: ${error.message}`);
      assert.ok(error.message.includes(listener.url) && error.message.includes(new URL(entra.tokenEndpoint).origin), error.message);
      assert.match(error.action ?? '', /cosell login partner-center/);
      return true;
    });
    assert.equal(listener.received.length, 0, `the listener heard: ${listener.heard()}`);
  });

  it('a session stored without its token endpoint (before 2026-12-06) is not sent over http', async () => {
    // Written as the older version wrote it: msal's sections alone. Where it was issued is not known, so it
    // goes only to an https endpoint, which the endpoint policy has judged; over http a real one would
    // travel in clear, and the edit that points there is the attack above.
    const cache = memoryCache();
    const older = new PublicClientApplication({ auth: { clientId: SANDBOX_APPS.cli.clientId, authority: entra.authority, authorityMetadata: entra.authorityMetadata }, cache: { cachePlugin: cache } });
    await older.acquireTokenByDeviceCode({ scopes: SCOPES, deviceCodeCallback: (response) => assert.ok(entra.approveDeviceCode(response.userCode, SANDBOX_USERS.admin.username)) });
    const elsewhere = JSON.stringify({ ...JSON.parse(entra.authorityMetadata), token_endpoint: `${listener.url}/t/oauth2/v2.0/token` });
    await assert.rejects(provider(cache, elsewhere).getAccessToken({ forceRefresh: true }), (error: Error) => error instanceof AuthError && /does not record which token endpoint issued it/.test(error.message));
    assert.equal(listener.received.length, 0, `the listener heard: ${listener.heard()}`);
  });

  it('is refreshed at the endpoint that issued it, and a new sign-in elsewhere is kept for that one', async () => {
    const cache = memoryCache();
    await signIn(cache);
    assert.ok(await provider(cache, entra.authorityMetadata).getAccessToken({ forceRefresh: true }));
    // The admin moves the sign-in on purpose: a new login at the new endpoint replaces the session.
    const other = await startEntraSandbox();
    try {
      const moved = new DeviceCodeTokenProvider({ clientId: SANDBOX_APPS.cli.clientId, authority: other.authority, authorityMetadata: other.authorityMetadata, scopes: SCOPES, cachePlugin: cache });
      await moved.login((prompt) => assert.ok(other.approveDeviceCode(prompt.userCode, SANDBOX_USERS.admin.username)));
      assert.ok(await moved.getAccessToken({ forceRefresh: true }));
      await assert.rejects(provider(cache, entra.authorityMetadata).getAccessToken({ forceRefresh: true }), AuthError);
    } finally {
      await other.close();
    }
  });
});
