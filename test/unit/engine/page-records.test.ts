/**
 * A page's records are read from the store at once (core/engine/page-records.ts): the leads its links name
 * too, so deciding a page of lead referrals costs one lead query, not one lookup per referral.
 */
import assert from 'node:assert/strict';
import type { RunContext } from '../../../core/engine/context.js';
import { withPageRecords } from '../../../core/engine/page-records.js';
import { emptyReferral } from '../../../core/model/index.js';
import { openMemoryStore } from '../../../core/store/memory-store.js';

const AT = '2026-12-01T10:00:00.000Z';

describe('page records preload', () => {
  it("answers a page's lead lookups from one read of the leads its links name", () => {
    const store = openMemoryStore();
    store.transaction((tx) => {
      for (const n of [1, 2, 3]) {
        tx.putLink({ crmId: `lead-${n}`, referralId: `ref-${n}`, base: emptyReferral({ dealName: `Lead ${n}`, referralId: `ref-${n}` }), state: 'active', updatedAt: AT });
        store.leads.putLead({ leadId: `lead-${n}`, referralId: `ref-${n}`, createdAt: AT });
      }
      tx.putLink({ crmId: 'opp-4', referralId: 'ref-4', base: emptyReferral({ dealName: 'Deal 4', referralId: 'ref-4' }), state: 'active', updatedAt: AT });
    });
    const calls = { getLead: 0, getLeads: 0 };
    const getLead = store.leads.getLead.bind(store.leads);
    const getLeads = store.leads.getLeads.bind(store.leads);
    store.leads.getLead = (id) => (calls.getLead += 1, getLead(id));
    store.leads.getLeads = (ids) => (calls.getLeads += 1, getLeads(ids));

    const view = withPageRecords({ store } as unknown as RunContext, ['ref-1', 'ref-2', 'ref-3', 'ref-4']).store;
    const found = ['ref-1', 'ref-2', 'ref-3', 'ref-4'].map((id) => view.leads.getLead(view.getLinkByReferralId(id)!.crmId)?.leadId);
    assert.deepEqual(found, ['lead-1', 'lead-2', 'lead-3', undefined]);
    assert.deepEqual(calls, { getLead: 0, getLeads: 1 }, 'one read for the page, no lookup per referral');
    assert.equal(view.leads.getLead('lead-9'), undefined, 'an ID outside the page is asked of the store');
    assert.equal(calls.getLead, 1);
  });
});
