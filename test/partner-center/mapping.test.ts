/**
 * The Partner Center mapping: canonical → API → canonical is identity for fully populated referrals,
 * unknown enum values are refused with the referral and field named, and the documented JSON shapes read.
 */
import assert from 'node:assert/strict';
import { referralFromApi, referralToApi, ReferralMappingError } from '../../connectors/partner-center/mapping.js';
import { emptyReferral, SALES_STAGES, type Customer, type MicrosoftEngagement, type PartnerInvitation, type Referral, type Solution } from '../../core/model/index.js';
import { fullInboundLostReferral, fullOutboundReferral } from '../helpers/partner-center-sandbox-fixtures.js';

/** The create-response sample of partner-center-api.md §1.4/§1.10 (docs' shape, trimmed). */
const DOCUMENTED_RESPONSE = {
  id: 'b3b3c8e9-8f2f-4bd5-9d28-ed48b0d9c2b1',
  engagementId: '9a5a4b3f-1111-4a2d-9b8e-7c6d5e4f3a2b',
  organizationId: 'c0ffee00-0000-4000-8000-00000000c05e',
  organizationName: 'Contoso',
  name: 'Contoso Test Deal - [Private]',
  createdDateTime: '2019-05-02T05:09:02.3364664Z',
  updatedDateTime: '2019-05-02T05:09:02.3364664Z',
  status: 'Active',
  substatus: 'Accepted',
  type: 'Independent',
  qualification: 'SalesQualified',
  customerProfile: { name: 'Northwind', address: { addressLine1: '1 Main', city: 'Redmond', state: 'WA', postalCode: '98052', country: 'US' }, size: '1to50employees', team: [] },
  consent: { consentToToShareInfoWithOthers: true, consentToContact: true, consentToShareReferralWithMicrosoftSellers: false },
  details: { notes: 'n', dealValue: '10000', currency: 'USD', closingDateTime: '2019-06-30T00:00:00Z', requirements: { solutions: [{ id: 'SOL-1234-PQRS', name: 'x', type: 'Name', solutionType: '3P' }] } },
  team: [{ firstName: 'Jane', lastName: 'Doe', phoneNumber: '555', email: 'jane@contoso.com' }],
  target: [],
  eTag: '"0000f906-0000-0800-0000-5cca7afe0000"',
  links: { self: { uri: 'https://api.partner.microsoft.com/v1.0/engagments/referrals/b3b3c8e9', method: 'GET' } },
};

/** Every key of each canonical type: a field added to the model fails to compile here until the fixture and mapping cover it. */
const REFERRAL_KEYS: Record<keyof Referral, true> = {
  referralId: true, engagementId: true, eTag: true, crmId: true, dealName: true, location: true, value: true, currency: true, closeDate: true,
  marketingCampaignId: true, notes: true, customer: true, customerContact: true, team: true, solutions: true, dealType: true, direction: true,
  status: true, substatus: true, salesStage: true, helpType: true, shareWithMicrosoftSellers: true, notesToMicrosoft: true, microsoft: true,
  closeReason: true, closeNotes: true, invitations: true, initiator: true, consentToShareContacts: true, favorite: true, createdAt: true,
  updatedAt: true, acceptedAt: true, expiresAt: true, qualification: true, registration: true, crmInvitationRequests: true,
};
/** Fields only a CRM read sets, never sent to or read from Partner Center (kept in the link's base). */
const CRM_ONLY_KEYS: readonly (keyof Referral)[] = ['crmInvitationRequests'];
const CUSTOMER_KEYS: Record<keyof Customer, true> = { name: true, addressLine1: true, addressLine2: true, city: true, state: true, postalCode: true, country: true, duns: true };
const SOLUTION_KEYS: Record<keyof Solution, true> = { id: true, kind: true, name: true, currency: true, price: true, quantity: true, incentiveEligible: true, assessmentLocation: true };
const INVITATION_KEYS: Record<keyof PartnerInvitation, true> = { partner: true, value: true, currency: true, closeDate: true, notes: true, team: true, solutions: true, helpWanted: true, status: true };
const MICROSOFT_KEYS: Record<keyof MicrosoftEngagement, true> = { status: true, requestedAt: true, crmId: true };

