/** setup (twice), check, and the stage mapping, including an unmapped stage reported rather than guessed. */
import { LEAD_CUSTOM_FIELDS } from '../../mappings/leads.salesforce.js';
import { SALESFORCE_LIST_VIEWS } from '../../mappings/views.salesforce.js';
import assert from 'node:assert/strict';
import { INVITATION_OBJECT_FIELDS, OPPORTUNITY_FIELDS, SOLUTION_OBJECT_FIELDS } from '../../mappings/custom-fields.salesforce.js';
import { buildStageMap, decideStage, mapDealStage, salesStageByProbability } from '../../mappings/stages.salesforce.js';
import { insertRaw } from '../../sandbox/salesforce/seed.js';
import { seedOptedIn, startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';

describe('Salesforce adapter: setup and check', function () {
  this.timeout(30_000);
  let h: SalesforceHarness;
  afterEach(() => h?.close());

  it('creates the fields, the solutions object and the partner invitations object once; a second run creates nothing', async () => {
    h = await startSalesforceHarness({ setup: false });
    const before = await h.adapter.check();
    assert.equal(before.ready, false);
    assert.match(before.items.find((i) => i.name === 'Connector fields on Opportunity')!.detail, /Missing: Cosell_Sync__c/);
    assert.ok(!h.sandbox.store.object('Opportunity')!.fields.has('cosell_sync__c'), 'custom fields do not exist before setup');

    const first = await h.adapter.setup();
    // Two objects, the fields (Opportunity, Lead, solution rows, invitations) and the list views.
    assert.equal(first.created.length, 2 + OPPORTUNITY_FIELDS.length + LEAD_CUSTOM_FIELDS.length + SOLUTION_OBJECT_FIELDS.length + INVITATION_OBJECT_FIELDS.length + SALESFORCE_LIST_VIEWS.length);
    assert.ok(first.created.includes('Cosell_Partner_Invitation__c'));
    assert.deepEqual(first.alreadyPresent, []);
    assert.equal(h.sandbox.counters.get('tooling:CustomField:POST'), OPPORTUNITY_FIELDS.length + LEAD_CUSTOM_FIELDS.length + SOLUTION_OBJECT_FIELDS.length + INVITATION_OBJECT_FIELDS.length);

    h.sandbox.counters.reset();
    const second = await h.adapter.setup();
    assert.deepEqual(second.created, []);
    assert.equal(second.alreadyPresent.length, first.created.length);
    assert.equal(h.sandbox.counters.get('tooling:CustomField:POST'), 0);

    const after = await h.adapter.check();
    assert.ok(after.ready, JSON.stringify(after.items));
    assert.deepEqual(after.items.map((i) => i.name), ['Sign-in', 'Connector fields on Opportunity', 'Consent field', 'Field mapping', 'Object access', 'Solutions object', 'Partner invitations object', 'Stage mapping', 'API budget']);
    assert.match(after.items.find((i) => i.name === 'Consent field')!.detail, /Opportunity\.Cosell_Consent_To_Share_Contacts__c: customer contacts are sent only while it is ticked/);
  });

  it('check fails the consent field when fieldOverrides switch it off, saying what that means', async () => {
    h = await startSalesforceHarness();
    const report = await h.makeAdapter({ fieldOverrides: { consentToShareContacts: null } }).check();
    const item = report.items.find((i) => i.name === 'Consent field')!;
    assert.equal(item.ok, false);
    assert.match(item.detail, /no customer contact is ever sent/);
  });

  it('check names a mapped field that does not exist', async () => {
    h = await startSalesforceHarness();
    const adapter = h.makeAdapter({ fieldOverrides: { 'customer.duns': 'Account.DUNS__c' } });
    const report = await adapter.check();
    assert.equal(report.ready, false);
    assert.match(report.items.find((i) => i.name === 'Field mapping')!.detail, /Account\.DUNS__c \(customer\.duns\): does not exist, or field-level security hides it/);
  });

  it('reports a stage it cannot map, on the deal and in check, and maps it once configured', async () => {
    h = await startSalesforceHarness();
    insertRaw(h.sandbox.store, 'OpportunityStage', { MasterLabel: 'Legal Review', ApiName: 'Legal Review', IsActive: true, IsClosed: false, IsWon: false, DefaultProbability: null, SortOrder: 11 });
    insertRaw(h.sandbox.store, 'OpportunityStage', { MasterLabel: 'Technical Win', ApiName: 'Technical Win', IsActive: true, IsClosed: false, IsWon: false, DefaultProbability: 65, SortOrder: 12 });
    const [id, other] = seedOptedIn(h.sandbox, 2) as [string, string];
    h.sandbox.seller.editOpportunity(id, { StageName: 'Legal Review' });
    h.sandbox.seller.editOpportunity(other, { StageName: 'Technical Win' });
    const adapter = h.makeAdapter();
    const [deal, byProbability] = await adapter.getDeals([id, other]);
    assert.equal(deal?.referral.salesStage, undefined);
    assert.deepEqual(deal?.problems.map((p) => [p.code, p.field]), [['stage.unmapped', 'salesStage']]);
    assert.match(deal!.problems[0]!.message, /"Legal Review"/);
    assert.equal(byProbability?.referral.salesStage, 'Proposed');
    const report = await adapter.check();
    const stages = report.items.find((i) => i.name === 'Stage mapping')!;
    assert.equal(stages.ok, false);
    assert.match(stages.detail, /"Legal Review"/);

    const configured = h.makeAdapter({ stageOverrides: { 'Legal Review': 'Negotiated' } });
    const [mapped] = await configured.getDeals([id]);
    assert.equal(mapped?.referral.salesStage, 'Negotiated');
    assert.deepEqual(mapped?.problems, []);
    assert.ok((await configured.check()).ready);
  });

  it('check fails a stageOverrides entry naming no stage of the org (a misspelt stage), naming the key and the stage', async () => {
    h = await startSalesforceHarness();
    insertRaw(h.sandbox.store, 'OpportunityStage', { MasterLabel: 'Legal Review', ApiName: 'Legal Review', IsActive: true, IsClosed: false, IsWon: false, DefaultProbability: 70, SortOrder: 11 });
    const report = await h.makeAdapter({ stageOverrides: { 'Legal Reviw': 'Negotiated' } }).check();
    const stages = report.items.find((i) => i.name === 'Stage mapping')!;
    assert.equal(report.ready, false);
    assert.equal(stages.ok, false);
    assert.match(stages.detail, /crm > salesforce > stageOverrides names "Legal Reviw", not a stage of this org/);
    assert.match(stages.detail, /"Legal Review"/, 'the org\'s stages are listed, so the admin sees the right spelling');
    assert.ok((await h.makeAdapter({ stageOverrides: { 'Legal Review': 'Negotiated' } }).check()).ready);
  });
});

describe('Salesforce stage mapping (pure)', () => {
  const open = (name: string, probability?: number) => ({ name, isClosed: false, isWon: false, isActive: true, ...(probability === undefined ? {} : { probability }) });

  it('maps every default Salesforce stage', () => {
    const names = ['Prospecting', 'Qualification', 'Needs Analysis', 'Value Proposition', 'Id. Decision Makers', 'Perception Analysis', 'Proposal/Price Quote', 'Negotiation/Review'];
    const map = buildStageMap([...names.map((n) => open(n, 10)), { name: 'Closed Won', isClosed: true, isWon: true, isActive: true }, { name: 'Closed Lost', isClosed: true, isWon: false, isActive: true }]);
    assert.deepEqual(names.map((n) => mapDealStage(n, map, 'outbound').salesStage), ['Created', 'Qualified', 'Qualified', 'Developed', 'Developed', 'Proposed', 'Proposed', 'Negotiated']);
    assert.equal(mapDealStage('Prospecting', map, 'inbound').salesStage, 'Accepted');
    assert.equal(mapDealStage('Closed Won', map, 'outbound').salesStage, 'Won');
    assert.deepEqual(mapDealStage('Closed Lost', map, 'outbound').meaning, { kind: 'lost' });
    assert.equal(mapDealStage('Gone', map, 'outbound').problem?.code, 'stage.unmapped');
  });

  it('defaults by probability, but never guesses without one or against the org flags', () => {
    assert.deepEqual([0, 19, 20, 45, 60, 79, 80, 99].map(salesStageByProbability), ['Created', 'Created', 'Qualified', 'Developed', 'Proposed', 'Proposed', 'Negotiated', 'Negotiated']);
    assert.equal(decideStage(open('Custom')).source, 'unmapped');
    assert.equal(decideStage(open('Custom', 50), {}, { byProbability: false }).source, 'unmapped');
    assert.equal(decideStage({ name: 'Closed Won', isClosed: false, isWon: false, isActive: true }).source, 'unmapped');
    assert.deepEqual(decideStage({ name: 'Signed', isClosed: true, isWon: true, isActive: true }).meaning, { kind: 'won' });
    assert.deepEqual(decideStage(open('Prospecting'), { Prospecting: 'Qualified' }), { meaning: { kind: 'open', salesStage: 'Qualified' }, source: 'override' });
  });
});
