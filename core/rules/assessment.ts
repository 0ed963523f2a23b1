/**
 * Solution assessment deals: exactly one assessment and nothing else, the assessment's location, and every
 * sales stage marked in order before Won.
 */
import { salesStageOrder } from '../model/sales-stage.js';
import type { Referral } from '../model/referral.js';
import { error, type RuleContext, type Violation } from './violation.js';

export const isAssessmentDeal = (r: Referral): boolean => r.dealType === 'solution-assessment' || r.solutions.some((s) => s.kind === 'assessment');

export function checkAssessmentContent(r: Referral): Violation[] {
  if (!isAssessmentDeal(r)) return [];
  const out: Violation[] = [];
  const assessments = r.solutions.filter((s) => s.kind === 'assessment');
  if (assessments.length !== 1 || r.solutions.length !== 1) {
    out.push(error('assessment.single_solution', 'solutions', `A solution assessment deal has exactly one assessment and no other solution; this one has ${assessments.length} assessment(s) and ${r.solutions.length - assessments.length} other solution(s).`));
  }
  r.solutions.forEach((s, i) => {
    if (s.kind === 'assessment' && !s.assessmentLocation) {
      out.push(error('assessment.location_required', `solutions[${i}].assessmentLocation`, `Choose the location the assessment ${s.id} is for; it decides the incentive payout.`));
    }
  });
  return out;
}

/** Stages move one at a time, and Won only after Negotiated, so every stage is marked before Won. */
export function checkAssessmentStages(prev: Referral, next: Referral): Violation[] {
  if (!isAssessmentDeal(next)) return [];
  const winning = next.substatus === 'Won' && prev.substatus !== 'Won';
  const from = prev.salesStage ? salesStageOrder(prev.salesStage) : 0;
  if (winning) {
    return prev.salesStage === 'Negotiated'
      ? []
      : [error('assessment.stages_in_order', 'salesStage', `A solution assessment can be won only after every sales stage is marked; the last one marked is ${prev.salesStage ?? 'none'}, not Negotiated.`)];
  }
  if (next.salesStage && next.salesStage !== prev.salesStage) {
    const to = salesStageOrder(next.salesStage);
    if (to > from + 1 || to < from) {
      return [error('assessment.stages_in_order', 'salesStage', `A solution assessment marks its sales stages one at a time, in order; it cannot go from ${prev.salesStage ?? 'Accepted'} to ${next.salesStage}.`)];
    }
  }
  return [];
}

/** Only partners vetted by the solution assessments business team may create an assessment deal. */
export function checkAssessmentPermission(r: Referral, ctx: RuleContext): Violation[] {
  if (!isAssessmentDeal(r) || ctx.assessmentsAllowed !== false) return [];
  return [error('assessment.vetted_partners_only', 'solutions', 'Your organisation is not vetted by the solution assessments business team, so it cannot create a solution assessment deal; remove the assessment or ask Microsoft to vet your organisation.')];
}
