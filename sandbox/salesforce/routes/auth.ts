/**
 * OAuth 2.0 token endpoint: JWT bearer and client credentials.
 * - JWT bearer: https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm
 * - Client credentials: https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_client_credentials_flow.htm
 * Errors are `{"error","error_description"}` with status 400.
 */
import crypto from 'node:crypto';
import { parseFormBody, type SandboxRequest } from '../../common/http.js';
import type { ServerResponse } from 'node:http';
import type { SfContext } from '../context.js';
import { sendSf } from '../wire.js';

const b64urlJson = (part: string): Record<string, unknown> | undefined => {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
};

type Verdict = { ok: true; username: string } | { ok: false; error: string; description: string };

/** Checks an RS256 assertion: signature, iss = client id, sub = a known active user, aud, exp. */
export function verifyAssertion(ctx: SfContext, assertion: string): Verdict {
  const parts = assertion.split('.');
  if (parts.length !== 3) return { ok: false, error: 'invalid_grant', description: 'invalid assertion' };
  const [h, p, s] = parts as [string, string, string];
  const header = b64urlJson(h);
  const claims = b64urlJson(p);
  if (!header || !claims || header.alg !== 'RS256') return { ok: false, error: 'invalid_grant', description: 'invalid assertion' };
  const valid = crypto.verify('RSA-SHA256', Buffer.from(`${h}.${p}`), ctx.credentials.publicKeyPem, Buffer.from(s, 'base64url'));
  if (!valid) return { ok: false, error: 'invalid_grant', description: 'invalid assertion' };
  if (claims.iss !== ctx.credentials.clientId) return { ok: false, error: 'invalid_client_id', description: 'client identifier invalid' };
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(ctx.credentials.audience)) return { ok: false, error: 'invalid_grant', description: 'audience is invalid' };
  // exp is checked against real time: the assertion is signed by a real clock, not the sandbox's movable one.
  if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now() - 60_000) return { ok: false, error: 'invalid_grant', description: 'expired authorization code' };
  const user = ctx.store.all('User').find((u) => String(u.Username).toLowerCase() === String(claims.sub).toLowerCase() && u.IsActive !== false);
  if (!user) return { ok: false, error: 'invalid_grant', description: "user hasn't approved this consumer" };
  return { ok: true, username: String(user.Username) };
}

export function issueToken(ctx: SfContext, username: string): Record<string, string> {
  const user = ctx.store.all('User').find((u) => u.Username === username)!;
  const accessToken = `${ctx.store.orgId.slice(0, 15)}!${crypto.randomBytes(24).toString('base64url')}`;
  ctx.store.tokens.set(accessToken, { userId: user.Id, expiresAtMs: ctx.clock.nowMs() + ctx.tokenTtlMs });
  const issuedAt = String(ctx.clock.nowMs());
  const id = `${ctx.url}/id/${ctx.store.orgId}/${user.Id}`;
  const signature = crypto.createHmac('sha256', ctx.credentials.clientSecret).update(id + issuedAt).digest('base64');
  return { access_token: accessToken, signature, scope: 'api', instance_url: ctx.url, id, token_type: 'Bearer', issued_at: issuedAt };
}

export function tokenEndpoint(ctx: SfContext) {
  return (req: SandboxRequest, res: ServerResponse): void => {
    const form = parseFormBody(req);
    const grant = form.get('grant_type');
    const fail = (error: string, description: string) => sendSf(res, 400, { error, error_description: description });
    if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      const verdict = verifyAssertion(ctx, form.get('assertion') ?? '');
      if (!verdict.ok) return fail(verdict.error, verdict.description);
      return sendSf(res, 200, issueToken(ctx, verdict.username));
    }
    if (grant === 'client_credentials') {
      if (form.get('client_id') !== ctx.credentials.clientId) return fail('invalid_client_id', 'client identifier invalid');
      if (form.get('client_secret') !== ctx.credentials.clientSecret) return fail('invalid_client', 'invalid client credentials');
      return sendSf(res, 200, issueToken(ctx, ctx.credentials.username));
    }
    return fail('unsupported_grant_type', 'grant type not supported');
  };
}

/** Identity URL (`id` of the token response): https://help.salesforce.com/s/articleView?id=sf.remoteaccess_using_openid.htm */
export function identityEndpoint(ctx: SfContext) {
  return (req: SandboxRequest, res: ServerResponse): void => {
    const user = ctx.store.get('User', req.params.user ?? '');
    if (!user) return sendSf(res, 404, [{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
    sendSf(res, 200, { id: `${ctx.url}/id/${ctx.store.orgId}/${user.Id}`, user_id: user.Id, organization_id: ctx.store.orgId, username: user.Username, email: user.Email, display_name: user.Name, active: true });
  };
}
