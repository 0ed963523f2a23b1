/**
 * The demo's lines, as pure functions: a run's summary (the caller's label says which sync it was, so
 * the summary does not repeat "sync:") and one line per record, which shows the CRM's own stage and what
 * the connector reads it as (a Dynamics 365 opportunity that has not entered a process stage yet has no
 * CRM stage, and reads as Created or Accepted).
 */
import type { RecordView } from '../sandbox/consoles/types.js';
import type { RunReport } from '../core/engine/sync-engine.js';

export function runSummary(report: RunReport): string {
  const n = (k: string) => report.counts[k] ?? 0;
  const parts = [
    `${n('pcCreated')} referral(s) created in Partner Center`,
    `${n('crmCreated')} opportunity(ies) created in the CRM`,
    `${n('leadsCreated')} lead(s) created in the CRM`,
    `${n('pcUpdated')} referral update(s)`,
    `${n('crmUpdated')} opportunity update(s)`,
    `${n('parked')} parked`,
    `${n('held')} held`,
  ];
  return `${report.outcome}; ${parts.join(', ')}; ${report.partnerCenterCalls} Partner Center call(s)`;
}

export interface ReadAs {
  /** The canonical sales stage the connector reads from the record, if any. */
  salesStage?: string;
  /** Status/Substatus the connector reads from the record. */
  status: string;
}

export function recordLine(label: string, view: RecordView, readAs: ReadAs | undefined, partnerCenter: string): string {
  const crmStage = view.stage ?? 'no stage yet';
  const meaning = readAs ? (readAs.salesStage ?? readAs.status) : '-';
  return `  • ${label.padEnd(30)} CRM stage ${`${crmStage} → ${meaning}`.padEnd(34)} sync ${String(view.syncState ?? '-').padEnd(7)} ${partnerCenter}`;
}
