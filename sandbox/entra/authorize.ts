/**
 * The authorization code flow with PKCE (learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow):
 * - `GET /{tenant}/oauth2/v2.0/authorize?client_id&response_type=code&redirect_uri&scope&state&code_challenge
 *   &code_challenge_method=S256[&response_mode=query|form_post][&nonce]` shows the sign-in page;
 * - the page posts the user name and password back (`POST …/authorize`), which redirects to `redirect_uri` with
 *   `code` and `state` (or `error`, `error_description` and `state`);
 * - `POST /{tenant}/oauth2/v2.0/token` with `grant_type=authorization_code`, `code`, `redirect_uri` and
 *   `code_verifier` redeems the code once, within 10 minutes, for the same tokens as the other grants.
 * As documented: an unknown client or a redirect URI the app does not list is shown on the page, never
 * redirected to; loopback redirect URIs match on any port ("localhost" exception); a code is single-use.
 * UNVERIFIED: the exact AADSTS numbers for a missing verifier and a redirect URI differing at redemption.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { parseFormBody, type Router, type SandboxRequest } from '../common/http.js';
import type { SandboxApp } from './directory.js';
import { aadError } from './errors.js';
import { issueUserTokens, resourceOfScopes, type EntraState } from './server.js';

const CODE_LIFETIME_MS = 10 * 60_000;
/** Scopes without a resource URI (`User.Read`) belong to Microsoft Graph, as on the real service. */
const GRAPH = 'https://graph.microsoft.com';

interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  scope: string;
  state?: string;
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
  responseMode: 'query' | 'form_post';
}

interface IssuedCode extends AuthorizeRequest {
  username: string;
  expiresAtMs: number;
  redeemed: boolean;
}

const pendingByState = new WeakMap<EntraState, { requests: Map<string, AuthorizeRequest>; codes: Map<string, IssuedCode> }>();
const flowsOf = (state: EntraState) => {
  let flows = pendingByState.get(state);
  if (!flows) pendingByState.set(state, (flows = { requests: new Map(), codes: new Map() }));
  return flows;
};

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const isLoopback = (host: string) => host === 'localhost' || host === '127.0.0.1' || host === '[::1]';

/** Whether `uri` is one of the app's redirect URIs; loopback ones match on any port. */
export function redirectUriAllowed(app: SandboxApp, uri: string): boolean {
  let given: URL;
  try {
    given = new URL(uri);
  } catch {
    return false;
  }
  return (app.redirectUris ?? []).some((registered) => {
    const r = new URL(registered);
    if (isLoopback(r.hostname) && isLoopback(given.hostname)) return r.protocol === given.protocol && r.pathname === given.pathname;
    return r.href === given.href;
  });
}

