/**
 * Sign-in with Entra ID through msal-node's auth-code flow with PKCE (S256): `/auth/sign-in` sends the
 * browser to the tenant's authorize endpoint with a fresh code challenge, `state` and OpenID Connect
 * `nonce`, sealed with the verifier in a cookie of this browser (pending-sign-in.ts: nothing kept in the
 * server per start); `/auth/callback` redeems the code with the verifier,
 * checks that the ID token carries this sign-in's nonce, and opens a session for a configured admin (a
 * listed user or a member of the admin group, from the ID token). Anyone else is told they are signed in
 * but not an admin.
 *
 * The nonce (learn.microsoft.com/entra/identity-platform/v2-protocols-oidc: "the value provided in the
 * request must match the nonce claim value that is returned in the id_token") closes what state and PKCE
 * leave: a code obtained from an authorize request of someone else's making — with this sign-in's code
 * challenge, read from its URL, and the attacker's account — redeems with this sign-in's verifier, but its
 * ID token does not carry this sign-in's nonce.
 */
import { ConfidentialClientApplication, CryptoProvider, ResponseMode } from '@azure/msal-node';
import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { entraTokenIssuer } from '../../config/endpoint-policy.js';
import { refuseSecretInClear } from '../../config/secret-transport.js';
import type { DashboardConfig } from './config.js';
import type { DashboardContext } from './context.js';
import { html } from './html.js';
import { messagePage } from './page.js';
import { PendingSignIns, SIGN_IN_TTL_MS } from './pending-sign-in.js';
import { SESSION_COOKIE, SIGN_IN_COOKIE, sameSecret, type Sessions } from './session.js';
import { MSAL_SYSTEM } from '../http/msal-network.js';

type SignInConfig = NonNullable<DashboardConfig['signIn']>;
const SCOPES = ['User.Read'];

export interface CookieSettings {
  path: string;
  secure: boolean;
}

export const cookieOptions = (settings: CookieSettings, maxAgeSeconds?: number) => ({
  path: settings.path,
  httpOnly: true,
  sameSite: 'lax' as const,
  secure: settings.secure,
  ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds } : {}),
});

/** Whether an ID token's claims carry the nonce of the sign-in that asked for it (compared in constant time). Pure. */
export function nonceMatches(claims: Record<string, unknown>, expected: string): boolean {
  return typeof claims.nonce === 'string' && sameSecret(claims.nonce, expected);
}

/** Whether the signed-in account is an admin of the dashboard. */
export function isAdmin(signIn: SignInConfig, username: string, groups: readonly string[]): boolean {
  const listed = signIn.adminUsers.some((u) => u.toLowerCase() === username.toLowerCase());
  return listed || (signIn.adminGroup !== undefined && groups.includes(signIn.adminGroup));
}

