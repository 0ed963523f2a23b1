/**
 * A client secret or password goes over plain http only when it is a sandbox's (config/secret-transport.ts).
 * The endpoint policy allows a loopback http token endpoint, for the sandboxes; until 2026-12-06 a config
 * edited to point one there sent the real secret in clear to whatever local user listened on the port: the
 * Dataverse app secret, the Salesforce connected-app secret, the Graph app secret, the scripted Partner
 * Center client secret and password, the dashboard's app secret. Each is now refused before anything is sent,
 * naming the key, the endpoint and the rule; a sandbox's own secret still goes to the sandbox.
 */
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { isSandboxSecret, refuseSecretInClear } from '../../config/secret-transport.js';
import { createDynamicsAdapter } from '../../connectors/dynamics/index.js';
import { tokenProviderFor } from '../../connectors/partner-center/auth/login.js';
import { parsePartnerCenterOptions } from '../../connectors/partner-center/config.js';
import { createSalesforceAdapter } from '../../connectors/salesforce/index.js';
import { mountSignIn } from '../../core/dashboard/sign-in.js';
import { ConfigError } from '../../core/errors.js';
import { silentLogger } from '../../core/logger.js';
import { senderFor } from '../../core/notify/after-run.js';
import { startEntraSandbox, SANDBOX_APPS, type EntraSandbox } from '../../sandbox/entra/index.js';
import { startRecorder, type Recorder } from '../helpers/recorder.js';

const REAL = 'Xq8~realEntraSecretNotASandboxOne.9aZ';

/** The rule, the key and the endpoint are named; the secret is not. */
function refusedNaming(key: string, endpoint: string) {
  return (error: unknown) => {
    assert.ok(error instanceof ConfigError, String(error));
    assert.equal(error.path, key);
    assert.ok(error.message.includes(endpoint), error.message);
    assert.match(error.message, /over plain http a secret goes only to a sandbox/);
    assert.ok(!error.message.includes(REAL), 'never the secret itself');
    return true;
  };
}

