/**
 * The shared behavioural suite, part 4: the CRM leads created for lead referrals and their conversion
 * (lead-records.ts, schema version 5). Run against every `StateStore` implementation.
 */
import assert from 'node:assert/strict';
import type { StateStore } from '../../core/store/index.js';
import { emptyReferral } from '../../core/model/index.js';
import type { OpenStore } from './behaviour-records.js';

const AT = '2026-12-01T10:00:00.000Z';
const link = (crmId: string, referralId: string) => ({ crmId, referralId, base: emptyReferral({ dealName: referralId, referralId }), state: 'active' as const, crmEtag: 'W/"1"', crmModifiedAt: AT, updatedAt: AT });

export function leadBehaviour(open: OpenStore): void {
  let store: StateStore;
  beforeEach(() => (store = open()));
  afterEach(() => store.close());

  describe('CRM leads', () => {
    it('lists open leads oldest first and moves a converted lead\'s link to its opportunity, keeping referral and base', () => {
      store.transaction((tx) => {
        tx.putLink(link('lead-2', 'ref-2'));
        tx.putLink(link('lead-1', 'ref-1'));
        store.leads.putLead({ leadId: 'lead-2', referralId: 'ref-2', createdAt: '2026-12-01T11:00:00.000Z' });
        store.leads.putLead({ leadId: 'lead-1', referralId: 'ref-1', createdAt: AT });
      });
      assert.deepEqual(store.leads.openLeads().map((l) => l.leadId), ['lead-1', 'lead-2']);
      store.transaction(() => store.leads.convert('lead-1', 'opp-1', '2026-12-02T09:00:00.000Z'));
      assert.equal(store.getLinkByCrmId('lead-1'), undefined);
      const moved = store.getLinkByReferralId('ref-1');
      assert.equal(moved?.crmId, 'opp-1');
      assert.equal(moved?.base.dealName, 'ref-1');
      assert.equal(moved?.crmEtag, undefined, "the lead's row version does not apply to the opportunity");
      assert.deepEqual(store.leads.getLead('lead-1'), { leadId: 'lead-1', referralId: 'ref-1', createdAt: AT, convertedTo: 'opp-1', convertedAt: '2026-12-02T09:00:00.000Z' });
      assert.deepEqual(store.leads.openLeads().map((l) => l.leadId), ['lead-2']);
    });

    it('reads many leads at once by ID (getLeads), leaving out IDs that are not leads', () => {
      store.transaction((tx) => {
        for (const n of [5, 6]) {
          tx.putLink(link(`lead-${n}`, `ref-${n}`));
          store.leads.putLead({ leadId: `lead-${n}`, referralId: `ref-${n}`, createdAt: AT });
        }
      });
      assert.deepEqual(store.leads.getLeads(['lead-6', 'opp-7', 'lead-5']).map((l) => l.leadId).sort(), ['lead-5', 'lead-6']);
      assert.deepEqual(store.leads.getLeads([]), []);
    });

    it('a conversion inside a transaction that throws leaves the lead and its link as they were', () => {
      store.transaction((tx) => {
        tx.putLink(link('lead-3', 'ref-3'));
        store.leads.putLead({ leadId: 'lead-3', referralId: 'ref-3', createdAt: AT });
      });
      assert.throws(() => store.transaction(() => {
        store.leads.convert('lead-3', 'opp-3', AT);
        throw new Error('crash');
      }), /crash/);
      assert.equal(store.getLinkByReferralId('ref-3')?.crmId, 'lead-3');
      assert.equal(store.leads.getLead('lead-3')?.convertedTo, undefined);
    });
  });
}
