/**
 * Dynamics 365 sales process stages → Partner Center's standard sales stages, as editable data.
 *
 * Source: the Opportunity Sales Process business process flow has four stages, Qualify, Develop,
 * Propose and Close (processstage.stagecategory 0–3), mirrored in the opportunity's `salesstage`
 * choice (0 Qualify, 1 Develop, 2 Propose, 3 Close) and, by convention, in `stepname` ("1-Qualify").
 * https://learn.microsoft.com/dynamics365/sales/developer/entities/opportunity
 *
 * Our reading, the same as mappings/sales-stages.ts for the API: Qualify = Qualified (20%), Develop =
 * Developed (40%), Propose = Proposed (60%), Close = Negotiated (80%). Won is the opportunity's state
 * (statecode 1), not a stage. A stage not in this table (a customised process) is reported as a
 * mapping problem, never guessed. Config `stageOverrides` adds or replaces rows.
 */
import type { SalesStage } from '../core/model/sales-stage.js';
import { ASSESSMENT_STAGE_TABLE } from './assessment-stages.js';

export interface DynamicsStageRow {
  /** The stage name as the CRM shows it (processstage.stagename / stepname without its "1-" prefix). */
  crmStage: string;
  salesStage: SalesStage;
  /** The `salesstage` choice value written alongside, when the stage is one of the four standard ones. */
  salesStageValue?: number;
  /** The default `closeprobability` written when the engine moves the deal to this stage. */
  probability?: number;
}

export const DYNAMICS_STAGE_TABLE: readonly DynamicsStageRow[] = [
  { crmStage: 'Qualify', salesStage: 'Qualified', salesStageValue: 0, probability: 20 },
  { crmStage: 'Develop', salesStage: 'Developed', salesStageValue: 1, probability: 40 },
  { crmStage: 'Propose', salesStage: 'Proposed', salesStageValue: 2, probability: 60 },
  { crmStage: 'Close', salesStage: 'Negotiated', salesStageValue: 3, probability: 80 },
  // A solution assessment business process flow (mappings/assessment-stages.ts, UNVERIFIED names); after
  // the standard rows, so a stage written from Partner Center is the standard process's, except on an
  // assessment deal, which keeps its own process (assessmentCrmStageFor).
  ...ASSESSMENT_STAGE_TABLE.map((row, i) => ({ crmStage: row.crmStage, salesStage: row.carriedAs, salesStageValue: i, probability: 20 + 20 * i })),
];

/** `salesstage` choice labels, for records that carry only the choice value. */
export const SALESSTAGE_CHOICE_LABELS: Readonly<Record<number, string>> = { 0: 'Qualify', 1: 'Develop', 2: 'Propose', 3: 'Close' };

/** "1-Qualify" and " qualify " both name the Qualify stage. */
export function normaliseStageName(name: string): string {
  return name.trim().replace(/^\d+\s*-\s*/, '').toLowerCase();
}

/** The table with overrides applied: an override replaces the row for the same CRM stage, or adds one. */
export function effectiveStageTable(overrides: readonly DynamicsStageRow[] = []): DynamicsStageRow[] {
  const byName = new Map(DYNAMICS_STAGE_TABLE.map((row) => [normaliseStageName(row.crmStage), row]));
  for (const row of overrides) byName.set(normaliseStageName(row.crmStage), row);
  return [...byName.values()];
}

export type StageLookup = { mapped: true; salesStage: SalesStage } | { mapped: false; crmStage: string };

export function mapDynamicsStage(crmStage: string, table: readonly DynamicsStageRow[]): StageLookup {
  const row = table.find((r) => normaliseStageName(r.crmStage) === normaliseStageName(crmStage));
  return row ? { mapped: true, salesStage: row.salesStage } : { mapped: false, crmStage };
}

/** The CRM stage to write for a standard stage, or undefined for Created, Accepted and Won. */
export function crmStageFor(salesStage: SalesStage, table: readonly DynamicsStageRow[]): DynamicsStageRow | undefined {
  return table.find((r) => r.salesStage === salesStage);
}
