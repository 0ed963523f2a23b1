/**
 * The pipeline by sales stage, as Partner Center's standard stages and percentages weigh it (seed "Manage
 * co-sell opportunities": Created 10, Accepted 10, Qualified 20, Developed 40, Proposed 60, Negotiated 80,
 * Won 100): count and value per stage, the weighted value (value × percentage), inbound vs outbound.
 * Pure over the links' bases (the last state both sides agreed on). Lost, declined and expired deals are
 * out of the pipeline. Values are summed as numbers: a pipeline in several currencies is labelled "mixed".
 */
import { SALES_STAGE_TABLE } from '../../mappings/sales-stages.js';
import type { PipelineDeal } from '../store/state-store.js';
import type { SalesStage } from '../model/sales-stage.js';

export interface StageRow {
  stage: SalesStage;
  percent: number;
  count: number;
  inbound: number;
  outbound: number;
  value: number;
  weighted: number;
}

export interface Pipeline {
  stages: StageRow[];
  totalCount: number;
  totalValue: number;
  weightedValue: number;
  /** The one currency of every deal, or `mixed`, or undefined when there are no values. */
  currency?: string;
}

/** The stage a deal is at: its sales stage, Won when closed as won, else Created (outbound) or Accepted (inbound). */
export function stageOf(r: PipelineDeal): SalesStage | undefined {
  if (r.status === 'Closed') return r.substatus === 'Won' ? 'Won' : undefined;
  if (r.salesStage) return r.salesStage;
  return r.direction === 'inbound' ? 'Accepted' : 'Created';
}

export function pipelineOf(deals: readonly PipelineDeal[]): Pipeline {
  const stages: StageRow[] = SALES_STAGE_TABLE.map((s) => ({ stage: s.name, percent: s.percent, count: 0, inbound: 0, outbound: 0, value: 0, weighted: 0 }));
  const currencies = new Set<string>();
  for (const deal of deals) {
    const stage = stageOf(deal);
    const row = stage && stages.find((s) => s.stage === stage);
    if (!row) continue;
    const value = deal.value ?? 0;
    row.count += 1;
    row[deal.direction] += 1;
    row.value += value;
    row.weighted += (value * row.percent) / 100;
    if (deal.currency && deal.value !== undefined) currencies.add(deal.currency);
  }
  const sum = (pick: (s: StageRow) => number) => stages.reduce((total, s) => total + pick(s), 0);
  const currency = currencies.size === 1 ? [...currencies][0] : currencies.size > 1 ? 'mixed' : undefined;
  return { stages, totalCount: sum((s) => s.count), totalValue: sum((s) => s.value), weightedValue: sum((s) => s.weighted), ...(currency ? { currency } : {}) };
}
