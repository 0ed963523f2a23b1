/**
 * Partner Center's status/substatus state machine, as data.
 *
 * Source: partner-center-api.md §1.9 (Status → allowed next status → allowed substatus):
 *   New    → New, Active, Closed   (substatus Pending, Received)
 *   Active → Active, Closed        (substatus Accepted)
 *   Closed → Closed                (substatus Won, Lost, Declined, Expired)
 * narrowed by the seed's life cycle ("Manage co-sell opportunities"):
 *   - Received stage: "You can take two actions in this stage. accept or decline the referral";
 *     no answer in 14 days and "we'll archive it as Expired" (Partner Center does it, not the partner);
 *   - Accepted stage: "you can take one of the two actions, which are marking the deal as Won or Lost";
 *   - Closed: "There are no actions that you can take in this stage."
 */
import type { ReferralStatus, ReferralSubstatus } from '../core/model/enums.js';

export interface StatusPair {
  status: ReferralStatus;
  substatus: ReferralSubstatus;
}

/** Which substatuses belong to which status (§1.9, third column). */
export const VALID_PAIRS: readonly StatusPair[] = [
  { status: 'New', substatus: 'Pending' },
  { status: 'New', substatus: 'Received' },
  { status: 'Active', substatus: 'Accepted' },
  { status: 'Closed', substatus: 'Won' },
  { status: 'Closed', substatus: 'Lost' },
  { status: 'Closed', substatus: 'Declined' },
  { status: 'Closed', substatus: 'Expired' },
];

/** Who may make a move: `partner` = the company whose referral it is; `system` = Partner Center itself. */
export type MoveBy = 'partner' | 'system';

export interface Transition {
  from: StatusPair;
  to: StatusPair;
  by: MoveBy;
  /** What the move means, for messages. */
  meaning: string;
}

const pair = (status: ReferralStatus, substatus: ReferralSubstatus): StatusPair => ({ status, substatus });

/** Every allowed move other than staying put. Anything not listed is refused. */
export const TRANSITIONS: readonly Transition[] = [
  { from: pair('New', 'Pending'), to: pair('New', 'Received'), by: 'partner', meaning: 'mark the referral as received' },
  { from: pair('New', 'Received'), to: pair('New', 'Pending'), by: 'partner', meaning: 'mark the referral as pending' },
  { from: pair('New', 'Pending'), to: pair('Active', 'Accepted'), by: 'partner', meaning: 'accept the referral' },
  { from: pair('New', 'Received'), to: pair('Active', 'Accepted'), by: 'partner', meaning: 'accept the referral' },
  { from: pair('New', 'Pending'), to: pair('Closed', 'Declined'), by: 'partner', meaning: 'decline the referral' },
  { from: pair('New', 'Received'), to: pair('Closed', 'Declined'), by: 'partner', meaning: 'decline the referral' },
  { from: pair('New', 'Pending'), to: pair('Closed', 'Expired'), by: 'system', meaning: 'expire the unanswered referral' },
  { from: pair('New', 'Received'), to: pair('Closed', 'Expired'), by: 'system', meaning: 'expire the unanswered referral' },
  { from: pair('Active', 'Accepted'), to: pair('Closed', 'Won'), by: 'partner', meaning: 'mark the deal as won' },
  { from: pair('Active', 'Accepted'), to: pair('Closed', 'Lost'), by: 'partner', meaning: 'mark the deal as lost' },
];
