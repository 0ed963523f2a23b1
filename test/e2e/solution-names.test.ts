/**
 * A solution's name, both CRMs, end to end. Partner Center's SolutionTag name is optional
 * (partner-center-api.md §1.7); a CRM's solution row needs one, so the connector writes the ID there when
 * Partner Center has none (connectors/solution-names.ts). Until 2026-12-06 that ID was read back as the
 * solution's name and sent to Partner Center, while a solution a seller removed and added again by its ID
 * reached Partner Center without one (Salesforce) or with its ID for a name in place of Partner Center's
 * (Dynamics 365): the same solutions told differently, found walking the README with an admin.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import type { StoredReferral } from '../../sandbox/partner-center/store.js';
import type { CrmKind } from '../../sandbox/world.js';
import { worldPerTest } from '../helpers/world-per-test.js';
import { referralOf, unwrap } from './lifecycle.suite.js';

const HOUR = 3_600_000;
const OWN = 'own' as const;

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) describe(`solution names (${kind}, end to end)`, function () {
  this.timeout(120_000);
  const each = worldPerTest(kind);

  const inPartnerCenter = (referralId: string, change: (json: StoredReferral) => void) =>
    unwrap(each.world.set.partnerCenter.service.change(OUR_PARTNER_ORG, referralId, (json) => {
      change(json);
      return { ok: true, value: json };
    }));
  const solutionsOf = (referralId: string) => (referralOf(each.world, referralId).details?.requirements?.solutions ?? []).map((s) => ({ id: s.id, name: s.name }));

  async function linkedDeal(name: string): Promise<{ crmId: string; referralId: string }> {
    const crmId = await each.world.seller.createDeal(dealSpec(name, { solutions: [{ id: 'SOL-1234-PQRS', kind: OWN }, { id: 'SOL-5678-WXYZ', kind: OWN }] }));
    await each.world.syncToQuiet();
    const { referralId } = await each.world.seller.read(crmId);
    assert.ok(referralId, 'the deal reached Partner Center');
    each.world.set.clock.advance(HOUR);
    return { crmId, referralId };
  }

  async function assertSettled(crmId: string): Promise<void> {
    const record = await each.world.seller.read(crmId);
    assert.equal(record.syncState, 'synced', record.syncMessage);
    assert.equal((await each.world.sync()).writes, 0, 'a further run writes nothing');
  }

  it('a solution removed and added again by its ID reaches Partner Center as the others are, never with its ID for a name', async () => {
    const { crmId, referralId } = await linkedDeal('Solution added again');
    // A colleague adds a solution in Partner Center without a name: the CRM's row holds its ID as its name.
    inPartnerCenter(referralId, (json) => json.details!.requirements!.solutions!.push({ id: 'SOL-9999-AAAA', type: 'Name', solutionType: 'Own' }));
    await each.world.syncToQuiet();
    const unnamed = [{ id: 'SOL-1234-PQRS', name: undefined }, { id: 'SOL-5678-WXYZ', name: undefined }, { id: 'SOL-9999-AAAA', name: undefined }];
    assert.deepEqual(solutionsOf(referralId), unnamed, 'the ID the CRM row holds for a name is not sent as the name');

    each.world.set.clock.advance(HOUR);
    await each.world.seller.removeSolution(crmId, 'SOL-5678-WXYZ');
    await each.world.syncToQuiet();
    each.world.set.clock.advance(HOUR);
    await each.world.seller.addSolution(crmId, { id: 'SOL-5678-WXYZ', kind: OWN });
    await each.world.syncToQuiet();
    assert.deepEqual(solutionsOf(referralId).sort((a, b) => a.id.localeCompare(b.id)), unnamed);
    await assertSettled(crmId);
  });

  it("a solution Partner Center names, removed and added again by its ID before a sync, keeps Partner Center's name", async () => {
    const { crmId, referralId } = await linkedDeal('Named solution added again');
    inPartnerCenter(referralId, (json) => {
      for (const s of json.details!.requirements!.solutions!) s.name = `Contoso ${s.id}`;
    });
    await each.world.syncToQuiet();
    each.world.set.clock.advance(HOUR);
    await each.world.seller.removeSolution(crmId, 'SOL-5678-WXYZ');
    await each.world.seller.addSolution(crmId, { id: 'SOL-5678-WXYZ', kind: OWN });
    await each.world.syncToQuiet();
    assert.deepEqual(solutionsOf(referralId).sort((a, b) => a.id.localeCompare(b.id)), [{ id: 'SOL-1234-PQRS', name: 'Contoso SOL-1234-PQRS' }, { id: 'SOL-5678-WXYZ', name: 'Contoso SOL-5678-WXYZ' }]);
    await assertSettled(crmId);
  });
});
