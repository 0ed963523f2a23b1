/**
 * Team members and solutions merge as sets: identity by email (case-insensitive) and by solution ID.
 * An element added on either side is kept; one removed on one side and untouched on the other is removed;
 * one removed on one side but edited on the other is kept (an edit is never lost to a removal); one
 * edited on both sides differently takes the preferred side's version.
 */
import { sameValue } from '../../model/diff.js';

export interface SetMergeResult<T> {
  merged: T[];
  /** Keys edited on both sides differently (settled by preference). */
  contested: string[];
}

export function mergeSets<T>(base: readonly T[], crm: readonly T[], pc: readonly T[], key: (item: T) => string, prefer: 'crm' | 'pc'): SetMergeResult<T> {
  const index = (items: readonly T[]) => new Map(items.map((item) => [key(item), item]));
  const b = index(base);
  const c = index(crm);
  const p = index(pc);
  const order = [...new Set([...crm.map(key), ...pc.map(key), ...base.map(key)])];
  const merged: T[] = [];
  const contested: string[] = [];
  for (const k of order) {
    const inBase = b.get(k);
    const inCrm = c.get(k);
    const inPc = p.get(k);
    if (inBase === undefined) {
      if (inCrm && inPc && !sameValue(inCrm, inPc)) contested.push(k);
      const chosen = inCrm && inPc ? (prefer === 'crm' ? inCrm : inPc) : (inCrm ?? inPc);
      if (chosen) merged.push(chosen);
      continue;
    }
    const crmEdited = inCrm !== undefined && !sameValue(inCrm, inBase);
    const pcEdited = inPc !== undefined && !sameValue(inPc, inBase);
    if (inCrm === undefined && inPc === undefined) continue;
    if (inCrm === undefined) {
      if (pcEdited) merged.push(inPc!);
      continue;
    }
    if (inPc === undefined) {
      if (crmEdited) merged.push(inCrm);
      continue;
    }
    if (crmEdited && pcEdited && !sameValue(inCrm, inPc)) {
      contested.push(k);
      merged.push(prefer === 'crm' ? inCrm : inPc);
    } else {
      merged.push(crmEdited ? inCrm : pcEdited ? inPc : inBase);
    }
  }
  return { merged, contested };
}

export const teamKey = (m: { email: string }) => m.email.trim().toLowerCase();
export const solutionKey = (s: { id: string }) => s.id.trim().toUpperCase();
