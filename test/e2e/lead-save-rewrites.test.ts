/**
 * An org whose save-time automation rewrites the connector's status fields on a lead (a Salesforce
 * before-save flow, a Dataverse PreOperation plug-in) — here it stamps the sync message — as on an
 * opportunity (save-rewrites.suite.ts): the lead keeps the org's form, and the sync goes quiet. Until
 * 2026-12-06 a lead kept no saved form of its status (`SyncStatus.savedAs`), so every run read the rewritten
 * message as a seller's edit and wrote the status again (both CRMs), and the org rewrote it again.
 */
import assert from 'node:assert/strict';
import type { CrmKind, World } from '../../sandbox/world.js';
import { worldPerTest } from '../helpers/world-per-test.js';
import { editLeadStatusAsSeller } from './lead-status-edit.js';
import { unwrap } from './lifecycle.suite.js';

/** The lead's sync message column in each CRM (mappings/leads.*.ts). */
const MESSAGE: Record<CrmKind, string> = { salesforce: 'Cosell_Sync_Message__c', dynamics: 'cosell_syncmessage' };
const STAMP = '[checked]';

/** Installs the org's automation: every save of a lead stamps its sync message. Returns its removal. */
function stampLeadMessageOnSave(world: World): () => void {
  const column = MESSAGE[world.kind];
  const sets = (row: Readonly<Record<string, unknown>>) => {
    const message = typeof row[column] === 'string' ? (row[column] as string) : '';
    return message.startsWith(STAMP) ? {} : { [column]: `${STAMP} ${message}`.trim() };
  };
  if (world.kind === 'salesforce') {
    const flows = world.set.salesforce.store.beforeSaveFlows;
    flows.push({ object: 'Lead', on: ['insert', 'update'], sets });
    return () => void flows.pop();
  }
  const plugins = world.set.dataverse.store.plugins;
  plugins.push({ table: 'lead', messages: ['Create', 'Update'], refuses: () => undefined, sets });
  return () => void plugins.pop();
}

async function quietWithinTwo(world: World): Promise<void> {
  const reports = await world.syncToQuiet(undefined, 6);
  assert.ok(reports.length <= 3, `quiet within two runs that write, then one that writes nothing: ${reports.map((r) => r.writes).join(', ')}`);
  for (const n of [1, 2]) assert.equal((await world.sync()).writes, 0, `run ${n} after quiet writes nothing`);
}

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) describe(`save-time rewrites of a lead's status fields (${kind}, end to end)`, function () {
  this.timeout(120_000);
  const each = worldPerTest(kind, { sync: { leadsAsCrmLeads: true } });

  it("keeps the org's form of the lead's sync message: the status is written again at most once, then nothing", async () => {
    const { world } = each;
    stampLeadMessageOnSave(world);
    const sent = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Lead stamped on save' }, qualification: 'MarketingQualified' }));
    await quietWithinTwo(world);
    const [leadId] = await world.seller.leadsForReferral(sent.id);
    assert.ok(leadId);
    const lead = await world.seller.readLead(leadId);
    assert.equal(lead.syncState, 'synced');
    assert.match(lead.syncMessage ?? '', /^\[checked\]/, "the org's form of the message stays");
  });

  it('once the org stops rewriting, a status written again is kept as written: quiet again', async () => {
    const { world } = each;
    const stopStamping = stampLeadMessageOnSave(world);
    const sent = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Lead no longer stamped' }, qualification: 'MarketingQualified' }));
    await quietWithinTwo(world);
    const [leadId] = await world.seller.leadsForReferral(sent.id);
    stopStamping();
    await editLeadStatusAsSeller(world, leadId!);
    await quietWithinTwo(world);
    const lead = await world.seller.readLead(leadId!);
    assert.equal(lead.syncState, 'synced');
    assert.equal(lead.syncMessage ?? '', '', 'the message as written, no stamp');
  });
});
