/**
 * The Salesforce sandbox's Recycle Bin as QueryAll reads it (sandbox/salesforce/recycle-bin.ts): a deleted
 * row is gone from Query, found by QueryAll with IsDeleted true and its deletion's time as SystemModstamp
 * (getDeleted's deletedDate "is obtained using the SystemModstamp system field"); team members skip the bin;
 * an emptied Recycle Bin leaves nothing for QueryAll.
 */
import assert from 'node:assert/strict';
import type { SalesforceSandbox } from '../../sandbox/salesforce/index.js';
import { startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';

describe('Salesforce sandbox Recycle Bin (QueryAll)', function () {
  this.timeout(30_000);
  let h: SalesforceHarness;
  let sb: SalesforceSandbox;
  let token: string;
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${sb.url}/services/data/v62.0${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
  const rows = async (resource: 'query' | 'queryAll', soql: string) => ((await (await api(`/${resource}?q=${encodeURIComponent(soql)}`)).json()) as { records: Record<string, unknown>[] }).records;

  before(async () => {
    h = await startSalesforceHarness({ setup: false });
    sb = h.sandbox;
    sb.seed();
    const res = await fetch(`${sb.url}/services/oauth2/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: sb.credentials.clientId, client_secret: sb.credentials.clientSecret }) });
    token = ((await res.json()) as { access_token: string }).access_token;
  });
  after(() => h?.close());

  it('QueryAll finds a deleted row, marked deleted and stamped by its deletion; Query does not; team members skip the bin', async () => {
    const opportunity = sb.store.all('Opportunity')[0]!;
    const contact = sb.store.all('Contact')[0]!;
    const user = sb.store.all('User')[0]!;
    const create = async (type: string, body: Record<string, unknown>) => ((await (await api(`/sobjects/${type}`, { method: 'POST', body: JSON.stringify(body) })).json()) as { id: string }).id;
    const role = await create('OpportunityContactRole', { OpportunityId: opportunity.Id, ContactId: contact.Id, Role: 'Evaluator' });
    const member = await create('OpportunityTeamMember', { OpportunityId: opportunity.Id, UserId: user.Id, TeamMemberRole: 'Sales Rep' });
    sb.clock.advance(90_000);
    assert.equal((await api(`/sobjects/OpportunityContactRole/${role}`, { method: 'DELETE' })).status, 204);
    assert.equal((await api(`/sobjects/OpportunityTeamMember/${member}`, { method: 'DELETE' })).status, 204);
    const deletedAt = sb.store.now();

    const roleQuery = `SELECT Id, OpportunityId, IsDeleted, SystemModstamp FROM OpportunityContactRole WHERE Id = '${role}'`;
    assert.deepEqual(await rows('query', roleQuery), []);
    const [found] = await rows('queryAll', roleQuery);
    assert.equal(found?.OpportunityId, opportunity.Id);
    assert.equal(found?.IsDeleted, true);
    assert.equal(Date.parse(String(found?.SystemModstamp).replace('+0000', 'Z')), Date.parse(deletedAt));
    assert.deepEqual(await rows('queryAll', `SELECT Id FROM OpportunityTeamMember WHERE Id = '${member}'`), [], 'team members skip the Recycle Bin');
    // QueryAll still returns the rows that are not deleted.
    assert.ok((await rows('queryAll', `SELECT Id, IsDeleted FROM Opportunity WHERE Id = '${opportunity.Id}'`)).every((r) => r.IsDeleted === false));

    await fetch(`${sb.url}/_sandbox/deleted/purge`, { method: 'POST', body: JSON.stringify({ type: 'OpportunityContactRole', recycleBin: true }) });
    assert.deepEqual(await rows('queryAll', roleQuery), [], 'an emptied Recycle Bin');
  });
});
