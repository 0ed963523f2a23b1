/**
 * A CRM record whose link is orphaned (`referral-missing`: Partner Center answers 404 for its referral,
 * orphan-checks.ts), listed by the CRM's feed: nothing syncs, but the record keeps saying so (its status
 * fields edited are written again: shown-status.ts), and the link keeps the version the record is left at,
 * so that later listings of that version do not read it back (echoes.ts; issue 13). Until 2026-12-07 that
 * status was written with no read version and the link kept none: the next run read the record back in
 * full (test/e2e/status-write-read-back.test.ts).
 */
import type { CrmDeal, CrmWrite } from './crm-port.js';
import { statusWriteOnRead } from './crm-write-types.js';
import type { Link } from '../store/state-store.js';
import type { RunContext } from './context.js';
import type { PageOutcome } from './page-outcome.js';
import { crmVersionLeft } from './parking.js';
import { recordShows } from './shown-status.js';

/** The status written again when the record no longer shows it: on the version read, checked as an update's is. */
function orphanedStatusWrite(ctx: Pick<RunContext, 'crm'>, link: Link, deal: CrmDeal): CrmWrite | undefined {
  if (!link.lastStatus || recordShows(ctx.crm, deal, link.lastStatus)) return undefined;
  return statusWriteOnRead(deal, link.lastStatus);
}

/**
 * Queues the orphaned record's status write, if any, and the link's version at the page's commit: the
 * version read, or the one the write reports as the engine's own. A write made over someone else's save
 * reports none, and the link keeps the version it had (not this record's): the record is read again.
 * Only the version changes: the orphaned-since time (`updatedAt`) is what the next check's wait is
 * reckoned from (orphan-checks.ts).
 */
export function recordOrphaned(ctx: Pick<RunContext, 'crm'>, outcome: PageOutcome, writes: CrmWrite[], link: Link, deal: CrmDeal): void {
  const write = orphanedStatusWrite(ctx, link, deal);
  if (write) writes.push(write);
  outcome.apply.push(async (tx, results) => {
    const version = crmVersionLeft(deal.etag, write ? results.get(write.key) : null);
    if (version !== undefined && version !== link.crmEtag) await tx.putLink({ ...link, crmEtag: version });
  });
}
