/**
 * The Salesforce sandbox's indexes: a query reaches only the rows its indexed conditions allow (so it
 * costs what it touches, not the org's size), and after every kind of change the indexed answer is the
 * same as a full scan's.
 */
import assert from 'node:assert/strict';
import { changesQuery, relatedQueries, windowCondition } from '../../connectors/salesforce/soql.js';
import { SandboxClock } from '../../sandbox/common/clock.js';
import { Dml } from '../../sandbox/salesforce/dml.js';
import type { Access } from '../../sandbox/salesforce/indexes.js';
import { field } from '../../sandbox/salesforce/schema.js';
import { generate, installBaseline } from '../../sandbox/salesforce/seed.js';
import { compile, parseSoql, type QuerySource } from '../../sandbox/salesforce/soql.js';
import { SalesforceStore, type Rec } from '../../sandbox/salesforce/store.js';

const EXT = 'Ext_Key__c';

function org(opportunities: number) {
  const clock = new SandboxClock();
  const store = new SalesforceStore(clock, 1_000_000);
  installBaseline(store);
  store.object('Opportunity')!.fields.set(EXT.toLowerCase(), field({ name: EXT, type: 'string', length: 40, externalId: true, unique: true }));
  generate(store, { opportunities, accounts: 10, teamPerOpportunity: 2, seed: 3, opportunityFields: (i) => ({ [EXT]: `key-${i}` }) });
  const dml = new Dml(store);
  const user = store.all('User')[0]!.Id;
  let reached = 0;
  const base = { object: (n: string) => store.object(n), rows: (def: { name: string }) => store.all(def.name), get: (t: string, id: string) => store.get(t, id), allObjects: () => store.objects.values(), urlBase: '/x', nowMs: clock.nowMs() };
  const indexed: QuerySource = {
    ...base,
    reach: (def, access: Access) => {
      const rows = store.reach(def.name, access);
      reached += rows.length;
      return rows;
    },
    estimate: (def, access) => store.estimate(def.name, access),
  };
  const run = (source: QuerySource, soql: string) => {
    const q = compile(source, parseSoql(soql));
    return JSON.stringify(q.rows.map((r) => q.project(r)));
  };
  return {
    store, dml, clock, user,
    /** Runs a query through the indexes and through a full scan; returns the indexed answer and how many rows it reached. */
    both(soql: string): { rows: unknown[]; reached: number } {
      reached = 0;
      const viaIndex = run(indexed, soql);
      const touched = reached;
      assert.equal(viaIndex, run(base, soql), `indexed and scanned answers differ for ${soql}`);
      return { rows: JSON.parse(viaIndex) as unknown[], reached: touched };
    },
  };
}

const feedOrder = (rows: Rec[]) => [...rows].sort((a, b) => Date.parse(String(a.SystemModstamp)) - Date.parse(String(b.SystemModstamp)) || (a.Id < b.Id ? -1 : 1));

