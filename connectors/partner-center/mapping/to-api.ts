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
  return apiReferral(referral, true);
}

/**
 * The referral as a create sends it: without the members the service assigns (`id`, `eTag`, the two
 * timestamps; `links` is never written), otherwise `referralToApi`'s members in its order.
 */
export function createBody(referral: Referral): ApiReferral {
  return apiReferral(referral, false);
}

/**
 * Member by member in the API's key order, each optional one only when it has a value (what `compact` of
 * one literal gave), converted in that order too (the first failure is the one thrown). Not `compact`: its
 * copy adds the members by key, and past 16 of them V8 keeps such an object in dictionary mode, which the
 * patch's diff and the request's serialisation then walked slowly.
 */
function apiReferral(referral: Referral, assigned: boolean): ApiReferral {
  const inviteContext = compact({
    notes: referral.notesToMicrosoft,
    invitedBy: referral.initiator ? compact({ organizationId: referral.initiator.id, organizationName: referral.initiator.name }) : undefined,
    assistanceRequestCode: referral.helpType ? HelpType.toApi(referral.helpType) : undefined,
  });
  const api: ApiReferral = {};
  if (assigned && referral.referralId !== undefined) api.id = referral.referralId;
  if (referral.engagementId !== undefined) api.engagementId = referral.engagementId;
  if (referral.dealName !== undefined) api.name = referral.dealName;
  if (referral.crmId !== undefined) api.externalReferenceId = referral.crmId;
  if (referral.location !== undefined) api.locationId = referral.location;
  if (assigned && referral.createdAt !== undefined) api.createdDateTime = referral.createdAt;
  if (assigned && referral.updatedAt !== undefined) api.updatedDateTime = referral.updatedAt;
  if (referral.expiresAt !== undefined) api.expirationDateTime = referral.expiresAt;
  if (referral.acceptedAt !== undefined) api.acceptedDateTime = referral.acceptedAt;
  api.status = ReferralStatus.toApi(referral.status);
  api.substatus = ReferralSubstatus.toApi(referral.substatus);
  if (referral.closeNotes !== undefined) api.statusReason = referral.closeNotes;
  if (referral.closeReason) api.statusReasonCode = CloseReason.toApi(referral.closeReason);
  // A private deal is visible to one partner (Independent); every other type is Shared (§1.8, §1.10).
  api.type = referral.dealType === 'private' ? 'Independent' : 'Shared';
  api.dealType = DealType.toApi(referral.dealType);
  api.direction = Direction.toApi(referral.direction);
  // Created, Accepted and Won have no salesStage value: status/substatus carry them (mappings/sales-stages.ts).
  const salesStage = referral.salesStage ? salesStageToApi(referral.salesStage) : undefined;
  if (salesStage !== undefined) api.salesStage = salesStage;
  if (referral.marketingCampaignId !== undefined) api.campaignId = referral.marketingCampaignId;
  if (referral.favorite !== undefined) api.favorite = referral.favorite;
  api.customerProfile = customerProfile(referral);
  api.consent = {
    // One canonical consent ("Consent to share Customer/Partner contact") answers both API questions.
    consentToShareInfoWithOthers: referral.consentToShareContacts,
    consentToContact: referral.consentToShareContacts,
    consentToShareReferralWithMicrosoftSellers: referral.shareWithMicrosoftSellers,
  };
  api.details = compact({
    notes: referral.notes,
    dealValue: referral.value,
    currency: referral.currency,
    closingDateTime: dateToApi(referral.closeDate),
    requirements: { solutions: referral.solutions.map(solutionToApi) },
  });
  api.team = referral.team.map(contactToMember);
  if (Object.keys(inviteContext).length > 0) api.inviteContext = inviteContext;
  api.target = targets(referral);
  if (assigned && referral.eTag !== undefined) api.eTag = referral.eTag;
  if (referral.microsoft) {
    api.microsoftEngagement = compact({
      status: MicrosoftStatus.toApi(referral.microsoft.status),
      requestedDateTime: referral.microsoft.requestedAt,
      crmId: referral.microsoft.crmId,
    });
  }
  api.partnerInvitations = referral.invitations.map(invitationToApi);
  if (referral.qualification !== undefined) api.qualification = referral.qualification;
  // Read-only on the service (never patched: SERVICE_OWNED_FIELDS); written for a faithful round trip.
  if (referral.registration) {
    api.dealRegistration = compact({ status: referral.registration.status, contractSignedDateTime: referral.registration.contractSignedAt, message: referral.registration.message });
  }
  return api;
}
