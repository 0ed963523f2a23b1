/**
 * Referrals for CSV tests. `manyReferrals` makes a varied, deterministic population: both directions,
 * every status Partner Center reports, help codes, reasons, several solutions and team members, notes
 * with line breaks, commas and quotes, non-ASCII names, and values a spreadsheet would run as formulas.
 */
import { CloseReason, HelpType, emptyReferral, deriveDealType, type Referral } from '../../../core/model/index.js';
import { outboundDeal } from '../../helpers/referrals.js';

/** The column table of the bulk CSV seed, transcribed by hand: the order the export must follow. */
export const DOCUMENTED_COLUMNS = [
  'Errors', 'Engagement ID', 'Referral ID', 'Deal Name', 'Customer Name', 'Customer Address Line 1', 'Customer Address Line 2',
  'Customer City', 'Customer State', 'Customer Postal Code', 'Customer Country', 'Customer D-U-N-S ID', 'Customer Contact First Name',
  'Customer Contact Last Name', 'Customer Contact Phone number', 'Customer Contact Email Address', 'Partner Referral Status',
  'Partner Referral Substatus', 'Microsoft Referral Status', 'Declined/Lost reason', 'Sales Stage', 'Estimated Deal Value', 'Currency',
  'Estimated Close Date', 'CRM ID', 'Marketing Campaign ID', 'Notes', 'Microsoft help required?', 'What specific help from Microsoft?',
  'Share with Microsoft sales team', 'Notes to Microsoft', 'Consent to share Customer/Partner contact',
] as const;

/** The seed's sample values, one per column ("Sample value(s)"). */
export const SEED_SAMPLE_ROW: Record<string, string> = {
  Errors: 'Mandatory field Solution 1 missing',
  'Engagement ID': 'f7eaae47-0b84-4ac4-b4ea-5b2587d42cee',
  'Referral ID': 'ebacdkdc-0b84-4ac4-b4ea-5b2587d42cee',
  'Deal Name': 'UK spring deal',
  'Customer Name': 'Contoso Corporation',
  'Customer Address Line 1': 'One Contoso Way',
  'Customer Address Line 2': 'NE 148 street',
  'Customer City': 'Redmond',
  'Customer State': 'Washington',
  'Customer Postal Code': '98052',
  'Customer Country': 'US',
  // The seed's sample is 81466849: Microsoft's D-U-N-S number, 081466849, with its leading zero lost as a
  // spreadsheet loses it. The import warns of that (csv.leading_zeros, sample-row.test.ts checks the seed's
  // text); the rows the tests build from this one carry the full number.
  'Customer D-U-N-S ID': '081466849',
  'Customer Contact First Name': 'John',
  'Customer Contact Last Name': 'Customer',
  'Customer Contact Phone number': '9999999999',
  'Customer Contact Email Address': 'john.customer@contoso.com',
  'Partner Referral Status': 'Active',
  'Partner Referral Substatus': 'Accepted',
  'Microsoft Referral Status': ' Pending',
  'Declined/Lost reason': '6',
  'Sales Stage': '40',
  'Estimated Deal Value': '12563',
  Currency: 'USD',
  'Estimated Close Date': '1/30/2020',
  'CRM ID': '34234324-sdfsdf-345345-sfd',
  'Marketing Campaign ID': 'BingSummer2020',
  Notes: 'This is a sample note',
  'Microsoft help required?': 'Yes',
  'What specific help from Microsoft?': '1',
  'Share with Microsoft sales team': 'Yes',
  'Notes to Microsoft': 'Need help with a POC for Contoso customer',
  'Consent to share Customer/Partner contact': 'Yes',
  'Solution 1': 'SOL-1234-PQRS, USD, 10, 100',
  'Team member 1': 'Bob, Partner, 999999, Bob.partner@Contoso.com',
};

export const SAMPLE_HEADER = [...DOCUMENTED_COLUMNS, 'Solution 1', 'Team member 1'];

