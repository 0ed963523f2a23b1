/**
 * Related rows deleted on their own, as QueryAll lists them (related-changes.ts `READ_WITH_DELETED`): a
 * deleted row is a change of its opportunity at its deletion's stamp, with a version no row a deal is read
 * with can have; a live row's version is the one the deal read gives, `IsDeleted` or not.
 */
import assert from 'node:assert/strict';
import { SOLUTION_PARENT_FIELD } from '../../mappings/custom-fields.salesforce.js';
import { DELETED_ROW_VERSION, READ_WITH_DELETED, relatedChangeQueries, relatedChanges } from '../../connectors/salesforce/related-changes.js';
import { relatedRowVersion } from '../../connectors/salesforce/row-version.js';

describe('Salesforce feed: related rows deleted on their own', () => {
  const live = { Id: 'a0A000000000001', [SOLUTION_PARENT_FIELD]: '006000000000001', Solution_Id__c: 'SOL-1', SystemModstamp: '2026-12-06T10:00:00.000+0000' };

  it('a deleted row changes its opportunity at its deletion, with the deleted version; a live row keeps its read version', () => {
    const [kept] = relatedChanges({ solutions: [{ ...live, IsDeleted: false }] });
    assert.equal(kept?.version, relatedRowVersion(live), 'the version the deal read gives (IsDeleted is not read there)');
    const [gone] = relatedChanges({ solutions: [{ ...live, IsDeleted: true, SystemModstamp: '2026-12-06T10:05:07.000+0000' }] });
    assert.deepEqual(gone, { key: live.Id, parentId: live[SOLUTION_PARENT_FIELD], at: '2026-12-06T10:05:07.000Z', version: DELETED_ROW_VERSION });
  });

  it('asks IsDeleted of exactly the objects read through QueryAll', () => {
    const queries = relatedChangeQueries('2026-12-06T10:00:00.000Z');
    for (const [kind, soql] of Object.entries(queries)) assert.equal(/\bIsDeleted\b/.test(soql), READ_WITH_DELETED.has(kind as keyof typeof queries), kind);
    assert.deepEqual([...READ_WITH_DELETED].sort(), ['contactRoles', 'invitations', 'solutions'], 'team members skip the Recycle Bin');
  });
});
