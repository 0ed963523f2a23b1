/**
 * A Partner Center outage where an admin looks: the failed run's summary counts the records told that their
 * changes wait, and `cosell status` says since when Partner Center has not answered (until 2026-12-06 neither
 * said anything of the CRM records whose changes waited).
 */
import assert from 'node:assert/strict';
import { describeRun } from '../../../core/cli/run-report.js';
import { renderStatus, type StatusReport } from '../../../core/cli/status-report.js';

const NOW = new Date('2026-12-06T18:00:00Z');

describe('a Partner Center outage in run summaries and status', () => {
  it('the run summary counts the records now saying their changes wait', () => {
    const text = describeRun({ outcome: 'failed', startedAt: NOW.toISOString(), finishedAt: NOW.toISOString(), counts: { crmRead: 3, waiting: 2, statusWritten: 2 }, partnerCenterCalls: 7, writes: 2, message: 'Partner Center changes failed: HTTP 503' });
    assert.match(text, /2 records now say their changes wait for Partner Center \(sync state "pending"\); they are sent when it answers\./);
  });

  it('cosell status says since when Partner Center has not answered', () => {
    const report: StatusReport = {
      lock: null, runs: [], freshness: {}, links: { active: 3 } as StatusReport['links'], parked: [], parkedTotal: 0, conflicts: [], orphaned: [], pendingCreates: [], rebuild: null,
      partnerCenterOutage: { since: '2026-12-06T12:05:00.000Z', reason: 'HTTP 503' },
    };
    assert.ok(renderStatus(report, { kind: 'free' }, NOW).some((l) => /Partner Center has not answered since 2026-12-06T12:05:00.000Z \(HTTP 503\): each CRM record with a change to send says so/.test(l)));
    assert.ok(!renderStatus({ ...report, partnerCenterOutage: null }, { kind: 'free' }, NOW).some((l) => /has not answered/.test(l)));
  });
});
