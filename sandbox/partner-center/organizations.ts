/**
 * The companies in the sandbox and who acts for them. Partner Center knows a caller by the signed-in
 * user's organisation and roles (partner-center-api.md §1.2); the sandbox reads them from the Entra
 * sandbox's token claims (`partner_org`, `roles`, `upn`) and the user's location scope from its own
 * table, since location scopes are Partner Center data rather than Entra ID claims.
 */
import { MICROSOFT_ORG, OTHER_PARTNER_ORG, OUR_PARTNER_ORG, SANDBOX_USERS } from '../entra/seed.js';
import type { Actor } from '../../core/model/enums.js';

export interface Organization {
  id: string;
  name: string;
  /** MPN location scopes; the first is where inbound referrals land unless the sender names one. */
  locations: string[];
  /**
   * Vetted by the solution assessments business team: only such partners may create solution assessment
   * deals (seed "Solution Assessment (SA)"). Sandbox data; the live API's flag for it is UNVERIFIED.
   */
  assessmentVetted?: boolean;
}

export const DEFAULT_ORGANIZATIONS: readonly Organization[] = [
  { id: OUR_PARTNER_ORG, name: 'Contoso Partner', locations: ['loc-us-redmond', 'loc-de-munich', 'loc-jp-tokyo'], assessmentVetted: true },
  { id: OTHER_PARTNER_ORG, name: 'Fabrikam Partner', locations: ['loc-gb-london'] },
  { id: MICROSOFT_ORG, name: 'Microsoft', locations: ['msft-global'] },
];

/** Who is calling: the acting organisation, the user and what the user may see. */
export interface Caller {
  org: string;
  orgName: string;
  upn?: string;
  /** The Partner Center roles the token carries (MpnPartnerAdmin, ReferralsAdmin, ReferralsUser). */
  roles: string[];
  /** Referrals Admin: every deal of the company. Referrals User: deals they are on, within their locations. */
  admin: boolean;
  locations: string[];
}

/** Location scopes of the default sandbox users (Entra `SANDBOX_USERS`), by user name. */
export function defaultUserLocations(): Record<string, string[]> {
  return Object.fromEntries(Object.values(SANDBOX_USERS).map((u) => [u.username.toLowerCase(), [...u.locations]]));
}

export class Organizations {
  private readonly byId: Map<string, Organization>;

  constructor(orgs: readonly Organization[] = DEFAULT_ORGANIZATIONS) {
    this.byId = new Map(orgs.map((o) => [o.id, { ...o, locations: [...o.locations] }]));
  }

  get(id: string): Organization | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  name(id: string): string {
    return this.byId.get(id)?.name ?? id;
  }

  /** Whether the organisation may create solution assessment deals. */
  assessmentVetted(id: string): boolean {
    return this.byId.get(id)?.assessmentVetted === true;
  }

  /** Vets (or un-vets) an organisation for solution assessments, as the business team would. */
  setAssessmentVetted(id: string, vetted: boolean): void {
    const org = this.byId.get(id);
    if (org) org.assessmentVetted = vetted;
  }

  /** A Referrals Admin of the organisation: what the sandbox controls act as. */
  adminCaller(id: string): Caller {
    return { org: id, orgName: this.name(id), roles: ['ReferralsAdmin'], admin: true, locations: [...(this.byId.get(id)?.locations ?? [])] };
  }
}

/**
 * The rules judge a change from the referral owner's side (core/rules: "us" is the company whose
 * referral it is). So the owner acting on its own referral is `us`; Microsoft acting on a partner's
 * referral is `microsoft`; another partner is `partner`.
 */
export function actorFor(actingOrg: string, ownerOrg: string | null | undefined): Actor {
  if (actingOrg === ownerOrg) return 'us';
  return actingOrg === MICROSOFT_ORG ? 'microsoft' : 'partner';
}

export { MICROSOFT_ORG, OTHER_PARTNER_ORG, OUR_PARTNER_ORG };
