/**
 * Valid canonical referrals to start tests from: each passes every rule as it is, so a test changes one
 * thing and sees exactly that rule fire.
 */
import { emptyReferral, type Referral } from '../../core/model/index.js';

export const CREATED_AT = '2026-01-05T09:00:00.000Z';
export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

export function at(offsetMs: number, from = CREATED_AT): Date {
  return new Date(Date.parse(from) + offsetMs);
}

const team = [{ firstName: 'Bob', lastName: 'Partner', phone: '999999', email: 'Bob.partner@Contoso.com' }];
const customer = { name: 'Contoso Corporation', addressLine1: 'One Contoso Way', addressLine2: 'NE 148 street', city: 'Redmond', state: 'Washington', postalCode: '98052', country: 'US', duns: '081466849' }; // the full D-U-N-S number: the seed's 81466849 lost its leading zero (core/csv/leading-zeros.ts)
const customerContact = { firstName: 'John', lastName: 'Customer', phone: '9999999999', email: 'john.customer@contoso.com' };

/** An outbound private deal of ours, Active/Accepted as Partner Center creates it. */
export function outboundDeal(overrides: Partial<Referral> = {}): Referral {
  return emptyReferral({
    referralId: 'ebacdkdc-0b84-4ac4-b4ea-5b2587d42cee',
    engagementId: 'f7eaae47-0b84-4ac4-b4ea-5b2587d42cee',
    crmId: '006000000000001AAA',
    dealName: 'UK spring deal',
    location: 'loc-us-redmond',
    value: 12563,
    currency: 'USD',
    closeDate: '2026-06-30',
    marketingCampaignId: 'BingSummer2020',
    notes: 'This is a sample note',
    customer: { ...customer },
    customerContact: { ...customerContact },
    team: team.map((m) => ({ ...m })),
    solutions: [{ id: 'SOL-1234-PQRS', kind: 'own', currency: 'USD', price: 10, quantity: 100 }],
    dealType: 'private',
    direction: 'outbound',
    status: 'Active',
    substatus: 'Accepted',
    salesStage: 'Created',
    consentToShareContacts: true,
    initiator: { id: 'c0ffee00-0000-4000-8000-00000000c05e', name: 'Contoso Partner' },
    createdAt: CREATED_AT,
    updatedAt: CREATED_AT,
    acceptedAt: CREATED_AT,
    ...overrides,
  });
}

/** An outbound co-sell deal: help asked, shared, Microsoft's answer pending. */
export function coSellDeal(overrides: Partial<Referral> = {}): Referral {
  return outboundDeal({
    dealType: 'co-sell',
    helpType: 'proof-of-concept',
    shareWithMicrosoftSellers: true,
    microsoft: { status: 'Pending', requestedAt: CREATED_AT },
    ...overrides,
  });
}

/** An inbound referral Microsoft sent us, waiting for our answer (New/Pending). */
export function inboundFromMicrosoft(overrides: Partial<Referral> = {}): Referral {
  return outboundDeal({
    referralId: '1b0a1b0a-0000-4000-8000-000000000001',
    crmId: undefined,
    dealType: 'co-sell',
    direction: 'inbound',
    status: 'New',
    substatus: 'Pending',
    salesStage: undefined,
    shareWithMicrosoftSellers: true,
    initiator: { id: 'msft', name: 'Microsoft' },
    microsoft: { status: 'Accepted' },
    acceptedAt: undefined,
    expiresAt: new Date(Date.parse(CREATED_AT) + 14 * DAY_MS).toISOString(),
    ...overrides,
  });
}

/** A solution assessment deal with its one assessment and location. */
export function assessmentDeal(overrides: Partial<Referral> = {}): Referral {
  return outboundDeal({
    dealType: 'solution-assessment',
    shareWithMicrosoftSellers: true,
    solutions: [{ id: 'SOL-ASSESS-AZMIG', kind: 'assessment', assessmentLocation: 'US' }],
    salesStage: 'Created',
    ...overrides,
  });
}

/** A P2P deal of ours with one invited partner. */
export function p2pDeal(overrides: Partial<Referral> = {}): Referral {
  return outboundDeal({
    dealType: 'partner-to-partner',
    invitations: [
      {
        partner: { id: 'fab71ca0-0000-4000-8000-0000000fab71', name: 'Fabrikam' },
        value: 5000,
        currency: 'USD',
        closeDate: '2026-05-31',
        notes: 'Bring the data migration',
        team: [{ firstName: 'Pat', lastName: 'Fab', phone: '+1 425 555 0100', email: 'pat@fabrikam.example' }],
        solutions: [{ id: 'SOL-FAB-0001', kind: 'other-partner' }],
        helpWanted: 'Data migration',
        status: 'Pending',
      },
    ],
    ...overrides,
  });
}
