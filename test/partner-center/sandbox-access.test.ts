/**
 * The Partner Center sandbox's roles and its access extension (GET /v1.0/engagements/referralAccess,
 * UNVERIFIED): MPN partner admin and Referrals admin see every location (seed "Appropriate roles",
 * "Location"); a Referrals user is scoped to their locations; an organisation's assessment vetting shows.
 */
import assert from 'node:assert/strict';
import { authenticate } from '../../sandbox/partner-center/auth.js';
import { accessOf } from '../../sandbox/partner-center/routes/access.js';
import { Organizations, OUR_PARTNER_ORG, OTHER_PARTNER_ORG } from '../../sandbox/partner-center/organizations.js';
import { TokenSigner } from '../../sandbox/entra/tokens.js';

const signer = new TokenSigner('sandbox-access-test-key');
const orgs = new Organizations();
const settings = { signer, orgs, userLocations: { 'sam@contoso-partner.example': ['loc-us-redmond'] }, nowSeconds: () => 1_000 };
const bearer = (roles: string[], upn: string, org = OUR_PARTNER_ORG) =>
  `Bearer ${signer.sign({ aud: 'https://api.partner.microsoft.com', iss: 'x', tid: 't', idtyp: 'user', appid: 'a', oid: 'o', sub: 's', upn, roles, partner_org: org, iat: 0, nbf: 0, exp: 2_000 })}`;

function callerOf(roles: string[], upn: string, org?: string) {
  const result = authenticate(bearer(roles, upn, org), settings);
  assert.ok(result.ok, JSON.stringify(result));
  return result.value;
}

describe('Partner Center sandbox: roles, location scope and assessment vetting', () => {
  it('treats an MPN partner admin like a Referrals admin: every location of the company', () => {
    const access = accessOf(callerOf(['MpnPartnerAdmin'], 'owner@contoso-partner.example'), orgs);
    assert.equal(access.locationScope, 'Global');
    assert.deepEqual(access.locations, ['loc-us-redmond', 'loc-de-munich', 'loc-jp-tokyo']);
    assert.deepEqual(access.roles, ['MpnPartnerAdmin']);
  });

  it('scopes a Referrals user to their own locations', () => {
    const access = accessOf(callerOf(['ReferralsUser'], 'sam@contoso-partner.example'), orgs);
    assert.equal(access.locationScope, 'Locations');
    assert.deepEqual(access.locations, ['loc-us-redmond']);
    assert.deepEqual(access.organizationLocations, ['loc-us-redmond', 'loc-de-munich', 'loc-jp-tokyo']);
  });

  it('refuses a user with none of the three roles', () => {
    const result = authenticate(bearer(['Reader'], 'r@contoso-partner.example'), settings);
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.failure.status, 403);
  });

  it("reports the organisation's assessment vetting", () => {
    assert.equal(accessOf(callerOf(['ReferralsAdmin'], 'admin@contoso-partner.example'), orgs).solutionAssessmentsAllowed, true);
    assert.equal(accessOf(callerOf(['ReferralsAdmin'], 'pat@fabrikam-partner.example', OTHER_PARTNER_ORG), orgs).solutionAssessmentsAllowed, false);
  });
});
