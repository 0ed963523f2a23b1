/**
 * How a referral's substatus ends the CRM opportunity: Won closes it as won; Lost, Declined and Expired
 * close it as lost (a declined or expired referral is a deal the company will not get, which CRMs
 * express as a lost opportunity). Open substatuses leave it open.
 */
import type { ReferralSubstatus } from './enums.js';

export type CrmOutcome = 'won' | 'lost';

export function crmOutcome(referral: { substatus: ReferralSubstatus }): CrmOutcome | undefined {
  if (referral.substatus === 'Won') return 'won';
  if (referral.substatus === 'Lost' || referral.substatus === 'Declined' || referral.substatus === 'Expired') return 'lost';
  return undefined;
}
