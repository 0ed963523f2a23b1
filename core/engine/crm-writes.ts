/**
 * Sends a page's CRM writes in batches of the adapter's size (never one call per record) and returns the
 * results by write key. (A dry run's adapter lists each write instead of making it: dry-run.ts.)
 */
import { chunks } from '../chunks.js';
import type { CrmWrite, CrmWriteResult } from './crm-port.js';
import { statusWriteOnRead } from './crm-write-types.js';
import type { RunContext, TallyKey } from './context.js';
import { refusedStatus } from './crm-refusals.js';

/** What a write counts as: a lead is never counted as an opportunity. */
function tallyKeyOf(w: CrmWrite, kind: CrmWrite['kind']): TallyKey {
  const lead = (w.kind === 'create' && w.as === 'lead') || (w.kind !== 'create' && w.target === 'lead');
  if (kind === 'create') return lead ? 'leadsCreated' : 'crmCreated';
  if (kind === 'update') return lead ? 'leadsUpdated' : 'crmUpdated';
  return 'statusWritten';
}

export async function flushCrmWrites(ctx: RunContext, writes: readonly CrmWrite[]): Promise<Map<string, CrmWriteResult>> {
  const results = new Map<string, CrmWriteResult>();
  if (writes.length === 0) return results;
  for (const batch of chunks(writes, Math.max(1, ctx.crm.maxBatchSize))) {
    ctx.tally.add('crmWriteCalls');
    for (const result of await ctx.crm.write(batch)) results.set(result.key, result);
  }
  // The refusals first: each is written on the version its refused update was read at, and a stale one is
  // sent again with the other stale statuses.
  const refusals = await reportRefusals(ctx, writes, results);
  await resendStaleStatuses(ctx, [...writes, ...refusals], results);
  for (const w of refusals) if (results.get(w.key)?.ok) ctx.tally.add('statusWritten');
  for (const r of results.values()) if (r.ok) for (const crmId of r.customerSharedWith ?? []) ctx.sharedCustomerDeals.add(crmId);
  for (const w of writes) {
    const r = results.get(w.key);
    if (!r?.ok) {
      ctx.tally.add('errors');
      ctx.logger.warn({ crmId: 'crmId' in w ? w.crmId : undefined, key: w.key, code: r && !r.ok ? r.code : 'missing', reason: r && !r.ok ? r.message : 'no result' }, 'CRM write failed');
      continue;
    }
    ctx.tally.add(tallyKeyOf(w, w.kind === 'update' && w.changedFields.length === 0 ? 'status' : w.kind));
  }
  return results;
}

/**
 * A status write made on the version read (`etag`) that the CRM refused as stale (someone saved the record
 * since): the status is still the connector's word, so it is sent again unconditionally in one more call,
 * and, with no version of the engine's own to report, the record is read again next run, as it was before
 * status writes carried a version.
 */
async function resendStaleStatuses(ctx: RunContext, writes: readonly CrmWrite[], results: Map<string, CrmWriteResult>): Promise<void> {
  const stale = writes.flatMap((w) => {
    const r = results.get(w.key);
    if (w.kind !== 'status' || w.etag === undefined || !r || r.ok || r.code !== 'conflict') return [];
    const { etag: _stale, ...unconditional } = w;
    return [unconditional];
  });
  if (stale.length === 0) return;
  ctx.tally.add('crmWriteCalls');
  for (const result of await ctx.crm.write(stale)) results.set(result.key, result);
}

/**
 * A CRM that refuses an update refuses the status fields in it too; without a second, status-only write
 * the seller would never see why the deal did not sync (a silent failure). The refusal is written onto
 * the record as an error naming the field, the CRM's rule and its message; its result is kept under
 * `<key>#refused`, so that the link remembers the status the record now shows. A refused update saved
 * nothing, so the refusal is written on the version that update was read at: one no one else's save
 * preceded reports the version it made, which the link keeps (page-outcome.ts), and the next run does
 * not read it back (issue 13). Returns the refusals written.
 */
async function reportRefusals(ctx: RunContext, writes: readonly CrmWrite[], results: Map<string, CrmWriteResult>): Promise<CrmWrite[]> {
  const followUps: CrmWrite[] = [];
  for (const w of writes) {
    const r = results.get(w.key);
    if (w.kind !== 'update' || !r || r.ok || r.code !== 'validation') continue;
    const status = refusedStatus(ctx, w, r);
    if (status) followUps.push({ ...statusWriteOnRead(w, status), key: refusedKey(w.key), ...(w.target ? { target: w.target } : {}) });
  }
  if (followUps.length === 0) return followUps;
  ctx.tally.add('crmWriteCalls');
  for (const result of await ctx.crm.write(followUps)) results.set(result.key, result);
  return followUps;
}

/** Where the result of the status written after a refused update is kept. */
export const refusedKey = (key: string): string => `${key}#refused`;
