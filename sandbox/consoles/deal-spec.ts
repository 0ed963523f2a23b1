/** Deals a seller creates in the demo and the end-to-end tests: a realistic deal with overrides. */
import type { DealSpec } from './types.js';

export function dealSpec(name: string, extra: Partial<DealSpec> = {}): DealSpec {
  const slug = name.toLowerCase().replace(/\W+/g, '');
  return {
    name,
    value: 48_000,
    currency: 'USD',
    closeDate: '2027-03-31',
    notes: 'Opened from the CRM',
    customer: { name: `${name} Customer Ltd`, street: '1 Main Street', city: 'Seattle', state: 'WA', postalCode: '98101', country: 'US', duns: '123456789' },
    contact: { firstName: 'Casey', lastName: 'Customer', phone: '+1 206 555 0100', email: `casey.${slug}@customer.example` },
    team: [{ firstName: 'Sam', lastName: 'Seller', phone: '+1 425 555 0101', email: 'sam.seller@partner.example' }],
    solutions: [{ id: 'SOL-1234-PQRS', kind: 'own' }],
    optIn: true,
    consent: true,
    ...extra,
  };
}
