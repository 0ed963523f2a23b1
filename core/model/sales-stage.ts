/**
 * Standard sales stages and their conversions. The table itself is data in mappings/sales-stages.ts,
 * where the reading of the API's `salesStage` values (Qualify, Develop, Propose, Close = Qualified 20,
 * Developed 40, Proposed 60, Negotiated 80) is written down with its sources.
 */
import { SALES_STAGE_TABLE } from '../../mappings/sales-stages.js';
import { UnknownEnumValueError } from './coded-enum.js';
import type { Direction } from './enums.js';

export type SalesStage = (typeof SALES_STAGE_TABLE)[number]['name'];
export type SalesStagePercent = (typeof SALES_STAGE_TABLE)[number]['percent'];
export type ApiSalesStage = NonNullable<(typeof SALES_STAGE_TABLE)[number]['api']>;

export const SALES_STAGES: readonly SalesStage[] = SALES_STAGE_TABLE.map((s) => s.name);
/** The four stages a seller marks between acceptance and the outcome (seed: "four stages in the deal lifecycle"). */
export const MIDDLE_SALES_STAGES: readonly SalesStage[] = ['Qualified', 'Developed', 'Proposed', 'Negotiated'];

const row = (stage: SalesStage) => {
  const found = SALES_STAGE_TABLE.find((s) => s.name === stage);
  if (!found) throw new UnknownEnumValueError('SalesStage', 'name', stage, SALES_STAGES);
  return found;
};

export function isSalesStage(value: unknown): value is SalesStage {
  return typeof value === 'string' && (SALES_STAGES as readonly string[]).includes(value);
}

export function salesStagePercent(stage: SalesStage): SalesStagePercent {
  return row(stage).percent;
}

/** Position in the life cycle: Created/Accepted 0, Qualified 1 … Negotiated 4, Won 5. */
export function salesStageOrder(stage: SalesStage): number {
  return row(stage).order;
}

/**
 * The stage for a CSV/UI percentage. 10% is both Created (outbound) and Accepted (inbound), so the
 * deal's direction decides; any other number that is not in the table is refused.
 */
export function salesStageFromPercent(percent: unknown, direction: Direction): SalesStage {
  const n = typeof percent === 'string' && percent.trim() !== '' ? Number(percent.trim().replace(/%$/, '')) : percent;
  if (n === 10) return direction === 'inbound' ? 'Accepted' : 'Created';
  const found = SALES_STAGE_TABLE.find((s) => s.percent === n);
  if (!found) throw new UnknownEnumValueError('SalesStage', 'code', percent, [...new Set(SALES_STAGE_TABLE.map((s) => String(s.percent)))]);
  return found.name;
}

/** The V3 `salesStage` value for a stage, or undefined for Created, Accepted and Won. */
export function salesStageToApi(stage: SalesStage): ApiSalesStage | undefined {
  return row(stage).api ?? undefined;
}

/**
 * The stages by their API value in lower case, the table's first row for each: every referral Partner Center
 * answers is read through `salesStageFromApi`, which lowered every row's value on each call.
 */
const BY_API_LOWER = new Map<string, SalesStage>();
for (const s of SALES_STAGE_TABLE) if (s.api !== null && !BY_API_LOWER.has(s.api.toLowerCase())) BY_API_LOWER.set(s.api.toLowerCase(), s.name);

export function salesStageFromApi(api: unknown): SalesStage {
  const found = typeof api === 'string' ? BY_API_LOWER.get(api.toLowerCase()) : undefined;
  if (found === undefined) throw new UnknownEnumValueError('SalesStage', 'api', api, SALES_STAGE_TABLE.flatMap((s) => (s.api ? [s.api] : [])));
  return found;
}
