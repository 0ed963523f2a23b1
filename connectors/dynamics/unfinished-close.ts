/**
 * An open opportunity whose status columns (written only by the connector) say Closed is one of two things:
 * - a seller's reopen ("Reopen Opportunity" after a close): read as open (records.ts), so that the record
 *   says the reopen is not sent, since terminal states never change in Partner Center;
 * - the connector's own close that never happened: a connector before 2026-12-04 created a referral already
 *   closed (declined, expired, won before the first sync) as an open opportunity with those columns set.
 * Dataverse creates an Opportunity Close activity whenever an opportunity is closed ("Activity that is
 * created automatically when an opportunity is closed", opportunityclose table reference), and only the
 * Win/LoseOpportunity actions close one, so an opportunity with none was never closed: its close is
 * unfinished (`CrmDeal.unfinishedClose`) and the engine finishes it. The look-up is one more call (a `$batch` of
 * one query per 250 such rows), made only when a read holds one.
 */
import { AuthError } from '../../core/errors.js';
import { chunks } from '../../core/chunks.js';
import type { CrmDeal } from '../../core/engine/crm-port.js';
import { statedTerminalClose } from '../../core/model/enums.js';
import type { Referral } from '../../core/model/referral.js';
import type { DataverseClient } from './client.js';
import { allRowsInBatch } from './pages.js';
import { IDS_PER_QUERY, inFilter, query } from './queries.js';
import type { RawRow, ReadContext } from './records.js';

type Stated = Pick<Referral, 'status' | 'substatus'>;

export interface OpenButClosed {
  deal: CrmDeal;
  stated: Stated;
}

const columnOf = (ctx: ReadContext, path: string): string | undefined => ctx.fields.find((f) => f.path === path && f.table === 'opportunity')?.column;

/** The final status the connector wrote onto an open opportunity, if it did (pure). */
export function statedClose(raw: RawRow, ctx: ReadContext): Stated | undefined {
  if (raw.statecode !== 0) return undefined;
  const status = raw[columnOf(ctx, 'sync.referralStatus') ?? ''];
  const substatus = raw[columnOf(ctx, 'sync.referralSubstatus') ?? ''];
  return statedTerminalClose(status, substatus);
}

/** Marks the deals among `found` that no Opportunity Close activity names as an unfinished close. */
export async function markUnfinishedCloses(client: DataverseClient, found: readonly OpenButClosed[]): Promise<void> {
  if (found.length === 0) return;
  const ids = [...new Set(found.map((f) => f.deal.crmId))];
  const urls = chunks(ids, IDS_PER_QUERY).map((chunk) => query('opportunitycloses', { $select: '_opportunityid_value', $filter: inFilter('_opportunityid_value', chunk) }));
  let rows: RawRow[][];
  try {
    rows = await allRowsInBatch<RawRow>(client, 'reading the close activities of open opportunities', urls);
  } catch (error) {
    // Without the activities (a role lacking prvReadActivity) nothing says the close is the connector's:
    // the rows stay read as the seller's reopen, which changes nothing in either system.
    if (error instanceof AuthError) return;
    throw error;
  }
  const closedOnce = new Set(rows.flat().map((r) => String(r._opportunityid_value).toLowerCase()));
  for (const f of found) if (!closedOnce.has(f.deal.crmId.toLowerCase())) f.deal.unfinishedClose = f.stated;
}
