/**
 * An org whose automation rewrites, on save, a field the connector writes (a Salesforce before-save flow or
 * trigger, a Dataverse PreOperation plug-in): the connector writes X, the CRM saves X'. The sync must
 * converge within two runs, never ping-pong, and Partner Center must end up with the CRM's value, since
 * the CRM owns these fields (docs/sync.md, "Save-time rewrites in the CRM").
 */
import assert from 'node:assert/strict';
import { OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';
import { referralOf, unwrap } from './lifecycle.suite.js';

type Rewrite = (value: unknown) => unknown;

/** The CRM's column for a few canonical fields, as each adapter maps them (mappings/fields.*.ts). */
const COLUMNS: Record<CrmKind, Record<'dealName' | 'value' | 'notes' | 'syncMessage', string>> = {
  salesforce: { dealName: 'Name', value: 'Amount', notes: 'Description', syncMessage: 'Cosell_Sync_Message__c' },
  dynamics: { dealName: 'name', value: 'estimatedvalue', notes: 'description', syncMessage: 'cosell_syncmessage' },
};

/** Installs the org's automation: on every save of an opportunity, `column` becomes `rewrite(column)`. */
function rewriteOnSave(world: World, field: keyof (typeof COLUMNS)['salesforce'], rewrite: Rewrite): void {
  const column = COLUMNS[world.kind][field];
  const sets = (row: Readonly<Record<string, unknown>>) => (row[column] === null || row[column] === undefined ? {} : { [column]: rewrite(row[column]) });
  if (world.kind === 'salesforce') world.set.salesforce.store.beforeSaveFlows.push({ object: 'Opportunity', on: ['insert', 'update'], sets });
  else world.set.dataverse.store.plugins.push({ table: 'opportunity', messages: ['Create', 'Update'], refuses: () => undefined, sets });
}

const upper: Rewrite = (v) => String(v).toUpperCase();
const toThousands: Rewrite = (v) => Math.round(Number(v) / 1000) * 1000;
const first40: Rewrite = (v) => String(v).slice(0, 40);

async function quietAfterTwo(world: World): Promise<void> {
  const runs = await world.syncToQuiet(undefined, 6);
  assert.ok(runs.length <= 3, `quiet within two runs that write, then one that writes nothing: ${runs.map((r) => r.writes).join(', ')}`);
  for (const n of [1, 2]) assert.equal((await world.sync()).writes, 0, `run ${n} after quiet writes nothing`);
}

export function runSaveRewritesSuite(kind: CrmKind): void {
  describe(`save-time rewrites in the CRM converge (${kind})`, function () {
    this.timeout(120_000);
    let world: World;
    beforeEach(async () => {
      world = await startWorld(kind);
    });
    afterEach(async () => world.close());

    it('an inbound referral whose name, value and notes the CRM rewrites on create: Partner Center gets the CRM\'s values, then quiet', async () => {
      rewriteOnSave(world, 'dealName', upper);
      rewriteOnSave(world, 'value', toThousands);
      rewriteOnSave(world, 'notes', first40);
      const sent = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Contoso rollout', value: 12_345, notes: 'A note that is much longer than the org keeps in its field' } }));
      await quietAfterTwo(world);
      const [crmId] = await world.seller.recordsForReferral(sent.id);
      const shown = await world.seller.read(crmId!);
      assert.equal(shown.name, 'CONTOSO ROLLOUT');
      assert.equal(shown.syncState, 'synced', shown.syncMessage);
      const referral = referralOf(world, sent.id);
      assert.equal(referral.name, 'CONTOSO ROLLOUT', 'Partner Center receives the CRM\'s rewritten name');
      assert.equal(referral.details?.dealValue, 12_000, 'and its rounded value');
    });

    it('a Partner Center change the CRM rewrites on update: the CRM\'s form reaches Partner Center, no ping-pong', async () => {
      const sent = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Fabrikam' } }));
      await world.syncToQuiet();
      rewriteOnSave(world, 'dealName', upper);
      rewriteOnSave(world, 'value', toThousands);
      unwrap(world.set.partnerCenter.service.change(OUR_PARTNER_ORG, sent.id, (json) => ({ ok: true, value: { ...json, name: 'Fabrikam expansion', details: { ...json.details, dealValue: 54_321 } } })));
      await quietAfterTwo(world);
      const referral = referralOf(world, sent.id);
      assert.equal(referral.name, 'FABRIKAM EXPANSION');
      assert.equal(referral.details?.dealValue, 54_000);
    });

    it('a seller edit the CRM rewrites: one update to Partner Center, then quiet', async () => {
      const sent = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Northwind' } }));
      await world.syncToQuiet();
      const [crmId] = await world.seller.recordsForReferral(sent.id);
      rewriteOnSave(world, 'dealName', upper);
      await world.seller.edit(crmId!, { name: 'Northwind phase 2', value: 7_777 });
      await quietAfterTwo(world);
      assert.equal(referralOf(world, sent.id).name, 'NORTHWIND PHASE 2');
    });

    it('a field only the connector writes (the sync message) rewritten on save is not written again run after run', async () => {
      rewriteOnSave(world, 'syncMessage', (v) => `[checked] ${String(v).replace(/^\[checked\] /, '')}`);
      // A message to write: a name longer than either CRM keeps arrives shortened, and the record says so.
      const sent = unwrap(world.microsoft.sendReferral({ deal: { dealName: `Tailspin ${'with many sites '.repeat(30)}` } }));
      await quietAfterTwo(world);
      const [crmId] = await world.seller.recordsForReferral(sent.id);
      const shown = await world.seller.read(crmId!);
      assert.match(shown.syncMessage ?? '', /^\[checked\] /, 'the org\'s form of the message stays');
    });
  });
}
