/**
 * The Salesforce sandbox's Recycle Bin as QueryAll reads it (sandbox/salesforce/recycle-bin.ts): a deleted
 * row is gone from Query, found by QueryAll with IsDeleted true and its deletion's time as SystemModstamp
 * (getDeleted's deletedDate "is obtained using the SystemModstamp system field"); team members skip the bin;
 * an emptied Recycle Bin leaves nothing for QueryAll.
 */
import assert from 'node:assert/strict';
import { useRawSalesforceApi } from '../helpers/salesforce-raw-api.js';

describe('Salesforce sandbox Recycle Bin (QueryAll)', function () {
  this.timeout(30_000);
  const raw = useRawSalesforceApi();
  const { api } = raw;
  const rows = (resource: 'query' | 'queryAll', soql: string) => raw.rows(soql, resource);

  it('QueryAll finds a deleted row, marked deleted and stamped by its deletion; Query does not; team members skip the bin', async () => {
    const opportunity = raw.sandbox().store.all('Opportunity')[0]!;
    const contact = raw.sandbox().store.all('Contact')[0]!;
    const user = raw.sandbox().store.all('User')[0]!;
    const create = async (type: string, body: Record<string, unknown>) => ((await (await api(`/sobjects/${type}`, { method: 'POST', body: JSON.stringify(body) })).json()) as { id: string }).id;
    const role = await create('OpportunityContactRole', { OpportunityId: opportunity.Id, ContactId: contact.Id, Role: 'Evaluator' });
    const member = await create('OpportunityTeamMember', { OpportunityId: opportunity.Id, UserId: user.Id, TeamMemberRole: 'Sales Rep' });
    raw.sandbox().clock.advance(90_000);
    assert.equal((await api(`/sobjects/OpportunityContactRole/${role}`, { method: 'DELETE' })).status, 204);
    assert.equal((await api(`/sobjects/OpportunityTeamMember/${member}`, { method: 'DELETE' })).status, 204);
    const deletedAt = raw.sandbox().store.now();

    const roleQuery = `SELECT Id, OpportunityId, IsDeleted, SystemModstamp FROM OpportunityContactRole WHERE Id = '${role}'`;
    assert.deepEqual(await rows('query', roleQuery), []);
    const [found] = await rows('queryAll', roleQuery);
    assert.equal(found?.OpportunityId, opportunity.Id);
    assert.equal(found?.IsDeleted, true);
    assert.equal(Date.parse(String(found?.SystemModstamp).replace('+0000', 'Z')), Date.parse(deletedAt));
    assert.deepEqual(await rows('queryAll', `SELECT Id FROM OpportunityTeamMember WHERE Id = '${member}'`), [], 'team members skip the Recycle Bin');
    // QueryAll still returns the rows that are not deleted.
    assert.ok((await rows('queryAll', `SELECT Id, IsDeleted FROM Opportunity WHERE Id = '${opportunity.Id}'`)).every((r) => r.IsDeleted === false));

    await fetch(`${raw.sandbox().url}/_sandbox/deleted/purge`, { method: 'POST', body: JSON.stringify({ type: 'OpportunityContactRole', recycleBin: true }) });
    assert.deepEqual(await rows('queryAll', roleQuery), [], 'an emptied Recycle Bin');
  });
});
