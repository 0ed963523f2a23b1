/**
 * Which MPN location a new outbound deal is created in. Location is mandatory and decides who in the
 * partner organisation sees the deal (seed "Location"), so a partner with several locations chooses it:
 * the record's own location field first, then the record owner's default (`sync.locationByOwner`, keyed
 * by the CRM user ID or email), then the owner's business unit's (`sync.locationByBusinessUnit`, Dynamics),
 * then `sync.defaultLocation`. Pure.
 */
import type { CrmDeal } from './crm-port.js';

export interface LocationDefaults {
  defaultLocation?: string;
  /** CRM owner (user ID or email, emails compared without case) → location ID. */
  locationByOwner?: Readonly<Record<string, string>>;
  /** The owner's business unit (ID or name, names compared without case) → location ID. */
  locationByBusinessUnit?: Readonly<Record<string, string>>;
}

function businessUnitDefault(owner: CrmDeal['owner'], byUnit: LocationDefaults['locationByBusinessUnit']): string | undefined {
  const unit = owner?.businessUnit;
  if (!unit || !byUnit) return undefined;
  if (byUnit[unit.id]) return byUnit[unit.id];
  const name = unit.name?.toLowerCase();
  return name ? Object.entries(byUnit).find(([key]) => key.toLowerCase() === name)?.[1] : undefined;
}

function ownerDefault(owner: CrmDeal['owner'], byOwner: LocationDefaults['locationByOwner']): string | undefined {
  if (!owner || !byOwner) return undefined;
  if (byOwner[owner.id]) return byOwner[owner.id];
  const email = owner.email?.toLowerCase();
  if (!email) return undefined;
  return Object.entries(byOwner).find(([key]) => key.toLowerCase() === email)?.[1];
}

export function locationForNewDeal(deal: Pick<CrmDeal, 'owner'> & { referral: { location?: string } }, defaults: LocationDefaults): string | undefined {
  return deal.referral.location ?? ownerDefault(deal.owner, defaults.locationByOwner) ?? businessUnitDefault(deal.owner, defaults.locationByBusinessUnit) ?? defaults.defaultLocation;
}
