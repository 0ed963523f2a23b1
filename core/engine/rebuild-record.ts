/**
 * The store's note that links were rebuilt from referral IDs (`store_meta` key `rebuild`): when, how many,
 * how many fields the two sides held differently and who won them. `cosell status` shows it, so that a
 * lost or replaced state store is never recovered silently. Counts add up over the runs that rebuilt
 * links (a rebuild stopped between pages continues in the next run).
 */
import type { AsyncStoreTransaction } from '../store/async-state-store.js';
import type { StoreTransaction } from '../store/state-store.js';
import type { ConflictPolicy } from './merge/three-way.js';
import type { RebuildDecision } from './merge/rebuild.js';

export const REBUILD_META_KEY = 'rebuild';

export interface RebuildRecord {
  /** Start of the first and of the latest run that rebuilt links. */
  firstAt: string;
  lastAt: string;
  links: number;
  /** Units the two sides held differently, over all rebuilt links. */
  fieldsDiffered: number;
  /**
   * Who won those: the CRM, Partner Center, nobody yet (conflicts left for `cosell conflicts`), or nobody
   * ever (`closed`: CRM edits after Partner Center closed the deal, told on the record; absent in records
   * written before 2026-12-06, and while there are none).
   */
  decided: { crm: number; partnerCenter: number; conflicts: number; closed?: number };
  policy: ConflictPolicy;
}

/** The record with one more rebuilt link added. Pure. */
export function addRebuiltLink(record: RebuildRecord | undefined, decisions: readonly RebuildDecision[], policy: ConflictPolicy, runAt: string): RebuildRecord {
  const count = (settled: (d: RebuildDecision) => boolean) => decisions.filter(settled).length;
  const previous = record ?? { firstAt: runAt, lastAt: runAt, links: 0, fieldsDiffered: 0, decided: { crm: 0, partnerCenter: 0, conflicts: 0 }, policy };
  const closed = (previous.decided.closed ?? 0) + count((d) => d.settledBy === 'closed');
  return {
    firstAt: previous.firstAt,
    lastAt: runAt,
    links: previous.links + 1,
    fieldsDiffered: previous.fieldsDiffered + decisions.length,
    decided: {
      crm: previous.decided.crm + count((d) => d.winner === 'crm'),
      partnerCenter: previous.decided.partnerCenter + count((d) => d.winner === 'partner-center'),
      conflicts: previous.decided.conflicts + count((d) => d.settledBy === 'manual'),
      ...(closed > 0 ? { closed } : {}),
    },
    policy,
  };
}

export async function recordRebuiltLink(tx: AsyncStoreTransaction, decisions: readonly RebuildDecision[], policy: ConflictPolicy, runAt: string): Promise<void> {
  await tx.putMeta(REBUILD_META_KEY, addRebuiltLink((await tx.getMeta(REBUILD_META_KEY)) as RebuildRecord | undefined, decisions, policy, runAt), runAt);
}

/** The record, from a synchronous store (`cosell status`) or, awaited, from an asynchronous one. */
export function readRebuildRecord(store: Pick<StoreTransaction, 'getMeta'>): RebuildRecord | undefined;
export function readRebuildRecord(store: Pick<AsyncStoreTransaction, 'getMeta'>): Promise<RebuildRecord | undefined>;
export function readRebuildRecord(store: { getMeta(key: string): unknown }): unknown {
  return store.getMeta(REBUILD_META_KEY);
}

/** One line for `cosell status`. Pure. */
export function describeRebuild(r: RebuildRecord): string {
  const when = r.firstAt === r.lastAt ? r.firstAt : `${r.firstAt} to ${r.lastAt}`;
  const decided = r.fieldsDiffered === 0
    ? 'both sides agreed on every field'
    : `${r.fieldsDiffered} field(s) differed: ${r.decided.crm} taken from the CRM, ${r.decided.partnerCenter} from Partner Center, ${r.decided.conflicts} left as conflicts (policy ${r.policy})${r.decided.closed ? `, ${r.decided.closed} kept in the CRM only (edited after Partner Center closed the deal)` : ''}`;
  return `Links rebuilt from referral IDs (${when}): ${r.links} link(s); ${decided}.`;
}
