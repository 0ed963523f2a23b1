/**
 * An opportunity at an open stage whose `Cosell_Referral_Status__c` (written only by the connector) says
 * Closed is one of two things, as in Dynamics 365 (connectors/dynamics/unfinished-close.ts):
 * - a seller's reopen (a closed stage moved back to an open one): read as open (assemble.ts), so that the
 *   record says the reopen is not sent, since terminal states never change in Partner Center;
 * - the connector's own close that never happened: a connector before 2026-12-04 created a referral already
 *   closed (declined, expired, won before the first sync) at an open stage (`r.salesStage ?? 'Created'`) with
 *   that status written beside it, and such a record then read as the seller's reopen, open for good.
 * Salesforce keeps every opportunity's stage history in OpportunityHistory ("Represents the stage history of
 * an opportunity": a row when it is created and whenever Amount, Probability, StageName or CloseDate change),
 * so an opportunity with no history row at a closed stage was never closed: its close is unfinished
 * (`CrmDeal.unfinishedClose`) and the engine finishes it, moving it to the closed stage. One query per 200
 * such opportunities, made only when a read holds one.
 */
import { AuthError, RemoteValidationError } from '../../core/errors.js';
import { chunks } from '../../core/chunks.js';
import type { CrmDeal } from '../../core/engine/crm-port.js';
import { statedTerminalClose } from '../../core/model/enums.js';
import type { Referral } from '../../core/model/referral.js';
import type { StageDecision } from '../../mappings/stages.salesforce.js';
import { F } from '../../mappings/custom-fields.salesforce.js';
import type { SfRecord } from './assemble.js';
import { queryAllRecords, type QueryPageReader } from './query-pages.js';
import { inList, quote, quoteId } from './soql.js';

type Stated = Pick<Referral, 'status' | 'substatus'>;
type StageMap = ReadonlyMap<string, StageDecision>;

const IDS_PER_QUERY = 200;
const isClosedStage = (decision: StageDecision | undefined) => decision?.meaning !== undefined && decision.meaning.kind !== 'open';

/** The final status the connector wrote onto an opportunity at an open stage, if it did (pure). */
export function statedClose(opp: SfRecord, stageMap: StageMap): Stated | undefined {
  const stage = typeof opp.StageName === 'string' ? stageMap.get(opp.StageName) : undefined;
  if (stage?.meaning?.kind !== 'open') return undefined;
  const [status, substatus] = String(opp[F.referralStatus] ?? '').split('/');
  return statedTerminalClose(status, substatus);
}

/** The stage-history query for some opportunities: their rows at any closed stage of the org. */
export function closedHistoryQuery(ids: readonly string[], stageMap: StageMap): string | undefined {
  const closed = [...stageMap].filter(([, decision]) => isClosedStage(decision)).map(([name]) => name);
  if (closed.length === 0) return undefined;
  return `SELECT OpportunityId FROM OpportunityHistory WHERE OpportunityId IN ${inList(ids, quoteId)} AND StageName IN ${inList(closed, quote)}`;
}

/**
 * Marks the deals (read from `opportunities`, in order) at an open stage beside a Closed status whose
 * opportunity never stood at a closed stage as an unfinished close.
 */
export async function markUnfinishedCloses(client: QueryPageReader, opportunities: readonly SfRecord[], deals: readonly CrmDeal[], stageMap: StageMap): Promise<void> {
  const found = opportunities.flatMap((opp, i) => {
    const stated = statedClose(opp, stageMap);
    return stated ? [{ deal: deals[i]!, stated }] : [];
  });
  if (found.length === 0) return;
  const closedOnce = new Set<string>();
  try {
    for (const chunk of chunks([...new Set(found.map((f) => f.deal.crmId))], IDS_PER_QUERY)) {
      const soql = closedHistoryQuery(chunk, stageMap);
      if (!soql) return;
      for (const row of await queryAllRecords<{ OpportunityId: string }>(client, soql)) closedOnce.add(row.OpportunityId.slice(0, 15));
    }
  } catch (error) {
    // Without the history (an integration user who may not read it) nothing says the close is the connector's:
    // the rows stay read as the seller's reopen, which changes nothing in either system.
    if (error instanceof AuthError || error instanceof RemoteValidationError) return;
    throw error;
  }
  for (const f of found) if (!closedOnce.has(f.deal.crmId.slice(0, 15))) f.deal.unfinishedClose = f.stated;
}