describe('Salesforce sandbox indexes', () => {
  it('answers the change feed, its related queries, ID and external-ID lookups by reaching only the rows they select', () => {
    const o = org(400);
    o.clock.advance(5_000);
    const edited = o.store.all('Opportunity').slice(100, 110);
    for (const opp of edited) assert.equal(o.dml.update('Opportunity', opp.Id, { Description: 'edited' }, { userId: o.user }).ok, true);
    const feed = feedOrder(o.store.all('Opportunity'));
    const from = feed[feed.length - 11]!;
    const fromPos = { modstamp: String(from.SystemModstamp), id: from.Id };
    const page = o.both(changesQuery(['Id', 'Description'], fromPos));
    assert.deepEqual(page.rows.map((r) => (r as { Id: string }).Id), edited.map((e) => e.Id).sort());
    // Stamps are whole seconds: the index reaches the rows from the position's second on, not the org.
    const sameSecondOn = feed.filter((r) => Date.parse(String(r.SystemModstamp)) >= Date.parse(fromPos.modstamp)).length;
    assert.ok(sameSecondOn < feed.length / 2);
    assert.equal(page.reached, sameSecondOn);

    const window = windowCondition(fromPos, { modstamp: String(feed.at(-1)!.SystemModstamp), id: feed.at(-1)!.Id });
    const related = relatedQueries({ window });
    const team = o.both(related.team);
    assert.equal(team.rows.length, 20);
    assert.equal(team.reached, 20 + sameSecondOn, 'the window (semi-join) and then only its deals\' members');
    const roles = o.both(related.contactRoles);
    assert.equal(roles.rows.length, 10);

    const ids = o.both(`SELECT Id FROM Opportunity WHERE Id IN ('${edited[0]!.Id}', '${edited[1]!.Id.slice(0, 15)}')`);
    assert.equal(ids.rows.length, 2);
    assert.ok(ids.reached <= 2);
    const ext = o.both(`SELECT Id FROM Opportunity WHERE ${EXT} = 'KEY-7' AND Amount > 0`);
    assert.equal(ext.rows.length, 1, 'external IDs compare case-insensitively');
    assert.equal(ext.reached, 1);
  });

  it('keeps every index true through updates, upserts, deletes and cascades, and parent-to-child subqueries read per parent', () => {
    const o = org(60);
    const opps = o.store.all('Opportunity');
    o.clock.advance(2_000);
    assert.equal(o.dml.update('Opportunity', opps[0]!.Id, { [EXT]: 'moved' }, { userId: o.user }).ok, true);
    const clash = o.dml.update('Opportunity', opps[1]!.Id, { [EXT]: 'MOVED' }, { userId: o.user });
    assert.equal(clash.ok ? '' : clash.errors[0]!.statusCode, 'DUPLICATE_VALUE');
    assert.equal(o.dml.update('Opportunity', opps[1]!.Id, { [EXT]: 'key-0' }, { userId: o.user }).ok, true, 'the old value is free again');
    const upserted = o.dml.upsert('Opportunity', EXT, 'Key-5', { Description: 'upserted' }, { userId: o.user });
    assert.equal('id' in upserted && upserted.id, opps[5]!.Id);
    const role = o.store.all('OpportunityContactRole').find((r) => r.OpportunityId === opps[2]!.Id)!;
    const second = o.dml.create('OpportunityContactRole', { OpportunityId: opps[2]!.Id, ContactId: role.ContactId, IsPrimary: true }, { userId: o.user });
    assert.equal(second.ok, true);
    assert.equal(o.dml.delete(opps[3]!.Id).ok, true);

    for (const soql of [
      `SELECT Id, ${EXT} FROM Opportunity WHERE ${EXT} IN ('moved', 'key-0', 'key-1', 'key-3')`,
      `SELECT Id FROM Opportunity WHERE SystemModstamp >= ${new Date(o.clock.nowMs() - 1_000).toISOString()} ORDER BY SystemModstamp, Id`,
      `SELECT Id, IsPrimary FROM OpportunityContactRole WHERE OpportunityId = '${opps[2]!.Id}'`,
      `SELECT Id FROM OpportunityTeamMember WHERE OpportunityId = '${opps[3]!.Id}'`,
      `SELECT Id, (SELECT Id, UserId FROM OpportunityTeamMembers ORDER BY Id DESC LIMIT 1) FROM Opportunity WHERE Id IN ('${opps[4]!.Id}', '${opps[6]!.Id}')`,
    ]) o.both(soql);
    assert.deepEqual(o.both(`SELECT Id FROM OpportunityContactRole WHERE IsPrimary = true AND OpportunityId = '${opps[2]!.Id}'`).rows.map((r) => (r as { Id: string }).Id), [second.ok ? second.id : '']);
    assert.equal(o.both(`SELECT Id FROM OpportunityTeamMember WHERE OpportunityId = '${opps[3]!.Id}'`).rows.length, 0, 'the deleted deal took its team with it');
    const sub = o.both(`SELECT Id, (SELECT Id FROM OpportunityTeamMembers LIMIT 1) FROM Opportunity WHERE Id = '${opps[4]!.Id}'`).rows[0] as { OpportunityTeamMembers: { totalSize: number } };
    assert.equal(sub.OpportunityTeamMembers.totalSize, 1, "a subquery's LIMIT applies per parent");
  });
});
