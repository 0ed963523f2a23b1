/**
 * What `cosell status` shows of parked records and pending creates: side, record, deal name (from the
 * park, else from the link), where it was blocked, every reason with its rule, attempts and next retry.
 */
import assert from 'node:assert/strict';
import { parkedEntries, pendingCreates, renderParked, renderPendingCreates } from '../../../core/cli/parked-view.js';
import { openMemoryStore } from '../../../core/store/index.js';
import { storeReadsOf } from '../../../core/store/store-reads.js';
import { inboundFromMicrosoft } from '../../helpers/referrals.js';

const NOW = new Date('2026-03-02T09:00:00.000Z');

function storeWithParks() {
  const store = openMemoryStore();
  store.putLink({ crmId: 'opp-1', referralId: 'ref-1', base: inboundFromMicrosoft({ dealName: 'Linked deal' }), state: 'active', updatedAt: '2026-03-01T00:00:00.000Z' });
  store.park({
    side: 'partner-center', recordId: 'ref-9', name: 'Refused inbound', fingerprint: 'f', parkedAt: '2026-03-02T08:00:00.000Z', attempts: 2, retryAt: '2026-03-02T08:30:00.000Z',
    reasons: [{ code: 'crm.STRING_TOO_LONG', field: 'customer.name', message: 'Salesforce refused it: Account Name: data value too large', severity: 'error' }],
  });
  store.park({
    side: 'crm', recordId: 'opp-1', fingerprint: 'g', parkedAt: '2026-03-02T07:00:00.000Z', attempts: 1, retryAt: '2026-03-02T10:00:00.000Z',
    reasons: [
      { code: 'create.team.required', field: 'team', message: 'Add a team member.', severity: 'error' },
      { code: 'create.solution.required', field: 'solutions', message: 'Add a solution.', severity: 'error' },
    ],
  });
  store.park({ side: 'partner-center', recordId: 'ref-x', fingerprint: 'h', parkedAt: '2026-03-02T06:00:00.000Z', attempts: 1, reasons: [{ code: 'mapping.unreadable', field: 'referral', message: 'bad status', severity: 'error' }] });
  store.putIntent({ target: 'crm', sourceId: 'ref-9', createdAt: '2026-03-02T08:00:00.000Z', attempts: 2 });
  return store;
}

describe('cosell status: parked records and pending creates', () => {
  it('lists each parked record with its side, record, name, what was blocked, first reason, attempts and retry time', async () => {
    const entries = await parkedEntries(storeReadsOf(storeWithParks()));
    assert.deepEqual(entries.map((e) => [e.side, e.recordId, e.name, e.blocked, e.field, e.rule, e.attempts, e.retryAt]), [
      ['partner-center', 'ref-9', 'Refused inbound', 'not-written-to-crm', 'customer.name', 'crm.STRING_TOO_LONG', 2, '2026-03-02T08:30:00.000Z'],
      ['crm', 'opp-1', 'Linked deal', 'not-sent-to-partner-center', 'team', 'create.team.required', 1, '2026-03-02T10:00:00.000Z'],
      ['partner-center', 'ref-x', undefined, 'unreadable', 'referral', 'mapping.unreadable', 1, undefined],
    ]);
    assert.equal(entries[1]!.reasons.length, 2, 'every reason is kept');
  });

  it('prints one block per record, with every reason, and says when the next retry is', async () => {
    const store = storeWithParks();
    const text = renderParked(await parkedEntries(storeReadsOf(store)), store.countParked(), NOW).join('\n');
    assert.match(text, /^Parked: 3 \(each is retried when either side changes, and at its next retry\)/);
    const block = (...lines: string[]) => assert.ok(text.includes(lines.join('\n')), `missing:\n${lines.join('\n')}\nin:\n${text}`);
    block(
      '  Partner Center referral ref-9 "Refused inbound" could not be written to the CRM',
      '    customer.name [crm.STRING_TOO_LONG]: Salesforce refused it: Account Name: data value too large',
      '    attempts 2, parked since 2026-03-02T08:00:00.000Z, next retry 2026-03-02T08:30:00.000Z (due: the next sync)',
    );
    block(
      '  CRM record opp-1 "Linked deal" could not be sent to Partner Center',
      '    team [create.team.required]: Add a team member.',
      '    solutions [create.solution.required]: Add a solution.',
      '    attempts 1, parked since 2026-03-02T07:00:00.000Z, next retry 2026-03-02T10:00:00.000Z',
    );
    block(
      '  Partner Center referral ref-x could not be read from Partner Center',
      '    referral [mapping.unreadable]: bad status',
      '    attempts 1, parked since 2026-03-02T06:00:00.000Z, next retry when the record changes',
    );
    assert.equal(renderParked([], 0, NOW).join('\n'), 'Parked: 0');
  });

  it('says how many more there are when the list is cut', async () => {
    const store = storeWithParks();
    const lines = renderParked(await parkedEntries(storeReadsOf(store), 1), store.countParked(), NOW);
    assert.equal(lines.at(-1), '  … and 2 more');
  });

  it('shows pending creates with what is being created and the deal name', async () => {
    const pending = await pendingCreates(storeReadsOf(storeWithParks()));
    assert.deepEqual(pending.map((p) => [p.creating, p.sourceId, p.name, p.attempts]), [['crm-opportunity', 'ref-9', 'Refused inbound', 2]]);
    assert.deepEqual(renderPendingCreates(pending), [
      'Pending creates: 1 (recorded before the call; the next sync looks each one up before trying again)',
      '  CRM opportunity for referral ref-9 "Refused inbound": since 2026-03-02T08:00:00.000Z, attempts 2',
    ]);
    assert.deepEqual(renderPendingCreates([]), ['Pending creates: 0']);
  });
});
