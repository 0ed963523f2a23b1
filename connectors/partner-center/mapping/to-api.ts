/**
 * Canonical referral → Partner Center JSON. Pure, and loses nothing the canonical model holds: every
 * canonical field has a documented API home or a sandbox extension (listed in api-types.ts), so that
 * `referralFromApi(referralToApi(r))` is `r` for a fully populated referral (test/partner-center/mapping.test.ts).
 */
import {
  CloseReason,
  DealType,
  Direction,
  HelpType,
  MICROSOFT_ORGANIZATION_ID,
  MicrosoftStatus,
  ReferralStatus,
  ReferralSubstatus,
  salesStageToApi,
  type PartnerInvitation,
  type Referral,
} from '../../../core/model/index.js';
import type { ApiAddress, ApiCustomerProfile, ApiPartnerInvitation, ApiReferral, ApiTarget } from '../api-types.js';
import { contactToMember, solutionToApi } from './contact.js';
import { compact, dateToApi } from './values.js';

function customerProfile(referral: Referral): ApiCustomerProfile {
  const { customer } = referral;
  const address = compact({
    addressLine1: customer.addressLine1,
    addressLine2: customer.addressLine2,
    city: customer.city,
    state: customer.state,
    postalCode: customer.postalCode,
    country: customer.country,
  }) as ApiAddress;
  return {
    name: customer.name,
    address,
    team: referral.customerContact ? [contactToMember(referral.customerContact)] : [],
    ids: customer.duns ? [{ id: customer.duns, profileType: 'Duns' }] : [],
  };
}

function invitationToApi(invitation: PartnerInvitation): ApiPartnerInvitation {
  return compact({
    organizationId: invitation.partner.id,
    organizationName: invitation.partner.name,
    dealValue: invitation.value,
    currency: invitation.currency,
    closingDateTime: dateToApi(invitation.closeDate) ?? '',
    notes: invitation.notes,
    team: invitation.team.map(contactToMember),
    solutions: invitation.solutions.map(solutionToApi),
    helpWanted: invitation.helpWanted,
    substatus: invitation.status === undefined ? undefined : ReferralSubstatus.toApi(invitation.status),
  }) as ApiPartnerInvitation;
}

/**
 * `target` names the invited organisations (§1.7 Target; §1.10 "shared referral" recipe): Microsoft
 * (`msft`) when help is asked of it, and each invited partner. It is derived, never read back.
 */
function targets(referral: Referral): ApiTarget[] {
  const list: ApiTarget[] = [];
  if (referral.helpType) list.push({ type: 'BusinessProfileLocation', id: MICROSOFT_ORGANIZATION_ID });
  for (const invitation of referral.invitations) list.push({ type: 'BusinessProfileLocation', id: invitation.partner.id });
  return list;
}

export function referralToApi(referral: Referral): ApiReferral {
  const inviteContext = compact({
    notes: referral.notesToMicrosoft,
    invitedBy: referral.initiator ? compact({ organizationId: referral.initiator.id, organizationName: referral.initiator.name }) : undefined,
    assistanceRequestCode: referral.helpType ? HelpType.toApi(referral.helpType) : undefined,
  });
  return compact({
    id: referral.referralId,
    engagementId: referral.engagementId,
    name: referral.dealName,
    externalReferenceId: referral.crmId,
    locationId: referral.location,
    createdDateTime: referral.createdAt,
    updatedDateTime: referral.updatedAt,
    expirationDateTime: referral.expiresAt,
    acceptedDateTime: referral.acceptedAt,
    status: ReferralStatus.toApi(referral.status),
    substatus: ReferralSubstatus.toApi(referral.substatus),
    statusReason: referral.closeNotes,
    statusReasonCode: referral.closeReason ? CloseReason.toApi(referral.closeReason) : undefined,
    // A private deal is visible to one partner (Independent); every other type is Shared (§1.8, §1.10).
    type: referral.dealType === 'private' ? 'Independent' : 'Shared',
    dealType: DealType.toApi(referral.dealType),
    direction: Direction.toApi(referral.direction),
    // Created, Accepted and Won have no salesStage value: status/substatus carry them (mappings/sales-stages.ts).
    salesStage: referral.salesStage ? salesStageToApi(referral.salesStage) : undefined,
    campaignId: referral.marketingCampaignId,
    favorite: referral.favorite,
    customerProfile: customerProfile(referral),
    consent: {
      // One canonical consent ("Consent to share Customer/Partner contact") answers both API questions.
      consentToShareInfoWithOthers: referral.consentToShareContacts,
      consentToContact: referral.consentToShareContacts,
      consentToShareReferralWithMicrosoftSellers: referral.shareWithMicrosoftSellers,
    },
    details: compact({
      notes: referral.notes,
      dealValue: referral.value,
      currency: referral.currency,
      closingDateTime: dateToApi(referral.closeDate),
      requirements: { solutions: referral.solutions.map(solutionToApi) },
    }),
    team: referral.team.map(contactToMember),
    inviteContext: Object.keys(inviteContext).length > 0 ? inviteContext : undefined,
    target: targets(referral),
    eTag: referral.eTag,
    microsoftEngagement: referral.microsoft
      ? compact({
          status: MicrosoftStatus.toApi(referral.microsoft.status),
          requestedDateTime: referral.microsoft.requestedAt,
          crmId: referral.microsoft.crmId,
        })
      : undefined,
    partnerInvitations: referral.invitations.map(invitationToApi),
    qualification: referral.qualification,
    // Read-only on the service (never patched: SERVICE_OWNED_FIELDS); written for a faithful round trip.
    dealRegistration: referral.registration
      ? compact({ status: referral.registration.status, contractSignedDateTime: referral.registration.contractSignedAt, message: referral.registration.message })
      : undefined,
  }) as ApiReferral;
}
