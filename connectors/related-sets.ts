/**
 * Which of a deal's child rows (team members, solutions) a write may delete. The merge decides the whole
 * set, but it decided on the rows the engine read: a row added after that read (a seller's save between the
 * read and the write, which does not move the opportunity's own version) is not the merge's to remove, and
 * deleting it lost the seller's change for good (the next read no longer showed it). So a row goes only when
 * the engine saw it and the merged set no longer holds it; a row the engine never saw stays, and the next run
 * reads it as the seller's change. Without a read (`asRead` absent) every row was seen, as before.
 */
import type { Referral } from '../core/model/referral.js';

/** The key a team member or a solution is matched by, on both sides (emails and IDs compare without case). */
export const memberKey = (email: string | undefined): string => (email ?? '').toLowerCase();
export const solutionKey = (id: string | undefined): string => (id ?? '').toLowerCase();

/** Whether the row with `key` is to be deleted: the engine read it and the merged set leaves it out. */
export function removedByMerge(key: string, merged: ReadonlySet<string>, asRead: ReadonlySet<string> | undefined): boolean {
  return !merged.has(key) && (asRead === undefined || asRead.has(key));
}

/**
 * The keys of the team members or solutions the engine read (`asRead`), matched as `removedByMerge`
 * matches them; undefined without a read, which `removedByMerge` takes as "every row was seen".
 */
export function readKeys(asRead: Pick<Referral, 'team' | 'solutions'> | undefined, kind: 'team' | 'solutions'): ReadonlySet<string> | undefined {
  if (!asRead) return undefined;
  return new Set(kind === 'team' ? asRead.team.map((m) => memberKey(m.email)) : asRead.solutions.map((s) => solutionKey(s.id)));
}
