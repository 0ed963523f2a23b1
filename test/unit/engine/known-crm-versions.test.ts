/**
 * What the CRM's listing takes for a version the engine holds (echoes.ts `knownCrmVersions`): an orphaned
 * link's record at the link's version until its check is due, a link whose referral waits for the retry of
 * a CRM refusal at the link's version until that retry is due, and a record without link or park at the
 * version the engine's own write left (unlinked-versions.ts); never a record at another version.
 */
import assert from 'node:assert/strict';
import { knownCrmVersions } from '../../../core/engine/echoes.js';
import { UNLINKED_VERSIONS_META, withUnlinkedVersions } from '../../../core/engine/unlinked-versions.js';
import { asyncStateStore } from '../../../core/store/async-over-sync.js';
import { openMemoryStore } from '../../../core/store/memory-store.js';
import type { Link, ParkedRecord } from '../../../core/store/state-store.js';

const NOW = '2026-12-07T12:00:00.000Z';

function orphanedLink(heldUntil: string): Link {
  return { crmId: 'opp-orphan', referralId: 'ref-1', base: { dealName: 'Orphaned' } as Link['base'], state: 'referral-missing', crmEtag: 'v-own', heldUntil, updatedAt: NOW };
}

async function known(link: Link | undefined, unlinked: Record<string, string>, parked?: ParkedRecord): Promise<ReturnType<typeof knownCrmVersions>> {
  const sync = openMemoryStore();
  if (link) sync.putLink(link);
  if (parked) sync.park(parked);
  sync.putMeta(UNLINKED_VERSIONS_META, withUnlinkedVersions({}, Object.entries(unlinked).map(([crmId, etag]) => ({ crmId, etag })), NOW), NOW);
  const k = knownCrmVersions({ store: asyncStateStore(sync), nowIso: NOW });
  await k.prepare(['opp-orphan', 'opp-refused', 'opp-copy', 'opp-other']);
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

  it("a link whose referral waits for the retry of a CRM refusal is known at the link's version until the retry is due; another park is not", async () => {
    const active: Link = { crmId: 'opp-refused', referralId: 'ref-1', base: { dealName: 'Refused' } as Link['base'], state: 'active', crmEtag: 'v-own', updatedAt: NOW };
    const park = (code: string, retryAt: string): ParkedRecord => ({
      side: 'partner-center', recordId: 'ref-1', reasons: [{ code, field: 'notes', message: 'refused', severity: 'error' }], fingerprint: 'f', parkedAt: NOW, attempts: 1, retryAt,
    });
    const waiting = await known(active, {}, park('crm.FIELD_CUSTOM_VALIDATION_EXCEPTION', '2026-12-07T12:10:00.000Z'));
    assert.equal(waiting.isKnown('opp-refused', 'v-own'), true);
    assert.equal(waiting.isKnown('opp-refused', 'v-seller'), false, "a seller's save is read");
    assert.equal(waiting.isSettled?.('opp-refused'), true);
    const due = await known(active, {}, park('crm.FIELD_CUSTOM_VALIDATION_EXCEPTION', '2026-12-07T11:59:00.000Z'));
    assert.equal(due.isKnown('opp-refused', 'v-own'), false, 'a due retry reads the record');
    const partnerCenterRefusal = await known(active, {}, park('remote.refused', '2026-12-07T12:10:00.000Z'));
    assert.equal(partnerCenterRefusal.isKnown('opp-refused', 'v-own'), false, "Partner Center's refusal of the record's change is not the CRM's");
  });

  it('a record without link or park is known only at the version an own write left on it', async () => {
    const k = await known(undefined, { 'opp-copy': 'v-cleared' });
    assert.equal(k.isKnown('opp-copy', 'v-cleared'), true);
    assert.equal(k.isKnown('opp-copy', 'v-seller'), false);
    assert.equal(k.isKnown('opp-other', 'v-cleared'), false);
  });
});
