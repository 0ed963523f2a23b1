/**
 * The config `cosell sandbox --write-config` writes lets an admin try the dashboard's sign-in and the
 * notifications against the Entra and Graph sandboxes, unchanged: it validates (schema and outbound
 * endpoint policy), the dashboard's app signs the admin in through the auth-code flow with PKCE at the
 * redirect URI written, and the notifications app sends mail through the Graph sandbox.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfidentialClientApplication, CryptoProvider } from '@azure/msal-node';
import { stringify } from 'yaml';
import { loadConfig } from '../../config/load.js';
import { isAdmin } from '../../core/dashboard/sign-in.js';
import { senderFor } from '../../core/notify/after-run.js';
import { SANDBOX_USERS } from '../../sandbox/entra/index.js';
import { SANDBOX_DEALS_MAILBOX } from '../../sandbox/graph/index.js';
import type { SentItem } from '../../sandbox/graph/wire.js';
import { startSandboxSet, type SandboxSet } from '../../sandbox/launch.js';

describe('sandbox config: dashboard sign-in and notifications work as written', function () {
  this.timeout(60_000);
  let set: SandboxSet;
  let dir: string;
  let file: string;

  before(async () => {
    set = await startSandboxSet({ seed: false });
    dir = mkdtempSync(join(tmpdir(), 'cosell-sandbox-people-'));
    file = join(dir, 'cosell.config.yaml');
    writeFileSync(file, stringify(set.configFor('dynamics', join(dir, '.state'), { dashboardAndNotifications: true })));
  });
  after(async () => {
    await set.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs the sandbox admin in to the dashboard with the written app, secret file and redirect URI', async () => {
    const config = loadConfig(file);
    const signIn = config.dashboard?.signIn;
    assert.ok(signIn, 'the config has dashboard.signIn');
    assert.match(signIn.clientSecret, /^file:/, 'the secret is a reference, never a value in the config');
    assert.match(signIn.redirectUri, /^http:\/\/127\.0\.0\.1:8080\/auth\/callback$/);
    const clientSecret = readFileSync(signIn.clientSecret.slice('file:'.length), 'utf8');
    const msal = new ConfidentialClientApplication({ auth: { clientId: signIn.clientId, clientSecret, authority: signIn.authority, authorityMetadata: signIn.authorityMetadata! } });
    const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
    const authorizeUrl = await msal.getAuthCodeUrl({ scopes: ['User.Read'], redirectUri: signIn.redirectUri, codeChallenge: challenge, codeChallengeMethod: 'S256', state: 's1' });
    const form = await fetch(authorizeUrl);
    const page = await form.text();
    assert.equal(form.status, 200, page);
    const requestId = /name="request_id" value="([^"]+)"/.exec(page)?.[1];
    assert.ok(requestId, 'the sign-in form, not an AADSTS error page');
    const admin = SANDBOX_USERS.admin;
    const back = await fetch(authorizeUrl, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ request_id: requestId, username: admin.username, password: admin.password }) });
    assert.equal(back.status, 302);
    const callback = new URL(back.headers.get('location')!);
    assert.equal(`${callback.origin}${callback.pathname}`, signIn.redirectUri);
    const result = await msal.acquireTokenByCode({ code: callback.searchParams.get('code')!, scopes: ['User.Read'], redirectUri: signIn.redirectUri, codeVerifier: verifier });
    assert.equal(result.account?.username, admin.username);
    assert.ok(isAdmin(signIn, result.account!.username, []), 'the sandbox admin is a dashboard admin');
  });

  it('sends a notification through the Graph sandbox with the written app', async () => {
    const config = loadConfig(file);
    const notifications = config.notifications;
    assert.ok(notifications, 'the config has notifications');
    assert.deepEqual(notifications.admins, [SANDBOX_USERS.admin.username]);
    assert.equal(notifications.mailbox, SANDBOX_DEALS_MAILBOX, 'seller notices of deals with none of our people on the team have somewhere to go');
    const sender = await senderFor(notifications);
    await sender.sendMail(notifications.from, notifications.admins, 'Sandbox config check', '<p>hello</p>');
    const sent = ((await (await fetch(`${set.graph.controls}/sent`)).json()) as { value: SentItem[] }).value;
    assert.equal(sent.length, 1);
    assert.equal(sent[0]!.from, notifications.from);
  });
});
