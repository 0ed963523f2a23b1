/**
 * App+User sign-in for an unattended job, against the Entra ID and Partner Center sandboxes with the
 * real msal-node and axios: device code once (through the function `cosell login partner-center` calls),
 * then a fresh client instance that refreshes silently from the encrypted cache and calls the API, and
 * a revoked refresh token reported as an AuthError that says what to run. Also the scripted password
 * grant used by tests and CI.
 */
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AuthError, ConfigError } from '../../core/errors.js';
import {
  createPartnerCenterClient,
  deviceCodeProviderFor,
  loginPartnerCenter,
  LOGIN_COMMAND,
  parsePartnerCenterOptions,
  PasswordGrantTokenProvider,
  type DeviceCodePrompt,
} from '../../connectors/partner-center/index.js';
import { refreshTokenKey, SANDBOX_APPS, SANDBOX_USERS, startEntraSandbox, type EntraSandbox } from '../../sandbox/entra/index.js';
import { cacheKeyFromEnv, decryptCache } from '../../connectors/partner-center/auth/encrypted-cache.js';
import { startPartnerCenterSandbox, type PartnerCenterSandbox } from '../../sandbox/partner-center/index.js';
import { outboundReferral, tempDir } from '../helpers/partner-center-client.js';

const AUDIENCE = 'https://api.partner.microsoft.com';

