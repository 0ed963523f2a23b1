/** Canonical referrals with every field populated, for the mapping round-trip and the sandbox tests. */
import { emptyReferral, type Referral } from '../../core/model/index.js';
import { OTHER_PARTNER_ORG, OUR_PARTNER_ORG } from '../../sandbox/entra/index.js';

export const contact = (first: string, last: string, domain = 'contoso-partner.example') => ({
  firstName: first,
  lastName: last,
  phone: '+1 425 555 0100',
  email: `${first.toLowerCase()}.${last.toLowerCase()}@${domain}`,
});

/** An outbound P2P + co-sell deal with every canonical field set. */
export function fullOutboundReferral(overrides: Partial<Referral> = {}): Referral {
  return emptyReferral({
    referralId: '3f1c2a4e-1111-4000-8000-000000000001',
    engagementId: '3f1c2a4e-2222-4000-8000-000000000001',
    eTag: '"a1b2c3"',
    crmId: '006000000000001AAA',
    dealName: 'Contoso Azure migration',
    location: 'loc-us-redmond',
    value: 125000.5,
    currency: 'USD',
    closeDate: '2027-03-31',
    marketingCampaignId: 'CAMP-42',
    notes: 'Lift and shift of 40 VMs',
    customer: {
      name: 'Northwind Traders',
      addressLine1: '1 Main St',
      addressLine2: 'Suite 200',
      city: 'Redmond',
      state: 'WA',
      postalCode: '98052',
      country: 'US',
      duns: '123456789',
    },
    customerContact: contact('Nina', 'Customer', 'northwind.example'),
    team: [contact('Sam', 'Seller'), contact('Avery', 'Admin')],
    solutions: [
      { id: 'SOL-1234-PQRS', kind: 'own', name: 'Contoso Migrate', currency: 'USD', price: 10, quantity: 100, incentiveEligible: true, assessmentLocation: 'US' },
      { id: 'SOL-Microsoft365', kind: 'microsoft', name: 'Microsoft 365' },
    ],
    dealType: 'co-sell',
    direction: 'outbound',
    status: 'Active',
    substatus: 'Accepted',
    salesStage: 'Developed',
    helpType: 'technical-architecture',
    shareWithMicrosoftSellers: true,
    notesToMicrosoft: 'Need an architect for the landing zone',
    microsoft: { status: 'Accepted', requestedAt: '2026-11-01T10:00:00.000Z', crmId: 'MSX-0001' },
    invitations: [
      {
        partner: { id: OTHER_PARTNER_ORG, name: 'Fabrikam' },
        value: 20000,
        currency: 'USD',
        closeDate: '2027-02-28',
        notes: 'Please run the data migration',
        team: [contact('Sam', 'Seller')],
        solutions: [{ id: 'SOL-9999-FABR', kind: 'other-partner', name: 'Fabrikam Data' }],
        helpWanted: 'Data migration',
        status: 'Accepted',
      },
    ],
    initiator: { id: OUR_PARTNER_ORG, name: 'Contoso Partner' },
    consentToShareContacts: true,
    favorite: true,
    createdAt: '2026-11-01T10:00:00.000Z',
    updatedAt: '2026-11-02T10:00:00.000Z',
    acceptedAt: '2026-11-01T10:00:00.000Z',
    ...overrides,
  });
}

/** An inbound co-sell referral from Microsoft that was lost, with a reason. */
export function fullInboundLostReferral(): Referral {
  return fullOutboundReferral({
    direction: 'inbound',
    dealType: 'co-sell',
    status: 'Closed',
    substatus: 'Lost',
    salesStage: 'Proposed',
    closeReason: 'chose-another-vendor',
    closeNotes: 'Went with a competitor',
    invitations: [],
    initiator: { id: 'msft', name: 'Microsoft' },
    expiresAt: '2026-11-15T10:00:00.000Z',
    microsoft: { status: 'Lost' },
    qualification: 'SalesQualified',
    registration: { status: 'ActionRequired', contractSignedAt: '2026-11-10T00:00:00.000Z', message: 'Upload the signed contract' },
  });
}
