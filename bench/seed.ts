/**
 * CRM-side seeding for the benchmark (the Partner Center side uses the sandbox's bulk generator): N opted-in CRM opportunities, each with a customer, a contact, one team
 * member and one solution, written straight into the CRM sandbox's store (as a data import would), so
 * that the initial sync creates N referrals in Partner Center through the real API. Outbound-only
 * seeding is the stated scenario (N opted-in deals → N referrals) and the costliest one:
 * Partner Center has no batch create, so every referral is one POST.
 */
import { F, SOLUTION_FIELDS, SOLUTION_OBJECT, SOLUTION_PARENT_FIELD } from '../mappings/custom-fields.salesforce.js';
import { generateBulk } from '../sandbox/dataverse/seed.js';
import type { SandboxSet } from '../sandbox/launch.js';
import type { CrmKind } from '../sandbox/world.js';

export const SEEDING_DESCRIPTION = [
  'Seeding "crm": N opted-in CRM opportunities (1 contact, 1 team member, 1 solution each); the initial sync creates N outbound referrals in Partner Center: a POST each (the API has no batch create).',
  'Seeding "partner-center": N referrals of our partner already in Partner Center (the sandbox bulk generator: half Active, a quarter Won, a quarter Lost); the initial sync creates N linked CRM opportunities in batched writes and PATCHes each open referral once.',
];

/** Creates `count` opted-in opportunities in the CRM sandbox of `kind`; returns their CRM IDs. */
export function seedCrmDeals(kind: CrmKind, set: SandboxSet, count: number): string[] {
  if (kind === 'dynamics') {
    // Setup has created the cosell_ tables, so the generator fills team members, solutions and the opt-in.
    return generateBulk(set.dataverse.store, { opportunities: count, teamPerDeal: 1, solutionsPerDeal: 1, optedIn: true });
  }
  const sandbox = set.salesforce;
  const before = new Set(sandbox.store.all('Opportunity').map((o) => o.Id));
  sandbox.generate({
    opportunities: count,
    accounts: Math.max(5, Math.ceil(count / 10)),
    teamPerOpportunity: 1,
    opportunityFields: () => ({ [F.optIn]: true, [F.consent]: true, [F.helpType]: 'Proof of concept / Demo', [F.shareWithMicrosoft]: true }),
    children: (oppId, i) => [
      {
        type: SOLUTION_OBJECT,
        values: {
          [SOLUTION_PARENT_FIELD]: oppId, Name: `Solution ${i}`, [SOLUTION_FIELDS.solutionId]: `SOL-${1000 + (i % 50)}-ABCD`,
          [SOLUTION_FIELDS.kind]: "My company's solution", [SOLUTION_FIELDS.price]: 1000, [SOLUTION_FIELDS.quantity]: 2, [SOLUTION_FIELDS.currency]: 'USD',
        },
      },
    ],
  });
  return sandbox.store.all('Opportunity').map((o) => o.Id).filter((id) => !before.has(id)).sort();
}
