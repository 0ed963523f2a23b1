/**
 * A related row deleted on its own (a team member: no Recycle Bin, so getDeleted alone lists it) reaches the
 * engine even when the run that listed its deletion is killed after the engine committed its first page:
 * the deal is read in the held last page (read.ts), so a cursor whose deletion window had already moved past
 * the deletion, on that first page, lost it for good (the next window started after it, and nothing else
 * brings the deal back: its opportunity did not change).
 */
import assert from 'node:assert/strict';
import type { CrmChangePage } from '../../core/engine/crm-port.js';
import { seedOptedIn, startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';

async function all(pages: AsyncIterable<CrmChangePage>): Promise<CrmChangePage[]> {
  const out: CrmChangePage[] = [];
  for await (const p of pages) out.push(p);
  return out;
}

describe('Salesforce feed: a deletion listed by a run killed after its first page', function () {
  this.timeout(60_000);
  let h: SalesforceHarness;
  beforeEach(async () => {
    h = await startSalesforceHarness({ adapter: { pageSize: 10 } });
  });
  afterEach(() => h?.close());

  it('is listed again by the next run, which reads the deal without the member', async () => {
    const ids = seedOptedIn(h.sandbox, 30, { teamPerOpportunity: 2 });
    const settled = await all(h.adapter.readChanges(undefined));
    const target = ids[29]!;
    const member = h.sandbox.store.all('OpportunityTeamMember').find((m) => m.OpportunityId === target)!;
    h.sandbox.clock.advance(5 * 60_000);
    // Enough opportunity edits for two pages, and a team member removed alone from a deal not edited.
    for (const id of ids.slice(0, 15)) h.sandbox.seller.editOpportunity(id, { NextStep: 'Call back' });
    h.sandbox.seller.deleteRecord(String(member.Id));
    h.sandbox.clock.advance(5 * 60_000);
    // Any call (a write-back, a look-up) tells the adapter Salesforce's time: the next window reaches it.
    await h.adapter.getDeals([ids[0]!]);

    // The run is killed once the engine has committed its first page (its cursor is all that is kept).
    const killed = h.adapter.readChanges(settled.at(-1)!.cursor)[Symbol.asyncIterator]();
    const first = await killed.next();
    assert.ok(!first.done && first.value.deals.length > 0);
    assert.ok(!first.value.deals.some((d) => d.crmId === target), 'the deal would have come in a later page');
    await killed.return?.(undefined);

    h.sandbox.clock.advance(60_000);
    const next = await all(h.adapter.readChanges(first.value.cursor));
    const deal = next.flatMap((p) => p.deals).find((d) => d.crmId === target);
    assert.ok(deal, 'the deal whose member was deleted is read again');
    assert.equal(deal.referral.team.length, 1);
  });
});
