/**
 * Team members and solutions merge as sets: identity by email (case-insensitive) and by solution ID.
 * An element added on either side is kept; one removed on one side and untouched on the other is removed;
 * one removed on one side but edited on the other is kept (an edit is never lost to a removal); one
 * edited on both sides differently takes the preferred side's version.
 */
import { sameValue } from '../../model/diff.js';

/** An attribute a side leaves undefined is no opinion (a CRM that does not hold it), never a removal. */
function editedFrom<T>(side: T, base: T): boolean {
  // Key by key, without an entry array per attribute: this runs for every member of every set, on each pair.
  const s = side as Record<string, unknown>;
  const b = base as Record<string, unknown>;
  for (const k of Object.keys(s)) {
    const v = s[k];
    if (v !== undefined && !sameValue(v, b[k])) return true;
  }
  return false;
}

/** The element with each side's defined attributes laid over it, the preferred side last. */
function overlay<T>(base: T | undefined, ...sides: (T | undefined)[]): T {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown> | undefined) };
  for (const side of sides) {
    if (side === undefined || side === null) continue;
    const values = side as Record<string, unknown>;
    for (const k of Object.keys(values)) if (values[k] !== undefined) out[k] = values[k];
  }
  return out as T;
}

export interface SetMergeResult<T> {
  merged: T[];
  /** Keys edited on both sides differently (settled by preference). */
  contested: string[];
}

/** Items by key. A module-level loop, not arrows made per call: those lose their optimized code at each full GC (bench/README.md, "Engine CPU per changed record"). */
function indexBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  const out = new Map<string, T>();
  for (const item of items) out.set(key(item), item);
  return out;
}

export function mergeSets<T>(base: readonly T[], crm: readonly T[], pc: readonly T[], key: (item: T) => string, prefer: 'crm' | 'pc'): SetMergeResult<T> {
  const b = indexBy(base, key);
  const c = indexBy(crm, key);
  const p = indexBy(pc, key);
  const order = [...new Set([...crm.map(key), ...pc.map(key), ...base.map(key)])];
  const merged: T[] = [];
  const contested: string[] = [];
  for (const k of order) {
    const inBase = b.get(k);
    const inCrm = c.get(k);
    const inPc = p.get(k);
    if (inBase === undefined) {
      if (inCrm && inPc && !sameValue(inCrm, inPc)) contested.push(k);
      if (inCrm || inPc) merged.push(prefer === 'crm' ? overlay(undefined, inPc, inCrm) : overlay(undefined, inCrm, inPc));
      continue;
    }
    const crmEdited = inCrm !== undefined && editedFrom(inCrm, inBase);
    const pcEdited = inPc !== undefined && editedFrom(inPc, inBase);
    if (inCrm === undefined && inPc === undefined) continue;
    if (inCrm === undefined) {
      if (pcEdited) merged.push(overlay(inBase, inPc));
      continue;
    }
    if (inPc === undefined) {
      if (crmEdited) merged.push(overlay(inBase, inCrm));
      continue;
    }
    if (crmEdited && pcEdited && !sameValue(overlay(inBase, inCrm), overlay(inBase, inPc))) contested.push(k);
    merged.push(prefer === 'crm' ? overlay(inBase, pcEdited ? inPc : undefined, crmEdited ? inCrm : undefined) : overlay(inBase, crmEdited ? inCrm : undefined, pcEdited ? inPc : undefined));
  }
  return { merged, contested };
}

export const teamKey = (m: { email: string }) => m.email.trim().toLowerCase();

/** A team's distinct email addresses as keys (`teamKey`), leaving out anything that is not an address. */
export const teamEmails = (team: readonly { email: string }[]): string[] => [...new Set(team.map(teamKey).filter((email) => email.includes('@')))];
export const solutionKey = (s: { id: string }) => s.id.trim().toUpperCase();

/**
 * Whether `side` already holds `value` as far as it holds anything: the same keys, and every attribute
 * the side defines equal to the value's (order and attributes it does not hold do not matter).
 */
export function holdsSet<T>(side: readonly T[] | undefined, value: readonly T[], key: (item: T) => string): boolean {
  if (side === undefined) return true;
  // Compared as sets: a side that lists a member twice (two team rows for one person) holds the same set,
  // and writing it the de-duplicated list would change nothing there, so it would be written every run.
  const byKey = new Map(value.map((v) => [key(v), v]));
  if (new Set(side.map(key)).size !== byKey.size) return false;
  return side.every((item) => {
    const wanted = byKey.get(key(item));
    return wanted !== undefined && !editedFrom(item, wanted);
  });
}

/**
 * Whether two sides hold different sets, with no base to tell who changed what (a rebuilt link, a held
 * unit): a member only one side has, or an attribute both define with different values. An attribute only
 * one side holds is no opinion: a CRM product line has a name where a solution a bulk CSV import created
 * has none, and that made every such deal a conflict after `cosell state rebuild`.
 */
export function setsDiffer<T>(a: readonly T[], b: readonly T[], key: (item: T) => string): boolean {
  const byKey = new Map(b.map((v) => [key(v), v]));
  if (new Set(a.map(key)).size !== byKey.size) return true;
  return a.some((item) => {
    const other = byKey.get(key(item)) as Record<string, unknown> | undefined;
    if (other === undefined) return true;
    const mine = item as Record<string, unknown>;
    return Object.keys(mine).some((k) => mine[k] !== undefined && other[k] !== undefined && !sameValue(mine[k], other[k]));
  });
}

/**
 * P2P invitations: the CRM contributes only which partners are invited (a seller inviting one); Partner
 * Center owns every detail of an invitation once it exists (the inviter cannot change its terms, seed
 * "Partner to Partner (P2P) deal"), and nobody is un-invited (the API has no remove). Those details (the
 * invited partner's answer, the value and close date it may change) are written to a CRM that holds
 * invitations whenever its copy differs: comparing partner IDs alone, a Salesforce seller never saw the
 * partner accept or decline (Cosell_Invitations__c stayed empty) while the record said synced.
 */
export function mergeInvitations<T extends { partner: { id: string } }>(base: readonly T[], crm: readonly T[] | undefined, pc: readonly T[] | undefined, crmKeepsReports: boolean): { merged: T[]; toPartnerCenter: boolean; toCrm: boolean } {
  const id = (i: T) => i.partner.id;
  const known = new Set([...base.map(id), ...(pc ?? []).map(id)]);
  const added = (crm ?? []).filter((i) => !known.has(id(i)));
  const merged = [...(pc ?? base), ...added];
  const ids = (list: readonly T[] | undefined) => [...new Set((list ?? []).map(id))].sort().join(',');
  const crmById = new Map((crm ?? []).map((i) => [id(i), i]));
  // Only a CRM that keeps the reports can hold them differently; requests built from the deal never match them.
  const detailsDiffer = crmKeepsReports && merged.some((i) => !sameValue(crmById.get(id(i)), i));
  return { merged, toPartnerCenter: added.length > 0, toCrm: crm !== undefined && (ids(crm) !== ids(merged) || detailsDiffer) };
}