function page(res: ServerResponse, status: number, title: string, inner: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title><style>body{font:16px system-ui,sans-serif;max-width:26rem;margin:4rem auto;padding:0 1rem;color:#1b1b1b}
label{display:block;margin:.8rem 0 .3rem}input{width:100%;padding:.5rem;font:inherit;box-sizing:border-box}button{margin-top:1rem;padding:.55rem 1.4rem;font:inherit;background:#0067b8;color:#fff;border:0}
.error{color:#a80000}</style><h1>${escape(title)}</h1>${inner}</html>`);
}

/** Sends the browser back to the app: a 302 with the parameters in the query, or an auto-posting form. */
function respond(res: ServerResponse, request: AuthorizeRequest, params: Record<string, string>): void {
  const all = { ...params, ...(request.state !== undefined ? { state: request.state } : {}) };
  if (request.responseMode === 'form_post') {
    const fields = Object.entries(all).map(([k, v]) => `<input type="hidden" name="${escape(k)}" value="${escape(v)}">`).join('');
    return page(res, 200, 'Working…', `<form method="post" action="${escape(request.redirectUri)}">${fields}<noscript><button>Continue</button></noscript></form><script>document.forms[0].submit()</script>`);
  }
  const target = new URL(request.redirectUri);
  for (const [k, v] of Object.entries(all)) target.searchParams.set(k, v);
  res.writeHead(302, { location: target.href, 'cache-control': 'no-store' });
  res.end();
}

function signInForm(res: ServerResponse, requestId: string, message = ''): void {
  page(res, message ? 401 : 200, 'Sign in', `${message ? `<p class="error" role="alert">${escape(message)}</p>` : ''}
<form method="post"><input type="hidden" name="request_id" value="${escape(requestId)}">
<label for="username">Email or username</label><input id="username" name="username" autocomplete="username" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form>`);
}

function startAuthorize(state: EntraState, req: SandboxRequest, res: ServerResponse): void {
  const q = req.query;
  const clientId = q.get('client_id') ?? '';
  const app = state.directory.app(clientId);
  if (!app) return page(res, 400, 'Sign-in error', `<p class="error">AADSTS700016: Application with identifier '${escape(clientId)}' was not found in the directory '${escape(state.directory.tenantId)}'.</p>`);
  const redirectUri = q.get('redirect_uri') ?? '';
  if (!redirectUriAllowed(app, redirectUri)) {
    return page(res, 400, 'Sign-in error', `<p class="error">AADSTS50011: The redirect URI '${escape(redirectUri)}' specified in the request does not match the redirect URIs configured for the application '${escape(clientId)}'.</p>`);
  }
  const method = q.get('code_challenge_method') ?? (q.get('code_challenge') ? 'plain' : undefined);
  const request: AuthorizeRequest = {
    clientId,
    redirectUri,
    scope: q.get('scope') ?? '',
    responseMode: q.get('response_mode') === 'form_post' ? 'form_post' : 'query',
    ...(q.get('state') !== null ? { state: q.get('state') as string } : {}),
    ...(q.get('nonce') !== null ? { nonce: q.get('nonce') as string } : {}),
    ...(q.get('code_challenge') ? { codeChallenge: q.get('code_challenge') as string } : {}),
    ...(method === 'S256' || method === 'plain' ? { codeChallengeMethod: method } : {}),
  };
  const fail = (error: string, code: number, description: string) => respond(res, request, { error, error_description: `AADSTS${code}: ${description}` });
  if (q.get('response_type') !== 'code') return fail('unsupported_response_type', 70005, `The provided value for the input parameter 'response_type' is not allowed for this request. Expected value: 'code'.`);
  if (method !== undefined && method !== 'S256' && method !== 'plain') return fail('invalid_request', 900144, `The value '${method}' of the parameter 'code_challenge_method' is not supported; use 'S256'.`);
  if (!q.get('scope')) return fail('invalid_request', 900144, "The request body must contain the following parameter: 'scope'.");
  const requestId = randomUUID();
  flowsOf(state).requests.set(requestId, request);
  signInForm(res, requestId);
}

function completeSignIn(state: EntraState, req: SandboxRequest, res: ServerResponse): void {
  const form = parseFormBody(req);
  const requestId = form.get('request_id') ?? '';
  const flows = flowsOf(state);
  const request = flows.requests.get(requestId);
  if (!request) return page(res, 400, 'Sign-in error', '<p class="error">AADSTS90014: The sign-in request is no longer valid. Start the sign-in again from the application.</p>');
  const user = state.directory.user(form.get('username') ?? '');
  if (!user || user.password !== form.get('password')) return signInForm(res, requestId, 'Your account or password is incorrect.');
  flows.requests.delete(requestId);
  const code = randomBytes(32).toString('base64url');
  flows.codes.set(code, { ...request, username: user.username, expiresAtMs: state.clock.nowMs() + CODE_LIFETIME_MS, redeemed: false });
  respond(res, request, { code, session_state: randomUUID() });
}

/** `grant_type=authorization_code` at the token endpoint. */
export function redeemAuthorizationCode(state: EntraState, form: URLSearchParams, clientId: string, res: ServerResponse): void {
  const code = form.get('code') ?? '';
  const issued = flowsOf(state).codes.get(code);
  const clock = state.clock;
  if (!issued || issued.clientId !== clientId) return aadError(res, 400, 'invalid_grant', 70000, "The provided value for the 'code' parameter is not valid.", clock);
  if (issued.redeemed) return aadError(res, 400, 'invalid_grant', 54005, 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.', clock);
  if (issued.expiresAtMs <= clock.nowMs()) return aadError(res, 400, 'invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.', clock);
  if ((form.get('redirect_uri') ?? '') !== issued.redirectUri) return aadError(res, 400, 'invalid_grant', 50011, 'The redirect URI specified in the request does not match the redirect URI the authorization code was issued for.', clock);
  if (issued.codeChallenge !== undefined) {
    const verifier = form.get('code_verifier');
    if (!verifier) return aadError(res, 400, 'invalid_request', 501481, "The request body must contain the parameter 'code_verifier' because the authorization request carried a code_challenge.", clock);
    const derived = issued.codeChallengeMethod === 'plain' ? verifier : createHash('sha256').update(verifier).digest('base64url');
    if (derived !== issued.codeChallenge) return aadError(res, 400, 'invalid_grant', 501481, 'The Code_Verifier does not match the code_challenge supplied in the authorization request.', clock);
  }
  issued.redeemed = true;
  const user = state.directory.user(issued.username);
  if (!user) return aadError(res, 400, 'invalid_grant', 50034, 'The user account does not exist in the directory.', clock);
  const scoped = resourceOfScopes(form.get('scope') ?? issued.scope);
  const resource = scoped && scoped.resource.includes('://') ? scoped.resource : GRAPH;
  const scopes = scoped?.scopes ?? [`${GRAPH}/User.Read`];
  const tokens = issueUserTokens(state, user, clientId, resource, scopes, false, issued.nonce);
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(tokens));
}

export function mountAuthorizeRoutes(router: Router, state: EntraState): void {
  router.on('GET', '/:tenant/oauth2/v2.0/authorize', (req, res) => startAuthorize(state, req, res));
  router.on('POST', '/:tenant/oauth2/v2.0/authorize', (req, res) => completeSignIn(state, req, res));
}