describe('Partner Center mapping', () => {
  it('has fixtures that populate every canonical field between them', () => {
    const outbound = fullOutboundReferral();
    const inbound = fullInboundLostReferral();
    const has = (key: string) => (outbound as unknown as Record<string, unknown>)[key] !== undefined || (inbound as unknown as Record<string, unknown>)[key] !== undefined;
    assert.deepEqual(Object.keys(REFERRAL_KEYS).filter((k) => !has(k) && !CRM_ONLY_KEYS.includes(k as keyof Referral)), []);
    assert.deepEqual(Object.keys(CUSTOMER_KEYS).filter((k) => (outbound.customer as unknown as Record<string, unknown>)[k] === undefined), []);
    assert.deepEqual(Object.keys(SOLUTION_KEYS).filter((k) => (outbound.solutions[0] as unknown as Record<string, unknown>)[k] === undefined), []);
    assert.deepEqual(Object.keys(INVITATION_KEYS).filter((k) => (outbound.invitations[0] as unknown as Record<string, unknown>)[k] === undefined), []);
    assert.deepEqual(Object.keys(MICROSOFT_KEYS).filter((k) => (outbound.microsoft as unknown as Record<string, unknown>)[k] === undefined), []);
  });

  const cases: [string, Referral][] = [
    ['an outbound co-sell P2P deal', fullOutboundReferral()],
    ['an inbound lost deal with a reason', fullInboundLostReferral()],
    ['a private draft without ids', emptyReferral({ dealName: 'Draft', customer: { name: 'Fabrikam', country: 'DE' }, status: 'New', substatus: 'Pending' })],
  ];
  for (const [label, referral] of cases) {
    it(`round-trips ${label}: canonical → API → canonical is identity`, () => {
      const api = referralToApi(referral);
      // Through JSON, as on the wire.
      const back = referralFromApi(JSON.parse(JSON.stringify(api)));
      assert.deepEqual(back, referral);
    });
  }

  it('round-trips every sales stage consistent with its status', () => {
    for (const stage of SALES_STAGES) {
      const status = stage === 'Won' ? { status: 'Closed' as const, substatus: 'Won' as const } : { status: 'Active' as const, substatus: 'Accepted' as const };
      const direction = stage === 'Accepted' ? 'inbound' : 'outbound';
      const referral = fullOutboundReferral({ salesStage: stage, direction, ...status });
      assert.deepEqual(referralFromApi(referralToApi(referral)).salesStage, stage, stage);
    }
  });

  it('writes the documented API spellings', () => {
    const api = referralToApi(fullOutboundReferral());
    assert.equal(api.direction, 'Outgoing');
    assert.equal(api.type, 'Shared');
    assert.equal(api.salesStage, 'Develop');
    assert.equal(api.inviteContext?.assistanceRequestCode, 'CustomerTechnicalArchitecture');
    assert.equal(api.consent?.consentToShareReferralWithMicrosoftSellers, true);
    assert.equal(api.details?.closingDateTime, '2027-03-31T00:00:00Z');
    assert.deepEqual(api.customerProfile?.ids, [{ id: '123456789', profileType: 'Duns' }]);
    assert.deepEqual(api.team?.[0], { firstName: 'Sam', lastName: 'Seller', phoneNumber: '+1 425 555 0100', email: 'sam.seller@contoso-partner.example' });
    assert.deepEqual(api.target?.map((t) => t.id), ['msft', 'fab71ca0-0000-4000-8000-0000000fab71']);
    assert.equal(referralToApi(emptyReferral({ dealType: 'private' })).type, 'Independent');
  });

  it('reads a documented response: string dealValue, the doubled-To consent spelling, derived deal type', () => {
    const referral = referralFromApi(DOCUMENTED_RESPONSE);
    assert.equal(referral.value, 10000);
    assert.equal(referral.consentToShareContacts, true);
    assert.equal(referral.shareWithMicrosoftSellers, false);
    assert.equal(referral.dealType, 'private');
    assert.equal(referral.direction, 'outbound');
    assert.equal(referral.closeDate, '2019-06-30');
    assert.equal(referral.salesStage, 'Created');
    assert.deepEqual(referral.solutions, [{ id: 'SOL-1234-PQRS', kind: 'other-partner', name: 'x' }]);
  });

  it('reads the documented statusReason of a Declined or Lost referral as its close reason (no statusReasonCode needed)', () => {
    const lost = { ...DOCUMENTED_RESPONSE, status: 'Closed', substatus: 'Lost' };
    assert.equal(referralFromApi({ ...lost, statusReason: 'Customer chose another vendor' }).closeReason, 'chose-another-vendor');
    assert.equal(referralFromApi({ ...lost, statusReason: 'They went with a competitor after the pilot' }).closeReason, 'other');
    assert.equal(referralFromApi({ ...lost, statusReason: 'They went with a competitor after the pilot' }).closeNotes, 'They went with a competitor after the pilot');
    assert.equal(referralFromApi({ ...lost, statusReason: 'anything', statusReasonCode: 'NotACustomer' }).closeReason, 'not-a-customer', 'the extension wins when present');
    assert.equal(referralFromApi({ ...DOCUMENTED_RESPONSE, statusReason: 'a note' }).closeReason, undefined, 'an open referral has no close reason');
  });

  it('refuses an unknown enum value, naming the referral and the canonical field', () => {
    assert.throws(
      () => referralFromApi({ ...DOCUMENTED_RESPONSE, substatus: 'Archived' }),
      (error: unknown) => {
        assert.ok(error instanceof ReferralMappingError);
        assert.equal(error.field, 'substatus');
        assert.equal(error.referral, DOCUMENTED_RESPONSE.id);
        assert.match(error.message, /b3b3c8e9.*substatus.*Archived/);
        return true;
      },
    );
    assert.throws(
      () => referralFromApi({ ...DOCUMENTED_RESPONSE, details: { ...DOCUMENTED_RESPONSE.details, requirements: { solutions: [{ id: 'S', solutionType: '9P' }] } } }),
      (error: unknown) => error instanceof ReferralMappingError && error.field === 'solutions[0].kind',
    );
    assert.throws(() => referralFromApi({ ...DOCUMENTED_RESPONSE, status: 'None' }), (error: unknown) => error instanceof ReferralMappingError && error.field === 'status');
    assert.throws(() => referralFromApi({ ...DOCUMENTED_RESPONSE, salesStage: 'Closing' }), (error: unknown) => error instanceof ReferralMappingError && error.field === 'salesStage');
  });

  it('refuses a payload of the wrong shape with the API path', () => {
    assert.throws(
      () => referralFromApi({ ...DOCUMENTED_RESPONSE, team: 'everyone' }),
      (error: unknown) => error instanceof ReferralMappingError && error.field === 'team' && /b3b3c8e9/.test(error.message),
    );
    assert.throws(() => referralFromApi({ ...DOCUMENTED_RESPONSE, details: { dealValue: 'lots' } }), (error: unknown) => error instanceof ReferralMappingError && error.field === 'value');
  });
});
