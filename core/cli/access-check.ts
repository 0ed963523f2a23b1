/**
 * `cosell check`'s item for the Partner Center account: which role and location scope it signs in with,
 * and a warning when deals of the company will be invisible to the connector. Seed "Location":
 * "Referral users with this location scope can view the referrals if they are part of the team.
 * Referral admins and referral admins with global scope can view the referrals irrespective of the
 * location." A scoped account does not fail the check (the connector works for the deals it sees), but
 * the admin must learn which deals it will never sync.
 */
import type { CheckItem } from '../engine/crm-port.js';
import { failureText } from '../errors.js';
import type { ReferralAccess } from '../../connectors/partner-center/index.js';

export const ACCESS_CHECK_NAME = 'Partner Center role and scope';

const ROLE_LABELS: Record<string, string> = { MpnPartnerAdmin: 'MPN partner admin', ReferralsAdmin: 'Referrals admin', ReferralsUser: 'Referrals user' };
const roleLabel = (roles: readonly string[]) => (roles.length ? roles.map((r) => ROLE_LABELS[r] ?? r).join(', ') : 'no Partner Center role');

/** Pure: the check item for what the account may see (`undefined`: the service does not say). */
export function accessCheckItem(access: ReferralAccess | undefined): CheckItem {
  if (!access) {
    return {
      name: ACCESS_CHECK_NAME,
      ok: true,
      detail: 'WARNING: Partner Center did not say which role and location scope this account has; sign in as a Referrals admin or MPN partner admin so that no deal is invisible to the connector.',
    };
  }
  const who = `${access.user ?? 'the signed-in account'} at ${access.organizationName}: ${roleLabel(access.roles)}`;
  if (access.scope === 'global') {
    const all = access.organizationLocations.length ? ` (${access.organizationLocations.join(', ')})` : '';
    return { name: ACCESS_CHECK_NAME, ok: true, detail: `${who}; scope: all locations${all}; every deal of the company is visible.` };
  }
  const hidden = access.organizationLocations.filter((l) => !access.locations.includes(l));
  const scope = access.locations.length ? access.locations.join(', ') : 'no location';
  return {
    name: ACCESS_CHECK_NAME,
    ok: true,
    detail:
      `${who}; scope: ${scope}. WARNING: deals will be invisible to the connector: ` +
      `${hidden.length ? `every deal in ${hidden.join(', ')}, and ` : ''}every deal whose team does not include this user. ` +
      'Sign in with a Referrals admin or MPN partner admin account (cosell login partner-center) to sync all of the company\'s deals.',
  };
}

/** Asks Partner Center and builds the item; a failed request is a failed item, not a failed check run. */
export async function accessCheck(read: () => Promise<ReferralAccess | undefined>): Promise<CheckItem> {
  try {
    return accessCheckItem(await read());
  } catch (error) {
    return { name: ACCESS_CHECK_NAME, ok: false, detail: `could not read the account's role and scope: ${failureText(error)}` };
  }
}
