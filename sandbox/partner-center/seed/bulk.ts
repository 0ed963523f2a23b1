/**
 * A bulk generator for paging tests and the benchmark: `count` outbound referrals of one organisation,
 * written straight into the store (2,000 in tens of milliseconds, 50,000 in about a second). It
 * bypasses the rules for speed, so every record is built valid: complete team and customer, a solution,
 * consent, and a status pair from the documented table.
 */
import { randomUUID } from 'node:crypto';
import { emptyReferral } from '../../../core/model/index.js';
import { newETag } from '../domain/derived.js';
import { writeWire } from '../wire/from-canonical.js';
import { OUR_PARTNER_ORG, type Organizations } from '../organizations.js';
import type { ReferralStore, StoredReferral } from '../store.js';

const COUNTRIES = ['US', 'DE', 'JP', 'GB', 'FR', 'CA', 'AU', 'IN'];
const STATES = [
  { status: 'Active', substatus: 'Accepted' },
  { status: 'Active', substatus: 'Accepted' },
  { status: 'Closed', substatus: 'Won' },
  { status: 'Closed', substatus: 'Lost', statusReason: 'Customer chose another vendor', statusReasonCode: 'CustomerChoseAnotherVendor' },
] as const;

export interface BulkOptions {
  org?: string;
  /** Creation times are spread over this many days before `now`. */
  spreadDays?: number;
  now?: Date;
  /** Team member e-mail on every generated deal (a Referrals User sees them). */
  teamEmail?: string;
}

export function generateBulk(store: ReferralStore, orgs: Organizations, count: number, options: BulkOptions = {}): StoredReferral[] {
  const org = options.org ?? OUR_PARTNER_ORG;
  const now = (options.now ?? new Date()).getTime();
  const spreadMs = (options.spreadDays ?? 365) * 86_400_000;
  const locations = orgs.get(org)?.locations ?? ['loc-1'];
  const template = writeWire(
    emptyReferral({
      value: 1,
      currency: 'USD',
      closeDate: '2027-12-31',
      customer: { name: '', addressLine1: '1 Bulk Way', city: 'Redmond', country: 'US' },
      team: [{ firstName: 'Bulk', lastName: 'Seller', phone: '+1 425 555 0000', email: options.teamEmail ?? 'bulk@contoso-partner.example' }],
      solutions: [{ id: 'SOL-Microsoft365', kind: 'microsoft', name: 'Microsoft 365' }],
      shareWithMicrosoftSellers: true,
      dealType: 'partner-led',
      consentToShareContacts: true,
      initiator: { id: org, name: orgs.name(org) },
    }),
  );
  // JSON.parse of one template string is the cheapest deep copy for tens of thousands of records.
  const templateText = JSON.stringify(template);
  const created: StoredReferral[] = [];
  for (let i = 0; i < count; i += 1) {
    const at = new Date(now - spreadMs + Math.floor((spreadMs * i) / Math.max(1, count))).toISOString();
    const state = STATES[i % STATES.length] as (typeof STATES)[number];
    const json = JSON.parse(templateText) as StoredReferral;
    Object.assign(json, {
      id: randomUUID(),
      engagementId: randomUUID(),
      organizationId: org,
      organizationName: orgs.name(org),
      name: `Bulk deal ${i + 1}`,
      locationId: locations[i % locations.length],
      createdDateTime: at,
      updatedDateTime: at,
      acceptedDateTime: at,
      eTag: newETag(),
      ...state,
    });
    const profile = json.customerProfile as { name: string; address: { country: string } };
    profile.name = `Bulk customer ${i % 997}`;
    profile.address.country = COUNTRIES[i % COUNTRIES.length] ?? 'US';
    (json.details as { dealValue: number }).dealValue = 1_000 + (i % 500) * 100;
    store.put(json);
    created.push(json);
  }
  return created;
}
