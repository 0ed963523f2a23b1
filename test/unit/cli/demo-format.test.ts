/** Issue 12, item 11: the demo's lines say "sync: ok" once, and a Dynamics row without a process stage says what it reads as. */
import assert from 'node:assert/strict';
import { recordLine, runSummary } from '../../../demo/format.js';
import type { RunReport } from '../../../core/engine/sync-engine.js';

const report: RunReport = { outcome: 'ok', startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:01.000Z', counts: { pcCreated: 2, crmUpdated: 1 }, partnerCenterCalls: 3, writes: 3 };

describe('demo output', () => {
  it('summarises a run without repeating "sync:" after the caller\'s label', () => {
    const line = `sync: ${runSummary(report)}`;
    assert.doesNotMatch(line, /sync: sync:/);
    assert.match(line, /^sync: ok; 2 referral\(s\) created in Partner Center, 0 opportunity\(ies\) created in the CRM, 0 lead\(s\) created in the CRM, 0 referral update\(s\), 1 opportunity update\(s\)/);
  });

  it('prints lead creates as leads, never as opportunities (issue 19 item 6)', () => {
    const line = runSummary({ ...report, counts: { crmCreated: 1, leadsCreated: 2 } });
    assert.match(line, /1 opportunity\(ies\) created in the CRM, 2 lead\(s\) created in the CRM/);
  });

  it('shows the CRM stage and what it reads as; a record with no process stage reads as its canonical stage, never "(none)"', () => {
    const dynamicsRow = recordLine('Private deal', { exists: true, syncState: 'synced', teamEmails: [], solutionIds: [] }, { salesStage: 'Created', status: 'Active/Accepted' }, 'Partner Center Active/Accepted');
    assert.doesNotMatch(dynamicsRow, /\(none\)/);
    assert.match(dynamicsRow, /CRM stage no stage yet → Created/);
    const salesforceRow = recordLine('Lost deal', { exists: true, stage: 'Closed Lost', syncState: 'synced', teamEmails: [], solutionIds: [] }, { status: 'Closed/Declined' }, 'Partner Center Closed/Declined');
    assert.match(salesforceRow, /CRM stage Closed Lost → Closed\/Declined/);
  });
});
