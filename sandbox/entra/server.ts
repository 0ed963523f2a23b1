/**
 * Entra ID (Azure AD) token endpoints as msal-node and curl use them:
 * - v2.0 `POST /{tenant}/oauth2/v2.0/token` (authorization_code with PKCE, client_credentials, password,
 *   refresh_token, device_code); `GET /{tenant}/oauth2/v2.0/authorize` and its sign-in page (authorize.ts);
 * - v2.0 `POST /{tenant}/oauth2/v2.0/devicecode` (msal derives it from the token endpoint);
 * - v1 `POST /{tenant}/oauth2/token` with `resource=` (the form Partner Center's authentication page
 *   documents, numbers as strings);
 * - `GET /{tenant}/v2.0/.well-known/openid-configuration`.
 * Errors use Entra's JSON shape (`error`, `error_description` with an AADSTS code, `error_codes`, …); every
 * body is JSON because msal-node parses every response as JSON (wire-protocols.md §5.1).
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { parseFormBody, sendJson, type Router, type SandboxRequest } from '../common/http.js';
import type { SandboxUser } from './directory.js';
import type { EntraState } from './state.js';

export { EntraState, refreshTokenKey, type EntraSettings, type RefreshGrant } from './state.js';
import { mountAuthorizeRoutes, redeemAuthorizationCode } from './authorize.js';
import { aadError } from './errors.js';
import { isKnownTenant, TENANT_NOT_FOUND } from './tenants.js';
import { clientInfo, idToken, type AccessTokenClaims } from './tokens.js';

const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

/** The API a scope list is for: `https://api.partner.microsoft.com/.default openid` → that API's URI. */
export function resourceOfScopes(scope: string): { resource: string; scopes: string[] } | undefined {
  const scopes = scope.split(/\s+/).filter((s) => s && !OIDC_SCOPES.has(s));
  const first = scopes[0];
  if (!first) return undefined;
  const resource = first.replace(/\/(\.default|user_impersonation)$/, '');
  return { resource, scopes };
}

/** Claims every access token carries, and the lifetime fields of the response (numbers as strings in v1). */
function baseToken(state: EntraState, resource: string, clientId: string, idtyp: 'user' | 'app', oid: string, v1: boolean) {
  const now = Math.floor(state.clock.nowMs() / 1000);
  const exp = now + state.settings.accessTokenSeconds;
  const claims: AccessTokenClaims = {
    aud: resource,
    iss: `https://sts.windows.net/${state.directory.tenantId}/`,
    tid: state.directory.tenantId,
    idtyp,
    appid: clientId,
    oid,
    sub: oid,
    uti: randomBytes(16).toString('base64url'),
    iat: now,
    nbf: now,
    exp,
  };
  const lifetime = state.settings.accessTokenSeconds;
  const response = {
    token_type: 'Bearer',
    expires_in: v1 ? String(lifetime) : lifetime,
    ext_expires_in: v1 ? String(lifetime) : lifetime,
    ...(v1 ? { expires_on: String(exp), not_before: String(now), resource } : {}),
  };
  return { claims, response, now, exp };
}

export function issueUserTokens(state: EntraState, user: SandboxUser, clientId: string, resource: string, scopes: string[], v1: boolean, nonce?: string) {
  const { claims, response, now, exp } = baseToken(state, resource, clientId, 'user', user.oid, v1);
  Object.assign(claims, { upn: user.username, name: user.displayName, scp: 'user_impersonation', roles: user.roles, partner_org: user.organizationId });
  const refresh = state.issueRefreshToken({
    username: user.username,
    clientId,
    expiresAtMs: state.clock.nowMs() + state.settings.refreshTokenDays * 86_400_000,
  });
  const id = idToken({
    aud: clientId,
    iss: `${state.issuerBase}/${state.directory.tenantId}/v2.0`,
    iat: now,
    nbf: now,
    exp,
    name: user.displayName,
    oid: user.oid,
    preferred_username: user.username,
    sub: user.oid,
    tid: state.directory.tenantId,
    ver: '2.0',
    ...(nonce !== undefined ? { nonce } : {}),
    ...(user.groups?.length ? { groups: user.groups } : {}),
  });
  return {
    ...response,
    scope: v1 ? 'user_impersonation' : scopes.join(' '),
    access_token: state.signer.sign(claims),
    refresh_token: refresh,
    id_token: id,
    client_info: clientInfo(user.oid, state.directory.tenantId),
  };
}

