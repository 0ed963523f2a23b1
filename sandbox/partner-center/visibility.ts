/**
 * Who sees which referral. Each organisation sees its own referrals only. A Referrals Admin sees every
 * deal of the company; a Referrals User sees the deals whose team they are on, within their location
 * scope (partner-center-api.md §1.2 [L5]; seed "Location": "Referral users with this location scope can
 * view the referrals if they are part of the team. Referral admins … can view the referrals
 * irrespective of the location").
 */
import type { WireReferral as ApiReferral } from './wire/types.js';
import type { Caller } from './organizations.js';

export function canSee(caller: Caller, referral: ApiReferral): boolean {
  if (referral.organizationId !== caller.org) return false;
  if (caller.admin) return true;
  const upn = caller.upn?.toLowerCase();
  const onTeam = upn !== undefined && (referral.team ?? []).some((member) => member.email?.toLowerCase() === upn);
  return onTeam && typeof referral.locationId === 'string' && caller.locations.includes(referral.locationId);
}

/** A cache key for everything that decides visibility. */
export function visibilityKey(caller: Caller): string {
  return caller.admin ? `${caller.org}|admin` : `${caller.org}|${caller.upn ?? ''}|${caller.locations.join(',')}`;
}
