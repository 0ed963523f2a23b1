/**
 * After a deletion gap the engine asks the CRM which linked opportunities are gone (core/engine/deletion-gap.ts),
 * leaving out the leads the connector created: a lead is linked too but is not an opportunity. Every open lead
 * must be left out, however many: the store's lead listing stops at 10,000 by default, and a lead past it was
 * asked for as an opportunity, found "gone" and its link orphaned.
 */
import assert from 'node:assert/strict';
import type { RunContext } from '../../../core/engine/context.js';
import { missingLinkedRecords } from '../../../core/engine/deletion-gap.js';
import { emptyReferral } from '../../../core/model/index.js';
import { asyncStateStore } from '../../../core/store/async-over-sync.js';
import { openMemoryStore } from '../../../core/store/memory-store.js';

const AT = '2026-12-01T10:00:00.000Z';

describe('deletion gap: the linked leads are left out', () => {
  it('leaves out every open lead, past the lead listing default of 10,000, and asks only for the opportunities', async () => {
    const store = openMemoryStore();
    const LEADS = 10_050;
    store.transaction((tx) => {
      for (let n = 0; n < LEADS; n += 1) {
        tx.putLink({ crmId: `lead-${n}`, referralId: `ref-${n}`, base: emptyReferral({ dealName: `Lead ${n}`, referralId: `ref-${n}` }), state: 'active', updatedAt: AT });
        store.leads.putLead({ leadId: `lead-${n}`, referralId: `ref-${n}`, createdAt: AT });
      }
      tx.putLink({ crmId: 'opp-1', referralId: 'ref-opp-1', base: emptyReferral({ dealName: 'Deal', referralId: 'ref-opp-1' }), state: 'active', updatedAt: AT });
    });
    const asked: string[][] = [];
    const ctx = {
      store: asyncStateStore(store),
      crm: { displayName: 'Test CRM', missingIds: async (ids: readonly string[]) => (asked.push([...ids]), ids.filter((id) => id.startsWith('lead-'))) },
      logger: { warn: () => undefined },
    } as unknown as RunContext;

    const missing = await missingLinkedRecords(ctx);

    assert.deepEqual(asked, [['opp-1']], 'only the opportunity is asked about');
    assert.deepEqual(missing, []);
  });
});