function issueAppToken(state: EntraState, clientId: string, resource: string, v1: boolean) {
  const { claims, response } = baseToken(state, resource, clientId, 'app', clientId, v1);
  return { ...response, access_token: state.signer.sign(claims) };
}

/** Answers AADSTS90002 for a tenant the sandbox's cloud does not know (tenants.ts); true when it did. */
function refusedTenant(state: EntraState, req: SandboxRequest, res: ServerResponse): boolean {
  const tenant = req.params.tenant ?? '';
  if (isKnownTenant(state.directory, tenant)) return false;
  aadError(res, 400, 'invalid_request', 90002, TENANT_NOT_FOUND(tenant), state.clock);
  return true;
}

function tokenHandler(state: EntraState, v1: boolean) {
  return (req: SandboxRequest, res: ServerResponse): void => {
    if (refusedTenant(state, req, res)) return;
    const form = parseFormBody(req);
    const clientId = form.get('client_id') ?? '';
    const grant = form.get('grant_type') ?? '';
    const app = state.directory.app(clientId);
    if (!app) return aadError(res, 400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory.`, state.clock);
    const secret = form.get('client_secret');
    if (secret !== null && app.clientSecret !== secret) return aadError(res, 401, 'invalid_client', 7000215, 'Invalid client secret provided.', state.clock);
    if (secret !== null && app.secretExpired) {
      return aadError(res, 401, 'invalid_client', 7000222, `The provided client secret keys for app '${clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`, state.clock);
    }

    const target = v1
      ? (() => {
          const resource = form.get('resource');
          return resource ? { resource, scopes: [`${resource}/.default`] } : undefined;
        })()
      : resourceOfScopes(form.get('scope') ?? '');

    if (grant === 'client_credentials') {
      if (!app.clientSecret || secret === null) return aadError(res, 401, 'invalid_client', 7000218, "The request body must contain the parameter 'client_assertion' or 'client_secret'.", state.clock);
      // Only `{resource}/.default` names app permissions (v1's `resource` is one); a delegated scope (`…/user_impersonation`) is refused.
      if (!target?.scopes.every((s) => s.endsWith('/.default'))) {
        const scope = form.get('scope') ?? '';
        return aadError(res, 400, 'invalid_scope', 1002012, `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`, state.clock);
      }
      return sendJson(res, 200, issueAppToken(state, clientId, target.resource, v1));
    }
    if (grant === 'password') {
      const user = state.directory.user(form.get('username') ?? '');
      if (!user || user.password !== form.get('password')) return aadError(res, 400, 'invalid_grant', 50126, 'Error validating credentials due to invalid username or password.', state.clock);
      if (!target) return aadError(res, 400, 'invalid_scope', 70011, 'The provided value for the input parameter scope is not valid.', state.clock);
      return sendJson(res, 200, issueUserTokens(state, user, clientId, target.resource, target.scopes, v1));
    }
    if (grant === 'authorization_code') return redeemAuthorizationCode(state, form, clientId, res);
    if (grant === 'refresh_token') {
      const token = form.get('refresh_token') ?? '';
      const held = state.refreshGrant(token);
      if (!held) return aadError(res, 400, 'invalid_grant', 50173, 'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.', state.clock);
      if (held.expiresAtMs <= state.clock.nowMs()) {
        // Kept, not dropped: Entra ID answers an expired refresh token with this error every time it is sent
        // again (it is not "revoked", AADSTS50173), in the words of its answer (issue time with 7 decimals).
        const days = state.settings.refreshTokenDays;
        const issued = new Date(held.expiresAtMs - days * 86_400_000).toISOString().replace('Z', '0000Z');
        return aadError(res, 400, 'invalid_grant', 700082, `The refresh token has expired due to inactivity. The token was issued on ${issued} and was inactive for ${days}.00:00:00.`, state.clock);
      }
      const user = state.directory.user(held.username);
      if (!user || held.clientId !== clientId) return aadError(res, 400, 'invalid_grant', 70000, 'The provided value for the refresh_token is not valid for this client.', state.clock);
      if (!target) return aadError(res, 400, 'invalid_scope', 70011, 'The provided value for the input parameter scope is not valid.', state.clock);
      // A new refresh token comes with every use, but the one used stays valid until it expires or is
      // revoked: "The Microsoft identity platform doesn't revoke old refresh tokens when used to fetch new
      // access tokens" (learn.microsoft.com/entra/identity-platform/refresh-tokens). A sync killed between
      // a refresh and saving its cache therefore keeps its sign-in (the model-based test with kills found
      // the sandbox revoking it).
      return sendJson(res, 200, issueUserTokens(state, user, clientId, target.resource, target.scopes, v1));
    }
    if (grant === 'urn:ietf:params:oauth:grant-type:device_code' || grant === 'device_code') {
      const code = form.get('device_code') ?? '';
      const pending = state.deviceCodes.get(code);
      if (!pending || pending.clientId !== clientId) return aadError(res, 400, 'invalid_grant', 70000, 'The provided device code is not valid.', state.clock);
      if (pending.expiresAtMs <= state.clock.nowMs()) return aadError(res, 400, 'expired_token', 70020, 'The provided value for the input parameter device_code has expired.', state.clock);
      if (pending.declined) return aadError(res, 400, 'authorization_declined', 70019, 'The end user declined the authorization request.', state.clock);
      if (!pending.approvedBy) return aadError(res, 400, 'authorization_pending', 70016, 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.', state.clock);
      const user = state.directory.user(pending.approvedBy);
      const scoped = resourceOfScopes(pending.scope);
      if (!user || !scoped) return aadError(res, 400, 'invalid_grant', 70000, 'The device code grant is not valid.', state.clock);
      state.deviceCodes.delete(code);
      return sendJson(res, 200, issueUserTokens(state, user, clientId, scoped.resource, scoped.scopes, v1));
    }
    return aadError(res, 400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant}'.`, state.clock);
  };
}

export function mountEntraRoutes(router: Router, state: EntraState): void {
  mountAuthorizeRoutes(router, state);
  router.on('POST', '/:tenant/oauth2/v2.0/token', tokenHandler(state, false));
  router.on('POST', '/:tenant/oauth2/token', tokenHandler(state, true));
  // A token URL opened in a browser (a GET) is refused in Entra ID's words.
  const postOnly = (_req: SandboxRequest, res: ServerResponse) =>
    aadError(res, 400, 'invalid_request', 900561, 'The endpoint only accepts POST requests. Received a GET request.', state.clock);
  router.on('GET', '/:tenant/oauth2/v2.0/token', postOnly);
  router.on('GET', '/:tenant/oauth2/token', postOnly);

  router.on('POST', '/:tenant/oauth2/v2.0/devicecode', (req, res) => {
    if (refusedTenant(state, req, res)) return;
    const form = parseFormBody(req);
    const clientId = form.get('client_id') ?? '';
    if (!state.directory.app(clientId)) return aadError(res, 400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory.`, state.clock);
    const userCode = randomBytes(5).toString('hex').toUpperCase().slice(0, 9);
    const deviceCode = randomBytes(24).toString('base64url');
    state.deviceCodes.set(deviceCode, {
      deviceCode,
      userCode,
      clientId,
      scope: form.get('scope') ?? '',
      expiresAtMs: state.clock.nowMs() + state.settings.deviceCodeSeconds * 1000,
    });
    const verificationUri = `${state.issuerBase}/_sandbox/entra/device`;
    sendJson(res, 200, {
      user_code: userCode,
      device_code: deviceCode,
      verification_uri: verificationUri,
      expires_in: state.settings.deviceCodeSeconds,
      interval: state.settings.deviceCodeIntervalSeconds,
      message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${userCode} to authenticate.`,
    });
  });

  router.on('GET', '/:tenant/v2.0/.well-known/openid-configuration', (req, res) => {
    const base = `${state.issuerBase}/${req.params.tenant ?? state.directory.tenantId}`;
    sendJson(res, 200, {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      issuer: `${base}/v2.0`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      grant_types_supported: ['authorization_code', 'client_credentials', 'password', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
      code_challenge_methods_supported: ['S256', 'plain'],
    });
  });
}
