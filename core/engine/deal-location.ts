/**
 * Which MPN location a new outbound deal is created in. Location is mandatory and decides who in the
 * partner organisation sees the deal (seed "Location"), so a partner with several locations chooses it:
 * the record's own location field first, then the record owner's default (`sync.locationByOwner`, keyed
 * by the CRM user ID or email), then `sync.defaultLocation`. Pure.
 */
import type { CrmDeal } from '../../connectors/types.js';

export interface LocationDefaults {
  defaultLocation?: string;
  /** CRM owner (user ID or email, emails compared without case) → location ID. */
  locationByOwner?: Readonly<Record<string, string>>;
}

function ownerDefault(owner: CrmDeal['owner'], byOwner: LocationDefaults['locationByOwner']): string | undefined {
  if (!owner || !byOwner) return undefined;
  if (byOwner[owner.id]) return byOwner[owner.id];
  const email = owner.email?.toLowerCase();
  if (!email) return undefined;
  return Object.entries(byOwner).find(([key]) => key.toLowerCase() === email)?.[1];
}

export function locationForNewDeal(deal: Pick<CrmDeal, 'owner'> & { referral: { location?: string } }, defaults: LocationDefaults): string | undefined {
  return deal.referral.location ?? ownerDefault(deal.owner, defaults.locationByOwner) ?? defaults.defaultLocation;
}
