/**
 * A canonical deal written as the create body a client following "Create a referral" would send:
 * what the sandbox's controls, seeds and the bulk generator use to make Microsoft or a partner send
 * a referral. The sandbox's own writing, independent of the connector's mapping.
 */
import {
  CloseReason,
  HelpType,
  MICROSOFT_ORGANIZATION_ID,
  ReferralStatus,
  ReferralSubstatus,
  SolutionKind,
  salesStageToApi,
  type Contact,
  type Referral,
  type Solution,
} from '../../../core/model/index.js';
import type { WireMember, WireReferral, WireSolution, WireTarget } from './types.js';

/** Drops `undefined` members so the JSON carries only what the deal has. */
function defined<T extends Record<string, unknown>>(object: T): T {
  for (const key of Object.keys(object)) if (object[key] === undefined) delete object[key];
  return object;
}

const member = (c: Contact): WireMember => ({ firstName: c.firstName, lastName: c.lastName, phoneNumber: c.phone, email: c.email });
const instant = (date: string | undefined) => (date === undefined ? undefined : `${date}T00:00:00Z`);

function solution(s: Solution): WireSolution {
  return defined({
    id: s.id,
    name: s.name,
    type: 'Name',
    solutionType: SolutionKind.toApi(s.kind),
    currency: s.currency,
    price: s.price,
    quantity: s.quantity,
    incentiveEligible: s.incentiveEligible,
    assessmentLocation: s.assessmentLocation,
  }) as WireSolution;
}

/** Invited organisations: Microsoft when help is asked of it, and each invited partner ("Referral resources", Target). */
function targets(deal: Referral): WireTarget[] {
  const out: WireTarget[] = deal.helpType ? [{ type: 'BusinessProfileLocation', id: MICROSOFT_ORGANIZATION_ID }] : [];
  for (const inv of deal.invitations) out.push({ type: 'BusinessProfileLocation', id: inv.partner.id });
  return out;
}

export function writeWire(deal: Referral): WireReferral {
  const { customer } = deal;
  return defined({
    name: deal.dealName,
    externalReferenceId: deal.crmId,
    locationId: deal.location,
    status: ReferralStatus.toApi(deal.status),
    substatus: ReferralSubstatus.toApi(deal.substatus),
    statusReason: deal.closeNotes,
    // Sandbox extension (UNVERIFIED), optional: the reason as a code, for clients that read it.
    statusReasonCode: deal.closeReason ? CloseReason.toApi(deal.closeReason) : undefined,
    // Independent = visible to one partner (a private deal); every other deal is Shared.
    type: deal.dealType === 'private' ? 'Independent' : 'Shared',
    salesStage: deal.salesStage ? salesStageToApi(deal.salesStage) : undefined,
    campaignId: deal.marketingCampaignId,
    favorite: deal.favorite,
    customerProfile: {
      name: customer.name,
      address: defined({ addressLine1: customer.addressLine1, addressLine2: customer.addressLine2, city: customer.city, state: customer.state, postalCode: customer.postalCode, country: customer.country }),
      team: deal.customerContact ? [member(deal.customerContact)] : [],
      ids: customer.duns ? [{ id: customer.duns, profileType: 'Duns' }] : [],
    },
    consent: {
      consentToShareInfoWithOthers: deal.consentToShareContacts,
      consentToContact: deal.consentToShareContacts,
      consentToShareReferralWithMicrosoftSellers: deal.shareWithMicrosoftSellers,
    },
    details: defined({
      notes: deal.notes,
      dealValue: deal.value,
      currency: deal.currency,
      closingDateTime: instant(deal.closeDate),
      requirements: { solutions: deal.solutions.map(solution) },
    }),
    team: deal.team.map(member),
    inviteContext: deal.notesToMicrosoft || deal.initiator || deal.helpType
      ? defined({
          notes: deal.notesToMicrosoft,
          invitedBy: deal.initiator ? defined({ organizationId: deal.initiator.id, organizationName: deal.initiator.name }) : undefined,
          assistanceRequestCode: deal.helpType ? HelpType.toApi(deal.helpType) : undefined,
        })
      : undefined,
    target: targets(deal),
    partnerInvitations: deal.invitations.map((inv) =>
      defined({
        organizationId: inv.partner.id,
        organizationName: inv.partner.name,
        dealValue: inv.value,
        currency: inv.currency,
        closingDateTime: instant(inv.closeDate) ?? '',
        notes: inv.notes,
        team: inv.team.map(member),
        solutions: inv.solutions.map(solution),
        helpWanted: inv.helpWanted,
        substatus: inv.status === undefined ? undefined : ReferralSubstatus.toApi(inv.status),
      }),
    ),
  }) as WireReferral;
}