describe('client secrets and passwords over plain http', function () {
  this.timeout(30_000);
  let entra: EntraSandbox;
  let listener: Recorder;
  /** msal's metadata with the token endpoint moved to the local listener, as an edited config says. */
  let elsewhere: string;
  let tokenEndpoint: string;
  beforeEach(async () => {
    entra = await startEntraSandbox();
    listener = await startRecorder();
    tokenEndpoint = `${listener.url}/t/oauth2/v2.0/token`;
    elsewhere = JSON.stringify({ ...JSON.parse(entra.authorityMetadata), token_endpoint: tokenEndpoint });
  });
  afterEach(async () => {
    await listener.close();
    await entra.close();
  });
  const heardNothing = () => assert.ok(!listener.heard().includes(REAL) && listener.received.length === 0, `the listener heard: ${listener.heard()}`);

  it('Dataverse: the app secret is not sent to a loopback http token endpoint', async () => {
    const adapter = createDynamicsAdapter(
      { environmentUrl: listener.url, tenantId: 't', authority: entra.authority, authorityMetadata: elsewhere, clientId: SANDBOX_APPS.dataverse.clientId, clientSecret: 'env:UNUSED' },
      { resolveSecret: async () => REAL, sleep: async () => {} },
    );
    await assert.rejects(adapter.listStages(), refusedNaming('crm > dynamics > clientSecret', tokenEndpoint));
    heardNothing();
  });

  it('Salesforce: the connected-app secret is not sent to a loopback http login URL', async () => {
    const adapter = createSalesforceAdapter(
      { loginUrl: listener.url, clientId: '3MVG9test', auth: { kind: 'client_credentials', clientSecret: 'env:UNUSED' } },
      { resolveSecret: async () => REAL, sleep: () => Promise.resolve() },
    );
    await assert.rejects(adapter.listStages(), refusedNaming('crm > salesforce > auth > clientSecret', listener.url));
    heardNothing();
  });

  it('Graph notifications: the app secret is not sent to a loopback http token endpoint', async () => {
    process.env.COSELL_TEST_GRAPH_SECRET = REAL;
    try {
      const graph = { authority: entra.authority, authorityMetadata: elsewhere, clientId: SANDBOX_APPS.dashboard.clientId, clientSecret: 'env:COSELL_TEST_GRAPH_SECRET', baseUrl: listener.url };
      const send = async () => (await senderFor({ graph } as Parameters<typeof senderFor>[0])).sendMail('notify@contoso.example', ['admin@contoso.example'], 'subject', '<p>body</p>');
      await assert.rejects(send(), refusedNaming('notifications > graph > clientSecret', tokenEndpoint));
    } finally {
      delete process.env.COSELL_TEST_GRAPH_SECRET;
    }
    heardNothing();
  });

  it('Partner Center scripted sign-in: neither the client secret nor the password is sent to a loopback http token endpoint', async () => {
    const options = parsePartnerCenterOptions({ clientId: SANDBOX_APPS.scripted.clientId, authority: entra.authority, authorityMetadata: elsewhere, authMode: 'password' });
    const env = { COSELL_PC_USERNAME: 'ci@contoso-partner.example', COSELL_PC_PASSWORD: REAL, COSELL_PC_CLIENT_SECRET: 'sandbox-scripted-secret' };
    await assert.rejects(async () => tokenProviderFor(options, env).getAccessToken(), refusedNaming('env > COSELL_PC_PASSWORD', tokenEndpoint));
    await assert.rejects(async () => tokenProviderFor(options, { ...env, COSELL_PC_PASSWORD: 'Sandbox-Admin-1', COSELL_PC_CLIENT_SECRET: REAL }).getAccessToken(), refusedNaming('env > COSELL_PC_CLIENT_SECRET', tokenEndpoint));
    heardNothing();
  });

  it("the dashboard's sign-in does not start with an app secret bound for a loopback http token endpoint", async () => {
    const app = Fastify();
    const signIn = { authority: entra.authority, authorityMetadata: elsewhere, clientId: SANDBOX_APPS.dashboard.clientId, clientSecret: 'env:UNUSED', redirectUri: 'http://127.0.0.1/auth/callback', adminUsers: [], adminGroup: undefined };
    const context = { config: { signIn }, resolveSecret: async () => REAL, logger: silentLogger() } as unknown as Parameters<typeof mountSignIn>[1];
    mountSignIn(app, context, {} as Parameters<typeof mountSignIn>[2], { path: '/', secure: false } as Parameters<typeof mountSignIn>[3]);
    // The secret would go to the token endpoint at the callback; the client is made (and refused) at the start.
    const started = await app.inject({ method: 'GET', url: '/auth/sign-in' });
    assert.notEqual(started.statusCode, 302, 'no sign-in is started toward Entra ID');
    assert.match(started.body, /dashboard > signIn > clientSecret/);
    await app.close();
    heardNothing();
  });

  it("a sandbox's own secret still goes to the sandbox over http, and any secret over https", () => {
    const sandbox = { key: 'crm > dynamics > authorityMetadata > token_endpoint', url: entra.tokenEndpoint };
    assert.doesNotThrow(() => refuseSecretInClear('crm > dynamics > clientSecret', sandbox, SANDBOX_APPS.dataverse.clientSecret));
    assert.doesNotThrow(() => refuseSecretInClear('crm > dynamics > clientSecret', { key: 'crm > dynamics > authority', url: 'https://login.microsoftonline.com/t' }, REAL));
    assert.throws(() => refuseSecretInClear('crm > dynamics > clientSecret', sandbox, REAL), refusedNaming('crm > dynamics > clientSecret', entra.tokenEndpoint));
    assert.deepEqual(['sandbox-dataverse-secret', 'Sandbox-Admin-1', REAL, 'my-sandbox-secret'].map(isSandboxSecret), [true, true, false, false]);
    // An endpoint that does not parse as a URL is refused too (it was let through: fail open).
    assert.throws(() => refuseSecretInClear('crm > dynamics > clientSecret', { key: 'crm > dynamics > authorityMetadata > token_endpoint', url: 'http//127.0.0.1:9/token' }, REAL), /is not sent to/);
  });
});
