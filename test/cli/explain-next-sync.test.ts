/** core/cli/commands/explain-next-sync.ts: what `cosell explain` says the record would show (pure). */
import assert from 'node:assert/strict';
import { nextSyncOf } from '../../core/cli/commands/explain-next-sync.js';

describe('cosell explain: what the record would show', () => {
  const status = (state: string, message?: string) => ({ side: 'crm' as const, kind: 'status' as const, crmId: '006A', state, ...(message ? { message } : {}) });
  it('a synced record with a note naming a rule shows it: the seller is told something was not sent or was put back', () => {
    const message = 'Co-sell Partner Invitations: the deleted invitation to partner P-1 stays in Partner Center: an invitation cannot be withdrawn. [invitation.cannot_withdraw]';
    assert.deepEqual(nextSyncOf([status('synced', message)]).recordWouldShow, { state: 'synced', message });
  });
  it('a plain synced record, or one that only says its final state, shows nothing more', () => {
    assert.equal(nextSyncOf([status('synced')]).recordWouldShow, undefined);
    assert.equal(nextSyncOf([status('synced', 'Won in Partner Center.')]).recordWouldShow, undefined);
  });
  it('any other state shows, as before', () => {
    assert.deepEqual(nextSyncOf([status('error', 'Amount: … [format.value_positive]')]).recordWouldShow, { state: 'error', message: 'Amount: … [format.value_positive]' });
  });
});
