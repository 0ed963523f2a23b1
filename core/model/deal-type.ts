/**
 * Deal type follows from the answers a partner gives, not from a field of its own (seed "Creating a
 * Co-sell opportunity"; partner-center-api.md §1.10):
 * - a solution assessment is a deal whose solution is an assessment;
 * - inbound deals are co-sell when Microsoft sent them and partner-to-partner when a partner did;
 * - "If you select any option other than the default selection … the deal turns into a co-sell deal";
 * - inviting another partner makes a P2P deal;
 * - "Yes" to "Would you like Microsoft sellers to view this deal?" without help makes it partner-led;
 * - otherwise it is private.
 */
import { nameFromText } from './coded-enum.js';
import { DealType } from './enums.js';
import type { Referral } from './referral.js';

export const MICROSOFT_ORGANIZATION_ID = 'msft';

export type DealTypeInputs = Pick<Referral, 'solutions' | 'helpType' | 'invitations' | 'shareWithMicrosoftSellers' | 'direction' | 'initiator'>;

export function deriveDealType(deal: DealTypeInputs): DealType {
  if (deal.solutions.some((s) => s.kind === 'assessment')) return 'solution-assessment';
  if (deal.direction === 'inbound') {
    return deal.initiator && deal.initiator.id !== MICROSOFT_ORGANIZATION_ID ? 'partner-to-partner' : 'co-sell';
  }
  if (deal.helpType) return 'co-sell';
  if (deal.invitations.length > 0) return 'partner-to-partner';
  if (deal.shareWithMicrosoftSellers) return 'partner-led';
  return 'private';
}

/**
 * A deal type a person typed (a free-text CRM column): its canonical name, read as Partner Center and the
 * connector spell it (`co-sell`, `Co-sell deal`, `CoSell`, `Co-sell`, any case); `undefined` when it is none of them.
 */
export const dealTypeFromText = (text: string): DealType | undefined => nameFromText(DealType, text);
