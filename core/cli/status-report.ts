/**
 * What `cosell status` shows, read and rendered in one place for both kinds of install: a single install's
 * SQLite store and one tenant's view of PostgreSQL (`cosell status --tenant X`) are both read through the
 * asynchronous store's reads (store-reads.ts), so the two cannot drift apart. A tenant's status adds its
 * work record from the job queue (core/worker/tenant-work.ts): which cycle is wanted, which one finished.
 */
import { describeRebuild, REBUILD_META_KEY, type RebuildRecord } from '../engine/rebuild-record.js';
import { writesOf } from '../run-counts.js';
import { OUTAGE_META, outageCause, storedOutage, type Outage } from '../engine/partner-center-outage.js';
import type { StoreReads } from '../store/store-reads.js';
import { renderWork, type TenantWorkView } from '../tenants/tenant-work-view.js';
import type { LinkState, LockHolder, RunRecord } from '../store/state-store.js';
import { table } from './output.js';
import { parkedEntries, pendingCreates, renderParked, renderPendingCreates, type ParkedEntry, type PendingCreate } from './parked-view.js';
import { describeHolder, judgeLock, type LockVerdict, type LockWorld } from './runner-lock.js';
import { renderFreshness, syncFreshness, type DueInterval, type SyncFreshness } from './sync-freshness.js';

export interface StatusReport {
  /** Present for a tenant of a multi-tenant database. */
  tenant?: { id: string; name: string };
  lock: (LockHolder & { alive: boolean }) | null;
  runs: RunRecord[];
  /** The newest run's age, the newest successful one, a timer that stopped (sync-freshness.ts). */
  freshness: SyncFreshness;
  /** The interval a single install's runs are due at (sync-freshness.ts); absent for a tenant (the scheduler's cycles). */
  interval?: DueInterval;
  links: Record<LinkState, number>;
  parked: ParkedEntry[];
  parkedTotal: number;
  conflicts: { id: number; crmId: string; referralId: string; fields: string[]; detectedAt: string }[];
  /** Orphaned links; `nextCheck`: when the connector next reads a referral Partner Center stopped showing (orphan-checks.ts). */
  orphaned: { crmId: string; referralId: string; state: LinkState; nextCheck?: string }[];
  pendingCreates: PendingCreate[];
  rebuild: RebuildRecord | null;
  /** Partner Center not answering since the runs recorded (partner-center-outage.ts); null while it answers. */
  partnerCenterOutage: Outage | null;
  work?: TenantWorkView | null;
}

/** Runs status reads: the table, and how far back it looks for a successful one. */
const RUNS_SHOWN = 10;

/**
 * Reads everything status shows from one store; the lock is judged against `world` (this host, now: the
 * heartbeat is this machine's time). `interval`: the one the install's runs are due at, against which a
 * stopped timer is told. `engineNowMs`: the engine's time now, which its runs are stamped with (Partner
 * Center's when this machine's clock is off: core/service-clock.ts); this machine's by default.
 */
export async function readStatus(store: StoreReads, world: LockWorld, interval?: DueInterval, engineNowMs = world.now): Promise<{ report: StatusReport; verdict: LockVerdict }> {
  const verdict = judgeLock(await store.lockHolder(), world);
  const [runs, links, parked, parkedTotal, conflicts, deleted, missing, pending, rebuild, outage] = await Promise.all([
    store.listRuns(RUNS_SHOWN),
    store.countLinks(),
    parkedEntries(store),
    store.countParked(),
    store.listConflicts(),
    store.listLinks({ state: 'crm-deleted', limit: 50 }),
    store.listLinks({ state: 'referral-missing', limit: 50 }),
    pendingCreates(store),
    store.getMeta(REBUILD_META_KEY),
    store.getMeta(OUTAGE_META),
  ]);
  const report: StatusReport = {
    lock: verdict.kind === 'free' ? null : { ...verdict.holder, alive: verdict.kind === 'live' },
    runs,
    freshness: syncFreshness(runs, new Date(engineNowMs), interval?.minutes, verdict.kind === 'live'),
    ...(interval ? { interval } : {}),
    links,
    parked,
    parkedTotal,
    conflicts: conflicts.map((c) => ({ id: c.id, crmId: c.crmId, referralId: c.referralId, fields: c.fields, detectedAt: c.detectedAt })),
    orphaned: deleted.concat(missing).map((l) => ({ crmId: l.crmId, referralId: l.referralId, state: l.state, ...(l.state === 'referral-missing' && l.heldUntil ? { nextCheck: l.heldUntil } : {}) })),
    pendingCreates: pending,
    rebuild: (rebuild as RebuildRecord | undefined) ?? null,
    partnerCenterOutage: storedOutage(outage) ?? null,
  };
  return { report, verdict };
}

