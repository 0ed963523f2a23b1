/**
 * An org set up by an older connector, whose sync-state picklist lacks `closed` (added with the state):
 * the restricted picklist refuses every write carrying it, `cosell check` names the missing value,
 * `cosell setup salesforce` adds it (keeping values an admin added) and a second setup changes nothing.
 */
import assert from 'node:assert/strict';
import { F } from '../../mappings/custom-fields.salesforce.js';
import { SYNC_STATES } from '../../core/model/sync-status.js';
import { seedOptedIn, startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';

const OLDER = ['synced', 'pending', 'error', 'conflict', 'held', 'orphaned'];

describe('Salesforce setup on an older install: picklist values added', function () {
  this.timeout(30_000);
  let h: SalesforceHarness;
  afterEach(() => h?.close());

  /** The sync-state field as an older connector made it, with a value an admin added. */
  function olderInstall(object: string): void {
    const def = h.sandbox.store.object(object)!;
    const field = def.fields.get(F.syncState.toLowerCase())!;
    def.fields.set(F.syncState.toLowerCase(), { ...field, picklist: [...OLDER, 'admin-review'] });
  }
  const picklist = (object: string) => h.sandbox.store.object(object)!.fields.get(F.syncState.toLowerCase())!.picklist;
  const writeClosed = (id: string) => h.adapter.write([{ kind: 'status', key: id, crmId: id, status: { state: 'closed', message: 'Closed in Partner Center, not sent: value.' } }]);

  it('check names the missing value, setup adds it on Opportunity and Lead, and the state can then be written', async () => {
    h = await startSalesforceHarness();
    olderInstall('Opportunity');
    olderInstall('Lead');
    const [id] = seedOptedIn(h.sandbox, 1);

    const refused = await writeClosed(id!);
    assert.equal(refused[0]?.ok, false, 'the older picklist refuses the new state');
    assert.match(JSON.stringify(refused[0]), /RESTRICTED_PICKLIST|restricted picklist/i);
    const before = await h.adapter.check();
    assert.equal(before.ready, false);
    assert.match(before.items.find((i) => i.name === 'Connector fields on Opportunity')!.detail, /Opportunity\.Cosell_Sync_State__c lacks closed\. Run `cosell setup salesforce`/);

    h.sandbox.counters.reset();
    const setup = await h.adapter.setup();
    assert.deepEqual(setup.updated, ['Opportunity.Cosell_Sync_State__c (+closed)', 'Lead.Cosell_Sync_State__c (+closed)']);
    assert.deepEqual(setup.created, []);
    assert.equal(h.sandbox.counters.get('tooling:CustomField:PATCH'), 2);
    for (const object of ['Opportunity', 'Lead']) assert.deepEqual(picklist(object), [...SYNC_STATES, 'admin-review'], `${object}: the connector's values, then the admin's`);

    const written = await writeClosed(id!);
    assert.ok(written[0]?.ok, JSON.stringify(written[0]));
    assert.equal(h.sandbox.store.get('Opportunity', id!)![F.syncState], 'closed');
    assert.ok((await h.adapter.check()).ready);

    h.sandbox.counters.reset();
    const again = await h.adapter.setup();
    assert.equal(again.updated, undefined, 'a second setup changes nothing');
    assert.equal(h.sandbox.counters.get('tooling:CustomField:PATCH'), 0);
  });

  it("keeps the label and help text an admin gave the field when it adds a value", async () => {
    h = await startSalesforceHarness();
    olderInstall('Opportunity');
    const def = h.sandbox.store.object('Opportunity')!;
    const field = def.fields.get(F.syncState.toLowerCase())!;
    def.fields.set(F.syncState.toLowerCase(), { ...field, label: 'Partner Center sync', inlineHelpText: 'Ask the CRM team before filtering on this.' });

    const setup = await h.adapter.setup();
    assert.ok(setup.updated?.includes('Opportunity.Cosell_Sync_State__c (+closed)'), JSON.stringify(setup.updated));
    const after = def.fields.get(F.syncState.toLowerCase())!;
    assert.deepEqual([after.label, after.inlineHelpText], ['Partner Center sync', 'Ask the CRM team before filtering on this.'], 'the admin\'s label and help text');
    assert.ok(after.picklist?.includes('closed'));
  });
});
