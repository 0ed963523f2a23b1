/**
 * An admin runs `cosell state rebuild` in the middle of co-selling (a damaged state database: README,
 * "state"): the real command as a child process, between two syncs, with edits on both sides not synced
 * yet. The next sync rebuilds every link from the referral IDs on both sides (docs/sync.md, "When the state
 * store is lost or replaced"), and the invariants must hold after it as after any other sync: one pairing
 * per deal, a deleted opportunity never made again, both sides agreeing on every record that says synced.
 *
 * Drawn from a random source of its own (scenario.ts), so that a seed that draws no rebuild plays the same
 * scenario as before this action existed, and the seeds in model.test.ts's FOUND list still replay.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cosell } from '../helpers/cli.js';
import type { World } from '../../sandbox/world.js';

/** The world's config as a file for `cosell -c` (COSELL_MODEL_LOG=FILE: the child's debug log in FILE.killed). */
export function cliConfig(world: World): string {
  const config = join(dirname(world.runtime.config.store.path), 'model.config.json');
  const logFile = process.env.COSELL_MODEL_LOG;
  const logging = logFile ? { level: 'debug', file: `${logFile}.killed` } : { level: 'silent' };
  if (!existsSync(config)) writeFileSync(config, JSON.stringify({ ...world.runtime.config, logging }));
  return config;
}

/**
 * Runs `cosell state rebuild` between two processes of the world; returns what it did, for the replay log.
 * `notes` (the model's note fragments by CRM ID) loses the fragments only one side holds now: a rebuilt link
 * has no base, so notes that differ are settled whole by the conflict policy ("every field the two sides hold
 * differently is a conflict for the configured policy", docs/sync.md), and the losing side's fragment goes.
 */
export async function rebuildState(world: World, notes: Map<string, string[]>, syncAfter: () => Promise<void>): Promise<string> {
  await forgetOneSidedNotes(world, notes);
  let outcome = '';
  await world.reopen(async () => {
    const result = await cosell(['-c', cliConfig(world), 'state', 'rebuild']);
    if (result.code !== 0) throw new Error(`cosell state rebuild exited ${result.code}: ${result.stderr.trim()}`);
    outcome = result.stdout.split('\n')[0] ?? '';
  });
  // As the command says, the next sync rebuilds the links: until it has, an edit on either side is one more
  // difference the policy settles whole (newest-wins by the records' modification times), not a change
  // merged against a base, so the model's actors wait for it.
  await syncAfter();
  return `an admin runs cosell state rebuild (${outcome}), then syncs`;
}

async function forgetOneSidedNotes(world: World, notes: Map<string, string[]>): Promise<void> {
  const holds = (text: string | undefined, token: string) => new RegExp(`\\b${token}\\b`).test(text ?? '');
  for (const [crmId, tokens] of notes) {
    const view = await world.seller.read(crmId);
    if (!view.exists || !view.referralId) continue;
    const referral = world.set.partnerCenter.store.get(view.referralId);
    const pcNotes = referral?.details?.notes as string | undefined;
    notes.set(crmId, tokens.filter((token) => holds(view.notes, token) && holds(pcNotes, token)));
  }
}
