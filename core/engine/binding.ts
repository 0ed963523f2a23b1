/**
 * Record binding (issue 14): when may a CRM record and a Partner Center referral that the state store
 * does not link be linked? Either side's pointer is a field a person can edit (the CRM's referral-ID
 * field; Partner Center's `externalReferenceId`), so one side's claim alone never binds: a seller could
 * otherwise pull another referral the organisation can see into their record, or push one into it.
 *
 * A claim binds when
 * - both sides name each other (the record's referral ID is the referral, and Partner Center shows the
 *   referral with this record's ID as its external reference), or
 * - the connector itself created one side for the other (a create intent was stored before the call, so
 *   a crash after the create is recovered): the created side names the other, and neither names a third;
 * - the referral is closed and names no CRM record, the record names it, and the record is the
 *   referral's deal (same customer name, and the same deal name or a record closed as the referral is).
 *   Partner Center takes no change on a closed deal, so one that was closed when the connector made its CRM
 *   record never took the record's ID, and once the store is lost only the CRM names it; nor did it take a
 *   deal name the seller edited after the close, so a won record renamed since is still its deal (until
 *   2026-12-06 it was parked after every rebuild until an admin ran `cosell link` again). A seller's
 *   referral ID typed into another deal does not carry that deal's customer and name or outcome, and a
 *   closed referral takes nothing from the CRM;
 * - the referral is open and names no CRM record, the record names it, the record is the referral's deal
 *   (same deal name and customer name), and no other CRM record names the referral. That is the record the
 *   connector made for the referral when the run that made it stopped before sending its ID to Partner
 *   Center (a targeted sync that failed after its create) and the store was then lost or rebuilt: the create
 *   intent went with the store. Until 2026-12-06 such a pair was parked for `cosell link` (model seeds 2211
 *   and 1812, `cosell state rebuild`). A seller's referral ID typed into another deal does not carry its
 *   names, and a copied ID (a cloned record) makes two records claim the referral: neither binds.
 * Anything else is parked with the reason; an admin who knows the two are the same deal confirms it with
 * `cosell link CRM-ID REFERRAL-ID` (core/cli/commands/link.ts), which links them directly when neither
 * is linked yet and Partner Center names no other record.
 *
 * Pure: the callers read both sides and the store.
 */
import { TERMINAL_SUBSTATUSES } from '../model/enums.js';
import type { Referral } from '../model/referral.js';
import type { Violation } from '../rules/violation.js';

export interface BindingClaim {
  crmId: string;
  referralId: string;
  /** What the CRM record's referral-ID field holds (undefined when empty). */
  crmNames?: string;
  /** Partner Center's `externalReferenceId` on the referral (undefined when empty). */
  partnerCenterNames?: string;
  /** The CRM record the store links this referral to, if any. */
  referralLinkedTo?: string;
  /** That link is orphaned because its CRM record was deleted (`crm-deleted`): the record that replaced it may take the referral over. */
  referralLinkDeleted?: boolean;
  /** The referral the store links this CRM record to, if any. */
  recordLinkedTo?: string;
  /** The connector stored a create intent for this pair (it created the referral, or the CRM record, itself). */
  createdByConnector?: boolean;
  /** The referral is in a final state (won, lost, declined, expired). */
  referralClosed?: boolean;
  /** The record carries the referral's deal name and customer name ({@link isSameDeal}). */
  sameDeal?: boolean;
  /** No other CRM record names the referral (asked of the CRM only where it decides: {@link mayBindAsOnlyClaimant}). */
  soleClaimant?: boolean;
}

type DealNames = Pick<Referral, 'dealName' | 'customer'> & Partial<Pick<Referral, 'substatus'>>;

/**
 * The two name the same deal: the same customer name, and the same deal name (case and spacing aside; a
 * name the CRM holds shortened counts) or, for a referral in a final state, a record closed the same way
 * (its name may have been edited after the close, which Partner Center never took). A record closed the
 * same way under the same deal name is the same deal whatever its customer's name is now.
 */
export function isSameDeal(crm: DealNames, pc: DealNames): boolean {
  const closedAlike = pc.substatus !== undefined && TERMINAL_SUBSTATUSES.includes(pc.substatus) && crm.substatus === pc.substatus;
  // "Terminal referrals can't be edited" (partner-center-api.md, 5): the customer's name on a record closed
  // as its referral is, under the same deal name, may have changed since the close (an account shared by
  // several deals renamed through another of them), which the referral never took. Until 2026-12-06 such a
  // record was parked after every rebuild (model seed 1807).
  const sameDealName = sameName(crm.dealName, pc.dealName);
  const sameCustomer = sameName(crm.customer?.name, pc.customer?.name);
  return closedAlike ? sameDealName || sameCustomer : sameDealName && sameCustomer;
}

