/**
 * The child tables' further pages ride with the opportunity's tracking pages (feed-run.ts `alongside`).
 * Their answers used to go to the feeds that still had a request when the answers came, not to those that
 * asked: with a related-row index that answers in a few milliseconds (the worker's PostgreSQL store), a
 * table that finished in between shifted the answers onto the next table, whose rows went into the wrong
 * index entries and whose cursor got the other table's delta link; that table's changes were lost for good.
 * (Found in review; the test fails on the code before the fix.)
 */
import assert from 'node:assert/strict';
import type { RelatedRowIndex } from '../../core/engine/crm-port.js';
import { ChildFeed } from '../../connectors/dynamics/child-changes.js';
import { asyncStateStore } from '../../core/store/async-over-sync.js';
import { openMemoryStore } from '../../core/store/memory-store.js';
import { collect, seedOpportunities, startDynamicsHarness, type DynamicsHarness } from '../helpers/dynamics.js';

/** The store's related-row index, each call answered a few milliseconds late, as a networked store answers. */
function slowIndex(): RelatedRowIndex {
  const local = asyncStateStore(openMemoryStore());
  return new Proxy(local, {
    get(target, key) {
      const value = Reflect.get(target, key) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as RelatedRowIndex;
}

type Answer = { ok: boolean; body?: { '@odata.context'?: string } };

describe('Dynamics child-table pages riding with the tracking pages', function () {
  this.timeout(600_000);
  let h: DynamicsHarness;
  afterEach(async () => h?.close());

  it('go to the table that asked for them, and each table keeps its own delta link', async () => {
    h = await startDynamicsHarness({ pageSize: 50, deps: { relatedRows: slowIndex() } });
    await h.adapter.setup();
    seedOpportunities(h, 3000, { teamPerDeal: 2, solutionsPerDeal: 4 });
    const proto = ChildFeed.prototype as unknown as { acceptAnswer(answer: Answer): Promise<void> };
    const original = proto.acceptAnswer;
    const misdelivered: string[] = [];
    let delivered = 0;
    proto.acceptAnswer = async function (this: ChildFeed, answer: Answer) {
      const table = String(answer.body?.['@odata.context'] ?? '').split('#')[1] ?? '';
      delivered += 1;
      if (!table.startsWith(this.table.set)) misdelivered.push(`${this.table.set} got a page of ${table}`);
      return original.call(this, answer);
    };
    try {
      const pages = await collect(h.adapter.readChanges(undefined));
      const cursor = pages.at(-1)!.cursor;
      assert.ok(delivered > 3, `child pages were read (${delivered})`);
      assert.deepEqual(misdelivered, []);
      assert.match(String(cursor.teamLink), /^cosell_teammembers\?/);
      assert.match(String(cursor.solutionLink), /^cosell_solutions\?/);
      assert.match(String(cursor.invitationLink), /^cosell_partnerinvitations\?/);
    } finally {
      proto.acceptAnswer = original;
    }
  });
});
