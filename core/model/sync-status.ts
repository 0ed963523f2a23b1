/**
 * What the engine writes back onto a CRM record for the seller to see: the sync state, the last message,
 * and the Partner Center facts the record shows (status, answer-by dates, registration follow-up).
 */
import type { DealType, Direction, MicrosoftStatus, ReferralStatus, ReferralSubstatus } from './enums.js';

/**
 * Every state a record can show, in the order the CRMs list them (the Salesforce picklist is built from it).
 * `pending`: the seller unticked "Sync with Partner Center" on a linked deal; sync resumes when it is ticked again.
 * `closed`: Partner Center's deal reached a final state (Won, Lost, declined, expired), which takes no more
 * changes, and the CRM record has since been edited: those edits stay in the CRM only, so the two disagree
 * and the record must not say "synced". It returns to "synced" when the CRM's values match again.
 */
export const SYNC_STATES = ['synced', 'pending', 'error', 'conflict', 'held', 'orphaned', 'closed'] as const;
export type SyncState = (typeof SYNC_STATES)[number];

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
  /**
   * The status fields as the CRM saved this status, when the org's save-time automation rewrote them
   * (`CrmWriteResult.savedStatus`, in the adapter's terms): what the record shows while it is unchanged.
   * Not part of what the status says (sameStatus leaves it out).
   */
  savedAs?: Readonly<Record<string, unknown>>;
}

/**
 * Status parts whose absence means "over" (no message, a Won no longer held, an answer given): every
 * adapter writes them as empty then, so the record never shows a stale date.
 */
export const STATUS_CLEARED_WHEN_ABSENT: ReadonlySet<keyof SyncStatus> = new Set(['message', 'heldUntil', 'answerBy', 'microsoftAnswerBy', 'registrationNote', 'registrationDeadline', 'registrationStatus']);

/**
 * Status parts only the connector writes and nothing reads as part of the deal: the record is read back
 * for them so that a seller's (or a CRM workflow's) edit of one is written over by the next sync, and the
 * record never says something false ("synced" on a parked record). The referral and engagement IDs,
 * Microsoft's status, the deal type, the direction and Partner Center's status are left out: they are read
 * as the deal's own fields, and a seller's edit of them is decided by the merge (owned-fields-note.ts).
 */
export const OWN_STATUS_PARTS: readonly (keyof SyncStatus)[] = [
  'state', 'message', 'lastSyncedAt', 'referralLink', 'registrationEligible', 'heldUntil', 'registrationNote', 'registrationDeadline',
  'registrationStatus', 'answerBy', 'microsoftAnswerBy',
];
