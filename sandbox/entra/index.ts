/**
 * The Entra ID sandbox: a token service that msal-node reaches through `authorityMetadata` while keeping
 * the real https authority (msal refuses http authorities; wire-protocols.md §5.1–5.2).
 *
 * Controls (not part of Entra ID) live under `/_sandbox/entra/`:
 * - `GET  /_sandbox/entra/device`                 a sign-in page for device codes (what `verification_uri` opens);
 * - `POST /_sandbox/entra/device` {userCode, username, password?, decline?}  signs a device code in (or declines it);
 * - `POST /_sandbox/entra/revoke` {username}      revokes the user's refresh tokens ("Revoke sessions");
 * - `GET  /_sandbox/entra/users`                  lists the directory (no passwords);
 * - `PUT|DELETE /_sandbox/entra/faults`            faults on the token endpoints (faults.ts).
 */
import type { ServerResponse } from 'node:http';
import { SandboxClock } from '../common/clock.js';
import { listen, parseFormBody, parseJsonBody, Router, sendJson, type RunningServer, type SandboxRequest } from '../common/http.js';
import { Directory, type DirectorySeed } from './directory.js';
import { defaultDirectorySeed } from './seed.js';
import { loadEntraState, saveEntraState } from './persistence.js';
import { EntraState, mountEntraRoutes, type EntraSettings } from './server.js';
import { TokenSigner } from './tokens.js';
import { mountTokenFaults, TOKEN_FAULT_KINDS } from './faults.js';
import { FaultInjector } from '../common/faults.js';

export { TokenSigner } from './tokens.js';
export type { AccessTokenClaims } from './tokens.js';
export { Directory } from './directory.js';
export { refreshTokenKey } from './server.js';
export * from './seed.js';

export interface EntraSandboxOptions {
  port?: number;
  clock?: SandboxClock;
  signer?: TokenSigner;
  directory?: DirectorySeed;
  settings?: Partial<EntraSettings>;
  /** Keep the signing key and the issued refresh tokens in this JSON file, so sign-ins survive a restart. */
  persistFile?: string;
}

export interface EntraSandbox extends RunningServer {
  tenantId: string;
  state: EntraState;
  directory: Directory;
  signer: TokenSigner;
  /** The authority msal is configured with (the real host; the token endpoint is redirected). */
  authority: string;
  /** The JSON string for msal's `auth.authorityMetadata`. */
  authorityMetadata: string;
  tokenEndpoint: string;
  /** Approves a pending device code as `username` (what a person does in the browser). */
  approveDeviceCode(userCode: string, username: string): boolean;
  /** Faults on the token endpoints (faults.ts). */
  faults: FaultInjector;
}

const DEFAULT_SETTINGS: EntraSettings = { accessTokenSeconds: 3599, refreshTokenDays: 90, deviceCodeSeconds: 900, deviceCodeIntervalSeconds: 1 };

function approve(state: EntraState, userCode: string, username: string, decline = false): boolean {
  for (const grant of state.deviceCodes.values()) {
    if (grant.userCode === userCode.trim().toUpperCase()) {
      if (decline) grant.declined = true;
      else grant.approvedBy = username;
      return true;
    }
  }
  return false;
}

function devicePage(res: ServerResponse, message = ''): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><title>Sign in (sandbox)</title><h1>Sign in to the cosell-connector sandbox</h1><p>${message}</p>
<form method="post"><label>Code <input name="userCode"></label><br><label>User <input name="username"></label><br>
<label>Password <input name="password" type="password"></label><br><button>Sign in</button></form>`);
}

function mountControls(router: Router, state: EntraState): void {
  router.on('GET', '/_sandbox/entra/device', (_req, res) => devicePage(res));
  router.on('POST', '/_sandbox/entra/device', (req: SandboxRequest, res) => {
    const isForm = (req.headers['content-type'] ?? '').includes('form');
    const body = isForm ? Object.fromEntries(parseFormBody(req)) : (parseJsonBody(req) as { ok: boolean; value?: Record<string, unknown> }).value ?? {};
    const username = String(body.username ?? '');
    const user = state.directory.user(username);
    // The password is required, as on the real sign-in page: a user name alone approves nothing.
    if (!user || typeof body.password !== 'string' || body.password !== user.password) {
      return isForm ? devicePage(res, 'Unknown user or wrong password.') : sendJson(res, 400, { error: 'unknown user or wrong password' });
    }
    const ok = approve(state, String(body.userCode ?? ''), user.username, body.decline === true || body.decline === 'true');
    if (isForm) return devicePage(res, ok ? 'Signed in. You can close this page.' : 'That code is not valid.');
    return sendJson(res, ok ? 200 : 404, ok ? { approved: true } : { error: 'no pending device code with that user code' });
  });
  router.on('POST', '/_sandbox/entra/revoke', (req, res) => {
    const parsed = parseJsonBody(req);
    const username = parsed.ok ? String((parsed.value as { username?: unknown }).username ?? '') : '';
    sendJson(res, 200, { revoked: state.revoke(username) });
  });
  router.on('GET', '/_sandbox/entra/users', (_req, res) => {
    sendJson(res, 200, state.directory.listUsers().map(({ password: _p, ...user }) => user));
  });
}

export async function startEntraSandbox(options: EntraSandboxOptions = {}): Promise<EntraSandbox> {
  const clock = options.clock ?? new SandboxClock();
  const persisted = options.persistFile ? loadEntraState(options.persistFile) : undefined;
  const signer = options.signer ?? new TokenSigner(persisted ? Buffer.from(persisted.signingKey, 'base64') : undefined);
  const directory = new Directory(options.directory ?? defaultDirectorySeed());
  const router = new Router();
  const server = await listen(
    (req, res) =>
      router.handle(req, res, (_r, response) => sendJson(response, 404, { error: 'not_found', error_description: 'AADSTS90002: No such endpoint in the sandbox.' })),
    options.port ?? 0,
  );
  const state = new EntraState(directory, signer, clock, { ...DEFAULT_SETTINGS, ...options.settings }, server.url);
  if (options.persistFile) {
    const file = options.persistFile;
    for (const [key, grant] of persisted?.refreshTokens ?? []) state.refreshTokens.set(key, grant);
    state.onRefreshTokensChanged = () => saveEntraState(file, signer.key, state.refreshTokens, clock.nowMs());
    state.onRefreshTokensChanged();
  }
  const faults = new FaultInjector(TOKEN_FAULT_KINDS);
  mountTokenFaults(router, faults, clock);
  mountEntraRoutes(router, state);
  mountControls(router, state);

  const tenantId = directory.tenantId;
  const tokenEndpoint = `${server.url}/${tenantId}/oauth2/v2.0/token`;
  return {
    ...server,
    tenantId,
    state,
    directory,
    signer,
    authority: `https://login.microsoftonline.com/${tenantId}`,
    authorityMetadata: JSON.stringify({
      token_endpoint: tokenEndpoint,
      authorization_endpoint: `${server.url}/${tenantId}/oauth2/v2.0/authorize`,
      issuer: `${server.url}/${tenantId}/v2.0`,
      jwks_uri: `${server.url}/${tenantId}/discovery/v2.0/keys`,
      end_session_endpoint: `${server.url}/${tenantId}/oauth2/v2.0/logout`,
    }),
    tokenEndpoint,
    approveDeviceCode: (userCode, username) => approve(state, userCode, username),
    faults,
  };
}
