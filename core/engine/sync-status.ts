/**
 * What the seller sees on the CRM record: built from the merged deal and the engine's verdict, and
 * written only when it changed, so that a status write never becomes a change to sync again.
 */
import type { SyncState, SyncStatus } from './crm-port.js';
import { sameValue } from '../model/diff.js';
import type { Referral } from '../model/referral.js';
import { answerByDates } from '../rules/deadlines.js';
import { registrationFollowUp } from '../rules/registration-follow-up.js';
import { finalStateMessage } from './final-state.js';

export interface StatusInput {
  state: SyncState;
  message?: string;
  referral?: Referral;
  /** Partner Center's referral after this sync, when it differs from `referral` (a change it refused or a held Won). */
  partnerCenter?: Referral;
  referralLink?: string;
  heldUntil?: string;
  now: string;
}

export function buildStatus(input: StatusInput): SyncStatus {
  const r = input.referral;
  const pc = input.partnerCenter ?? r;
  return {
    state: input.state,
    message: input.message || (input.state === 'synced' && pc ? finalStateMessage(pc) : ''),
    lastSyncedAt: input.now,
    ...(r?.referralId ? { referralId: r.referralId } : {}),
    ...(r?.engagementId ? { engagementId: r.engagementId } : {}),
    ...(input.referralLink ? { referralLink: input.referralLink } : {}),
    ...(r?.microsoft?.status ? { microsoftStatus: r.microsoft.status } : {}),
    ...(pc?.referralId ? { referralStatus: { status: pc.status, substatus: pc.substatus } } : {}),
    ...(r ? { dealType: r.dealType, direction: r.direction, ...registrationParts(r, pc) } : {}),
    ...(input.heldUntil ? { heldUntil: input.heldUntil } : {}),
    // Partner Center's view decides whether an answer is still awaited (a seller's answer not yet taken leaves it).
    ...(pc ? answerByDates(pc) : {}),
  };
}

/**
 * Deal registration after Won, on the record: eligible or not and why; once won, the deadline and Partner
 * Center's registration state (read from Partner Center's view, which alone carries it).
 */
function registrationParts(r: Referral, pc: Referral | undefined): Partial<SyncStatus> {
  const followUp = registrationFollowUp({ ...r, ...(pc?.registration ? { registration: pc.registration } : {}) });
  if (r.substatus !== 'Won') return { registrationEligible: false };
  return {
    registrationEligible: followUp.eligible,
    registrationNote: followUp.note,
    ...(followUp.deadline ? { registrationDeadline: followUp.deadline } : {}),
    ...(followUp.registration ? { registrationStatus: followUp.registration.status } : {}),
  };
}

/** Same status apart from the time it was written (and the CRM's saved form of it): no need to write it again. */
export function sameStatus(a: SyncStatus | undefined, b: SyncStatus): boolean {
  if (!a) return false;
  const { lastSyncedAt: _a, savedAs: _savedA, ...restA } = a;
  const { lastSyncedAt: _b, savedAs: _savedB, ...restB } = b;
  return sameValue(restA, restB);
}