/**
 * The record carries the referral's deal name (case and spacing aside; a name the CRM holds shortened
 * counts), as a record the connector made from the referral does whatever account it was matched to.
 */
export function carriesDealName(crm: DealNames, pc: DealNames): boolean {
  return sameName(crm.dealName, pc.dealName);
}

/**
 * Whether a record naming a referral is the connector's own create for it, by the create intent kept for
 * the referral (`crmIntentKept`: a create not finished, or one a stopped run made). The intent names the
 * referral, not a record, so it vouches only for a record carrying the referral's deal name: a seller's
 * other deal typing the referral's ID meanwhile is a claim like any other (test/unit/engine/intent-claim.test.ts).
 * Both phases ask it: the Partner Center phase meets such a record when the referral changed, the CRM phase
 * when the record did.
 */
export function isOwnCrmCreate(crmIntentKept: boolean, record: DealNames | undefined, referral: DealNames | undefined): boolean {
  return crmIntentKept && record !== undefined && referral !== undefined && carriesDealName(record, referral);
}

const SHORTENED = '…';

function sameName(crm: string | undefined, pc: string | undefined): boolean {
  const norm = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
  if (!crm || !pc) return false;
  const [c, p] = [norm(crm), norm(pc)];
  return c === p || (c.endsWith(SHORTENED) && c.length > 1 && p.startsWith(c.slice(0, -1).trimEnd()));
}

export type BindingVerdict = { bind: true } | { bind: false; reason: Violation };

const LINK_HINT = (c: BindingClaim) => `Same deal? Run "cosell link ${c.crmId} ${c.referralId}".`;

function refuse(field: string, message: string): BindingVerdict {
  return { bind: false, reason: { code: 'binding.unconfirmed', field, message, severity: 'error' } };
}

/**
 * Whether the claim binds if, and only if, the record is the only one naming the referral: the caller asks
 * the CRM for that only then (one query, on a pair that would otherwise be parked).
 */
export function mayBindAsOnlyClaimant(c: BindingClaim): boolean {
  return c.crmNames === c.referralId && c.partnerCenterNames === undefined && c.sameDeal === true && !c.referralClosed
    && c.referralLinkedTo === undefined && c.recordLinkedTo === undefined && !c.createdByConnector;
}

export function judgeBinding(c: BindingClaim): BindingVerdict {
  if (c.referralLinkedTo !== undefined && c.referralLinkedTo !== c.crmId && c.referralLinkDeleted) {
    // Until 2026-12-06 this said "unlink the other one first", which no command does: the referral stayed with the deleted record for good.
    return refuse('referralId', `Referral ${c.referralId} was linked to deleted record ${c.referralLinkedTo}. If this record replaces it, run "cosell link ${c.crmId} ${c.referralId}".`);
  }
  if (c.referralLinkedTo !== undefined && c.referralLinkedTo !== c.crmId) {
    return refuse('referralId', `Referral ${c.referralId} is already linked to CRM record ${c.referralLinkedTo}; it cannot also be this record's. Clear the referral ID on this record, or unlink the other one first.`);
  }
  if (c.recordLinkedTo !== undefined && c.recordLinkedTo !== c.referralId) {
    return refuse('referralId', `CRM record ${c.crmId} is already linked to referral ${c.recordLinkedTo}; referral ${c.referralId} cannot claim it too. Correct the CRM reference of referral ${c.referralId} in Partner Center.`);
  }
  const pcShowsRecord = c.partnerCenterNames === c.crmId;
  const crmShowsReferral = c.crmNames === c.referralId;
  if (pcShowsRecord && crmShowsReferral) return { bind: true };
  const pcNamesNoOther = c.partnerCenterNames === undefined || pcShowsRecord;
  const crmNamesNoOther = c.crmNames === undefined || crmShowsReferral;
  if (c.createdByConnector && pcNamesNoOther && crmNamesNoOther && (pcShowsRecord || crmShowsReferral)) return { bind: true };
  if (crmShowsReferral && c.partnerCenterNames === undefined && c.sameDeal && (c.referralClosed || c.soleClaimant)) return { bind: true };
  if (crmShowsReferral) {
    // Kept short: a CRM shows the first 255 characters of the status message (Salesforce's field size), and
    // the message opens with the CRM's label of the referral ID field ("Partner Center referral ID: …").
    const shown = c.partnerCenterNames ? `CRM record ${c.partnerCenterNames}` : 'no CRM record';
    return refuse('referralId', `Partner Center shows referral ${c.referralId} with ${shown}: not linked. ${LINK_HINT(c)} Else clear it here.`);
  }
  const named = c.crmNames ? `names referral ${c.crmNames}` : 'names no referral';
  return refuse('crmId', `Partner Center's referral ${c.referralId} points at CRM record ${c.crmId}, which ${named}: not linked. ${LINK_HINT(c)} Else correct the CRM reference in Partner Center.`);
}
