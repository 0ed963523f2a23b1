/**
 * The connector's status fields as a record holds them, against what a status write sends
 * (connectors/shown-status.ts): the forms a CRM keeps a value in are the same value, an edit is not.
 */
import assert from 'node:assert/strict';
import { heldColumns, showsWritten } from '../../connectors/shown-status.js';

const DATES = new Set(['Last_Synced__c']);

describe('the status fields a record holds, against a status write', () => {
  it('takes the forms a CRM keeps a value in as that value: empty for null, trimmed text, a time to the second', () => {
    const written = { State__c: 'synced', Message__c: null, Last_Synced__c: '2026-12-06T10:33:09.123Z' };
    assert.ok(showsWritten({ State__c: 'synced', Message__c: '', Last_Synced__c: '2026-12-06T10:33:09.000+0000' }, written, DATES));
    assert.ok(showsWritten({ State__c: ' synced ', Message__c: null, Last_Synced__c: '2026-12-06T10:33:09Z' }, written, DATES));
  });

  it('tells an edit: another state, a message typed or cleared, the time emptied or moved', () => {
    const written = { State__c: 'error', Message__c: 'Amount: must be positive [format.value_positive]', Last_Synced__c: '2026-12-06T10:33:09Z' };
    const held = { ...written };
    assert.ok(showsWritten(held, written, DATES));
    assert.equal(showsWritten({ ...held, State__c: 'synced' }, written, DATES), false);
    assert.equal(showsWritten({ ...held, Message__c: null }, written, DATES), false);
    assert.equal(showsWritten({ ...held, Message__c: 'All good' }, written, DATES), false);
    assert.equal(showsWritten({ ...held, Last_Synced__c: null }, written, DATES), false);
    assert.equal(showsWritten({ ...held, Last_Synced__c: '2026-12-06T10:33:11Z' }, written, DATES), false);
  });

  it('compares only the fields both name, and a message only as set or empty when asked', () => {
    assert.ok(showsWritten({ State__c: 'error' }, { State__c: 'error', Other__c: 'x' }, DATES), 'a field not read back is not compared');
    assert.ok(showsWritten({ State__c: 'error', Extra__c: 'y' }, { State__c: 'error' }, DATES), 'a field the write leaves alone is not compared');
    const presence = new Set(['Message__c']);
    assert.ok(showsWritten({ Message__c: '[checked] Refused' }, { Message__c: 'Refused' }, DATES, presence));
    assert.equal(showsWritten({ Message__c: '' }, { Message__c: 'Refused' }, DATES, presence), false);
  });

  it('keeps the columns the answer carries, and no other', () => {
    assert.deepEqual(heldColumns({ A: 1, B: null, C: 'x' }, ['A', 'B', 'D']), { A: 1, B: null });
  });
});
