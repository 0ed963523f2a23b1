/** How a run reads to a person (one line of counts, then any message) and to a program (`--json`). */
import type { RunReport } from '../engine/sync-engine.js';
import { describeHolder } from './runner-lock.js';
import type { LockHolder } from '../store/index.js';

export function describeRun(report: RunReport): string {
  const n = (k: string) => report.counts[k] ?? 0;
  const lines = [
    `${report.outcome.toUpperCase()} ${report.startedAt}: read ${n('pcRead')} referrals and ${n('crmRead')} opportunities; ` +
      `created ${n('pcCreated')} referrals, ${n('crmCreated')} opportunities and ${n('leadsCreated')} leads; updated ${n('pcUpdated')} referrals, ${n('crmUpdated')} opportunities and ${n('leadsUpdated')} leads; ` +
      `${n('statusWritten')} sync statuses written onto records; ${report.writes} writes in all; ` +
      `${n('parked')} parked, ${n('conflicts')} conflicts, ${n('held')} held, ${n('orphaned')} orphaned; ${report.partnerCenterCalls} Partner Center calls.`,
  ];
  if (report.message) lines.push(report.message);
  const closed = n('closed');
  // Not an error, yet the two sides disagree: an admin should know, as the record's "synced" no longer says so.
  if (closed > 0) lines.push(`${closed} record${closed === 1 ? ' was' : 's were'} edited in the CRM after Partner Center closed the deal: the edits are not sent (sync state "closed"; the record's message names the fields).`);
  const waiting = n('waiting');
  if (waiting > 0) lines.push(`${waiting} record${waiting === 1 ? ' now says its changes wait' : 's now say their changes wait'} for Partner Center (sync state "pending"); they are sent when it answers.`);
  const parked = report.parkedTotal ?? n('parked');
  if (parked > 0) lines.push(`${parked} record${parked === 1 ? ' is' : 's are'} parked (could not sync, in this run or an earlier one): "cosell status" lists each with its reason; they are retried when they change.`);
  const conflicts = report.openConflictsTotal ?? 0;
  if (conflicts > 0) lines.push(`${conflicts} conflict${conflicts === 1 ? ' waits' : 's wait'} for an admin (manual policy): "cosell conflicts list" shows each; its fields stay as they are on both sides until it is settled.`);
  return lines.join('\n');
}

export function describeLocked(holder: LockHolder): string {
  return `another sync holds the lock: ${describeHolder(holder)}. It is released when that run ends; a lock whose process has died is taken over automatically.`;
}
