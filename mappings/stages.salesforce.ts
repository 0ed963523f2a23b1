/**
 * Salesforce opportunity stages → Partner Center standard sales stages. The org's stages come from the
 * OpportunityStage object (IsClosed, IsWon, DefaultProbability); each is mapped by the editable table
 * below (config `stageOverrides` wins over it), then, for stages the table does not name, by default
 * probability. A stage that neither the table nor a probability can place is unmapped and reported as a
 * MappingProblem: the connector never guesses.
 *
 * A closed-lost stage has no sales stage (Partner Center expresses it as status Closed / Lost).
 */
import type { MappingProblem } from '../core/engine/crm-port.js';
import { ASSESSMENT_STAGE_TABLE } from './assessment-stages.js';
import { isSalesStage, type SalesStage } from '../core/model/sales-stage.js';
import type { Direction } from '../core/model/enums.js';
import { crmOutcome } from '../core/model/outcome.js';
import type { Referral } from '../core/model/referral.js';

/** What a Salesforce stage means for Partner Center. */
export type StageMeaning = { kind: 'open'; salesStage: SalesStage } | { kind: 'won' } | { kind: 'lost' };

/** Table values: a standard sales stage, or `Lost` for a closed-lost stage. */
export type StageTableValue = SalesStage | 'Lost';

/**
 * Salesforce's default stage picklist, mapped by what each stage means in a sales process, and the stages
 * of an assessment sales process (mappings/assessment-stages.ts, UNVERIFIED names).
 */
export const DEFAULT_STAGE_TABLE: Readonly<Record<string, StageTableValue>> = {
  ...Object.fromEntries(ASSESSMENT_STAGE_TABLE.map((row) => [row.crmStage, row.carriedAs])),
  Prospecting: 'Created',
  Qualification: 'Qualified',
  'Needs Analysis': 'Qualified',
  'Value Proposition': 'Developed',
  'Id. Decision Makers': 'Developed',
  'Perception Analysis': 'Proposed',
  'Proposal/Price Quote': 'Proposed',
  'Negotiation/Review': 'Negotiated',
  'Closed Won': 'Won',
  'Closed Lost': 'Lost',
};

export interface StageFacts {
  name: string;
  isClosed: boolean;
  isWon: boolean;
  probability?: number;
  isActive: boolean;
}

export interface StageDecision {
  meaning?: StageMeaning;
  /** How it was decided, for `cosell check`. */
  source: 'table' | 'override' | 'probability' | 'closed' | 'unmapped';
}

function fromTableValue(value: StageTableValue): StageMeaning {
  if (value === 'Lost') return { kind: 'lost' };
  if (value === 'Won') return { kind: 'won' };
  return { kind: 'open', salesStage: value };
}

/** Default by probability: the highest standard stage whose percentage does not exceed it. */
export function salesStageByProbability(probability: number): SalesStage {
  if (probability >= 80) return 'Negotiated';
  if (probability >= 60) return 'Proposed';
  if (probability >= 40) return 'Developed';
  if (probability >= 20) return 'Qualified';
  return 'Created';
}

export function decideStage(
  stage: StageFacts,
  overrides: Readonly<Record<string, StageTableValue>> = {},
  options: { table?: Readonly<Record<string, StageTableValue>>; byProbability?: boolean } = {},
): StageDecision {
  const override = overrides[stage.name];
  if (override !== undefined) return { meaning: fromTableValue(override), source: 'override' };
  const table = options.table ?? DEFAULT_STAGE_TABLE;
  const listed = table[stage.name];
  if (listed !== undefined) {
    // The org's own flags win over a table row that contradicts them (a renamed or repurposed stage).
    const meaning = fromTableValue(listed);
    if (stage.isClosed && meaning.kind === 'open') return { source: 'unmapped' };
    if (!stage.isClosed && meaning.kind !== 'open') return { source: 'unmapped' };
    return { meaning, source: 'table' };
  }
  if (stage.isClosed) return { meaning: stage.isWon ? { kind: 'won' } : { kind: 'lost' }, source: 'closed' };
  if ((options.byProbability ?? true) && typeof stage.probability === 'number') {
    return { meaning: { kind: 'open', salesStage: salesStageByProbability(stage.probability) }, source: 'probability' };
  }
  return { source: 'unmapped' };
}

/** The map from stage name to decision for every stage of the org. */
export function buildStageMap(
  stages: readonly StageFacts[],
  overrides: Readonly<Record<string, StageTableValue>> = {},
  options: { byProbability?: boolean } = {},
): Map<string, StageDecision> {
  return new Map(stages.map((s) => [s.name, decideStage(s, overrides, options)]));
}

/** The canonical sales stage of a deal at `stageName`; Created reads as Accepted for an inbound deal. */
export function mapDealStage(
  stageName: string | undefined,
  stageMap: ReadonlyMap<string, StageDecision>,
  direction: Direction,
): { meaning?: StageMeaning; salesStage?: SalesStage; problem?: MappingProblem } {
  const decision = stageName ? stageMap.get(stageName) : undefined;
  if (!decision?.meaning) {
    return {
      problem: {
        code: 'stage.unmapped',
        field: 'salesStage',
        message: `Stage "${stageName ?? '(none)'}" has no Partner Center sales stage. Add it to the connector's stage mapping (stageOverrides) or give it a default probability in Salesforce Setup.`,
      },
    };
  }
  const m = decision.meaning;
  if (m.kind === 'won') return { meaning: m, salesStage: 'Won' };
  if (m.kind === 'lost') return { meaning: m };
  const salesStage = m.salesStage === 'Created' && direction === 'inbound' ? 'Accepted' : m.salesStage;
  return { meaning: m, salesStage };
}

export function isStageTableValue(value: unknown): value is StageTableValue {
  return value === 'Lost' || isSalesStage(value);
}

/** The first Salesforce stage (in the org's order) that means `target`; used when creating an opportunity. */
export function salesforceStageFor(target: SalesStage | 'Lost', stageMap: ReadonlyMap<string, StageDecision>): string | undefined {
  const wanted = target === 'Accepted' ? 'Created' : target;
  for (const [name, decision] of stageMap) {
    const m = decision.meaning;
    if (!m) continue;
    if (wanted === 'Won' && m.kind === 'won') return name;
    if (wanted === 'Lost' && m.kind === 'lost') return name;
    if (m.kind === 'open' && m.salesStage === wanted) return name;
  }
  return undefined;
}

/** The stage a referral puts the opportunity in: its outcome once closed (a decline or an expiry is a loss), else its sales stage. */
export function stageTarget(referral: Pick<Referral, 'substatus' | 'salesStage'>): SalesStage | 'Lost' | undefined {
  const outcome = crmOutcome(referral);
  return outcome === 'won' ? 'Won' : outcome === 'lost' ? 'Lost' : referral.salesStage;
}
