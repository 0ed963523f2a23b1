/**
 * A child table's answer that fails (a GET refused inside the run's first `$batch`) fails the run where
 * its outcome is asked for, never as an unhandled rejection: the run's first call used to hand the answers
 * over without waiting, so a refusal escaped the run (and would end a daemon's process).
 */
import assert from 'node:assert/strict';
import { ChildFeed, childTables } from '../../connectors/dynamics/child-changes.js';
import { connectorNames } from '../../connectors/dynamics/schema-names.js';
import type { DataverseClient } from '../../connectors/dynamics/client.js';
import { ConnectorError } from '../../core/errors.js';
import { silentLogger } from '../../core/logger.js';
import { asyncStateStore } from '../../core/store/async-over-sync.js';
import { openMemoryStore } from '../../core/store/memory-store.js';

const names = connectorNames('cosell');

function feed(stored: string | undefined) {
  const deps = { client: {} as DataverseClient, index: asyncStateStore(openMemoryStore()), names, logger: silentLogger(), now: () => new Date('2026-12-05T09:00:00Z') };
  return new ChildFeed(deps, childTables(names)[0]!, stored, () => '2026-12-05T09:00:00.000Z');
}

describe('a Dynamics child table feed taking its answers', () => {
  it('keeps a refused answer for result() and changedParents(), without an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const child = feed('cosell_teammembers?$deltatoken=1');
      void child.accept({ ok: false, error: new ConnectorError('dataverse_forbidden', '403 the user lacks read access to cosell_teammember') });
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual(unhandled, []);
      await assert.rejects(child.changedParents(), /lacks read access/);
      await assert.rejects(child.result(), /lacks read access/);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('names the opportunities changed through the table once its answer is in, in the order answers came', async () => {
    const child = feed('cosell_teammembers?$deltatoken=1');
    const lookup = `_${names.lookupColumn}_value`;
    const table = childTables(names)[0]!;
    void child.accept({ ok: true, body: { value: [{ [table.idColumn]: 'ROW-1', [lookup]: 'OPP-A', modifiedon: '2026-12-05T08:59:00Z' }], '@odata.deltaLink': 'cosell_teammembers?$deltatoken=2' } });
    assert.deepEqual(await child.changedParents(), ['opp-a']);
    const { changed, link } = await child.result();
    assert.deepEqual([...changed.keys()], ['opp-a']);
    assert.equal(link, 'cosell_teammembers?$deltatoken=2');
  });

  it('cannot name them while pages are left, or on a first listing (which reports nothing)', async () => {
    const paging = feed('cosell_teammembers?$deltatoken=1');
    await paging.accept({ ok: true, body: { value: [], '@odata.nextLink': 'cosell_teammembers?$skiptoken=x' } });
    assert.equal(await paging.changedParents(), undefined);
    const first = feed(undefined);
    await first.accept({ ok: true, body: { value: [], '@odata.deltaLink': 'cosell_teammembers?$deltatoken=1' } });
    assert.equal(await first.changedParents(), undefined);
  });
});
