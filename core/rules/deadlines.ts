/**
 * The clocks of the life cycle: inbound referrals expire after 14 days without an answer, Microsoft's
 * sellers have 14 days to take up a co-sell request, and a registrable deal should not be won within 72
 * hours of its creation. Pure functions of a referral and a time.
 */
import type { Referral } from '../model/referral.js';

export const INBOUND_RESPONSE_DAYS = 14;
export const MICROSOFT_DECISION_DAYS = 14;
export const REGISTRATION_WON_GAP_HOURS = 72;

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** When an unanswered inbound referral expires: its `expiresAt`, else creation + 14 days. */
export function inboundExpiresAt(r: Referral): Date | undefined {
  if (r.expiresAt) return new Date(r.expiresAt);
  return r.createdAt ? new Date(Date.parse(r.createdAt) + INBOUND_RESPONSE_DAYS * DAY_MS) : undefined;
}

/** An inbound referral still waiting for our answer when its 14 days are over. */
export function inboundExpiryDue(r: Referral, now: Date): boolean {
  if (r.direction !== 'inbound' || r.status !== 'New') return false;
  const at = inboundExpiresAt(r);
  return at !== undefined && now.getTime() >= at.getTime();
}

/** When Microsoft's 14 days to take up a co-sell request end. */
export function microsoftDecisionEndsAt(r: Referral): Date | undefined {
  return r.microsoft?.requestedAt ? new Date(Date.parse(r.microsoft.requestedAt) + MICROSOFT_DECISION_DAYS * DAY_MS) : undefined;
}

/** Microsoft has not answered a co-sell request within its 14 days. */
export function microsoftDecisionDue(r: Referral, now: Date): boolean {
  const status = r.microsoft?.status;
  if (status !== 'Pending' && status !== 'Received') return false;
  const ends = microsoftDecisionEndsAt(r);
  return ends !== undefined && now.getTime() >= ends.getTime();
}

/** When the 72-hour gap between creation and Won ends, or undefined without a creation time. */
export function wonGapEndsAt(r: Referral): Date | undefined {
  return r.createdAt ? new Date(Date.parse(r.createdAt) + REGISTRATION_WON_GAP_HOURS * HOUR_MS) : undefined;
}

/**
 * The "answer by" dates a seller sees on the record, present only while the answer is still awaited:
 * ours on an inbound referral that is still New, Microsoft's on a co-sell request it has not taken up.
 */
export function answerByDates(r: Referral): { answerBy?: string; microsoftAnswerBy?: string } {
  const ours = r.direction === 'inbound' && r.status === 'New' ? inboundExpiresAt(r) : undefined;
  const status = r.microsoft?.status;
  const theirs = status === 'Pending' || status === 'Received' ? microsoftDecisionEndsAt(r) : undefined;
  return { ...(ours ? { answerBy: ours.toISOString() } : {}), ...(theirs ? { microsoftAnswerBy: theirs.toISOString() } : {}) };
}
