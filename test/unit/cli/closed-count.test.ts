/**
 * Records edited in the CRM after Partner Center closed the deal (sync state `closed`) are counted where
 * an admin looks: the run's summary and `cosell status`, which otherwise show a quiet, healthy run.
 */
import assert from 'node:assert/strict';
import { describeRun } from '../../../core/cli/run-report.js';
import { renderStatus, type StatusReport } from '../../../core/cli/status-report.js';

const NOW = new Date('2026-12-05T12:00:00Z');
const counts = { pcRead: 1, crmRead: 1, closed: 2 };

describe('the closed sync state in run summaries and status', () => {
  it('the run summary says how many records hold CRM edits Partner Center will not take', () => {
    const text = describeRun({ outcome: 'ok', startedAt: NOW.toISOString(), finishedAt: NOW.toISOString(), counts, partnerCenterCalls: 1, writes: 0 });
    assert.match(text, /2 records were edited in the CRM after Partner Center closed the deal: the edits are not sent \(sync state "closed"/);
    assert.doesNotMatch(describeRun({ outcome: 'ok', startedAt: NOW.toISOString(), finishedAt: NOW.toISOString(), counts: { pcRead: 1 }, partnerCenterCalls: 1, writes: 0 }), /closed/);
  });

  it('cosell status names them from the newest run', () => {
    const report: StatusReport = {
      lock: null, runs: [{ id: 7, startedAt: NOW.toISOString(), finishedAt: NOW.toISOString(), outcome: 'ok', counts }], freshness: {}, links: { active: 3 } as StatusReport['links'],
      parked: [], parkedTotal: 0, conflicts: [], orphaned: [], pendingCreates: [], rebuild: null, partnerCenterOutage: null,
    };
    assert.ok(renderStatus(report, { kind: 'free' }, NOW).some((l) => /Closed in Partner Center, not sent: 2 records edited in the CRM after the deal closed \(sync state "closed"\), as of run 7\./.test(l)));
  });
});
