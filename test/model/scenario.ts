/**
 * The model-based random test (issue 12): a seeded generator plays rounds of actions by sellers in the
 * CRM, by Microsoft and another partner in Partner Center, and by the clock, with faults injected on
 * every side; after each round it syncs until quiet and checks the invariants (invariants.ts). The same
 * seed plays the same scenario, so a failure replays exactly (`npx tsx test/model/run.ts …`).
 */
import { seeded } from '../../sandbox/common/faults.js';
import { startCosell } from '../helpers/cli.js';
import { tapRequests } from '../../sandbox/common/request-tap.js';
import { createLogger } from '../../core/logger.js';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';
import type { ConflictPolicy } from '../../core/engine/merge/three-way.js';
import { act, type Actors } from './actions.js';
import { checkInvariants, TerminalWatch } from './invariants.js';
import { cliConfig, rebuildState } from './rebuild.js';

const CRM_FAULTS: Record<CrmKind, Record<string, number>> = {
  salesforce: { '503': 1, UNABLE_TO_LOCK_ROW: 1 },
  dynamics: { throttle: 1, unavailable: 1, drop: 1 },
};

export interface ScenarioOptions {
  kind: CrmKind;
  seed: number;
  rounds: number;
  actionsPerRound: number;
  faults: boolean;
  /**
   * Each round may also start `cosell sync --once` as a child process and SIGKILL it at a seeded point
   * while the faults are on (issue 12): at its k-th request to the sandboxes, either as it arrives (the
   * request is dropped unanswered, as if the process died before sending it) or once it has been answered
   * (the service did it; the process dies before reading the answer). Counted in requests, not time, so a
   * replay kills at the same point of the sync.
   */
  kills?: boolean;
  /** The conflict policy the connector runs with (default newest-wins); under manual an admin settles conflicts. */
  policy?: ConflictPolicy;
  /** Now and then an admin runs `cosell state rebuild` before an action (rebuild.ts; default true). */
  rebuilds?: boolean;
}

/** The chance that an admin rebuilds the state store before an action: one or two rebuilds in 10 rounds × 12. */
const REBUILD_CHANCE = 0.015;

export function replayCommand(o: ScenarioOptions): string {
  return `npx tsx test/model/run.ts --crm ${o.kind} --seed ${o.seed} --rounds ${o.rounds} --actions ${o.actionsPerRound}${o.faults ? '' : ' --no-faults'}${o.kills === false ? ' --no-kills' : ''}${o.rebuilds === false ? ' --no-rebuilds' : ''}${o.policy && o.policy !== 'newest-wins' ? ` --policy ${o.policy}` : ''}`;
}

/** Plays one seeded scenario; throws (with the replay command) on the first broken invariant. */
export async function playScenario(o: ScenarioOptions): Promise<{ actions: string[] }> {
  // COSELL_MODEL_LOG=FILE: the engine's debug log of a replayed seed, to see what each sync did.
  const logFile = process.env.COSELL_MODEL_LOG;
  const world = await startWorld(o.kind, { fastRetries: true, ...(o.policy ? { sync: { conflictPolicy: o.policy } } : {}), ...(logFile ? { logger: createLogger({ level: 'debug', file: logFile }) } : {}) });
  const random = seeded(o.seed);
  // Its own source: a seed that draws no rebuild plays the scenario it played before rebuilds existed.
  const rebuildRandom = seeded(o.seed + 7919);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const log: string[] = [];
  const terminal = new TerminalWatch();
  const actors: Actors = { world, random, pick, notes: new Map(), brokenAccounts: new Set() };
  const setFaults = (on: boolean) => {
    world.set.partnerCenter.faults.configure(on && o.faults ? { rate: 0.08, kinds: { throttled: 1, 'server-error': 1, unavailable: 1, drop: 1, 'commit-then-error': 1 }, retryAfterSeconds: 0, seed: o.seed } : undefined);
    const crm = o.kind === 'salesforce' ? world.set.salesforce.faults : world.set.dataverse.faults;
    crm.configure(on && o.faults ? { rate: 0.04, kinds: CRM_FAULTS[o.kind], retryAfterSeconds: 0, seed: o.seed + 1 } : undefined);
  };
  // The sync an admin runs after the rebuild: once with the faults on, then until quiet.
  const syncAfterRebuild = async () => {
    await world.sync().catch(() => undefined);
    setFaults(false);
    await world.syncToQuiet({}, 10);
    setFaults(true);
  };
  try {
    let n = 0;
    for (let round = 0; round < o.rounds; round += 1) {
      setFaults(true);
      for (let a = 0; a < o.actionsPerRound; a += 1) {
        n += 1;
        if (o.rebuilds !== false && rebuildRandom() < REBUILD_CHANCE) log.push(`r${round}: ${await rebuildState(world, actors.notes, syncAfterRebuild)}`);
        log.push(`r${round}: ${await act(actors, n)}`);
      }
      // A sync killed mid-run (a real process, SIGKILL) before the round's own syncs take over.
      if (o.kills !== false && random() < 0.5) log.push(`r${round}: ${await killedSync(world, random)}`);
      // Syncs during the round meet the faults; then the round ends quietly, as operations would.
      await world.sync().catch(() => undefined);
      setFaults(false);
      const reports = await world.syncToQuiet({}, 10);
      // What the engine still owes, for a failing round's message.
      const pending = { intents: world.runtime.store.listIntents(), parked: world.runtime.store.listParked().map((p) => `${p.side} ${p.recordId}: ${p.reasons.map((r) => r.code).join(',')}`) };
      log.push(`r${round}: after sync: ${JSON.stringify(pending)}`);
      await checkInvariants(world, reports, terminal, actors.notes, `round ${round}`);
    }
    return { actions: log };
  } catch (error) {
    const message = `${(error as Error).message}\n  actions:\n    ${log.slice(-15).join('\n    ')}\n  replay: ${replayCommand(o)}`;
    throw Object.assign(new Error(message), { cause: error });
  } finally {
    setFaults(false);
    await world.close();
  }
}

/** Runs `cosell sync --once` against the world's config as a child and kills it at a seeded request. */
async function killedSync(world: World, random: () => number): Promise<string> {
  const config = cliConfig(world);
  const k = 1 + Math.floor(random() * 30);
  const moment = random() < 0.5 ? 'received' : 'answered';
  let seen = 0;
  let killedAt: string | undefined;
  const child = startCosell(['-c', config, 'sync', '--once']);
  // Only the child talks to the sandboxes while it runs (the test's own actions are in-process).
  const untap = tapRequests((request, at) => {
    if (killedAt || at !== moment) return;
    seen += 1;
    if (seen < k) return;
    killedAt = `${request.method} ${request.url.split('?')[0]}`;
    child.child.kill('SIGKILL');
    return at === 'received' ? 'drop' : undefined;
  });
  // A sync that hangs is killed anyway, so the round goes on (and says so).
  const guard = setTimeout(() => child.child.kill('SIGKILL'), 60_000);
  const result = await child.done;
  clearTimeout(guard);
  untap();
  if (killedAt) return `a sync --once is killed at its request ${k} (${killedAt}), ${moment === 'received' ? 'before it was answered' : 'after it was answered'}`;
  return result.signal === 'SIGKILL' ? 'a sync --once hung and was killed after 60 s' : `a sync --once ended (exit ${result.code}) after ${seen} request(s), before its kill at request ${k}`;
}
