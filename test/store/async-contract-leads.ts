/**
 * The asynchronous store contract, part 5: the CRM leads created for lead referrals and their conversion
 * (the synchronous suite behaviour-leads.ts, awaited), on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import type { AsyncStateStore } from '../../core/store/async-state-store.js';
import { emptyReferral } from '../../core/model/index.js';
import { rejectsWithCode, type OpenContractWorld } from './async-store-fixtures.js';

const AT = '2026-12-01T10:00:00.000Z';
const link = (crmId: string, referralId: string) => ({ crmId, referralId, base: emptyReferral({ dealName: referralId, referralId }), state: 'active' as const, crmEtag: 'W/"1"', crmModifiedAt: AT, updatedAt: AT });

export function asyncLeadContract(open: OpenContractWorld): void {
  let store: AsyncStateStore;
  let otherTenant: AsyncStateStore;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ store, otherTenant, cleanup } = await open()));
  afterEach(() => cleanup());

  describe('CRM leads', () => {
    it("lists open leads oldest first and moves a converted lead's link to its opportunity, keeping referral and base", async () => {
      await store.transaction(async (tx) => {
        await tx.putLink(link('lead-2', 'ref-2'));
        await tx.putLink(link('lead-1', 'ref-1'));
        await tx.putLead({ leadId: 'lead-2', referralId: 'ref-2', createdAt: '2026-12-01T11:00:00.000Z' });
        await tx.putLead({ leadId: 'lead-1', referralId: 'ref-1', createdAt: AT });
      });
      assert.deepEqual((await store.leads.openLeads()).map((l) => l.leadId), ['lead-1', 'lead-2']);
      await store.leads.convert('lead-1', 'opp-1', '2026-12-02T09:00:00.000Z');
      assert.equal(await store.getLinkByCrmId('lead-1'), undefined);
      const moved = await store.getLinkByReferralId('ref-1');
      assert.equal(moved?.crmId, 'opp-1');
      assert.equal(moved?.base.dealName, 'ref-1');
      assert.equal(moved?.crmEtag, undefined, "the lead's row version does not apply to the opportunity");
      assert.deepEqual(await store.leads.getLead('lead-1'), { leadId: 'lead-1', referralId: 'ref-1', createdAt: AT, convertedTo: 'opp-1', convertedAt: '2026-12-02T09:00:00.000Z' });
      assert.deepEqual((await store.leads.openLeads()).map((l) => l.leadId), ['lead-2']);
      assert.deepEqual(await otherTenant.leads.openLeads(), [], "another tenant's leads are its own");
    });

    it('reads many leads at once by ID, leaving out IDs that are not leads', async () => {
      for (const n of [5, 6]) await store.leads.putLead({ leadId: `lead-${n}`, referralId: `ref-${n}`, createdAt: AT });
      assert.deepEqual((await store.leads.getLeads(['lead-6', 'opp-7', 'lead-5'])).map((l) => l.leadId).sort(), ['lead-5', 'lead-6']);
      assert.deepEqual(await store.leads.getLeads([]), []);
    });

    it('a lead recorded in a page transaction that fails is not recorded', async () => {
      await assert.rejects(store.transaction(async (tx) => {
        await tx.putLink(link('lead-3', 'ref-3'));
        await tx.putLead({ leadId: 'lead-3', referralId: 'ref-3', createdAt: AT });
        throw new Error('crash');
      }), /crash/);
      assert.equal(await store.leads.getLead('lead-3'), undefined);
      assert.equal(await store.getLinkByCrmId('lead-3'), undefined);
    });

    it('refuses to convert a lead into an opportunity linked to another referral, changing nothing', async () => {
      await store.putLink(link('lead-4', 'ref-4'));
      await store.putLink(link('opp-4', 'ref-other'));
      await store.leads.putLead({ leadId: 'lead-4', referralId: 'ref-4', createdAt: AT });
      await rejectsWithCode(() => store.leads.convert('lead-4', 'opp-4', AT), 'store.link_conflict');
      assert.equal((await store.getLinkByReferralId('ref-4'))?.crmId, 'lead-4');
      assert.equal((await store.leads.getLead('lead-4'))?.convertedTo, undefined);
    });
  });
}
