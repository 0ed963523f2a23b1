/**
 * What the engine writes back onto a CRM record for the seller to see: the sync state, the last message,
 * and the Partner Center facts the record shows (status, answer-by dates, registration follow-up).
 */
import type { DealType, Direction, MicrosoftStatus, ReferralStatus, ReferralSubstatus } from './enums.js';

/** `pending`: the seller unticked "Sync with Partner Center" on a linked deal; sync resumes when it is ticked again. */
export type SyncState = 'synced' | 'pending' | 'error' | 'conflict' | 'held' | 'orphaned';

/** What the engine writes back onto the CRM record for the seller to see. */
export interface SyncStatus {
  state: SyncState;
  /** The last message for the seller: why a deal was refused, held or parked. Empty when synced. */
  message: string;
  lastSyncedAt?: string;
  referralId?: string;
  engagementId?: string;
  /** A link that opens the deal in Partner Center. */
  referralLink?: string;
  microsoftStatus?: MicrosoftStatus;
  /**
   * The referral's status as Partner Center holds it after this sync (the record's "Partner Center
   * status" field): written with every status change, so it never goes stale after a seller's action.
   */
  referralStatus?: { status: ReferralStatus; substatus: ReferralSubstatus };
  dealType?: DealType;
  direction?: Direction;
  registrationEligible?: boolean;
  /** Deal registration after Won: eligible or not and why, what to do, the contract condition (core/rules/registration-follow-up.ts). */
  registrationNote?: string;
  /** For an eligible deal: register by then (contract signature + 60 days). */
  registrationDeadline?: string;
  /** Partner Center's deal registration state (Registered, ActionRequired, Validated), when it carries one. */
  registrationStatus?: string;
  /** For a held Won: when the 72-hour gap ends. */
  heldUntil?: string;
  /** For an inbound referral still waiting for our answer: when its 14 days to accept or decline end. */
  answerBy?: string;
  /** For a co-sell request Microsoft has not answered: when Microsoft's 14 days to decide end. */
  microsoftAnswerBy?: string;
}

/**
 * Status parts whose absence means "over" (no message, a Won no longer held, an answer given): every
 * adapter writes them as empty then, so the record never shows a stale date.
 */
export const STATUS_CLEARED_WHEN_ABSENT: ReadonlySet<keyof SyncStatus> = new Set(['message', 'heldUntil', 'answerBy', 'microsoftAnswerBy', 'registrationNote', 'registrationDeadline', 'registrationStatus']);
