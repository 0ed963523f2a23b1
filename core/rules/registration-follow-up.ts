/**
 * Deal registration follow-up after Won: what the seller sees on the CRM record and what a reminder
 * needs. Pure functions of a referral (and a time). Each fact traces to a sentence:
 *
 * - Eligible or not, and why: seed manage-co-sell-opportunities, "A deal will be eligible for deal
 *   registration only if it meets all the below criteria" (co-sell or partner-led, an incentive-eligible
 *   solution, won, Microsoft accepted or won a co-sell deal) — `registrationEligibility` in registration.ts.
 *   Private deals: "Deal registration is not applicable for Private deals."
 * - The contract names us and the solution: seed, "Register the deal only if your company name and the
 *   incentive eligible solution in the deal are clearly mentioned in the contract with the customer."
 * - Register now or later: seed, "You can choose to register the deal immediately after marking the deal
 *   as won or at a later point in time through the deal lifecycle Register now button."
 * - The 60 days: partner-center-api.md §1.9, "Register within 60 days of contract signature" (from
 *   Microsoft's register-deals page; the seeds themselves do not give the number).
 * - Contract signature date: no documented field carries it. The registration's own
 *   `contractSignedAt` (sandbox extension, UNVERIFIED) when Partner Center has it, otherwise the Won
 *   deal's close date, which the note on the record names as an assumption.
 */
import type { DealRegistration, Referral } from '../model/referral.js';
import { registrationEligibility } from './registration.js';

export const REGISTRATION_WINDOW_DAYS = 60;
/** How long before the deadline a reminder is due, unless the caller asks for another lead time. */
export const REGISTRATION_REMINDER_DAYS = 14;
const DAY_MS = 86_400_000;

export interface RegistrationFollowUp {
  eligible: boolean;
  /** One line for the record: why (or why not), what to do, and the condition on the contract. */
  note: string;
  /** Register by this instant (ISO 8601): contract signature + 60 days. Only for an eligible deal. */
  deadline?: string;
  /** Whether `deadline` counts from the close date because no signature date is known. */
  deadlineAssumed?: boolean;
  /** Partner Center's registration state, when the referral carries it. */
  registration?: DealRegistration;
}

function signedAt(r: Referral): { at: number; assumed: boolean } | undefined {
  const signed = r.registration?.contractSignedAt ? Date.parse(r.registration.contractSignedAt) : NaN;
  if (!Number.isNaN(signed)) return { at: signed, assumed: false };
  const closed = r.closeDate ? Date.parse(`${r.closeDate}T00:00:00Z`) : NaN;
  return Number.isNaN(closed) ? undefined : { at: closed, assumed: true };
}

function registrationNote(reg: DealRegistration | undefined, deadline: string | undefined, assumed: boolean): string {
  if (reg?.status === 'Validated') return 'Deal registration validated by Microsoft: nothing more to do.';
  if (reg?.status === 'ActionRequired') return `Deal registration needs action in Partner Center: ${reg.message ?? 'see the deal lifecycle view'}.`;
  if (reg?.status === 'Registered') return 'Deal registered; Microsoft is validating it (progress in the deal lifecycle view in Partner Center).';
  const by = deadline ? ` by ${deadline.slice(0, 10)} (60 days after contract signature${assumed ? ', taken as the close date' : ''})` : ' within 60 days of contract signature';
  return `Eligible for deal registration: register it with Register now in Partner Center${by}, only if the customer contract names your company and the incentive-eligible solution.`;
}

export function registrationFollowUp(r: Referral): RegistrationFollowUp {
  const { eligible, unmet } = registrationEligibility(r);
  if (!eligible) {
    const why = r.dealType === 'private' ? 'deal registration is not applicable for private deals' : unmet.join('; ');
    return { eligible: false, note: `Not eligible for deal registration: ${why}.` };
  }
  const signed = signedAt(r);
  const deadline = signed ? new Date(signed.at + REGISTRATION_WINDOW_DAYS * DAY_MS).toISOString() : undefined;
  return {
    eligible: true,
    note: registrationNote(r.registration, deadline, signed?.assumed ?? false),
    ...(deadline ? { deadline, deadlineAssumed: signed!.assumed } : {}),
    ...(r.registration ? { registration: r.registration } : {}),
  };
}

/**
 * For the notification channel: an eligible deal not yet registered whose deadline is within
 * `withinDays` (default 14) of `now`, and not past. Registered deals need no reminder.
 */
export function registrationReminderDue(followUp: Pick<RegistrationFollowUp, 'eligible' | 'deadline' | 'registration'>, now: Date, withinDays = REGISTRATION_REMINDER_DAYS): boolean {
  if (!followUp.eligible || !followUp.deadline || followUp.registration) return false;
  const left = Date.parse(followUp.deadline) - now.getTime();
  return left >= 0 && left <= withinDays * DAY_MS;
}
