/**
 * Opportunity rows and their related rows (as one query answer or read by ID brings them) into deals, noting
 * per opportunity the stage read (a stage write-back must not replace an equivalent stage) and the copied
 * write-backs of a clone (`copiedWriteBacks`). Pure apart from those two maps, which the reader keeps.
 */
import type { CrmDeal } from '../../core/engine/crm-port.js';
import { SOLUTION_PARENT_FIELD } from '../../mappings/custom-fields.salesforce.js';
import { assembleDeal, copiedWriteBacks, groupBy, type AssembleContext, type SfRecord } from './assemble.js';
import type { RelatedRows } from './deals-by-id.js';

export interface RowNotes {
  lastStage: Map<string, string>;
  copies: Map<string, string[]>;
}

export function dealsOfRows(opportunities: readonly SfRecord[], related: RelatedRows, ctx: AssembleContext, versionOf: (row: SfRecord) => string, notes: RowNotes): CrmDeal[] {
  const roles = groupBy(related.contactRoles, 'OpportunityId');
  const team = groupBy(related.team, 'OpportunityId');
  const solutions = groupBy(related.solutions, SOLUTION_PARENT_FIELD);
  const invitations = groupBy(related.invitations, SOLUTION_PARENT_FIELD);
  return opportunities.map((opp) => {
    if (typeof opp.StageName === 'string') notes.lastStage.set(opp.Id, opp.StageName);
    const copied = copiedWriteBacks(opp);
    if (copied.length) notes.copies.set(opp.Id, copied);
    else notes.copies.delete(opp.Id);
    const contactRole = roles.get(opp.Id)?.[0];
    return assembleDeal(opp, { ...(contactRole ? { contactRole } : {}), team: team.get(opp.Id) ?? [], solutions: solutions.get(opp.Id) ?? [], invitations: invitations.get(opp.Id) ?? [] }, ctx, versionOf);
  });
}
