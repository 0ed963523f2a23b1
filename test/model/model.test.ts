/**
 * The model-based random test at a small size, in every `npm test`: seeded scenarios of seller, Microsoft,
 * partner and clock actions with faults on every side and syncs killed with SIGKILL, invariants checked after each round
 * (test/model/scenario.ts, invariants.ts). Bigger sizes: `npx tsx test/model/run.ts --seeds 200 --rounds 10`.
 */
import assert from 'node:assert/strict';
import type { CrmKind } from '../../sandbox/world.js';
import { playScenario } from './scenario.js';

const SEEDS = [1, 2];

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) describe(`model-based random sync (${kind}, ${SEEDS.length} seeds × 3 rounds, faults and kills on)`, function () {
  this.timeout(300_000);
  for (const seed of SEEDS) {
    it(`seed ${seed}: every invariant holds after every round`, async () => {
      const { actions } = await playScenario({ kind, seed, rounds: 3, actionsPerRound: 10, faults: true, kills: true });
      const acted = actions.filter((a) => !a.includes('after sync:') && !a.includes('a sync --once'));
      assert.equal(acted.length, 30);
      assert.ok(acted.some((a) => !a.includes('nothing') && !a.includes('looks at')), 'the scenario acted');
    });
  }
});
