/**
 * "Solution Kind" on a Dynamics 365 Co-sell Solution row is a text column a seller fills on the subgrid: the
 * kind is typed as the form and Partner Center show it ("Microsoft", "Microsoft solution", "1P"), in any case
 * and with stray spaces, and reaches Partner Center as that kind. Text that names no kind parks the deal with
 * the record, the column, the solution and the kinds it may hold. Until 2026-12-06 only the connector's own
 * spelling (`microsoft`) was read: a typed "Microsoft" parked the deal.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import type { SolutionKind } from '../../core/model/enums.js';
import type { World } from '../../sandbox/world.js';
import { worldPerTest } from '../helpers/world-per-test.js';
import { referralOf } from './lifecycle.suite.js';

const typedKind = (world: World, name: string, kind: string) =>
  world.seller.createDeal(dealSpec(name, { solutions: [{ id: 'SOL-Microsoft365', kind: kind as SolutionKind }] }));

describe('a Dynamics 365 seller types the Solution Kind (end to end)', function () {
  this.timeout(120_000);
  const each = worldPerTest('dynamics');

  for (const [typed, api] of [['Microsoft', '1P'], [' microsoft SOLUTION ', '1P'], ['1p', '1P'], ['Third party', '3P'], ['other partner', '3P'], ['My Company', 'Own']] as const) {
    it(`"${typed}" reaches Partner Center as ${api}`, async () => {
      const { world } = each;
      const crmId = await typedKind(world, `Kind ${typed}`, typed);
      await world.syncToQuiet();
      const view = await world.seller.read(crmId);
      assert.equal(view.syncState, 'synced', view.syncMessage);
      assert.ok(view.referralId);
      assert.deepEqual(referralOf(world, view.referralId).details?.requirements?.solutions?.map((s) => s.solutionType), [api]);
      assert.equal((await world.sync()).writes, 0, 'a further sync writes nothing');
    });
  }

  it('text that is no kind parks the deal, naming the solution, the column and the kinds', async () => {
    const { world } = each;
    const crmId = await typedKind(world, 'Kind typo', 'Microsfot');
    await world.syncToQuiet();
    const view = await world.seller.read(crmId);
    assert.equal(view.referralId, undefined, 'nothing is created');
    assert.equal(view.syncState, 'error');
    const message = view.syncMessage ?? '';
    assert.match(message, /Solution Kind/);
    assert.match(message, /SOL-Microsoft365/);
    assert.match(message, /"Microsfot"/);
    assert.match(message, /Microsoft solution/);
    assert.match(message, /solution\.kind_unknown/);
  });
});
