/**
 * A tenant's work record (`tenant_work`, core/worker/tenant-work.ts) as people read it: which cycle the
 * scheduler wants, which one a worker last finished, and how the latest cycle ended. `cosell status
 * --tenant` prints these lines; the dashboard shows them as the tenant's health.
 */
import type pg from 'pg';
import type { ReadinessView } from '../dashboard/context.js';
import { readTenantWork, wantsCycle, type TenantWorkRow } from '../worker/tenant-work.js';

/** A tenant's row in `tenant_work`, as status shows it (instants as ISO text). */
export interface TenantWorkView {
  /** The schedule occurrence (or request) the tenant's latest wanted cycle is for. */
  cycleWantedAt?: string;
  /** The wanted time the latest finished cycle was run for. */
  cycleDoneFor?: string;
  cycleStartedAt?: string;
  cycleEndedAt?: string;
  lastOutcome?: string;
  /** A cycle is wanted that no finished cycle was run for. */
  cycleDue: boolean;
}

export function tenantWorkView(row: TenantWorkRow | undefined): TenantWorkView | null {
  if (!row) return null;
  return {
    ...(row.cycleWantedAt ? { cycleWantedAt: row.cycleWantedAt.toISOString() } : {}),
    ...(row.cycleDoneFor ? { cycleDoneFor: row.cycleDoneFor.toISOString() } : {}),
    ...(row.cycleStartedAt ? { cycleStartedAt: row.cycleStartedAt.toISOString() } : {}),
    ...(row.cycleEndedAt ? { cycleEndedAt: row.cycleEndedAt.toISOString() } : {}),
    ...(row.lastOutcome ? { lastOutcome: row.lastOutcome } : {}),
    cycleDue: wantsCycle(row),
  };
}

/** The latest cycle failed: tenant-job.ts records `failed: <why>`, so the outcome is never just "failed". */
function cycleFailed(work: TenantWorkView | null | undefined): boolean {
  return work?.lastOutcome?.startsWith('failed') === true;
}

/** The work record's lines (a tenant only). Pure. */
export function renderWork(work: TenantWorkView | null | undefined): string[] {
  if (work === undefined) return [];
  if (work === null || !work.cycleWantedAt) return ['Cycles: none wanted yet (the scheduler asks for one at the next occurrence of the schedule).'];
  const lines = [
    work.cycleDue
      ? `Cycles: one is wanted for ${work.cycleWantedAt}; the latest finished cycle was for ${work.cycleDoneFor ?? 'nothing yet'} (a worker runs it when it takes the tenant's job).`
      : cycleFailed(work)
        ? `Cycles: none due; the latest, for ${work.cycleDoneFor ?? work.cycleWantedAt}, failed and waits for the next occurrence of the schedule (see why below).`
        : `Cycles: up to date (the latest finished cycle was for ${work.cycleDoneFor ?? work.cycleWantedAt}).`,
  ];
  if (work.cycleStartedAt) {
    const ended = work.cycleEndedAt && work.cycleEndedAt >= work.cycleStartedAt;
    lines.push(`Latest cycle: started ${work.cycleStartedAt}${ended ? `, ended ${work.cycleEndedAt} (${work.lastOutcome ?? 'no outcome'})` : ', not ended (running, or its worker died: the job is retried after its lease)'}`);
  }
  return lines;
}

/** The tenant's health for the dashboard: its cycles, from the work record. */
export async function tenantReadiness(pool: pg.Pool, tenantId: string): Promise<ReadinessView> {
  const work = tenantWorkView(await readTenantWork(pool, tenantId));
  const [cycles, latest] = renderWork(work);
  const failed = cycleFailed(work);
  return {
    ready: !failed,
    source: "The tenant's cycles, from the job queue's work record.",
    checks: [
      { name: 'cycles', ok: true, detail: (cycles ?? '').replace(/^Cycles: /, '') },
      ...(latest ? [{ name: 'latest-cycle', ok: !failed, detail: latest.replace(/^Latest cycle: /, '') }] : []),
    ],
  };
}
