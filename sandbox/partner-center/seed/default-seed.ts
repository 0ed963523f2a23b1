/**
 * Realistic starting data for the demo and tests: our company's outbound deals of every type across
 * its three locations, inbound referrals from Microsoft and from Fabrikam in every state (one already
 * expired), and the other parties' referrals in each shared engagement. Everything is created through
 * the service, so it obeys the same rules as API traffic; creation dates are spread over the past weeks
 * by moving the sandbox clock back while creating.
 */
import type { Referral } from '../../../core/model/index.js';
import { actionsFor, sampleDeal, type Decision } from '../actors.js';
import type { ReferralService } from '../domain/service.js';
import type { Result } from '../failures.js';
import { MICROSOFT_ORG, OTHER_PARTNER_ORG, OUR_PARTNER_ORG } from '../organizations.js';
import type { StoredReferral } from '../store.js';

const DAY_MS = 86_400_000;

const SAM = { firstName: 'Sam', lastName: 'Seller', phone: '+1 425 555 0101', email: 'sam@contoso-partner.example' };
const AVERY = { firstName: 'Avery', lastName: 'Admin', phone: '+1 425 555 0100', email: 'admin@contoso-partner.example' };
const LENA = { firstName: 'Lena', lastName: 'Vogel', phone: '+49 89 555 0100', email: 'lena@contoso-partner.example' };

const CUSTOMERS = [
  { name: 'Woodgrove Bank', addressLine1: '500 Pine St', city: 'Seattle', state: 'WA', postalCode: '98101', country: 'US' },
  { name: 'Alpine Ski House', addressLine1: 'Leopoldstr. 10', city: 'München', postalCode: '80802', country: 'DE' },
  { name: 'Tailspin Toys', addressLine1: '1-1 Marunouchi', city: 'Tokyo', postalCode: '100-0005', country: 'JP' },
  { name: 'Northwind Traders', addressLine1: '1 Main St', city: 'Redmond', state: 'WA', postalCode: '98052', country: 'US' },
  { name: 'Wide World Importers', addressLine1: '20 King St', city: 'London', postalCode: 'EC2V 8EH', country: 'GB' },
];

function must(result: Result<StoredReferral>, what: string): StoredReferral {
  if (!result.ok) throw new Error(`Seeding "${what}" failed: ${result.failure.message}`);
  return result.value;
}

export function seedDefaultData(service: ReferralService): void {
  const clock = service.clock;
  const base = clock.now();
  const at = <T>(daysAgo: number, work: () => T): T => {
    clock.set(new Date(base.getTime() - daysAgo * DAY_MS));
    try {
      return work();
    } finally {
      clock.set(base);
    }
  };
  const us = actionsFor(service, OUR_PARTNER_ORG);
  const msft = actionsFor(service, MICROSOFT_ORG);
  const fabrikam = actionsFor(service, OTHER_PARTNER_ORG);
  const ours = (name: string, i: number, overrides: Partial<Referral>) =>
    sampleDeal(service.orgs, OUR_PARTNER_ORG, {
      dealName: name,
      customer: CUSTOMERS[i % CUSTOMERS.length] as Referral['customer'],
      team: [SAM, AVERY],
      location: 'loc-us-redmond',
      ...overrides,
    });

  // Outbound, one of each deal type, across locations.
  at(30, () => must(us.create(ours('Northwind private pilot', 3, { dealType: 'private', shareWithMicrosoftSellers: false })), 'private'));
  at(28, () => must(us.create(ours('Alpine Ski House analytics', 1, { location: 'loc-de-munich', currency: 'EUR', value: 80_000, team: [LENA] })), 'partner-led'));
  const coSell = at(25, () => must(us.create(ours('Woodgrove landing zone', 0, { dealType: 'co-sell', helpType: 'technical-architecture', notesToMicrosoft: 'Need an Azure architect' })), 'co-sell'));
  at(20, () => must(msft.respond(coSell.id, 'accept'), 'Microsoft accepts co-sell'));
  at(3, () => must(us.create(ours('Tailspin Teams rollout', 2, { location: 'loc-jp-tokyo', currency: 'JPY', value: 12_000_000, dealType: 'co-sell', helpType: 'quotes-licensing', team: [AVERY] })), 'co-sell pending'));
  const p2p = at(18, () =>
    must(us.create(ours('Wide World data platform', 4, {
      dealType: 'partner-to-partner',
      invitations: [{ partner: { id: OTHER_PARTNER_ORG, name: 'Fabrikam Partner' }, value: 30_000, currency: 'USD', closeDate: '2027-04-30', notes: 'Data migration', team: [SAM], solutions: [{ id: 'SOL-2001-FABR', kind: 'other-partner', name: 'Fabrikam Analytics' }] }],
    })), 'P2P'),
  );
  at(15, () => must(fabrikam.respond(p2p.id, 'accept'), 'Fabrikam accepts P2P'));
  const won = at(40, () => must(us.create(ours('Northwind Dynamics 365', 3, { solutions: [{ id: 'SOL-1234-PQRS', kind: 'own', name: 'Contoso Migrate', incentiveEligible: true }] })), 'won'));
  at(2, () => must(us.respond(won.id, 'won'), 'mark won'));
  const lost = at(35, () => must(us.create(ours('Woodgrove security review', 0, {})), 'lost'));
  at(10, () => must(us.respond(lost.id, 'lost', 'chose-another-vendor'), 'mark lost'));
  at(12, () =>
    must(us.create(ours('Alpine Ski House assessment', 1, {
      location: 'loc-de-munich', currency: 'EUR', dealType: 'solution-assessment', team: [LENA],
      solutions: [{ id: 'SOL-ASSESS-AZMIG', kind: 'assessment', name: 'Azure migration assessment', assessmentLocation: 'DE' }],
    })), 'assessment'),
  );
  for (let i = 0; i < 10; i += 1) {
    const location = ['loc-us-redmond', 'loc-de-munich', 'loc-jp-tokyo'][i % 3] as string;
    at(60 - i * 5, () => must(us.create(ours(`Pipeline deal ${i + 1}`, i, { location, value: 10_000 * (i + 1), team: i % 2 ? [SAM] : [AVERY] })), `pipeline ${i}`));
  }

  // Inbound from Microsoft, in every state; one left unanswered for more than 14 days.
  const inbound = (daysAgo: number, from: typeof msft, name: string, decision?: Decision, locationId = 'loc-us-redmond') => {
    const copy = at(daysAgo, () => must(from.sendReferral({ locationId, deal: { dealName: name, customer: CUSTOMERS[daysAgo % CUSTOMERS.length] as Referral['customer'] } }), name));
    if (decision) at(Math.max(0, daysAgo - 2), () => must(us.respond(copy.id, decision, decision === 'decline' ? 'not-a-customer' : 'other'), `${name}: ${decision}`));
    return copy;
  };
  inbound(1, msft, 'Microsoft: Contoso Retail AI');
  inbound(4, msft, 'Microsoft: Fourth Coffee Azure', 'receive');
  inbound(9, msft, 'Microsoft: Litware SAP on Azure', 'accept');
  inbound(6, msft, 'Microsoft: Adatum security', 'decline', 'loc-de-munich');
  inbound(20, msft, 'Microsoft: Proseware (unanswered)');
  inbound(2, fabrikam, 'Fabrikam: Lucerne Publishing');
  inbound(8, fabrikam, 'Fabrikam: Trey Research', 'accept');
  inbound(5, fabrikam, 'Fabrikam: Margie Travel', 'decline');
  service.expireDue();
}
