/**
 * Deal registration eligibility (seed "A deal will be eligible for deal registration only if it meets all
 * the below criteria"): co-sell or partner-led, an incentive-eligible solution, won, and for co-sell
 * Microsoft accepted or won. And the 72-hour gap between creation and Won on such a deal.
 *
 * partner-center-api.md §1.9 also lists a USD 25,000 minimum and a Microsoft-managed customer account,
 * from register-deals.md; those are Microsoft's review criteria rather than seed rules and are not
 * enforced here.
 */
import type { Referral } from '../model/referral.js';
import { wonGapEndsAt } from './deadlines.js';
import { warning, type RuleContext, type Violation } from './violation.js';

export interface RegistrationEligibility {
  eligible: boolean;
  /** What is missing, in words a seller understands; empty when eligible. */
  unmet: string[];
}

/** Whether the deal qualifies, judging everything except the Won status itself. */
function unmetBesidesWon(r: Referral): string[] {
  const unmet: string[] = [];
  if (r.dealType !== 'co-sell' && r.dealType !== 'partner-led') unmet.push('the deal type must be co-sell or partner-led');
  if (!r.solutions.some((s) => s.incentiveEligible)) unmet.push('the deal needs an incentive-eligible solution');
  if (r.dealType === 'co-sell' && r.microsoft?.status !== 'Accepted' && r.microsoft?.status !== 'Won') unmet.push('Microsoft must have accepted the co-sell request or marked the deal won');
  return unmet;
}

export function registrationEligibility(r: Referral): RegistrationEligibility {
  const unmet = unmetBesidesWon(r);
  if (r.substatus !== 'Won') unmet.push('the deal must be won');
  return { eligible: unmet.length === 0, unmet };
}

/**
 * A warning, not a refusal: Partner Center accepts the Won, but "closing the deal as won earlier than
 * that may result in deal registrations getting rejected".
 */
export function checkWonGap(prev: Referral | undefined, next: Referral, ctx: RuleContext): Violation[] {
  const winning = next.substatus === 'Won' && prev?.substatus !== 'Won';
  if (!winning || unmetBesidesWon(next).length > 0) return [];
  const ends = wonGapEndsAt(next);
  if (!ends || ctx.now.getTime() >= ends.getTime()) return [];
  return [
    warning('registration.won_within_72h', 'substatus', `This deal is eligible for deal registration: mark it won after ${ends.toISOString()} (72 hours after creation), or its registration may be rejected.`),
  ];
}
