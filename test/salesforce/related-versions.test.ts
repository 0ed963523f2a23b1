/**
 * Related-row versions become known only once the engine committed the run that read them
 * (connectors/salesforce/related-versions.ts): a run stopped after reading a related change but before its
 * anchor was committed (the engine buffers writes across pages and commits a page after its writes, so it can
 * have asked for every page and committed none) leaves the change unknown, and the next run reads the deal again; once a run is
 * committed, the change listed again by the re-read margin costs nothing.
 */
import assert from 'node:assert/strict';
import type { CrmChangePage, CrmCursor, KnownVersions } from '../../connectors/types.js';
import { insertRaw } from '../../sandbox/salesforce/seed.js';
import { seedOptedIn, startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';

describe('Salesforce related-row versions and the run that read them', function () {
  this.timeout(60_000);
  let h: SalesforceHarness;
  afterEach(() => h?.close());

  it('a run stopped before its commit leaves the related change unknown; a committed run makes it known', async () => {
    h = await startSalesforceHarness();
    h.sandbox.clock.advance(-10 * 60_000);
    const [id] = seedOptedIn(h.sandbox, 1) as [string];
    h.sandbox.clock.advance(10 * 60_000);
    const versions = new Map<string, string>();
    const known: KnownVersions = { isKnown: (crmId, version) => versions.get(crmId) === version, isSettled: () => true };
    const run = async (cursor: CrmCursor | undefined): Promise<{ read: string[]; last?: CrmChangePage }> => {
      const read: string[] = [];
      let last: CrmChangePage | undefined;
      for await (const page of h.adapter.readChanges(cursor, known)) {
        for (const d of page.deals) {
          read.push(d.crmId);
          versions.set(d.crmId, d.etag!);
        }
        last = page;
      }
      return { read, ...(last ? { last } : {}) };
    };
    const committed = (await run(undefined)).last!.cursor;

    h.sandbox.clock.advance(60_000);
    const user = h.sandbox.store.all('User').find((u) => String(u.Email).endsWith('@partner.example'))!;
    insertRaw(h.sandbox.store, 'OpportunityTeamMember', { OpportunityId: id, UserId: user.Id, TeamMemberRole: 'Sales Rep', OpportunityAccessLevel: 'Edit' }, undefined, String(user.Id));
    h.sandbox.clock.advance(60_000);
    // The engine reads every page, the last one too, but commits none of it (its writes were still buffered when it stopped).
    assert.deepEqual((await run(committed)).read, [id], 'the change is read');
    const again = await run(committed);
    assert.deepEqual(again.read, [id], 'read again: the stopped run never made it known');
    h.sandbox.clock.advance(60_000);
    const idle = await run(again.last!.cursor);
    assert.deepEqual(idle.read, [], 'inside the margin, the committed change costs nothing');
  });
});