const hex = (n: number, width = 12) => n.toString(16).padStart(width, '0');
const FORMULA_NAMES = ['=HYPERLINK("http://x","y")', '+SUM(1,2)', '-cmd|/C calc!A0', '@SUM(A1)', '\tTabbed deal', "'=already quoted"];
const NAMES = ['Zoë Ångström', 'José Núñez', 'Bob', 'Chloé', 'Łukasz', 'Nina'];

/** Deal `i` of a varied population; every one is a state Partner Center could hold. */
export function variedReferral(i: number): Referral {
  const inbound = i % 5 === 0;
  const kind = i % 7;
  const base = outboundDeal({
    referralId: `00000000-0000-4000-8000-${hex(i)}`,
    engagementId: `11111111-0000-4000-8000-${hex(i)}`,
    crmId: i % 3 === 0 ? undefined : `006${hex(i, 15)}`,
    dealName: i % 50 === 0 ? FORMULA_NAMES[(i / 50) % FORMULA_NAMES.length]! : `Deal ${i}, "phase ${i % 4}"`,
    value: i % 4 === 0 ? 1000 + i + 0.5 : 1000 + i,
    closeDate: `2026-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
    notes: i % 2 === 0 ? `Line one of ${i}\nLine two, with "quotes"; and a semicolon` : undefined,
    marketingCampaignId: i % 6 === 0 ? undefined : `CAMP-${i % 17}`,
    customerContact: i % 9 === 0 ? undefined : { firstName: NAMES[i % NAMES.length]!, lastName: 'Customer', phone: '+1 425 555 0100', email: `c${i}@customer.example` },
    team: Array.from({ length: 1 + (i % 3) }, (_, k) => ({ firstName: NAMES[(i + k) % NAMES.length]!, lastName: `Seller${k}`, phone: `+44 20 7946 ${String(1000 + k)}`, email: `s${i}.${k}@partner.example` })),
    solutions: Array.from({ length: 1 + (i % 4) }, (_, k) => ({ id: `SOL-${1000 + k}-ABCD`, kind: 'own' as const, ...(k % 2 === 0 ? { currency: 'USD', price: 10 + k, quantity: 1 + k } : {}) })),
    favorite: i % 10 === 0,
    updatedAt: new Date(Date.parse('2026-01-01T00:00:00Z') + i * 60_000).toISOString(),
  });
  if (kind === 1 || kind === 2) Object.assign(base, { helpType: HelpType.names[i % 6], shareWithMicrosoftSellers: true, microsoft: { status: 'Pending', requestedAt: base.createdAt }, customerContact: { firstName: 'Casey', lastName: 'Customer', phone: '+1 425 555 0100', email: `c${i}@customer.example` } });
  if (kind === 3) Object.assign(base, { shareWithMicrosoftSellers: true });
  if (kind === 4) Object.assign(base, { status: 'Closed', substatus: 'Won', salesStage: 'Won' });
  if (kind === 5) Object.assign(base, { status: 'Closed', substatus: 'Lost', closeReason: CloseReason.names[i % 8], salesStage: 'Proposed' });
  if (kind === 6) Object.assign(base, { salesStage: (['Qualified', 'Developed', 'Proposed', 'Negotiated'] as const)[i % 4] });
  if (inbound) Object.assign(base, { direction: 'inbound', status: 'New', substatus: 'Pending', salesStage: undefined, initiator: { id: 'msft', name: 'Microsoft' }, shareWithMicrosoftSellers: true, microsoft: { status: 'Accepted' } });
  base.dealType = deriveDealType(base);
  return base;
}

export function manyReferrals(count: number): Referral[] {
  return Array.from({ length: count }, (_, i) => variedReferral(i + 1));
}

/** A bare referral with the given overrides, for tests that need something minimal. */
export const bare = (overrides: Partial<Referral>) => emptyReferral(overrides);
