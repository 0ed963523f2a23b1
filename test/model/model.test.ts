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
      const acted = actions.filter((a) => !a.includes('after sync:') && !a.includes('a sync --once') && !a.includes('cosell state rebuild'));
      assert.equal(acted.length, 30);
      assert.ok(acted.some((a) => !a.includes('nothing') && !a.includes('looks at')), 'the scenario acted');
    });
  }
});

/**
 * Seeds the full-size runs found a bug with, replayed in every `npm test` at the size that showed it (the
 * runner's replay command): each failed on the code before its fix.
 */
const FOUND: { kind: CrmKind; seed: number; rounds: number; why: string }[] = [
  // An account the connector renamed through one deal (Partner Center changed the customer's name) never
  // reached the referral of another deal of the account: the feed left the connector's own account writes out.
  { kind: 'salesforce', seed: 1711, rounds: 2, why: "a shared account renamed through one referral reaches the other deal's referral" },
];

describe('model-based random sync: seeds that found a bug (faults and kills on)', function () {
  this.timeout(300_000);
  for (const found of FOUND) {
    it(`${found.kind} seed ${found.seed} (${found.rounds} rounds × 12): ${found.why}`, async () => {
      // Without rebuilds, as the seed played when it found the bug (test/model/rebuild.ts).
      const { actions } = await playScenario({ kind: found.kind, seed: found.seed, rounds: found.rounds, actionsPerRound: 12, faults: true, kills: true, rebuilds: false });
      assert.ok(actions.length > found.rounds * 12, 'the scenario played every round');
    });
  }
});
