/**
 * The sales stages of a solution assessment deal, as data.
 *
 * Source: seed "Manage co-sell opportunities": "The sales stages will vary if the deal is a solution
 * assessment deal. Marking sales stage is also mandatory for solution assessment deals. Won button will
 * be enabled only after all the sales stages are marked as complete by the partner." The seed names
 * neither the stages nor how many there are, and no API document mentions them, so every name and
 * definition below is UNVERIFIED: our reading of what a technology assessment goes through.
 *
 * `carriedAs` is the standard stage (and so the API's `salesStage`: Qualify, Develop, Propose, Close)
 * an assessment stage travels as. The API has one `salesStage` property for every deal type
 * (partner-center-api.md §1.7), so an assessment's stages must be carried by those four values; which
 * assessment stage maps to which is UNVERIFIED. Their order is what the rules enforce
 * (assessment.stages_in_order: one at a time, every one before Won).
 *
 * `crmStage` is the stage name the connector recognises in the CRM: the stages an admin gives the
 * assessment sales process (Salesforce) or business process flow (Dynamics 365). Config
 * `stageOverrides` maps differently named CRM stages.
 */
import type { Referral } from '../core/model/referral.js';
import type { SalesStage } from '../core/model/sales-stage.js';

export interface AssessmentStageRow {
  /** UNVERIFIED: Partner Center's name for the stage. */
  name: string;
  crmStage: string;
  carriedAs: Extract<SalesStage, 'Qualified' | 'Developed' | 'Proposed' | 'Negotiated'>;
  definition: string;
}

export const ASSESSMENT_STAGE_TABLE: readonly AssessmentStageRow[] = [
  { name: 'Scoped', crmStage: 'Assessment Scoped', carriedAs: 'Qualified', definition: 'The customer agreed the assessment type, its scope and the environment to assess.' },
  { name: 'In progress', crmStage: 'Assessment In Progress', carriedAs: 'Developed', definition: 'Data collection and analysis of the customer environment are under way.' },
  { name: 'Findings delivered', crmStage: 'Assessment Findings Delivered', carriedAs: 'Proposed', definition: 'The findings and recommendations were presented to the customer.' },
  { name: 'Next steps agreed', crmStage: 'Assessment Next Steps Agreed', carriedAs: 'Negotiated', definition: 'The customer agreed the follow-up; the assessment can be marked won.' },
];

/** The assessment stage a standard stage stands for on an assessment deal (for messages and records). */
export function assessmentStageFor(stage: SalesStage | undefined): AssessmentStageRow | undefined {
  return ASSESSMENT_STAGE_TABLE.find((row) => row.carriedAs === stage);
}

/**
 * The CRM stage a sales stage coming back from Partner Center takes on a solution assessment deal: the
 * assessment process's stage it is carried as (the record stays in its own sales process), or undefined for
 * every other deal and for Won/Lost, which take the CRM's standard stages.
 */
export function assessmentCrmStageFor(r: Pick<Referral, 'dealType'>, stage: SalesStage | 'Lost' | undefined): string | undefined {
  if (r.dealType !== 'solution-assessment' || stage === undefined || stage === 'Lost' || stage === 'Won') return undefined;
  return assessmentStageFor(stage)?.crmStage;
}
