/**
 * Everything the page shows, read from one store in one go (a single install's, or one tenant's: the
 * asynchronous store's reads serve both): the last runs, parked records with
 * their reasons, open conflicts with the three values per field, the pipeline, inbound referrals waiting
 * for an answer with their time left, and the service's readiness. Plain data: the HTML and the JSON
 * (`/api/status`) are both made from it.
 */
import { failureText } from '../errors.js';
import { readUnit } from '../engine/merge/units.js';
import { parkedEntries, type ParkedEntry } from '../cli/parked-view.js';
import { describeTimeLeft, waitingInbound } from '../notify/causes.js';
import type { StoreReads } from '../store/store-reads.js';
import type { Conflict, RunRecord } from '../store/state-store.js';
import type { DashboardContext, ReadinessView } from './context.js';
import { pipelineOf, type Pipeline } from './pipeline.js';

export interface RunView extends RunRecord {
  durationMs?: number;
}

export interface ConflictField {
  field: string;
  base: string;
  crm: string;
  partnerCenter: string;
}

export interface ConflictView {
  id: number;
  crmId: string;
  referralId: string;
  dealName: string;
  detectedAt: string;
  fields: ConflictField[];
}

export interface InboundView {
  crmId: string;
  referralId: string;
  dealName: string;
  customer: string;
  value?: number;
  currency?: string;
  expiresAt: string;
  msLeft: number;
  timeLeft: string;
}

export interface DashboardData {
  generatedAt: string;
  runs: RunView[];
  parked: ParkedEntry[];
  conflicts: ConflictView[];
  pipeline: Pipeline;
  inbound: InboundView[];
  readiness?: ReadinessView;
  notices: { cause: string; kind: string; createdAt: string; sentAt?: string }[];
}

const RUNS_SHOWN = 12;

/** A field's value as a person reads it: text as is, nothing as an em dash, anything else as JSON. */
export function showValue(value: unknown): string {
  if (value === undefined || value === null || value === '') return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function conflictView(conflict: Conflict): ConflictView {
  return {
    id: conflict.id,
    crmId: conflict.crmId,
    referralId: conflict.referralId,
    dealName: conflict.crm.dealName || conflict.base.dealName,
    detectedAt: conflict.detectedAt,
    fields: conflict.fields.map((field) => ({
      field,
      base: showValue(readUnit(conflict.base, field)),
      crm: showValue(readUnit(conflict.crm, field)),
      partnerCenter: showValue(readUnit(conflict.partnerCenter, field)),
    })),
  };
}

export async function dashboardData(store: StoreReads, context: Pick<DashboardContext, 'now' | 'readiness'>): Promise<DashboardData> {
  const now = context.now();
  const [runs, attention, parked, conflicts, deals, notices] = await Promise.all([
    store.listRuns(RUNS_SHOWN),
    store.attentionLinks(),
    parkedEntries(store, 100),
    store.listConflicts(),
    store.pipelineDeals(),
    store.recentNotices(10),
  ]);
  const inbound = waitingInbound(attention, now).map(({ link, expiresAt, msLeft }) => ({
    crmId: link.crmId,
    referralId: link.referralId,
    dealName: link.base.dealName,
    customer: link.base.customer.name,
    ...(link.base.value !== undefined ? { value: link.base.value } : {}),
    ...(link.base.currency ? { currency: link.base.currency } : {}),
    expiresAt: expiresAt.toISOString(),
    msLeft,
    timeLeft: describeTimeLeft(msLeft),
  }));
  let readiness: ReadinessView | undefined;
  try {
    readiness = context.readiness ? await context.readiness() : undefined;
  } catch (error) {
    // As /readyz tells a probe's failure (readiness.ts): a library's error may quote a token.
    readiness = { ready: false, checks: [{ name: 'readiness', ok: false, detail: failureText(error) }] };
  }
  return {
    generatedAt: now.toISOString(),
    runs: runs.map((run) => ({ ...run, ...(run.finishedAt ? { durationMs: Date.parse(run.finishedAt) - Date.parse(run.startedAt) } : {}) })),
    parked,
    conflicts: conflicts.map(conflictView),
    pipeline: pipelineOf(deals),
    inbound,
    ...(readiness ? { readiness } : {}),
    notices: notices.map((n) => ({ cause: n.cause, kind: n.kind, createdAt: n.createdAt, ...(n.sentAt ? { sentAt: n.sentAt } : {}) })),
  };
}
