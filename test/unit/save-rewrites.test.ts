/** What counts as an org's save-time rewrite (connectors/save-rewrites.ts), and what is only how the CRM stores a value. */
import assert from 'node:assert/strict';
import { rewrittenOnSave } from '../../connectors/save-rewrites.js';

describe('rewrittenOnSave', () => {
  it('names a value the org changed on save (an uppercased name)', () => {
    assert.deepEqual(rewrittenOnSave({ name: 'Fabrikam expansion', amount: 10 }, { name: 'FABRIKAM EXPANSION', amount: 10 }), ['name']);
  });

  it('does not take second-precision storage of a time for a rewrite (the sync status time has milliseconds)', () => {
    assert.deepEqual(rewrittenOnSave({ cosell_lastsync: '2026-12-05T21:00:00.123Z' }, { cosell_lastsync: '2026-12-05T21:00:00Z' }), []);
    assert.deepEqual(rewrittenOnSave({ Cosell_Last_Sync__c: '2026-12-05T21:00:00.123Z' }, { Cosell_Last_Sync__c: '2026-12-05T21:00:00.000+0000' }), []);
  });

  it('still names a time the org moved by a second or more', () => {
    assert.deepEqual(rewrittenOnSave({ stamp: '2026-12-05T21:00:00.123Z' }, { stamp: '2026-12-05T21:00:01Z' }), ['stamp']);
  });

  it('compares only the columns the answer carries, and numbers and empties as saved', () => {
    assert.deepEqual(rewrittenOnSave({ name: 'x', 'parentaccountid@odata.bind': '/accounts(1)', budget: 5 }, { budget: '5', name: 'x' }), []);
    assert.deepEqual(rewrittenOnSave({ description: '' }, { description: null }), []);
  });
});
