/**
 * Deals of one customer share its CRM account and contact: the customer fields are shared and flow both ways
 * (mappings/field-ownership.ts), so a change Partner Center made on one referral, written to the account or
 * contact through that referral's deal, changed every other deal of the customer too. The adapter names those
 * deals on the write's result (`customerSharedWith`); once the run's writes are made, they are read again
 * (one batched read) and processed like a page of the CRM's feed, so that their referrals take the change in
 * the same run. Left to the next run's feed, for a whole run those records said *synced* while their
 * referrals held the old customer (test/e2e/shared-customer-same-run.test.ts). A run that stops early leaves
 * them to the next run's feed, which lists the account and contact changes whoever made them.
 */
import { chunks } from '../chunks.js';
import type { RunContext } from './context.js';
import { processCrmRecordsById } from './crm-phase.js';

/** Deals read and processed together: a customer with many deals is carried a page at a time. */
const PER_PAGE = 1_000;

/**
 * Rounds of re-reading: a deal read again here writes its status, not its customer, so one round is the rule;
 * a second covers a customer this round's writes changed again (both sides edited it), and then it stops.
 */
const ROUNDS = 2;

export async function carrySharedCustomerChanges(ctx: RunContext): Promise<void> {
  for (let round = 0; round < ROUNDS && ctx.sharedCustomerDeals.size > 0; round += 1) {
    const crmIds = [...ctx.sharedCustomerDeals];
    ctx.sharedCustomerDeals.clear();
    for (const page of chunks(crmIds, PER_PAGE)) {
      await processCrmRecordsById(ctx, page, (deals) => ctx.logger.debug({ crmIds: deals.map((d) => d.crmId) }, 'deals whose customer the run changed through another deal'));
    }
  }
}
