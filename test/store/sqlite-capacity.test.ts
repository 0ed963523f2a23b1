/**
 * A small capacity check: 50,000 links written as a sync writes them (pages of 2,000, one transaction
 * each), then read back through every lookup. Asserts counts and lookups, never time.
 */
import assert from 'node:assert/strict';
import { openSqliteStore, type StateStore } from '../../core/store/index.js';
import { makeLink, makeTempDir } from './store-fixtures.js';

const LINKS = 50_000;
const PAGE = 2_000;
/** Every 10th link carries a hold; their hold ends n minutes after 2026-01-08T00:00Z. */
const HELD_EVERY = 10;
const holdOf = (n: number) => new Date(Date.parse('2026-01-08T00:00:00.000Z') + n * 60_000).toISOString();

describe('SQLite state store: capacity', () => {
  const temp = makeTempDir();
  let store: StateStore;
  before(() => {
    store = openSqliteStore(temp.file());
    for (let start = 1; start <= LINKS; start += PAGE) {
      store.transaction((tx) => {
        for (let n = start; n < start + PAGE; n++) {
          tx.putLink(makeLink(n, n % HELD_EVERY === 0 ? { heldUntil: holdOf(n), state: 'active' } : { state: n % 2 === 0 ? 'active' : 'crm-deleted' }));
        }
        tx.putCursor('crm', { lastLink: start + PAGE - 1 });
      });
    }
  });
  after(() => {
    store.close();
    temp.cleanup();
  });

  it(`stores ${LINKS.toLocaleString('en')} links in pages of ${PAGE.toLocaleString('en')} and counts them by state`, () => {
    const counts = store.countLinks();
    assert.equal(counts.active + counts['crm-deleted'] + counts['referral-missing'], LINKS);
    assert.deepEqual(counts, { active: LINKS / 2, 'crm-deleted': LINKS / 2, 'referral-missing': 0 });
    assert.deepEqual(store.getCursor('crm'), { lastLink: LINKS });
  });

  it('finds any link by either ID', () => {
    for (const n of [1, 2_001, 25_000, 49_999, LINKS]) {
      assert.equal(store.getLinkByCrmId(makeLink(n).crmId)?.referralId, makeLink(n).referralId);
      assert.equal(store.getLinkByReferralId(makeLink(n).referralId)?.crmId, makeLink(n).crmId);
    }
  });

  it('returns exactly the due holds, in the order they end', () => {
    const due = store.dueHolds(holdOf(25_000));
    assert.equal(due.length, 25_000 / HELD_EVERY);
    assert.equal(due[0]?.crmId, makeLink(HELD_EVERY).crmId);
    assert.equal(due.at(-1)?.crmId, makeLink(25_000).crmId);
    assert.equal(store.dueHolds(holdOf(LINKS + 1)).length, LINKS / HELD_EVERY);
  });

  it('pages through links newest first to the last page', () => {
    assert.deepEqual(store.listLinks({ limit: 3 }).map((link) => link.crmId), [LINKS, LINKS - 1, LINKS - 2].map((n) => makeLink(n).crmId));
    const lastPage = store.listLinks({ state: 'crm-deleted', limit: 100, offset: LINKS / 2 - 40 });
    assert.equal(lastPage.length, 40);
    assert.equal(lastPage.at(-1)?.crmId, makeLink(1).crmId);
  });
});
