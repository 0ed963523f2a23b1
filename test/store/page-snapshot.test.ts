/**
 * A page snapshot on SQLite (issue 13: a few set queries instead of seven point lookups per ID) holds exactly
 * what the point lookups find, for every kind of record the engine consults: links by either ID, intents of
 * both targets, parked records of both sides (the other side's under the same ID left out), open conflicts
 * (a resolved one left out), IDs the store does not know, and the IDs a link found by the other ID adds.
 */
import assert from 'node:assert/strict';
import { openSqliteStore } from '../../core/store/index.js';
import type { PageKeys, PageSnapshot, VersionSnapshot } from '../../core/store/async-state-store.js';
import { snapshotByLookup, versionsByLookup } from '../../core/store/page-snapshot.js';
import type { StateStore } from '../../core/store/state-store.js';
import { conflictOn, makeLink, minutesAfterCreation } from './store-fixtures.js';

const reasons = [{ code: 'rule', field: 'dealName', message: 'needs a name', severity: 'error' as const }];

/** The snapshot with each list in one order, so that two reads of the same records compare equal. */
function sorted(snapshot: PageSnapshot): PageSnapshot {
  const by = <T>(list: T[], key: (item: T) => string) => [...list].sort((a, b) => key(a).localeCompare(key(b)));
  return {
    links: by(snapshot.links, (l) => l.crmId),
    intents: by(snapshot.intents, (i) => `${i.target}/${i.sourceId}`),
    parked: by(snapshot.parked, (p) => `${p.side}/${p.recordId}`),
    openConflicts: by(snapshot.openConflicts, (c) => c.crmId),
  };
}

/** A version snapshot with each list in one order. */
function sortedVersions(v: VersionSnapshot): VersionSnapshot {
  const by = <T>(list: T[], key: (item: T) => string) => [...list].sort((a, b) => key(a).localeCompare(key(b)));
  return { links: by(v.links, (l) => l.crmId), parked: by(v.parked, (p) => `${p.side}/${p.recordId}`), openConflicts: by(v.openConflicts, (c) => c.crmId) };
}

describe('page snapshot on SQLite', () => {
  let store: StateStore;
  beforeEach(() => {
    store = openSqliteStore(':memory:');
    // Link 3 carries every version column (a CRM version and a hold), so the version snapshot is seen to read each.
    for (let n = 1; n <= 6; n += 1) store.putLink(makeLink(n, n === 3 ? { crmEtag: '"crm-3"', heldUntil: minutesAfterCreation(30) } : {}));
    store.putIntent({ target: 'referral', sourceId: 'new-crm-record', createdAt: minutesAfterCreation(1), attempts: 1 });
    store.putIntent({ target: 'crm', sourceId: 'new-referral', createdAt: minutesAfterCreation(1), attempts: 2 });
    // The same ID under the other target: only a CRM ID's `referral` intent and a referral ID's `crm` intent count.
    store.putIntent({ target: 'crm', sourceId: 'new-crm-record', createdAt: minutesAfterCreation(1), attempts: 3 });
    store.park({ side: 'partner-center', recordId: makeLink(1).referralId, reasons, fingerprint: 'f', parkedAt: minutesAfterCreation(2), attempts: 1 });
    store.park({ side: 'crm', recordId: makeLink(2).crmId, reasons, fingerprint: 'g', parkedAt: minutesAfterCreation(2), attempts: 1, retryAt: minutesAfterCreation(9) });
    store.park({ side: 'partner-center', recordId: makeLink(3).crmId, reasons, fingerprint: 'h', parkedAt: minutesAfterCreation(2), attempts: 1 });
    store.addConflict(conflictOn(2));
    const settled = store.addConflict(conflictOn(4));
    store.resolveConflict(settled.id, 'crm', minutesAfterCreation(5));
    store.addConflict(conflictOn(6));
  });
  afterEach(() => store.close());

  const cases: [string, PageKeys][] = [
    ['CRM IDs and referral IDs, mixed, with unknown ones', { crmIds: [makeLink(1).crmId, makeLink(3).crmId, 'new-crm-record', 'unknown'], referralIds: [makeLink(2).referralId, 'new-referral', 'unknown'] }],
    ['the same IDs as both (a CRM page)', { crmIds: [makeLink(1).crmId, makeLink(2).referralId, makeLink(4).crmId], referralIds: [makeLink(1).crmId, makeLink(2).referralId, makeLink(4).crmId] }],
    ['CRM IDs only (the echo check)', { crmIds: [makeLink(2).crmId, makeLink(4).crmId, makeLink(6).crmId, makeLink(2).crmId] }],
    ['nothing', {}],
  ];
  for (const [name, keys] of cases) {
    it(`holds what the point lookups find: ${name}`, () => {
      const expected = sorted(snapshotByLookup(store, keys));
      assert.deepEqual(sorted(store.pageSnapshot(keys)), expected);
    });
  }

  for (const [name, keys] of cases) {
    it(`holds the page snapshot's links as versions, with its parked records and open conflicts: ${name}`, () => {
      const page = sorted(store.pageSnapshot(keys));
      const versions = sortedVersions(store.versionSnapshot(keys));
      const expectedLinks = page.links.map(({ crmId, referralId, state, heldUntil, crmEtag, pcEtag }) =>
        Object.fromEntries(Object.entries({ crmId, referralId, state, heldUntil, crmEtag, pcEtag }).filter(([, v]) => v !== undefined)));
      assert.deepEqual(versions.links, expectedLinks);
      assert.deepEqual({ parked: versions.parked, openConflicts: versions.openConflicts }, { parked: page.parked, openConflicts: page.openConflicts });
      assert.deepEqual(versions, sortedVersions(versionsByLookup(store, keys)), 'SQLite and the point lookups agree');
    });
  }

  it('finds the records the point lookups find for this fixture (the comparison is not vacuous)', () => {
    const page = store.pageSnapshot(cases[0]![1]);
    assert.deepEqual(page.links.map((l) => l.crmId).sort(), [makeLink(1).crmId, makeLink(2).crmId, makeLink(3).crmId].sort());
    assert.deepEqual(page.intents.map((i) => `${i.target}/${i.sourceId}/${i.attempts}`).sort(), ['crm/new-referral/2', 'referral/new-crm-record/1']);
    assert.deepEqual(page.parked.map((p) => p.fingerprint).sort(), ['f', 'g']);
    assert.deepEqual(page.openConflicts.map((c) => c.crmId), [makeLink(2).crmId]);
    assert.deepEqual(store.versionSnapshot(cases[0]![1]).links.find((l) => l.crmId === makeLink(3).crmId), {
      crmId: makeLink(3).crmId, referralId: makeLink(3).referralId, state: 'active', heldUntil: minutesAfterCreation(30), crmEtag: '"crm-3"', pcEtag: '"pc-etag-3"',
    });
    assert.deepEqual(store.pageSnapshot(cases[2]![1]).openConflicts.map((c) => c.crmId).sort(), [makeLink(2).crmId, makeLink(6).crmId].sort(), 'a resolved conflict is not open');
  });
});
