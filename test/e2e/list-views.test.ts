/**
 * Issue 19 item 7: `setup` creates the co-sell views in each CRM (Salesforce list views through the User
 * Interface API, Dynamics system views as savedquery rows), a second setup creates none, and each view's
 * conditions select the records the connector wrote (evaluated here against the stored rows, since neither
 * sandbox runs views).
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { F } from '../../mappings/custom-fields.salesforce.js';
import { startWorld, type World } from '../../sandbox/world.js';
import { unwrap } from './lifecycle.suite.js';

type Row = Record<string, unknown>;

/** A Salesforce list view's filters (Equals, StartsWith), all of which must hold. */
function salesforceViewSelects(info: { filteredByInfo: { fieldApiName: string; operandLabels: string[]; operator: string }[] }, row: Row): boolean {
  return info.filteredByInfo.every((f) => {
    const value = row[f.fieldApiName] === null || row[f.fieldApiName] === undefined ? '' : String(row[f.fieldApiName]);
    return f.operandLabels.some((operand) => (f.operator === 'StartsWith' ? value.startsWith(operand) : value === operand));
  });
}

/** A savedquery's FetchXML `eq` conditions, all of which must hold. */
function fetchXmlSelects(fetchxml: string, row: Row): boolean {
  const conditions = [...fetchxml.matchAll(/<condition attribute="([^"]+)" operator="eq" value="([^"]*)"\/>/g)];
  assert.ok(conditions.length > 0, 'the view has conditions');
  return conditions.every(([, attribute, value]) => {
    const actual = row[attribute!];
    return typeof actual === 'boolean' ? (actual ? '1' : '0') === value : String(actual ?? '') === value;
  });
}

async function inboundAndOutbound(world: World): Promise<{ inbound: string; outbound: string; favorite: string }> {
  const sent = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Waiting inbound' } }));
  const outbound = await world.seller.createDeal(dealSpec('Outbound for views'));
  await world.syncToQuiet();
  const [inbound] = await world.seller.recordsForReferral(sent.id);
  assert.ok(inbound);
  const referralId = (await world.seller.read(outbound)).referralId!;
  // Marked as a favorite in Partner Center: the mark reaches the CRM record.
  unwrap(world.set.partnerCenter.service.change(world.set.partnerCenter.store.get(referralId)!.organizationId, referralId, (json) => ({ ok: true, value: { ...json, favorite: true } })));
  await world.syncToQuiet();
  return { inbound, outbound, favorite: outbound };
}

/** Won in Partner Center, then the seller edits the amount: the record's sync state becomes closed. */
async function editedAfterWon(world: World, crmId: string): Promise<void> {
  const referralId = (await world.seller.read(crmId)).referralId!;
  unwrap(world.set.partnerCenter.service.change(world.set.partnerCenter.store.get(referralId)!.organizationId, referralId, (json) => ({ ok: true, value: { ...json, status: 'Closed', substatus: 'Won' } })));
  await world.syncToQuiet();
  world.set.clock.advance(60_000);
  // The description, not the value: a won Dynamics 365 opportunity's value is its Actual Revenue, which an
  // edit of the estimate leaves as it was (connectors/dynamics/records.ts `wonValue`).
  await world.seller.edit(crmId, { notes: 'Edited after the deal was won' });
  await world.syncToQuiet();
}

