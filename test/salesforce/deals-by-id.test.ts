/**
 * Reading deals by ID with subqueries (deals-by-id.ts) reads what the five separate queries per 200 IDs
 * read before it: the same deals field by field (versions included), and the same related rows with the
 * same parents and versions in the related-row index. The org has what can go wrong: a non-primary
 * contact role, invitations, a deal whose 450 solutions and 250 team members come back in several child
 * batches (and push its query past one page), a deal with no related rows, duplicate, 15-character,
 * unknown and malformed IDs.
 */
import assert from 'node:assert/strict';
import { assembleDeal, groupBy, type AssembleContext } from '../../connectors/salesforce/assemble.js';
import { runCompositeQueries } from '../../connectors/salesforce/composite-queries.js';
import { byIdsWithRelatedQuery, childRowsQuery, IDS_PER_QUERY, splitRelated } from '../../connectors/salesforce/deals-by-id.js';
import { F, INVITATION_FIELDS, INVITATION_OBJECT, SOLUTION_OBJECT, SOLUTION_PARENT_FIELD } from '../../mappings/custom-fields.salesforce.js';
import { opportunityFields } from '../../connectors/salesforce/opportunity-fields.js';
import { SalesforceReader } from '../../connectors/salesforce/read.js';
import { RelatedVersions } from '../../connectors/salesforce/related-versions.js';
import { byIdsQuery, CONTACT_ROLE_FIELDS, INVITATION_QUERY_FIELDS, inList, quoteId, SOLUTION_QUERY_FIELDS, TEAM_FIELDS } from '../../connectors/salesforce/soql.js';
import type { CrmDeal, RelatedRow, RelatedRowIndex } from '../../core/engine/crm-port.js';
import { asyncStateStore } from '../../core/store/async-over-sync.js';
import { openMemoryStore } from '../../core/store/memory-store.js';
import { effectiveFieldTable } from '../../mappings/fields.salesforce.js';
import { buildStageMap } from '../../mappings/stages.salesforce.js';
import { insertRaw } from '../../sandbox/salesforce/seed.js';
import { missingOpportunityId, seedOptedIn, startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';

/** A related-row index that keeps what it was told, besides answering as the state store does. */
function recordingIndex(): RelatedRowIndex & { remembered: RelatedRow[] } {
  const store = asyncStateStore(openMemoryStore());
  const remembered: RelatedRow[] = [];
  return {
    remembered,
    rememberRelatedRows: async (rows) => {
      remembered.push(...rows);
      await store.rememberRelatedRows(rows);
    },
    settleRelatedVersions: (run) => store.settleRelatedVersions(run),
    relatedParents: (ids) => store.relatedParents(ids),
    relatedVersions: (ids) => store.relatedVersions(ids),
    markRelatedGone: (ids, at) => store.markRelatedGone(ids, at),
    forgetRelatedGone: (before) => store.forgetRelatedGone(before),
  };
}

/** The read by ID as it was: per 200 IDs, the opportunities and four related-row queries, grouped by parent. */
async function readAsBefore(h: SalesforceHarness, ids: readonly string[], ctx: AssembleContext, versions: RelatedVersions): Promise<CrmDeal[]> {
  const unique = [...new Set(ids.filter((id) => /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(id)))];
  const deals: CrmDeal[] = [];
  for (let i = 0; i < unique.length; i += 200) {
    const chunk = unique.slice(i, i + 200);
    const parents = (field: string) => `${field} IN ${inList(chunk, quoteId)}`;
    const rows = await runCompositeQueries(h.adapter.client, {
      opportunities: byIdsQuery(opportunityFields(ctx), chunk),
      contactRoles: `SELECT ${CONTACT_ROLE_FIELDS.join(', ')} FROM OpportunityContactRole WHERE IsPrimary = true AND ${parents('OpportunityId')}`,
      team: `SELECT ${TEAM_FIELDS.join(', ')} FROM OpportunityTeamMember WHERE ${parents('OpportunityId')} ORDER BY OpportunityId ASC, Id ASC`,
      solutions: `SELECT ${SOLUTION_QUERY_FIELDS.join(', ')} FROM ${SOLUTION_OBJECT} WHERE ${parents(SOLUTION_PARENT_FIELD)} ORDER BY ${SOLUTION_PARENT_FIELD} ASC, Id ASC`,
      invitations: `SELECT ${INVITATION_QUERY_FIELDS.join(', ')} FROM ${INVITATION_OBJECT} WHERE ${parents(SOLUTION_PARENT_FIELD)} ORDER BY ${SOLUTION_PARENT_FIELD} ASC, Id ASC`,
    });
    const related = { contactRoles: rows.contactRoles!, team: rows.team!, solutions: rows.solutions!, invitations: rows.invitations! };
    const roles = groupBy(related.contactRoles, 'OpportunityId');
    const team = groupBy(related.team, 'OpportunityId');
    const solutions = groupBy(related.solutions, SOLUTION_PARENT_FIELD);
    const invitations = groupBy(related.invitations, SOLUTION_PARENT_FIELD);
    await versions.read(rows.opportunities!, related);
    for (const opp of rows.opportunities!) {
      const contactRole = roles.get(opp.Id)?.[0];
      deals.push(assembleDeal(opp, { ...(contactRole ? { contactRole } : {}), team: team.get(opp.Id) ?? [], solutions: solutions.get(opp.Id) ?? [], invitations: invitations.get(opp.Id) ?? [] }, ctx));
    }
  }
  const order = new Map(ids.map((id, i) => [id.slice(0, 15), i]));
  return deals.sort((a, b) => (order.get(a.crmId.slice(0, 15)) ?? 0) - (order.get(b.crmId.slice(0, 15)) ?? 0));
}

/** Each remembered row as `rowId parentId version`, sorted: the run ID differs between two runs. */
const rowsOf = (rows: readonly RelatedRow[]) => rows.map((r) => `${r.rowId} ${r.parentId} ${r.version ?? '-'}`).sort();

describe('Salesforce getDeals with subqueries reads what the separate queries read', function () {
  this.timeout(120_000);
  let h: SalesforceHarness;
  let ids: string[];
  let busy: string;
  let ctx: AssembleContext;

  before(async () => {
    h = await startSalesforceHarness();
    const sb = h.sandbox;
    const seeded = seedOptedIn(sb, 430, { teamPerOpportunity: 2 });
    const store = sb.store;
    // A second, non-primary contact role and two partner invitations on the first deal.
    const contact = store.all('Contact')[0]!;
    insertRaw(store, 'OpportunityContactRole', { OpportunityId: seeded[0], ContactId: contact.Id, Role: 'Evaluator', IsPrimary: false });
    for (const partner of ['PARTNER-1', 'PARTNER-2']) insertRaw(store, INVITATION_OBJECT, { [SOLUTION_PARENT_FIELD]: seeded[0], [INVITATION_FIELDS.partnerId]: partner, [INVITATION_FIELDS.notes]: `Invite ${partner}` });
    // A deal whose related rows come back in several child batches (200 each) and fill more than one page.
    busy = seeded[7]!;
    const users = store.all('User');
    for (let i = 0; i < 449; i += 1) insertRaw(store, SOLUTION_OBJECT, { [SOLUTION_PARENT_FIELD]: busy, Name: `Solution extra ${i}` });
    for (let i = 0; i < 248; i += 1) insertRaw(store, 'OpportunityTeamMember', { OpportunityId: busy, UserId: users[i % users.length]!.Id, TeamMemberRole: 'Sales Rep' });
    // A deal with no related rows at all.
    const bare = insertRaw(store, 'Opportunity', { Name: 'Bare deal', StageName: 'Prospecting', CloseDate: '2027-01-31', [F.optIn]: true });
    ids = [...seeded, bare.Id, seeded[3]!, seeded[9]!.slice(0, 15), missingOpportunityId(), 'not-an-id'];
    ids.splice(9, 1);
    ctx = { rows: effectiveFieldTable(), stageMap: buildStageMap(await h.adapter.listStages()), optInRules: { requireSolution: true } };
  });
  after(() => h?.close());

  it('the same deals, field by field, with the same related rows, parents and versions', async () => {
    // The reader's versions are pending for the run reading: read by ID while a listing run is under way.
    const index = recordingIndex();
    const reader = new SalesforceReader(h.adapter.client, 2000, index, () => Date.now());
    const run = reader.readChanges(undefined, { rows: ctx.rows, load: async () => ctx });
    await run.next();
    index.remembered.length = 0;
    h.sandbox.counters.reset();
    const read = await reader.getDeals(ids, { rows: ctx.rows, load: async () => ctx });
    const calls = h.sandbox.counters.snapshot();
    while (!(await run.next()).done);

    const beforeIndex = recordingIndex();
    const versions = new RelatedVersions(beforeIndex);
    await versions.begin(undefined);
    const expected = await readAsBefore(h, ids, ctx, versions);

    assert.equal(read.length, 431, 'every deal once; unknown and malformed IDs left out');
    assert.deepEqual(read.map((d) => d.crmId), expected.map((d) => d.crmId));
    for (const [i, deal] of read.entries()) {
      const before = expected[i]!;
      for (const key of new Set([...Object.keys(deal.referral), ...Object.keys(before.referral)]) as Set<keyof CrmDeal['referral']>) assert.deepStrictEqual(deal.referral[key], before.referral[key], `${deal.crmId}: referral.${key}`);
      for (const key of new Set([...Object.keys(deal), ...Object.keys(before)]) as Set<keyof CrmDeal>) assert.deepStrictEqual(deal[key], before[key], `${deal.crmId}: ${key}`);
    }
    const busyDeal = read.find((d) => d.crmId === busy)!;
    assert.equal(busyDeal.referral.solutions.length, 450, 'every child batch followed');
    assert.ok(busyDeal.referral.team.length >= 250);
    const invitationIds = h.sandbox.store.all(INVITATION_OBJECT).map((r) => r.Id);
    assert.equal(invitationIds.length, 2);
    assert.deepEqual(index.remembered.filter((r) => invitationIds.includes(r.rowId)).map((r) => r.parentId), [ids[0], ids[0]]);

    assert.ok(index.remembered.length > 1_700);
    assert.ok(index.remembered.every((r) => r.version !== undefined), 'versions pending for the run');
    assert.deepEqual(rowsOf(index.remembered), rowsOf(beforeIndex.remembered));
    // The busy deal's children and its query's second page came through continuations (the sandbox pages as Salesforce does).
    assert.ok((calls['composite.query:Cosell_Solution__c'] ?? 0) >= 2, JSON.stringify(calls));
    assert.ok((calls['composite.query:OpportunityTeamMember'] ?? 0) >= 1, JSON.stringify(calls));
  });
});

describe('Salesforce reads by ID: the query and its answer (pure)', () => {
  const fields = opportunityFields({ rows: effectiveFieldTable() });
  const id = (i: number) => `006${String(i).padStart(12, '0')}AAA`;

  it('selects the related rows through Opportunity\'s child relationships, well inside SOQL\'s 100,000 characters', () => {
    const soql = byIdsWithRelatedQuery(fields, Array.from({ length: IDS_PER_QUERY }, (_, i) => id(i)));
    for (const child of ['FROM OpportunityContactRoles WHERE IsPrimary = true', 'FROM OpportunityTeamMembers ORDER BY Id ASC', 'FROM Cosell_Solutions__r ORDER BY Id ASC', 'FROM Cosell_Partner_Invitations__r ORDER BY Id ASC']) assert.ok(soql.includes(child), child);
    assert.ok(soql.length < 20_000, `${soql.length} characters`);
    assert.throws(() => byIdsWithRelatedQuery(fields, ["006' OR Name != '"]), /not a Salesforce record ID/);
  });

  it('reads one parent\'s rows of a child relationship again as a plain query with the subquery\'s fields, filter and order', () => {
    const parent = { Id: id(7) };
    assert.equal(childRowsQuery(parent, 'OpportunityContactRoles'), `SELECT ${CONTACT_ROLE_FIELDS.join(', ')} FROM OpportunityContactRole WHERE OpportunityId = '${id(7)}' AND IsPrimary = true`);
    assert.equal(childRowsQuery(parent, 'OpportunityTeamMembers'), `SELECT ${TEAM_FIELDS.join(', ')} FROM OpportunityTeamMember WHERE OpportunityId = '${id(7)}' ORDER BY Id ASC`);
    assert.equal(childRowsQuery(parent, 'Cosell_Solutions__r'), `SELECT ${SOLUTION_QUERY_FIELDS.join(', ')} FROM ${SOLUTION_OBJECT} WHERE ${SOLUTION_PARENT_FIELD} = '${id(7)}' ORDER BY Id ASC`);
    assert.equal(childRowsQuery(parent, 'Cosell_Partner_Invitations__r'), `SELECT ${INVITATION_QUERY_FIELDS.join(', ')} FROM ${INVITATION_OBJECT} WHERE ${SOLUTION_PARENT_FIELD} = '${id(7)}' ORDER BY Id ASC`);
    assert.equal(childRowsQuery(parent, 'Notes'), undefined, 'not a relationship this read selects');
    assert.throws(() => childRowsQuery({ Id: "006' OR Id != '" }, 'OpportunityTeamMembers'), /not a Salesforce record ID/);
  });

  it('takes the subquery results off each opportunity and lists their rows per kind; an empty one is null', () => {
    const role = { Id: '00K1', OpportunityId: id(1), IsPrimary: true };
    const member = (n: number) => ({ Id: `00q${n}`, OpportunityId: id(1) });
    const answer = [
      { Id: id(1), Name: 'One', OpportunityContactRoles: { totalSize: 1, done: true, records: [role] }, OpportunityTeamMembers: { totalSize: 2, done: true, records: [member(1), member(2)] }, Cosell_Solutions__r: null, Cosell_Partner_Invitations__r: null },
      { Id: id(2), Name: 'Two', OpportunityContactRoles: null, OpportunityTeamMembers: null, Cosell_Solutions__r: { totalSize: 1, done: true, records: [{ Id: 'a0A1', Opportunity__c: id(2) }] }, Cosell_Partner_Invitations__r: null },
    ];
    const { opportunities, related } = splitRelated(answer);
    assert.deepEqual(opportunities, [{ Id: id(1), Name: 'One' }, { Id: id(2), Name: 'Two' }]);
    assert.deepEqual(related, { contactRoles: [role], team: [member(1), member(2)], solutions: [{ Id: 'a0A1', Opportunity__c: id(2) }], invitations: [] });
    assert.ok('OpportunityContactRoles' in answer[0]!, 'the answer itself is left as it was');
  });
});
