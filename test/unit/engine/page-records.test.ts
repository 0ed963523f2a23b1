/**
 * A page's records are read from the store at once (core/engine/page-records.ts): the leads its links name
 * too, so deciding a page of lead referrals costs one lead query, not one lookup per referral; and a
 * lookup of a record the page did not load is refused, never answered "not found".
 */
import assert from 'node:assert/strict';
import { PageRecords } from '../../../core/engine/page-records.js';
import { emptyReferral } from '../../../core/model/index.js';
import { asyncStateStore } from '../../../core/store/async-over-sync.js';
import { openMemoryStore } from '../../../core/store/memory-store.js';

const AT = '2026-12-01T10:00:00.000Z';

function storeWithLeads() {
  const sync = openMemoryStore();
  sync.transaction((tx) => {
    for (const n of [1, 2, 3]) {
      tx.putLink({ crmId: `lead-${n}`, referralId: `ref-${n}`, base: emptyReferral({ dealName: `Lead ${n}`, referralId: `ref-${n}` }), state: 'active', updatedAt: AT });
      sync.leads.putLead({ leadId: `lead-${n}`, referralId: `ref-${n}`, createdAt: AT });
    }
    tx.putLink({ crmId: 'opp-4', referralId: 'ref-4', base: emptyReferral({ dealName: 'Deal 4', referralId: 'ref-4' }), state: 'active', updatedAt: AT });
    tx.park({ side: 'crm', recordId: 'opp-4', reasons: [], fingerprint: 'f', parkedAt: AT, attempts: 1 });
  });
  return { sync, store: asyncStateStore(sync) };
}

describe('page records preload', () => {
  it("answers a page's lead lookups from one read of the leads its links name", async () => {
    const { store } = storeWithLeads();
    const calls = { loadPage: 0, getLead: 0, getLeads: 0 };
    const loadPage = store.loadPage.bind(store);
    const getLead = store.leads.getLead.bind(store.leads);
    const getLeads = store.leads.getLeads.bind(store.leads);
    const counted = Object.assign(Object.create(store) as typeof store, {
      loadPage: (keys: Parameters<typeof loadPage>[0]) => ((calls.loadPage += 1), loadPage(keys)),
      leads: { ...store.leads, getLead: (id: string) => ((calls.getLead += 1), getLead(id)), getLeads: (ids: readonly string[]) => ((calls.getLeads += 1), getLeads(ids)) },
    });

    const page = await PageRecords.load(counted, ['ref-1', 'ref-2', 'ref-3', 'ref-4']);
    const found = ['ref-1', 'ref-2', 'ref-3', 'ref-4'].map((id) => page.getLead(page.getLinkByReferralId(id)!.crmId)?.leadId);
    assert.deepEqual(found, ['lead-1', 'lead-2', 'lead-3', undefined]);
    assert.equal(page.getParked('crm', 'opp-4')?.fingerprint, 'f', "a link's other ID is loaded with it");
    assert.deepEqual(calls, { loadPage: 1, getLead: 0, getLeads: 1 }, 'one read for the page, no lookup per referral');
  });

  it('refuses a lookup of a record the page did not load, naming it', async () => {
    const { store } = storeWithLeads();
    const page = await PageRecords.load(store, ['ref-1']);
    assert.throws(() => page.getLinkByCrmId('opp-4'), (e: Error & { code?: string }) => e.code === 'engine.record_not_loaded' && e.message.includes('opp-4'));
    assert.throws(() => PageRecords.none.getParked('crm', 'lead-1'), /lead-1/);
  });

  it('reads records met later into the same view, and knows records this run just created hold nothing', async () => {
    const { store } = storeWithLeads();
    const page = await PageRecords.load(store, ['ref-1']);
    await page.add(store, ['opp-4']);
    assert.equal(page.getLinkByCrmId('opp-4')?.referralId, 'ref-4');
    assert.equal(page.getLinkByReferralId('ref-1')?.crmId, 'lead-1', 'what was loaded first stays');
    page.addNew(['ref-new']);
    assert.equal(page.getParked('partner-center', 'ref-new'), undefined);
    await assert.rejects(() => PageRecords.none.add(store, ['ref-2']));
  });
});
