/**
 * What the CRM's listing takes for a version the engine holds (echoes.ts `knownCrmVersions`): an orphaned
 * link's record at the link's version until its check is due, and a record without link or park at the
 * version the engine's own write left (unlinked-versions.ts); never a record at another version.
 */
import assert from 'node:assert/strict';
import { knownCrmVersions } from '../../../core/engine/echoes.js';
import { UNLINKED_VERSIONS_META, withUnlinkedVersions } from '../../../core/engine/unlinked-versions.js';
import { asyncStateStore } from '../../../core/store/async-over-sync.js';
import { openMemoryStore } from '../../../core/store/memory-store.js';
import type { Link } from '../../../core/store/state-store.js';

const NOW = '2026-12-07T12:00:00.000Z';

function orphanedLink(heldUntil: string): Link {
  return { crmId: 'opp-orphan', referralId: 'ref-1', base: { dealName: 'Orphaned' } as Link['base'], state: 'referral-missing', crmEtag: 'v-own', heldUntil, updatedAt: NOW };
}

async function known(link: Link | undefined, unlinked: Record<string, string>): Promise<ReturnType<typeof knownCrmVersions>> {
  const sync = openMemoryStore();
  if (link) sync.putLink(link);
  sync.putMeta(UNLINKED_VERSIONS_META, withUnlinkedVersions({}, Object.entries(unlinked).map(([crmId, etag]) => ({ crmId, etag })), NOW), NOW);
  const k = knownCrmVersions({ store: asyncStateStore(sync), nowIso: NOW });
  await k.prepare(['opp-orphan', 'opp-copy', 'opp-other']);
  return k;
}

describe('the CRM versions the engine holds (echoes.ts knownCrmVersions)', () => {
  it("an orphaned link's record at the link's version, its check not due, is known and settled; a due check reads it", async () => {
    const quiet = await known(orphanedLink('2026-12-07T12:10:00.000Z'), {});
    assert.equal(quiet.isKnown('opp-orphan', 'v-own'), true);
    assert.equal(quiet.isKnown('opp-orphan', 'v-seller'), false, "a seller's save is read");
    assert.equal(quiet.isSettled?.('opp-orphan'), true);
    const due = await known(orphanedLink('2026-12-07T11:59:00.000Z'), {});
    assert.equal(due.isKnown('opp-orphan', 'v-own'), false);
  });

  it('a record without link or park is known only at the version an own write left on it', async () => {
    const k = await known(undefined, { 'opp-copy': 'v-cleared' });
    assert.equal(k.isKnown('opp-copy', 'v-cleared'), true);
    assert.equal(k.isKnown('opp-copy', 'v-seller'), false);
    assert.equal(k.isKnown('opp-other', 'v-cleared'), false);
  });
});