describe('Partner Center client: App+User auth against the Entra sandbox', function () {
  this.timeout(20_000);
  let entra: EntraSandbox;
  let pc: PartnerCenterSandbox;
  let dir: string;
  let cleanup: () => Promise<void>;
  const env = { COSELL_TOKEN_KEY: Buffer.alloc(32, 42).toString('base64') };

  before(async () => {
    // Access tokens shorter than msal's 5-minute renewal margin: every silent call refreshes on the wire.
    entra = await startEntraSandbox({ settings: { accessTokenSeconds: 240 } });
    pc = await startPartnerCenterSandbox({ signer: entra.signer, seed: 'none' });
    ({ dir, cleanup } = await tempDir());
  });
  after(async () => {
    await pc.close();
    await entra.close();
    await cleanup();
  });

  const optionsFor = (cacheName: string) => ({
    baseUrl: pc.apiBaseUrl,
    clientId: SANDBOX_APPS.cli.clientId,
    authority: entra.authority,
    authorityMetadata: entra.authorityMetadata,
    tokenCachePath: join(dir, cacheName),
  });

  it('says to run the login command when nobody has signed in yet', async () => {
    const provider = deviceCodeProviderFor(parsePartnerCenterOptions(optionsFor('empty.json')), env);
    await assert.rejects(provider.getAccessToken(), (error: Error) => error instanceof AuthError && error.message.includes(LOGIN_COMMAND));
  });

  it('signs in by device code, stores the cache encrypted, refreshes silently in a fresh instance, and reports revocation', async () => {
    const prompts: DeviceCodePrompt[] = [];
    const login = await loginPartnerCenter(optionsFor('pc.json'), {
      env,
      onPrompt: (prompt) => {
        prompts.push(prompt);
        assert.ok(entra.approveDeviceCode(prompt.userCode, SANDBOX_USERS.admin.username));
      },
    });
    assert.equal(login.username, SANDBOX_USERS.admin.username);
    assert.equal(prompts.length, 1);
    assert.ok(prompts[0]?.message.includes(prompts[0].userCode) && prompts[0].message.includes(prompts[0].verificationUri), 'the message names the URL and the code');

    // The cache on disk holds none of its tokens in clear, and only its owner can read it.
    const onDisk = await readFile(login.tokenCachePath, 'utf8');
    const refreshTokens = [...entra.state.refreshTokens.keys()];
    assert.equal(refreshTokens.length, 1);
    const cache = JSON.parse(decryptCache(onDisk, cacheKeyFromEnv('COSELL_TOKEN_KEY', env), login.tokenCachePath)) as Record<string, Record<string, { secret?: string }>>;
    const secrets = ['AccessToken', 'RefreshToken', 'IdToken'].flatMap((kind) => Object.values(cache[kind] ?? {}).map((entry) => entry.secret as string));
    assert.equal(secrets.length, 3, 'the cache holds an access, a refresh and an id token');
    assert.ok(secrets.some((secret) => refreshTokenKey(secret) === refreshTokens[0]), 'the cached refresh token is the one Entra issued');
    for (const secret of secrets) assert.ok(!onDisk.includes(secret) && !onDisk.includes(secret.slice(0, 24)), 'a token in clear');
    assert.doesNotMatch(onDisk, /RefreshToken|AccessToken|"secret"/);
    assert.equal((await stat(login.tokenCachePath)).mode & 0o777, 0o600);

    // A later run: a new client with only the options, the file and the key, calling the API.
    const nextRun = createPartnerCenterClient(optionsFor('pc.json'), { env });
    const created = await nextRun.createIdempotent(outboundReferral('CRM-AUTH-1'));
    assert.equal(created.created, true);
    assert.equal((await nextRun.get(created.referral.referralId as string)).crmId, 'CRM-AUTH-1');
    const token = await deviceCodeProviderFor(parsePartnerCenterOptions(optionsFor('pc.json')), env).getAccessToken();
    const claims = entra.signer.verify(token, AUDIENCE, Math.floor(Date.now() / 1000));
    assert.ok(claims.ok && claims.claims.idtyp === 'user' && claims.claims.upn === SANDBOX_USERS.admin.username, 'an App+User token for the referrals API');
    assert.ok([...entra.state.refreshTokens.keys()].some((key) => !refreshTokens.includes(key)), 'a new refresh token came with the silent refresh');
    const rotatedOnDisk = await readFile(login.tokenCachePath, 'utf8');
    assert.notEqual(rotatedOnDisk, onDisk, 'the rotated refresh token was persisted');

    // The key matters: a run with another key cannot use the cache.
    const wrongKey = deviceCodeProviderFor(parsePartnerCenterOptions(optionsFor('pc.json')), { COSELL_TOKEN_KEY: 'some other passphrase' });
    await assert.rejects(wrongKey.getAccessToken(), (error: Error) => error instanceof AuthError && error.message.includes(LOGIN_COMMAND));

    // An admin revokes the sessions: the next run stops and says exactly what to run.
    entra.state.revoke(SANDBOX_USERS.admin.username);
    const afterRevocation = createPartnerCenterClient(optionsFor('pc.json'), { env });
    await assert.rejects(afterRevocation.findByExternalReferenceId('CRM-AUTH-1'), (error: Error) => {
      assert.ok(error instanceof AuthError, `expected AuthError, got ${error.name}: ${error.message}`);
      assert.ok(error.message.includes(`Run \`${LOGIN_COMMAND}\``), error.message);
      assert.equal(error.action, `Run \`${LOGIN_COMMAND}\``);
      return true;
    });
  });

  it('a sign-in with a new key replaces a session the old key encrypted (the key was lost or rotated), and keeps one account', async () => {
    const approve = (username: string) => (prompt: DeviceCodePrompt) => assert.ok(entra.approveDeviceCode(prompt.userCode, username));
    await loginPartnerCenter(optionsFor('rotated.json'), { env, onPrompt: approve(SANDBOX_USERS.admin.username) });
    const newKey = { COSELL_TOKEN_KEY: Buffer.alloc(32, 7).toString('base64') };
    // What the refused run says to do: sign in again with the key to keep. That sign-in read the old file and failed.
    const login = await loginPartnerCenter(optionsFor('rotated.json'), { env: newKey, onPrompt: approve(SANDBOX_USERS.admin.username) });
    assert.equal(login.username, SANDBOX_USERS.admin.username);
    const provider = deviceCodeProviderFor(parsePartnerCenterOptions(optionsFor('rotated.json')), newKey);
    assert.ok(await provider.getAccessToken(), 'the new key reads the new session');
    assert.equal((await provider.account())?.username, SANDBOX_USERS.admin.username);
    const cache = JSON.parse(decryptCache(await readFile(login.tokenCachePath, 'utf8'), cacheKeyFromEnv('COSELL_TOKEN_KEY', newKey), login.tokenCachePath)) as { Account: Record<string, unknown> };
    assert.equal(Object.keys(cache.Account).length, 1, 'one identity in the new session');
    await assert.rejects(deviceCodeProviderFor(parsePartnerCenterOptions(optionsFor('rotated.json')), env).getAccessToken(), AuthError, 'the old key no longer reads it');
    // Another person signs in with the same key: the session is theirs alone.
    await loginPartnerCenter(optionsFor('rotated.json'), { env: newKey, onPrompt: approve(SANDBOX_USERS.seller.username) });
    const again = deviceCodeProviderFor(parsePartnerCenterOptions(optionsFor('rotated.json')), newKey);
    assert.equal((await again.account())?.username, SANDBOX_USERS.seller.username);
    const accounts = JSON.parse(decryptCache(await readFile(login.tokenCachePath, 'utf8'), cacheKeyFromEnv('COSELL_TOKEN_KEY', newKey), login.tokenCachePath)) as { Account: Record<string, unknown> };
    assert.equal(Object.keys(accounts.Account).length, 1);
  });

  it('gets scripted App+User tokens by password grant for tests and CI, and refuses a wrong password with an AuthError', async () => {
    const scripted = (password: string) =>
      new PasswordGrantTokenProvider({
        clientId: SANDBOX_APPS.scripted.clientId,
        clientSecret: SANDBOX_APPS.scripted.clientSecret,
        authority: entra.authority,
        authorityMetadata: entra.authorityMetadata,
        scopes: [`${AUDIENCE}/.default`],
        username: SANDBOX_USERS.seller.username,
        password,
      });
    const token = await scripted(SANDBOX_USERS.seller.password).getAccessToken();
    const claims = entra.signer.verify(token, AUDIENCE, Math.floor(Date.now() / 1000));
    assert.ok(claims.ok && claims.claims.idtyp === 'user');
    await assert.rejects(scripted('wrong').getAccessToken(), AuthError);

    // The same through options alone (authMode "password"), credentials from the environment.
    const ci = createPartnerCenterClient(
      { ...optionsFor('unused.json'), clientId: SANDBOX_APPS.scripted.clientId, authMode: 'password' },
      { env: { COSELL_PC_USERNAME: SANDBOX_USERS.admin.username, COSELL_PC_PASSWORD: SANDBOX_USERS.admin.password, COSELL_PC_CLIENT_SECRET: SANDBOX_APPS.scripted.clientSecret } },
    );
    const pages = [];
    for await (const page of ci.list()) pages.push(page);
    assert.equal(pages.length, 1);
    assert.throws(() => createPartnerCenterClient({ ...optionsFor('unused.json'), authMode: 'password' }, { env: {} }), ConfigError);
  });
});
