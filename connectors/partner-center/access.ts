/**
 * What the signed-in Partner Center account may see: its roles and location scope, and whether its
 * organisation may create solution assessment deals.
 *
 * How a client learns this is not documented. partner-center-api.md §1.2 names the roles (Referrals
 * Admin, Referrals User; the seed adds MPN partner admin) and says a Referrals User is limited by
 * location scope and team, but documents neither a token claim nor an API that carries them: Partner
 * Center roles are Partner Center data, not Entra ID directory roles, and location scopes even less so.
 * So the connector asks `GET /v1.0/engagements/referralAccess`, a sandbox extension (UNVERIFIED against
 * the live API). Where it is absent (404), the answer is `undefined` and callers say the scope is unknown.
 */
import { NotFoundError } from '../../core/errors.js';
import type { PartnerCenterHttp } from './http.js';

export const ACCESS_ROOT = '/v1.0/engagements/referralAccess';

export interface ReferralAccess {
  organizationName: string;
  user?: string;
  roles: string[];
  /** `global`: every location of the company; `locations`: only `locations`, and only deals on the user's team. */
  scope: 'global' | 'locations';
  locations: string[];
  organizationLocations: string[];
  solutionAssessmentsAllowed: boolean;
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** The API's JSON in our terms; anything unexpected reads as the narrowest access. */
export function accessFromApi(json: Record<string, unknown>): ReferralAccess {
  return {
    organizationName: typeof json.organizationName === 'string' ? json.organizationName : String(json.organizationId ?? 'unknown organisation'),
    ...(typeof json.userPrincipalName === 'string' ? { user: json.userPrincipalName } : {}),
    roles: strings(json.roles),
    scope: json.locationScope === 'Global' ? 'global' : 'locations',
    locations: strings(json.locations),
    organizationLocations: strings(json.organizationLocations),
    solutionAssessmentsAllowed: json.solutionAssessmentsAllowed === true,
  };
}

export async function readReferralAccess(http: PartnerCenterHttp): Promise<ReferralAccess | undefined> {
  try {
    const result = await http.send({ method: 'GET', root: ACCESS_ROOT, path: '', idempotent: true, operation: 'access' });
    return accessFromApi((result.data ?? {}) as Record<string, unknown>);
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}
