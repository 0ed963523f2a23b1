/**
 * Review of c991c0d (page-related.ts): the members statement carrying the invitations as a subquery pages
 * by child rows too, a parent with more than 200 invitations leaves them behind a locator of its own, and the
 * listing's next batch rides in the same call. Every invitation still comes, once, and every deal as a read
 * by ID gives it.
 */
import assert from 'node:assert/strict';
import type { CrmDeal } from '../../core/engine/crm-port.js';
import type { CompositeSubrequest } from '../../connectors/salesforce/client.js';
import { INVITATION_FIELDS, INVITATION_OBJECT, SOLUTION_PARENT_FIELD } from '../../mappings/custom-fields.salesforce.js';
import { insertRaw } from '../../sandbox/salesforce/seed.js';
import { seedOptedIn, startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';

const shape = (d: CrmDeal) => ({ crmId: d.crmId, etag: d.etag, invitations: d.referral.invitations, team: d.referral.team, solutions: d.referral.solutions });
const byCrmId = (a: { crmId: string }, b: { crmId: string }) => a.crmId.localeCompare(b.crmId);

describe('Salesforce page related call: a members statement with invitations that pages', function () {
  this.timeout(120_000);
  let h: SalesforceHarness;
  let ids: string[];
  const urls: string[][] = [];

  before(async () => {
    h = await startSalesforceHarness({ adapter: { pageSize: 2000, rereadSeconds: 0 } });
    ids = seedOptedIn(h.sandbox, 5_000);
    // Two invitations on every deal: a window of 2,000 deals holds 6,000 rows, three batches of its members statement.
    for (const [i, id] of ids.entries()) {
      const count = i === 10 || i === 2_500 ? 260 : 2;
      for (let k = 0; k < count; k += 1) insertRaw(h.sandbox.store, INVITATION_OBJECT, { [SOLUTION_PARENT_FIELD]: id, Name: 'Invitation', [INVITATION_FIELDS.partnerId]: `P-${i}-${k}`, [INVITATION_FIELDS.notes]: `Invite ${i} ${k}` });
    }
    const client = h.adapter.client;
    const original = client.composite;
    client.composite = async (subrequests: CompositeSubrequest[], readOnly: boolean) => {
      urls.push(subrequests.map((s) => s.url));
      return original.call(client, subrequests, readOnly);
    };
  });
  after(() => h?.close());

  it('reads every invitation once, deals as a read by ID gives them', async () => {
    const deals: CrmDeal[] = [];
    for await (const page of h.adapter.readChanges(undefined)) deals.push(...page.deals);
    assert.deepEqual(deals.map((d) => d.crmId).sort(), ids);
    const invitations = deals.reduce((n, d) => n + d.referral.invitations.length, 0);
    assert.equal(invitations, 2 * 4_998 + 2 * 260);
    const byId = await h.adapter.getDeals(ids);
    assert.deepEqual(deals.map(shape).sort(byCrmId), byId.map(shape).sort(byCrmId));
    const folded = (url: string) => /FROM Cosell_Partner_Invitations__r[^)]*\) FROM Opportunity /.test(decodeURIComponent(url));
    const queryMore = (url: string) => /\/query\/01g[0-9a-f]+-\d+$/.test(url);
    // The paths under review were taken: the listing's next batch beside a members statement with the
    // invitations, and Query More of that statement's further batches and of a parent's 260 invitations.
    assert.ok(urls.some((u) => u.some(folded) && u.some(queryMore)), 'a batch rode with a folded members statement');
    assert.ok(urls.some((u) => !u.some(folded) && u.filter(queryMore).length >= 2), 'the members statement and a child result were continued');
  });
});
