/**
 * `GET /v1.0/engagements/referralAccess`: sandbox extension, UNVERIFIED against the live API. Partner
 * Center documents no call that tells a caller its own role and location scope (partner-center-api.md
 * §1.2 names the roles only), yet what a connector can see depends on them (seed "Location": "Referral
 * users with this location scope can view the referrals if they are part of the team. Referral admins …
 * can view the referrals irrespective of the location"). The sandbox answers it from the same Caller the
 * visibility rules use, so `cosell check` and the list endpoint can never disagree.
 */
import type { Router } from '../../common/http.js';
import type { Caller, Organizations } from '../organizations.js';
import { apiRoute, type PipelineDeps } from '../pipeline.js';

export const ACCESS_PATH = '/v1.0/engagements/referralAccess';

export interface WireReferralAccess {
  organizationId: string;
  organizationName: string;
  userPrincipalName?: string;
  roles: string[];
  /** `Global`: every location of the company; `Locations`: only `locations`, and only deals the user is on the team of. */
  locationScope: 'Global' | 'Locations';
  locations: string[];
  /** Every MPN location of the company, so a client can tell what a scoped user cannot see. */
  organizationLocations: string[];
  /** May create solution assessment deals (seed: "created only by a set of partners who are vetted"). */
  solutionAssessmentsAllowed: boolean;
}

export function accessOf(caller: Caller, orgs: Organizations): WireReferralAccess {
  return {
    organizationId: caller.org,
    organizationName: caller.orgName,
    ...(caller.upn ? { userPrincipalName: caller.upn } : {}),
    roles: [...caller.roles],
    locationScope: caller.admin ? 'Global' : 'Locations',
    locations: [...caller.locations],
    organizationLocations: [...(orgs.get(caller.org)?.locations ?? [])],
    solutionAssessmentsAllowed: orgs.assessmentVetted(caller.org),
  };
}

export function mountAccessRoute(router: Router, deps: PipelineDeps, orgs: Organizations): void {
  router.on('GET', ACCESS_PATH, apiRoute(`GET ${ACCESS_PATH}`, (_req, caller) => ({ status: 200, body: accessOf(caller, orgs) }), deps));
}
