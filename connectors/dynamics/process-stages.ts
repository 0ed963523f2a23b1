/**
 * The opportunity's process stages (processstage rows), listed for the read context and for stage writes,
 * and kept an hour (connectors/stage-cache.ts). When the kept list is old, a run's listing rides in the
 * run's first `$batch` (feed-run.ts) instead of costing a call of its own on the run's first read (issue 13:
 * one call of an initial sync, one of a run an hour after the last listing).
 * https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/processstage
 */
import type { CrmStage } from '../../core/engine/crm-port.js';
import { normaliseStageName, type DynamicsStageRow } from '../../mappings/stages.dynamics.js';
import { odataStringLiteral } from '../odata.js';
import type { BatchGet, GetAnswer } from './batch-reads.js';
import type { DataverseClient } from './client.js';
import { allRows, FULL_PAGE, type ODataPage } from './pages.js';
import type { ProcessStage, ProcessStages } from './payloads.js';
import { query } from './queries.js';
import type { StageCache } from '../stage-cache.js';

export interface ListedStages { stages: CrmStage[]; names: Map<string, string>; processStages: ProcessStages }

type StageRow = { processstageid: string; stagename: string; stagecategory: number | null; _processid_value?: string | null };

const STAGES_QUERY = query('processstages', { $select: 'processstageid,stagename,stagecategory,_processid_value', $filter: `primaryentitytypecode eq ${odataStringLiteral('opportunity')}`, $orderby: 'stagecategory asc' });
const WHAT = 'listing opportunity sales stages';

/** The listed rows as the adapter keeps them: the open stages (then Won and Lost), names by ID, process stages by name. Pure. */
export function listedStages(rows: readonly StageRow[], table: readonly DynamicsStageRow[]): ListedStages {
  const open = new Map<string, CrmStage>();
  for (const row of rows) {
    const probability = table.find((s) => s.crmStage.toLowerCase() === row.stagename.toLowerCase())?.probability;
    if (!open.has(row.stagename)) open.set(row.stagename, { name: row.stagename, isClosed: false, isWon: false, isActive: true, ...(probability !== undefined ? { probability } : {}) });
  }
  const list = [...open.values(), { name: 'Won', isClosed: true, isWon: true, probability: 100, isActive: true }, { name: 'Lost', isClosed: true, isWon: false, probability: 0, isActive: true }];
  // By name for stage writes; the first process listing a name keeps it (rows come in stage order).
  const processStages = new Map<string, ProcessStage>();
  for (const row of rows) {
    const key = normaliseStageName(row.stagename);
    if (!processStages.has(key)) processStages.set(key, { id: row.processstageid, ...(row._processid_value ? { processId: row._processid_value } : {}) });
  }
  return { stages: list, names: new Map(rows.map((r) => [r.processstageid, r.stagename])), processStages };
}

/** The stages listed in a call of their own. */
export async function listProcessStages(client: DataverseClient, table: readonly DynamicsStageRow[]): Promise<ListedStages> {
  return listedStages(await allRows<StageRow>(client, WHAT, STAGES_QUERY), table);
}

/** A GET riding in another `$batch`, and what to do with its answer. */
export interface Rider {
  request: BatchGet;
  accept(answer: GetAnswer<unknown> | undefined): Promise<void>;
}

/**
 * The stage listing as a rider when the kept list is old (none when it is within its life). A refused or
 * missing answer keeps nothing: the run's first read lists the stages on its own, and fails as it always did.
 */
export function stageRider(cache: StageCache<ListedStages>, client: DataverseClient, table: readonly DynamicsStageRow[]): Rider | undefined {
  if (cache.isKept()) return undefined;
  return {
    request: { url: STAGES_QUERY, prefer: FULL_PAGE },
    async accept(answer) {
      if (!answer?.ok) return;
      cache.keep(listedStages(await allRows<StageRow>(client, WHAT, answer.body as ODataPage<StageRow>), table));
    },
  };
}
