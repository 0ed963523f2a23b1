/**
 * A run that could not reach Partner Center still reads the CRM's change feed, to tell the records whose
 * changes wait (partner-center-outage.ts decides which, and says why). It sends nothing and moves no
 * watermark: the CRM's cursor stays where the last full run left it, so the first run after the outage
 * reads the same changes again and sends them. The statuses written here are kept on the links (their
 * `lastStatus`), so that a later run of the same outage finds them said and writes nothing, and the run
 * after the outage writes "synced" over them. The link's row version is left as it was: the status write
 * is not taken for the seller's change, which the next full run must still read and send. A record told in
 * this outage is not read again by its later turns (knownDuringOutage), though its version moved.
 */
import type { CrmWrite, KnownVersions } from './crm-port.js';
import type { RunContext } from './context.js';
import { chunks } from '../chunks.js';
import { knownCrmVersions } from './echoes.js';
import { withPageRecords } from './page-records.js';
import { recordShowsRefusal } from './shown-status.js';
import { holdsUnsentChange, toldInOutage, waitingStatus, type Outage } from './partner-center-outage.js';
import type { Link } from '../store/state-store.js';
import type { PartnerCenterPort } from './ports.js';

/** Writes the waiting status onto each record of the CRM's feed whose changes wait; returns how many it wrote. */
export async function tellWaitingChanges(runCtx: RunContext, outage: Outage): Promise<number> {
  let told = 0;
  const cursor = await runCtx.store.getCursor('crm');
  for await (const page of runCtx.crm.readChanges(cursor as Parameters<RunContext['crm']['readChanges']>[0], knownDuringOutage(runCtx, outage))) {
    // A stop asked for (SIGTERM) is kept: the records not told yet are told by the next run of the outage.
    if (runCtx.options.signal?.aborted) break;
    runCtx.tally.add('crmRead', page.deals.length);
    const ctx = await withPageRecords(runCtx, page.deals.map((d) => d.crmId));
    const due: { write: CrmWrite & { kind: 'status' }; link?: Link }[] = [];
    for (const deal of page.deals) {
      const link = ctx.records.getLinkByCrmId(deal.crmId);
      const parked = ctx.records.getParked('crm', deal.crmId) !== undefined || (link !== undefined && ctx.records.getParked('partner-center', link.referralId) !== undefined);
      const changed = link !== undefined && link.state === 'active' && holdsUnsentChange(deal, link, ctx.options.policy);
      const status = waitingStatus({ deal, ...(link ? { link } : {}), parked, changed, outage });
      // A record without a link keeps no status in the store: what it shows says whether it was told (read
      // without its status fields, it is taken to show it, so that it is never written at every run).
      if (!status || (!link && recordShowsRefusal(ctx.crm, deal, status))) continue;
      due.push({ write: { kind: 'status', key: deal.crmId, crmId: deal.crmId, status }, ...(link ? { link } : {}) });
    }
    for (const batch of chunks(due, ctx.crm.maxBatchSize)) {
      const results = new Map((await ctx.crm.write(batch.map((d) => d.write))).map((r) => [r.key, r]));
      const written = batch.filter((d) => results.get(d.write.key)?.ok === true);
      told += written.length;
      runCtx.tally.add('statusWritten', written.length);
      await ctx.store.transaction(async (tx) => {
        for (const { write, link } of written) if (link) await tx.putLink({ ...link, lastStatus: write.status, updatedAt: ctx.nowIso });
      });
    }
  }
  runCtx.tally.add('waiting', told);
  return told;
}

/**
 * The versions the engine holds ({@link knownCrmVersions}), and the records told in this outage whatever their
 * version ({@link toldInOutage}): the adapter lists them and reads them no further. Their whole links are
 * loaded (a status is no version), for the changes of the outage only: the cursor stays at the last full run.
 */
function knownDuringOutage(runCtx: RunContext, outage: Outage): KnownVersions {
  const known = knownCrmVersions(runCtx);
  let told = new Set<string>();
  return {
    async prepare(crmIds) {
      const [, page] = await Promise.all([known.prepare(crmIds), runCtx.store.loadPage({ crmIds })]);
      told = new Set(page.links.filter((link) => toldInOutage(link, outage)).map((link) => link.crmId));
    },
    isKnown: (crmId, version) => told.has(crmId) || known.isKnown(crmId, version),
    // Settled as before: a related row changed on a told record is still read (the adapter's own index decides).
    ...(known.isSettled ? { isSettled: known.isSettled.bind(known) } : {}),
  };
}

/**
 * The Partner Center port, remembering the errors its calls threw: a run's failure is Partner Center's
 * outage only when Partner Center threw it (a CRM's own 503 is not), told without reading any message.
 */
export function watchedPartnerCenter(port: PartnerCenterPort): { port: PartnerCenterPort; threw(error: unknown): boolean } {
  const thrown = new WeakSet<object>();
  const noted = (error: unknown): never => {
    if (typeof error === 'object' && error !== null) thrown.add(error);
    throw error;
  };
  const watched: PartnerCenterPort = {
    async *changes(cursor) {
      try {
        yield* port.changes(cursor);
      } catch (error) {
        noted(error);
      }
    },
    get: (referralId) => port.get(referralId).catch(noted),
    createIdempotent: (referral, options) => port.createIdempotent(referral, options).catch(noted),
    update: (previous, next) => port.update(previous, next).catch(noted),
    assessmentsAllowed: () => port.assessmentsAllowed().catch(noted),
    ...(port.maxConcurrency === undefined ? {} : { maxConcurrency: port.maxConcurrency }),
    referralLink: (referralId) => port.referralLink(referralId),
    callCount: () => port.callCount(),
  };
  return { port: watched, threw: (error) => typeof error === 'object' && error !== null && thrown.has(error) };
}
