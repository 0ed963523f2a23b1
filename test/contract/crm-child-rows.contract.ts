/**
 * The CrmAdapter contract for a deal's child rows (solutions, team, the customer contact), run against every adapter: an update
 * writes the set the engine merged, but deletes only the rows the engine read (`asRead`) and the merge
 * dropped. A row it never read (a seller added it between the engine's read and its write) stays, so that
 * the next run reads it as the seller's change (connectors/related-sets.ts).
 */
import assert from 'node:assert/strict';
import type { CrmWrite } from '../../core/engine/crm-port.js';
import type { Referral, Solution } from '../../core/model/referral.js';
import { contractInboundReferral, type CrmContractHarness } from './crm-adapter.contract.js';

const solution = (id: string): Solution => ({ id, kind: 'own' });
const pending = { state: 'pending' as const, message: '' };

export function runCrmChildRowContract(name: string, setup: () => Promise<CrmContractHarness>): void {
  describe(`CrmAdapter contract, child rows: ${name}`, function () {
    this.timeout(60_000);
    let h: CrmContractHarness;
    beforeEach(async () => {
      h = await setup();
    });
    afterEach(async () => h?.teardown());

    /** A deal with three solutions, as the engine reads it. */
    async function dealWithSolutions(): Promise<{ crmId: string; read: Referral }> {
      const referral = { ...contractInboundReferral('child rows'), solutions: ['SOL-1111-AAAA', 'SOL-2222-BBBB', 'SOL-3333-CCCC'].map(solution) };
      const [created] = await h.adapter.write([{ kind: 'create', key: referral.referralId!, referral, status: pending }]);
      assert.ok(created?.ok, JSON.stringify(created));
      const [deal] = await h.adapter.getDeals([created.crmId]);
      assert.deepEqual(deal?.referral.solutions.map((s) => s.id).sort(), ['SOL-1111-AAAA', 'SOL-2222-BBBB', 'SOL-3333-CCCC']);
      return { crmId: created.crmId, read: deal!.referral };
    }

    const solutionIds = async (crmId: string) => (await h.adapter.getDeals([crmId]))[0]?.referral.solutions.map((s) => s.id).sort();

    it('deletes the rows the engine read and the merge dropped, adds the new ones, and keeps a row it never read', async () => {
      const { crmId, read } = await dealWithSolutions();
      // The engine read only the first two (the third came later); its merge drops the second and adds a fourth.
      const asRead = { team: read.team, solutions: read.solutions.filter((s) => s.id !== 'SOL-3333-CCCC') };
      const merged = { ...read, solutions: ['SOL-1111-AAAA', 'SOL-4444-DDDD'].map(solution) };
      const write: CrmWrite = { kind: 'update', key: crmId, crmId, referral: merged, changedFields: ['solutions'], asRead };
      const [result] = await h.adapter.write([write]);
      assert.ok(result?.ok, JSON.stringify(result));
      assert.deepEqual(await solutionIds(crmId), ['SOL-1111-AAAA', 'SOL-3333-CCCC', 'SOL-4444-DDDD']);
    });

    it('without what the engine read, the merged set replaces every row', async () => {
      const { crmId, read } = await dealWithSolutions();
      const merged = { ...read, solutions: ['SOL-1111-AAAA', 'SOL-4444-DDDD'].map(solution) };
      const [result] = await h.adapter.write([{ kind: 'update', key: crmId, crmId, referral: merged, changedFields: ['solutions'] }]);
      assert.ok(result?.ok, JSON.stringify(result));
      assert.deepEqual(await solutionIds(crmId), ['SOL-1111-AAAA', 'SOL-4444-DDDD']);
    });

    it('a customer contact the merge removed is no longer the deal\'s, and reads as cleared', async () => {
      const { crmId, read } = await dealWithSolutions();
      assert.ok(read.customerContact, 'the deal was created with its contact');
      const { customerContact: _removed, ...merged } = read;
      const write: CrmWrite = { kind: 'update', key: crmId, crmId, referral: merged, changedFields: ['customerContact'], asRead: { team: read.team, solutions: read.solutions, customerContact: read.customerContact } };
      const [result] = await h.adapter.write([write]);
      assert.ok(result?.ok, JSON.stringify(result));
      const [deal] = await h.adapter.getDeals([crmId]);
      assert.equal(deal?.referral.customerContact, undefined);
      assert.ok(deal?.cleared?.includes('customerContact'), 'read back as removed, not as no opinion');
    });
  });
}
