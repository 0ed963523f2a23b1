/**
 * A team member is read with its User's name, email and phone, so a User edit (which moves the User's
 * SystemModstamp only) is a change of every deal whose team holds that user (related-changes.ts): the team
 * query asks `User.SystemModstamp` besides the row's own stamp, the change takes the later of the two, and
 * the version leaves both stamps out, so that a User save which changed none of those fields is known.
 */
import assert from 'node:assert/strict';
import { parseQuery } from 'soql-parser-js';
import { asSubqueryRow, isRelatedChange, SAVED_BY } from '../../connectors/salesforce/fold-related.js';
import { relatedChangeQueries, relatedChanges } from '../../connectors/salesforce/related-changes.js';
import { relatedRowVersion } from '../../connectors/salesforce/row-version.js';

describe('Salesforce feed: team members whose User changed', () => {
  const user = { FirstName: 'Tess', LastName: 'Teammate', Email: 'tess@partner.example', Phone: '+1 425 555 0141' };
  const member = { Id: '00q000000000001', OpportunityId: '006000000000001', UserId: '005000000000001', TeamMemberRole: 'Sales Rep', SystemModstamp: '2026-12-06T10:00:00.000+0000' };

  it('asks for rows changed or whose User changed since the window, and the User stamp', () => {
    const soql = relatedChangeQueries('2026-12-06T10:00:00.000Z', "LastModifiedById != '005000000000009'").team;
    assert.match(soql, / WHERE \(SystemModstamp >= 2026-12-06T10:00:00\.000Z AND LastModifiedById != '005000000000009'\) OR \(User\.SystemModstamp >= 2026-12-06T10:00:00\.000Z\)$/);
    assert.ok(parseQuery(soql).fields?.some((f) => f.type === 'FieldRelationship' && f.rawValue === 'User.SystemModstamp'), soql);
  });

  it("takes the later of the row's and the User's stamps, with the version the deal read gives", () => {
    const read = { ...member, User: user };
    const [edited] = relatedChanges({ team: [{ ...member, User: { ...user, Phone: '+1 425 555 0199', SystemModstamp: '2026-12-06T10:07:00.000+0000' } }] });
    assert.equal(edited?.at, '2026-12-06T10:07:00.000Z');
    assert.notEqual(edited?.version, relatedRowVersion(read), 'a new phone is a new version');
    const [bumped] = relatedChanges({ team: [{ ...member, User: { ...user, SystemModstamp: '2026-12-06T10:09:00.000+0000' } }] });
    assert.deepEqual(bumped, { key: member.Id, parentId: member.OpportunityId, at: '2026-12-06T10:09:00.000Z', version: relatedRowVersion(read) });
    const [own] = relatedChanges({ team: [{ ...member, SystemModstamp: '2026-12-06T10:11:00.000+0000', User: { ...user, SystemModstamp: '2026-12-06T09:00:00.000+0000' } }] });
    assert.equal(own?.at, '2026-12-06T10:11:00.000Z', "the row's own later stamp");
  });

  it('a folded first call (fold-related.ts) takes a row listed for its User as a change, and reads it as the subquery does', () => {
    const since = '2026-12-06T10:00:00.000Z';
    // Saved last by the connector before its own-writes mark: the row's own stamp is not a change.
    const own = { userId: '005000000000009', ownThrough: '2026-12-06T10:30:00.000Z' };
    const row = { ...member, SystemModstamp: '2026-12-06T10:05:00.000+0000', [SAVED_BY]: own.userId, User: { ...user, SystemModstamp: '2026-12-06T10:07:00.000+0000' } };
    assert.equal(isRelatedChange('team', row, { since, own }), true, "the User's edit is a change");
    assert.equal(isRelatedChange('team', { ...row, User: { ...user, SystemModstamp: '2026-12-06T09:00:00.000+0000' } }, { since, own }), false, 'read only for its deal');
    const { SystemModstamp: _stamp, ...asRead } = member;
    assert.deepEqual(asSubqueryRow('team', row), { ...asRead, User: user }, "the User's stamp and who saved the row left out");
  });
});