export function mountSignIn(app: FastifyInstance, context: DashboardContext, sessions: Sessions, cookies: CookieSettings): void {
  const signIn = context.config.signIn;
  if (!signIn) return;
  let client: Promise<ConfidentialClientApplication> | undefined;
  const msal = () =>
    (client ??= context.resolveSecret(signIn.clientSecret, 'dashboard > signIn > clientSecret').then(
      (clientSecret) => {
        // msal sends it to the token endpoint: over plain http only if it is a sandbox's (secret-transport.ts).
        refuseSecretInClear('dashboard > signIn > clientSecret', entraTokenIssuer('dashboard > signIn', signIn.authority, signIn.authorityMetadata), clientSecret);
        return new ConfidentialClientApplication({
          system: MSAL_SYSTEM,
          auth: { clientId: signIn.clientId, clientSecret, authority: signIn.authority, ...(signIn.authorityMetadata ? { authorityMetadata: signIn.authorityMetadata } : {}) },
        });
      },
    ));
  const crypto = new CryptoProvider();
  const pendingSignIns = new PendingSignIns();
  const home = cookies.path;
  const nonceRefused = (reply: FastifyReply) => {
    context.logger.warn('dashboard sign-in refused: the ID token does not carry the nonce of this sign-in');
    return messagePage(reply, 401, 'Sign-in refused', html`<p>The answer from Entra ID does not belong to the sign-in this browser started, so no session was opened.</p><p><a href="${home}auth/sign-in">Sign in again</a></p>`);
  };

  app.get('/auth/sign-in', async (_request, reply) => {
    const { verifier, challenge } = await crypto.generatePkceCodes();
    const { state, nonce, cookie } = pendingSignIns.begin(verifier);
    const url = await (await msal()).getAuthCodeUrl({
      nonce,
      scopes: SCOPES,
      redirectUri: signIn.redirectUri,
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      state,
      responseMode: ResponseMode.QUERY,
      prompt: 'select_account',
    });
    // Bound to this browser: a callback opened elsewhere cannot finish this sign-in.
    return reply.setCookie(SIGN_IN_COOKIE, cookie, cookieOptions(cookies, SIGN_IN_TTL_MS / 1000)).redirect(url, 302);
  });

  app.get('/auth/callback', async (request: FastifyRequest<{ Querystring: Record<string, string | undefined> }>, reply: FastifyReply) => {
    const { code, state, error, error_description: description } = request.query;
    reply.clearCookie(SIGN_IN_COOKIE, { path: cookies.path });
    if (error) return messagePage(reply, 401, 'Sign-in did not complete', html`<p>Entra ID answered <code>${error}</code>: ${description ?? ''}</p><p><a href="${home}">Back to the dashboard</a></p>`);
    const pending = pendingSignIns.finish(request.cookies[SIGN_IN_COOKIE], state);
    if (!code || !pending) return messagePage(reply, 400, 'Sign-in expired', html`<p>This sign-in is no longer valid (it was used, took over 10 minutes, or began in another browser).</p><p><a href="${home}auth/sign-in">Sign in again</a></p>`);
    try {
      // msal checks the ID token's nonce against the one given here too; the check below does not rely on it.
      const result = await (await msal()).acquireTokenByCode({ code, scopes: SCOPES, redirectUri: signIn.redirectUri, codeVerifier: pending.verifier, nonce: pending.nonce });
      const claims = (result.idTokenClaims ?? {}) as Record<string, unknown>;
      if (!nonceMatches(claims, pending.nonce)) return nonceRefused(reply);
      const username = result.account?.username || String(claims.preferred_username ?? '');
      const name = result.account?.name ?? username;
      const groups = Array.isArray(claims.groups) ? (claims.groups as string[]) : [];
      if (!isAdmin(signIn, username, groups)) {
        context.logger.warn({ username }, 'dashboard sign-in refused: not a configured admin');
        return messagePage(reply, 403, 'Not an admin', html`<p>You are signed in as ${username}, who is neither in <code>dashboard.signIn.adminUsers</code> nor in the admin group. You can still read the dashboard.</p><p><a href="${home}">Back to the dashboard</a></p>`);
      }
      const session = sessions.open(username, name);
      context.logger.info({ username }, 'dashboard sign-in');
      return reply.setCookie(SESSION_COOKIE, session.id, cookieOptions(cookies)).redirect(home, 303);
    } catch (failure) {
      const e = failure as { errorCode?: string; errorMessage?: string; message?: string };
      if (e.errorCode === 'nonce_mismatch') return nonceRefused(reply);
      context.logger.warn({ code: e.errorCode }, 'dashboard sign-in failed at the token endpoint');
      return messagePage(reply, 401, 'Sign-in failed', html`<p>Entra ID refused the sign-in: ${e.errorCode ?? ''} ${(e.errorMessage ?? e.message ?? '').split('\n')[0]}</p><p><a href="${home}auth/sign-in">Try again</a></p>`);
    }
  });
}
