/**
 * Bearer tokens from the Entra sandbox (partner-center-api.md §1.2): audience
 * `https://api.partner.microsoft.com`, App+User only ("only user access is supported" on the list, get
 * and patch pages), and a Partner Center role (Referrals Admin or Referrals User).
 */
import type { TokenSigner } from '../entra/tokens.js';
import { fail, ok, type Result } from './failures.js';
import type { Caller, Organizations } from './organizations.js';

export const PARTNER_API_AUDIENCE = 'https://api.partner.microsoft.com';
/** The webhook registration API lives on the CSP host and takes tokens for it (§1.14). */
export const PARTNER_CENTER_AUDIENCE = 'https://api.partnercenter.microsoft.com';

export interface AuthSettings {
  signer: TokenSigner;
  orgs: Organizations;
  /** Location scopes by lower-cased user name. */
  userLocations: Record<string, string[]>;
  nowSeconds: () => number;
}

const WWW_AUTHENTICATE = { 'www-authenticate': 'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token"' };

export function authenticate(authorization: string | undefined, settings: AuthSettings, audiences: readonly string[] = [PARTNER_API_AUDIENCE]): Result<Caller> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '');
  if (!match) return withHeaders(fail(401, 'unauthenticated', 'The request has no bearer token. Send Authorization: Bearer <token> for https://api.partner.microsoft.com.'));
  let reason = '';
  for (const audience of audiences) {
    const verified = settings.signer.verify(match[1] as string, audience, settings.nowSeconds());
    if (!verified.ok) {
      reason ||= verified.reason;
      if (/audience/.test(verified.reason)) reason = verified.reason;
      continue;
    }
    const claims = verified.claims;
    if (claims.idtyp !== 'user') {
      return fail(403, 'accessDenied', 'App-only tokens are not accepted: the referrals API supports App+User (delegated) credentials only. Sign in as a user with the Referrals Admin or Referrals User role.');
    }
    const roles = claims.roles ?? [];
    // Seed: "Appropriate roles: MPN partner admin | Referrals admin"; both see every location's deals.
    const admin = roles.includes('ReferralsAdmin') || roles.includes('MpnPartnerAdmin');
    if (!admin && !roles.includes('ReferralsUser')) {
      return fail(403, 'accessDenied', 'The signed-in user has none of the MPN partner admin, Referrals Admin or Referrals User roles in Partner Center.');
    }
    const org = typeof claims.partner_org === 'string' ? claims.partner_org : '';
    const known = settings.orgs.get(org);
    if (!known) return fail(403, 'accessDenied', 'The signed-in user does not belong to a Partner Center organisation known to the sandbox.');
    const upn = claims.upn?.toLowerCase();
    return ok({
      org,
      orgName: known.name,
      ...(upn ? { upn } : {}),
      roles: [...roles],
      admin,
      locations: admin ? [...known.locations] : [...(settings.userLocations[upn ?? ''] ?? [])],
    });
  }
  return withHeaders(fail(401, 'unauthenticated', `The access token was refused: ${reason}`));
}

function withHeaders(result: Result<Caller>): Result<Caller> {
  if (!result.ok) result.failure.headers = { ...WWW_AUTHENTICATE };
  return result;
}
