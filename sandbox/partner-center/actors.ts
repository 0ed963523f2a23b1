/**
 * Acting as an organisation without HTTP: what the sandbox controls and tests use to make Microsoft or
 * another partner send a referral, answer one, invite a partner or mark a deal won. Everything goes
 * through the same service, and so through the same rules, as the API.
 */
import { CloseReason, emptyReferral, type Referral } from '../../core/model/index.js';
import type { ReferralService } from './domain/service.js';
import { fail, ok, type Result } from './failures.js';
import { MICROSOFT_ORG, OUR_PARTNER_ORG, type Organizations } from './organizations.js';
import type { StoredReferral } from './store.js';
import { writeWire } from './wire/from-canonical.js';
import type { WireReferral } from './wire/types.js';

export type Decision = 'accept' | 'decline' | 'won' | 'lost' | 'receive';

/** The status change a decision makes; declines and losses need a reason (bulk CSV seed). */
export function decisionChange(decision: Decision, reason: CloseReason = 'other'): Partial<WireReferral> {
  switch (decision) {
    case 'accept':
      return { status: 'Active', substatus: 'Accepted' };
    case 'receive':
      return { status: 'New', substatus: 'Received' };
    case 'won':
      return { status: 'Closed', substatus: 'Won' };
    case 'decline':
      return { status: 'Closed', substatus: 'Declined', ...closeReasonFields(reason) };
    case 'lost':
      return { status: 'Closed', substatus: 'Lost', ...closeReasonFields(reason) };
  }
}

/**
 * The documented `statusReason` (free text: the reason's label) and, optionally, the sandbox's
 * `statusReasonCode` extension (UNVERIFIED) for clients that read the reason as a code.
 */
function closeReasonFields(reason: CloseReason): Partial<WireReferral> {
  return { statusReason: CloseReason.label(reason), statusReasonCode: CloseReason.toApi(reason) };
}

/** A complete deal, valid under checkCreate, for an organisation to send. */
export function sampleDeal(org: Organizations, owner: string, overrides: Partial<Referral> = {}): Referral {
  const domain = owner === MICROSOFT_ORG ? 'microsoft.example' : owner === OUR_PARTNER_ORG ? 'contoso-partner.example' : 'fabrikam-partner.example';
  return emptyReferral({
    dealName: 'Woodgrove Bank cloud modernisation',
    location: org.get(owner)?.locations[0] ?? 'msft-global',
    value: 250_000,
    currency: 'USD',
    closeDate: '2027-06-30',
    notes: 'Customer wants to move its core banking analytics to Azure.',
    customer: { name: 'Woodgrove Bank', addressLine1: '500 Pine St', city: 'Seattle', state: 'WA', postalCode: '98101', country: 'US' },
    customerContact: { firstName: 'Wendy', lastName: 'Wood', phone: '+1 206 555 0142', email: 'wendy@woodgrove.example' },
    team: [{ firstName: 'Morgan', lastName: 'Seller', phone: '+1 425 555 0199', email: `morgan@${domain}` }],
    solutions: [{ id: 'SOL-Microsoft365', kind: 'microsoft', name: 'Microsoft 365' }],
    shareWithMicrosoftSellers: true,
    dealType: 'partner-led',
    consentToShareContacts: true,
    ...overrides,
  });
}

export interface OrgActions {
  /** Creates a referral of this organisation from canonical fields (through checkCreate). */
  create(deal: Referral, extra?: Partial<WireReferral>): Result<StoredReferral>;
  /**
   * Sends an inbound referral to `to` (our partner by default); returns the receiver's copy. `qualification`
   * sets how Partner Center classifies it (a lead when not SalesQualified: partner-center-api.md §1.8).
   */
  sendReferral(options?: { to?: string; locationId?: string; deal?: Partial<Referral>; qualification?: string }): Result<StoredReferral>;
  /**
   * Partner Center's own deal registration flow on this organisation's referral (Register now, then
   * Microsoft's validation): sets the read-only `dealRegistration` extension (UNVERIFIED).
   */
  register(referralId: string, registration: NonNullable<WireReferral['dealRegistration']>): Result<StoredReferral>;
  /** Answers this organisation's own referral in the engagement of `referralId` (any party's id). */
  respond(referralId: string, decision: Decision, reason?: CloseReason): Result<StoredReferral>;
  /** Invites `partner` to this organisation's referral in the engagement of `referralId`. */
  invite(referralId: string, partner: string): Result<StoredReferral>;
}

export function actionsFor(service: ReferralService, org: string): OrgActions {
  const orgs = service.orgs;
  const own = (referralId: string): Result<StoredReferral> => {
    const any = service.store.get(referralId);
    const mine = any && (any.organizationId === org ? any : service.store.inEngagement(any.engagementId).find((r) => r.organizationId === org));
    return mine ? ok(mine) : fail(404, 'itemNotFound', `${orgs.name(org)} has no referral in the engagement of ${referralId}.`, 'referral');
  };
  const actions: OrgActions = {
    create: (deal, extra = {}) => service.create(orgs.adminCaller(org), { ...writeWire(deal), ...extra }),
    sendReferral: ({ to = OUR_PARTNER_ORG, locationId, deal = {}, qualification } = {}) => {
      const target = { type: 'BusinessProfileLocation', id: to, ...(locationId ? { locationId } : {}) };
      const sent = org === MICROSOFT_ORG
        ? actions.create(sampleDeal(orgs, org, deal), { target: [target] })
        : actions.create(
            sampleDeal(orgs, org, {
              dealType: 'partner-to-partner',
              invitations: [{ partner: { id: to, name: orgs.name(to) }, value: 50_000, currency: 'USD', closeDate: '2027-05-31', notes: 'Join us on this deal', team: sampleDeal(orgs, org).team, solutions: [{ id: 'SOL-2001-FABR', kind: 'other-partner', name: 'Fabrikam Analytics' }] }],
              ...deal,
            }),
            { target: [target] },
          );
      if (!sent.ok) return sent;
      const copy = service.store.inEngagement(sent.value.engagementId).find((r) => r.organizationId === to);
      if (!copy) return fail(500, 'generalException', 'The inbound copy was not created.');
      return qualification ? service.change(to, copy.id, (json) => ok(Object.assign(json, { qualification })), { actor: 'microsoft' }) : ok(copy);
    },
    respond: (referralId, decision, reason) => {
      const mine = own(referralId);
      if (!mine.ok) return mine;
      return service.change(org, mine.value.id, (json) => ok(Object.assign(json, decisionChange(decision, reason))));
    },
    invite: (referralId, partner) => {
      const mine = own(referralId);
      if (!mine.ok) return mine;
      return service.change(org, mine.value.id, (json) => ok(Object.assign(json, { target: [...(json.target ?? []), { type: 'BusinessProfileLocation', id: partner }] })));
    },
    register: (referralId, registration) => {
      const mine = own(referralId);
      if (!mine.ok) return mine;
      if (mine.value.substatus !== 'Won') return fail(400, 'invalidRequest', 'Only a won deal can be registered (seed: register "after marking the deal as won").', 'substatus');
      return service.change(org, mine.value.id, (json) => ok(Object.assign(json, { dealRegistration: registration })), { actor: 'microsoft' });
    },
  };
  return actions;
}
