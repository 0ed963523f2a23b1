/**
 * Each object takes the writes its object reference lists under "Supported Calls", and answers the others as
 * Salesforce does (400 INVALID_TYPE_FOR_OPERATION, "entity type X does not support delete"): a User is
 * updated (a seller's new phone, a deactivation) but never deleted; OpportunityStage takes no writes here.
 * Raw HTTP (global fetch), as a request copied from the REST API documentation would be sent.
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_user.htm
 */
import assert from 'node:assert/strict';
import { INTEGRATION_USERNAME } from '../../sandbox/salesforce/seed.js';
import { useRawSalesforceApi } from '../helpers/salesforce-raw-api.js';

describe('Salesforce sandbox: the writes each object supports', function () {
  this.timeout(30_000);
  const { sandbox, api, rows: soql } = useRawSalesforceApi();
  const seller = async () => (await soql(`SELECT Id, Phone, SystemModstamp FROM User WHERE Username != '${INTEGRATION_USERNAME}' LIMIT 1`))[0]!;

  it('updates a User by PATCH /sobjects/User/{id}, moving its SystemModstamp', async () => {
    const before = await seller();
    sandbox().clock.advance(2_000);
    const res = await api(`/sobjects/User/${before.Id}`, { method: 'PATCH', body: JSON.stringify({ Phone: '+1 425 555 0199', Title: 'Regional Director' }) });
    assert.equal(res.status, 204);
    const [after] = await soql(`SELECT Phone, Title, SystemModstamp FROM User WHERE Id = '${before.Id}'`);
    assert.equal(after!.Phone, '+1 425 555 0199');
    assert.equal(after!.Title, 'Regional Director');
    assert.ok(String(after!.SystemModstamp) > String(before.SystemModstamp), 'the save moves SystemModstamp');
  });

  it('updates Users through sObject Collections PATCH', async () => {
    const user = await seller();
    const res = await api('/composite/sobjects', { method: 'PATCH', body: JSON.stringify({ allOrNone: false, records: [{ attributes: { type: 'User' }, id: user.Id, Phone: '+1 425 555 0142' }] }) });
    assert.equal(res.status, 200);
    const results = (await res.json()) as { success: boolean }[];
    assert.deepEqual(results.map((r) => r.success), [true]);
    assert.equal((await soql(`SELECT Phone FROM User WHERE Id = '${user.Id}'`))[0]!.Phone, '+1 425 555 0142');
  });

  it('refuses to delete a User, alone and in a collection, and keeps it', async () => {
    const user = await seller();
    const alone = await api(`/sobjects/User/${user.Id}`, { method: 'DELETE' });
    assert.equal(alone.status, 400);
    assert.deepEqual(await alone.json(), [{ message: 'entity type User does not support delete', errorCode: 'INVALID_TYPE_FOR_OPERATION' }]);
    const many = await api(`/composite/sobjects?ids=${user.Id}`, { method: 'DELETE' });
    assert.equal(many.status, 200);
    const [item] = (await many.json()) as { success: boolean; errors: { statusCode: string }[] }[];
    assert.equal(item!.success, false);
    assert.equal(item!.errors[0]!.statusCode, 'INVALID_TYPE_FOR_OPERATION');
    assert.equal((await soql(`SELECT Id FROM User WHERE Id = '${user.Id}'`)).length, 1, 'the user is still there');
  });

  it('refuses to insert a User (the sandbox does not model profiles and locales) and any write of OpportunityStage', async () => {
    const insert = await api('/sobjects/User', { method: 'POST', body: JSON.stringify({ Username: 'new.seller@partner.example', LastName: 'Seller', Email: 'new.seller@partner.example' }) });
    assert.equal(insert.status, 400);
    assert.equal(((await insert.json()) as { errorCode: string }[])[0]!.errorCode, 'INVALID_TYPE_FOR_OPERATION');
    const [stage] = await soql('SELECT Id FROM OpportunityStage LIMIT 1');
    const update = await api(`/sobjects/OpportunityStage/${stage!.Id}`, { method: 'PATCH', body: JSON.stringify({ DefaultProbability: 5 }) });
    assert.equal(update.status, 400);
    assert.deepEqual(await update.json(), [{ message: 'entity type OpportunityStage does not support update', errorCode: 'INVALID_TYPE_FOR_OPERATION' }]);
  });

  it('refuses an upsert of an object that takes no writes with the same error, alone and in a collection', async () => {
    const refusal = [{ message: 'entity type OpportunityStage does not support insert', errorCode: 'INVALID_TYPE_FOR_OPERATION' }];
    const alone = await api('/sobjects/OpportunityStage/MasterLabel/Prospecting', { method: 'PATCH', body: JSON.stringify({ DefaultProbability: 5 }) });
    assert.equal(alone.status, 400);
    assert.deepEqual(await alone.json(), refusal);
    const many = await api('/composite/sobjects/OpportunityStage/MasterLabel', { method: 'PATCH', body: JSON.stringify({ allOrNone: false, records: [{ attributes: { type: 'OpportunityStage' }, MasterLabel: 'Prospecting', DefaultProbability: 5 }] }) });
    assert.equal(many.status, 400);
    assert.deepEqual(await many.json(), refusal);
  });

  it('describes each object with the writes it takes', async () => {
    const describe = async (type: string) => (await (await api(`/sobjects/${type}/describe`)).json()) as { createable: boolean; updateable: boolean; deletable: boolean };
    const user = await describe('User');
    assert.deepEqual([user.createable, user.updateable, user.deletable], [false, true, false]);
    const opportunity = await describe('Opportunity');
    assert.deepEqual([opportunity.createable, opportunity.updateable, opportunity.deletable], [true, true, true]);
  });
});
