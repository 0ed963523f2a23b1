/**
 * The org's opportunity stages (OpportunityStage rows), listed for the read context and for stage writes,
 * and kept an hour (connectors/stage-cache.ts). When the kept list is old and the run's first Composite call
 * has a query operation to spare, the listing rides in that call (first-round.ts) instead of costing a call
 * of its own on the run's first page (issue 13). Only an initial sync's first call has one: its listing is
 * its one query, while a resumed run's carries five already (the listing and the four related queries, at
 * most five a call: composite-limits.ts), so a resumed run lists the stages on its own, as it always did.
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_opportunitystage.htm
 */
import type { CrmStage } from '../../core/engine/crm-port.js';
import type { StageCache } from '../stage-cache.js';
import type { CompositeSubresponse, QueryResult, SalesforceClient } from './client.js';

const STAGES_SOQL = 'SELECT MasterLabel, ApiName, IsActive, IsClosed, IsWon, DefaultProbability FROM OpportunityStage ORDER BY SortOrder ASC';

type StageRow = { MasterLabel: string; ApiName: string | null; IsActive: boolean; IsClosed: boolean; IsWon: boolean; DefaultProbability: number | null };

/** The listed rows as the adapter keeps them. Pure. */
export function listedStages(rows: readonly StageRow[]): CrmStage[] {
  return rows.map((s) => ({
    // StageName holds the label (MasterLabel); ApiName differs only in orgs that renamed a stage's label.
    name: s.MasterLabel,
    isClosed: s.IsClosed,
    isWon: s.IsWon,
    isActive: s.IsActive,
    ...(typeof s.DefaultProbability === 'number' ? { probability: s.DefaultProbability } : {}),
  }));
}

/** The stages listed in a call of their own. */
export async function queryStages(client: SalesforceClient): Promise<CrmStage[]> {
  return listedStages((await client.query<StageRow>(STAGES_SOQL)).records);
}

/** A query riding in another Composite call when that call has a query operation to spare, and what to do with its answer. */
export interface QueryRider {
  referenceId: string;
  soql: string;
  accept(answer: CompositeSubresponse | undefined): void;
}

/**
 * The stage listing as a rider when the kept list is old (none when it is within its life). A refused or
 * missing answer keeps nothing: the run's first page lists the stages on its own, and fails as it always did.
 */
export function stageRider(cache: StageCache<CrmStage[]>): QueryRider | undefined {
  if (cache.isKept()) return undefined;
  return {
    referenceId: 'stages',
    soql: STAGES_SOQL,
    accept(answer) {
      if (answer?.httpStatusCode === 200) cache.keep(listedStages((answer.body as QueryResult<StageRow>).records));
    },
  };
}
