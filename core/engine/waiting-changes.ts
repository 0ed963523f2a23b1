/**
 * A run that could not reach Partner Center still reads the CRM's change feed, to tell the records whose
 * changes wait (partner-center-outage.ts decides which, and says why). It sends nothing and moves no
 * watermark: the CRM's cursor stays where the last full run left it, so the first run after the outage
 * reads the same changes again and sends them. The statuses written here are kept on the links (their
 * `lastStatus`), so that a later run of the same outage finds them said and writes nothing, and the run
 * after the outage writes "synced" over them. The link's row version is left as it was: the status write
 * is not taken for the seller's change, which the next full run must still read and send. A record told in
 * this outage is not read again by its later turns (knownDuringOutage), though its version moved; nor is one
 * without a link at the version a turn left it (outage-versions.ts), until a seller saves it again.
 */
import type { KnownVersions } from './crm-port.js';
import { statusWriteOnRead, type CrmStatusWrite } from './crm-write-types.js';
import type { RunContext } from './context.js';
import { flushCrmWrites } from './crm-writes.js';
import { knownCrmVersions } from './echoes.js';
import { OUTAGE_VERSIONS_META, parseOutageVersions, rememberOutageVersions, type OutageVersions } from './outage-versions.js';
import { crmVersionLeft } from './parking.js';
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
    const due: { write: CrmStatusWrite; link?: Link }[] = [];
    // The unlinked records read, by the version this turn leaves each at (outage-versions.ts): the one read,
    // or the one its status write reports.
    const unlinked = new Map<string, string | undefined>();
    for (const deal of page.deals) {
      const link = ctx.records.getLinkByCrmId(deal.crmId);
      const parked = ctx.records.getParked('crm', deal.crmId) !== undefined || (link !== undefined && ctx.records.getParked('partner-center', link.referralId) !== undefined);
      const changed = link !== undefined && link.state === 'active' && holdsUnsentChange(deal, link, ctx.options.policy);
      const status = waitingStatus({ deal, ...(link ? { link } : {}), parked, changed, outage });
      if (!link) unlinked.set(deal.crmId, crmVersionLeft(deal.etag, null));
      // A record without a link keeps no status in the store: what it shows says whether it was told (read
      // without its status fields, it is taken to show it, so that it is never written at every run).
      if (!status || (!link && recordShowsRefusal(ctx.crm, deal, status))) continue;
      // Written on the version read, so that the version it leaves is reported: an unlinked record keeps it
      // in the outage's entry. A linked one needs none (toldInOutage), and its write stays as it was.
      due.push(link ? { write: { kind: 'status', key: deal.crmId, crmId: deal.crmId, status }, link } : { write: statusWriteOnRead(deal, status) });
    }
    // In batches; a stale write on the version read is sent again without it (crm-writes.ts), and reports none.
    const results = await flushCrmWrites(ctx, due.map((d) => d.write));
    const written = due.filter((d) => results.get(d.write.key)?.ok === true);
    told += written.length;
    for (const { write, link } of due) if (!link) unlinked.set(write.crmId, crmVersionLeft(write.etag, results.get(write.key)));
    if (written.length === 0 && unlinked.size === 0) continue;
    await ctx.store.transaction(async (tx) => {
      for (const { write, link } of written) if (link) await tx.putLink({ ...link, lastStatus: write.status, updatedAt: ctx.nowIso });
      if (unlinked.size > 0) await rememberOutageVersions(tx, [...unlinked].map(([crmId, etag]) => ({ crmId, etag })), outage, ctx.nowIso);
    });
  }
  runCtx.tally.add('waiting', told);
  return told;
}

/**
 * The versions the engine holds ({@link knownCrmVersions}), the records told in this outage whatever their
 * version ({@link toldInOutage}), and the unlinked records at the version this outage's turns left them
 * (outage-versions.ts): the adapter lists them and reads them no further. Their whole links are loaded (a
 * status is no version), for the changes of the outage only: the cursor stays at the last full run.
 */
function knownDuringOutage(runCtx: RunContext, outage: Outage): KnownVersions {
  const known = knownCrmVersions(runCtx);
  let told = new Set<string>();
  let linked = new Set<string>();
  // Read once, the first time a listed record has no link.
  let left: OutageVersions | undefined;
  return {
    async prepare(crmIds) {
      const [, page] = await Promise.all([known.prepare(crmIds), runCtx.store.loadPage({ crmIds })]);
      told = new Set(page.links.filter((link) => toldInOutage(link, outage)).map((link) => link.crmId));
      linked = new Set(page.links.map((link) => link.crmId));
      if (left === undefined && crmIds.some((id) => !linked.has(id))) left = parseOutageVersions(await runCtx.store.getMeta(OUTAGE_VERSIONS_META), outage);
    },
    isKnown: (crmId, version) => told.has(crmId) || known.isKnown(crmId, version) || (!linked.has(crmId) && left?.get(crmId) === version),
    // Nothing in a told or already read record's team, solutions or contact changes what it is told: a deal
    // ticked in the outage was saved with its rows after the cursor, and every turn listed them again.
    ignoresRelatedRows: (crmId) => told.has(crmId) || (!linked.has(crmId) && left?.has(crmId) === true),
    // Settled as before, for the other records: the adapter's own index decides whether a related row is new.
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