describe('co-sell views created by setup (end to end)', function () {
  this.timeout(120_000);
  let world: World | undefined;
  afterEach(async () => world?.close());

  it('Salesforce: five Opportunity list views, created once, whose filters select the records the connector wrote', async () => {
    world = await startWorld('salesforce');
    const store = world.set.salesforce.store;
    const views = store.all('ListView').filter((v) => v.SobjectType === 'Opportunity');
    assert.deepEqual(views.map((v) => v.DeveloperName).sort(), ['Cosell_Closed_Not_Sent', 'Cosell_Favorites', 'Cosell_Inbound_Awaiting_Answer', 'Cosell_Outbound_By_Status', 'Cosell_Parked_With_Errors']);
    const again = await world.runtime.crm.setup();
    assert.deepEqual(again.created, [], 'a second setup creates nothing');
    assert.equal(again.alreadyPresent.filter((n) => n.startsWith('list view')).length, 5);

    const { inbound, outbound, favorite } = await inboundAndOutbound(world);
    const res = await fetch(`${world.set.salesforce.url}/services/data/v62.0/ui-api/list-info/Opportunity/Cosell_Inbound_Awaiting_Answer`, { headers: { Authorization: 'Bearer none' } });
    assert.equal(res.status, 401, 'the UI API needs a session like every other resource');
    const info = (name: string) => store.all('ListView').find((v) => v.DeveloperName === name)!.__listInfo as Parameters<typeof salesforceViewSelects>[0];
    const row = (id: string) => store.get('Opportunity', id)!;
    assert.equal(salesforceViewSelects(info('Cosell_Inbound_Awaiting_Answer'), row(inbound)), true, `inbound waiting: ${String(row(inbound)[F.referralStatus])}`);
    assert.equal(salesforceViewSelects(info('Cosell_Inbound_Awaiting_Answer'), row(outbound)), false);
    assert.equal(salesforceViewSelects(info('Cosell_Outbound_By_Status'), row(outbound)), true);
    assert.equal(salesforceViewSelects(info('Cosell_Favorites'), row(favorite)), true);
    assert.equal(salesforceViewSelects(info('Cosell_Favorites'), row(inbound)), false);
    await world.seller.accept(inbound);
    await world.syncToQuiet();
    assert.equal(salesforceViewSelects(info('Cosell_Inbound_Awaiting_Answer'), row(inbound)), false, 'answered: no longer waiting');
    assert.equal(salesforceViewSelects(info('Cosell_Closed_Not_Sent'), row(outbound)), false);
    await editedAfterWon(world, outbound);
    assert.equal(salesforceViewSelects(info('Cosell_Closed_Not_Sent'), row(outbound)), true, `closed, edited: ${String(row(outbound)[F.syncState])}`);
    assert.equal(salesforceViewSelects(info('Cosell_Closed_Not_Sent'), row(inbound)), false);
  });

  it('Dynamics 365: five opportunity system views, created once, whose FetchXML selects the records the connector wrote', async () => {
    world = await startWorld('dynamics');
    const views = () => [...world!.set.dataverse.store.table('savedquery')!.rows.values()].filter((v) => v.returnedtypecode === 'opportunity');
    assert.deepEqual(views().map((v) => v.name).sort(), ['Co-sell: closed, CRM edits not sent', 'Co-sell: favorites', 'Co-sell: inbound awaiting our answer', 'Co-sell: outbound by status', 'Co-sell: parked with errors']);
    const again = await world.runtime.crm.setup();
    assert.deepEqual(again.created, [], 'a second setup creates nothing');
    assert.equal(views().length, 5);

    const { inbound, outbound, favorite } = await inboundAndOutbound(world);
    const fetchOf = (name: string) => String(views().find((v) => v.name === name)!.fetchxml);
    const row = (id: string) => world!.set.dataverse.store.table('opportunity')!.rows.get(id)!;
    assert.equal(fetchXmlSelects(fetchOf('Co-sell: inbound awaiting our answer'), row(inbound)), true);
    assert.equal(fetchXmlSelects(fetchOf('Co-sell: inbound awaiting our answer'), row(outbound)), false);
    assert.equal(fetchXmlSelects(fetchOf('Co-sell: outbound by status'), row(outbound)), true);
    assert.equal(fetchXmlSelects(fetchOf('Co-sell: favorites'), row(favorite)), true);
    assert.equal(fetchXmlSelects(fetchOf('Co-sell: favorites'), row(inbound)), false);
    assert.equal(fetchXmlSelects(fetchOf('Co-sell: closed, CRM edits not sent'), row(outbound)), false);
    await editedAfterWon(world, outbound);
    assert.equal(fetchXmlSelects(fetchOf('Co-sell: closed, CRM edits not sent'), row(outbound)), true, `closed, edited: ${String(row(outbound).cosell_syncstate)}`);
    assert.equal(fetchXmlSelects(fetchOf('Co-sell: closed, CRM edits not sent'), row(inbound)), false);
    const columns = new Set(world.set.dataverse.store.table('opportunity')!.def.columns.keys());
    for (const v of views()) {
      for (const [, attribute] of String(v.fetchxml).matchAll(/attribute name="([^"]+)"/g)) assert.ok(columns.has(attribute!), `${String(v.name)}: column ${attribute} exists`);
    }
  });
});
