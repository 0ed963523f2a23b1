/** Planning Partner Center's outcome onto an opportunity the seller may already have closed (write-plan.ts). */
import assert from 'node:assert/strict';
import type { BatchOperation } from '../../connectors/dynamics/batch-format.js';
import { connectorNames } from '../../connectors/dynamics/schema-names.js';
import { closeChange, planUpdate, type PlanContext } from '../../connectors/dynamics/write-plan.js';
import { emptyReferral } from '../../core/model/referral.js';
import { effectiveFieldTable } from '../../mappings/fields.dynamics.js';
import { effectiveStageTable } from '../../mappings/stages.dynamics.js';

const ctx: PlanContext = {
  fields: effectiveFieldTable('cosell_'),
  stages: effectiveStageTable(),
  processStages: new Map(),
  names: connectorNames('cosell_'),
  newId: () => '00000000-0000-4000-8000-000000000001',
  currencyIds: new Map(),
  accounts: new Map(),
  contacts: new Map(),
};
const crmId = '0aa00000-0000-4000-8000-000000000001';

function operationsFor(statecode: number, substatus: 'Won' | 'Lost'): BatchOperation[] {
  const referral = emptyReferral({ crmId, status: 'Closed', substatus });
  const plan = planUpdate({ kind: 'update', key: 'k', crmId, etag: 'W/"41"', referral, changedFields: ['status', 'substatus'] }, { statecode, team: [], solutions: [], invitedPartners: [] }, ctx);
  assert.ok(plan, 'an outcome change is written');
  return plan.entry.kind === 'changeset' ? plan.entry.operations : [plan.entry.operation];
}

describe('Dynamics 365: Partner Center outcome onto the opportunity state', () => {
  it('closes an open opportunity, leaves one closed the same way, and reopens one closed the other way', () => {
    const won = emptyReferral({ status: 'Closed', substatus: 'Won' });
    const lost = emptyReferral({ status: 'Closed', substatus: 'Lost' });
    assert.deepEqual([closeChange(0, won), closeChange(1, won), closeChange(2, won)], ['close', 'none', 'reopen-and-close']);
    assert.deepEqual([closeChange(0, lost), closeChange(2, lost), closeChange(1, lost)], ['close', 'none', 'reopen-and-close']);
    assert.equal(closeChange(1, emptyReferral({ status: 'Active', substatus: 'Accepted' })), 'none');
  });

  it("a Won opportunity for a Lost referral is reopened with the read's ETag, then lost, in one change set", () => {
    const ops = operationsFor(1, 'Lost');
    assert.deepEqual(ops[0], { method: 'PATCH', url: `opportunities(${crmId})`, headers: { 'If-Match': 'W/"41"' }, body: { statecode: 0, statuscode: 1 } });
    assert.equal(ops[1]!.method, 'PATCH');
    assert.equal(ops[1]!.headers?.['If-Match'], '*', 'the reopen already moved the row version');
    assert.equal(ops.at(-1)!.url, 'LoseOpportunity');
  });

  it('a Lost opportunity for a Won referral is reopened, then won', () => {
    const ops = operationsFor(2, 'Won');
    assert.deepEqual(ops[0]!.body, { statecode: 0, statuscode: 1 });
    assert.equal(ops.at(-1)!.url, 'WinOpportunity');
  });

  it('an opportunity already closed the same way is not reopened', () => {
    const ops = operationsFor(1, 'Won');
    assert.ok(!ops.some((op) => op.url === 'WinOpportunity' || (op.body as Record<string, unknown> | undefined)?.statecode !== undefined));
  });
});