/** The human text of `cosell status`; `now`: the engine's time, as in `readStatus`. Pure. */
export function renderStatus(report: StatusReport, verdict: LockVerdict, now: Date): string[] {
  const lines: string[] = [];
  if (report.tenant) lines.push(`Tenant ${report.tenant.id}${report.tenant.name !== report.tenant.id ? ` (${report.tenant.name})` : ''}`, '');
  const runState = (r: RunRecord) => r.outcome ?? (verdict.kind === 'live' ? 'running' : 'interrupted');
  const read = (r: RunRecord) => (r.counts.pcRead ?? 0) + (r.counts.crmRead ?? 0);
  const writes = (r: RunRecord) => writesOf(r.counts);
  lines.push(table([['run', 'started', 'outcome', 'read', 'writes'], ...report.runs.map((r) => [r.id, r.startedAt, runState(r), read(r), writes(r)])]));
  // The newest run's own words when it did not end well: what an admin checking on the timer needs first.
  const newest = report.runs[0];
  if (newest?.message && newest.outcome !== 'ok') lines.push(`\nRun ${newest.id} ${newest.outcome ?? 'is running'}: ${newest.message}`);
  lines.push(...renderFreshness(report.freshness, now, report.runs.length, report.interval));
  const down = report.partnerCenterOutage;
  if (down) lines.push(`\n${outageCause(down, down.since)}: each CRM record with a change to send says so (sync state "pending"); nothing is lost, and the changes are sent when it answers.`);
  const closed = newest?.counts.closed ?? 0;
  if (closed > 0) lines.push(`\nClosed in Partner Center, not sent: ${closed} record${closed === 1 ? '' : 's'} edited in the CRM after the deal closed (sync state "closed"), as of run ${newest!.id}.`);
  if (verdict.kind !== 'free') lines.push(`\nRunner lock: ${describeHolder(verdict.holder)}${verdict.kind === 'live' ? ' (running)' : ` (abandoned: ${verdict.why}; the next sync takes it over)`}`);
  const work = renderWork(report.work);
  if (work.length) lines.push('', ...work);
  lines.push(`\nLinks: ${Object.entries(report.links).map(([k, v]) => `${v} ${k}`).join(', ')}`);
  lines.push(...renderParked(report.parked, report.parkedTotal, now));
  lines.push(...renderPendingCreates(report.pendingCreates));
  lines.push(`Open conflicts: ${report.conflicts.length}${report.conflicts.length && !report.tenant ? ' (cosell conflicts list)' : ''}`);
  if (report.rebuild) lines.push(describeRebuild(report.rebuild));
  for (const o of report.orphaned) lines.push(`  orphaned ${o.state}: CRM ${o.crmId} ↔ referral ${o.referralId}${orphanNote(o)}`);
  return lines;
}

/** What happens next to an orphaned link, as `cosell status` says it. Pure. */
function orphanNote(o: StatusReport['orphaned'][number]): string {
  if (o.state === 'crm-deleted') return `; the CRM record was deleted, nothing syncs (a record that replaces it takes the referral with "cosell link NEW-CRM-ID ${o.referralId}")`;
  if (o.state !== 'referral-missing') return '';
  return `; Partner Center answers 404 for it, checked again ${o.nextCheck ? `at ${o.nextCheck}` : 'at the next sync'} (resumes by itself once the connector's account can see it)`;
}
