/**
 * Which of the values a write sent the CRM saved differently: an org's save-time automation (a Salesforce
 * before-save flow or trigger, a Dataverse PreOperation plug-in) rewrote them in the same save. Such a save
 * is not the engine's own echo: the record holds values the link's base lacks, so the adapter does not
 * report its new version as the engine's (`CrmWriteResult.etag`) and the engine reads it back, merges it
 * against the base, and sends the CRM's form to Partner Center (docs/sync.md, "Save-time rewrites").
 * Without this the rewritten record read as an echo forever: the CRM showed X', Partner Center X, and the
 * record said synced.
 */
import { heldColumns } from './shown-status.js';

/**
 * Two instants equal as a CRM saves them: Dataverse and Salesforce keep date-times to the second, so a sent
 * time with milliseconds comes back without them. That is storage, not an org's rewrite: read as one, every
 * sync-status write-back (its time has milliseconds) would be read back (a CRM read per write page).
 */
function sameInstant(sentMs: number, savedMs: number): boolean {
  return sentMs === savedMs || (savedMs % 1000 === 0 && Math.floor(sentMs / 1000) * 1000 === savedMs);
}

/** Two column values equal as saved: empty text is null, timestamps compare by instant. */
function sameSaved(sent: unknown, saved: unknown): boolean {
  const empty = (v: unknown) => v === null || v === undefined || v === '';
  if (empty(sent) || empty(saved)) return empty(sent) && empty(saved);
  if (typeof sent === 'number' || typeof saved === 'number') return Number(sent) === Number(saved);
  if (typeof sent === 'string' && typeof saved === 'string' && sent !== saved && /^\d{4}-\d{2}-\d{2}T/.test(sent) && /^\d{4}-\d{2}-\d{2}T/.test(saved)) {
    return sameInstant(Date.parse(sent), Date.parse(saved.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')));
  }
  return sent === saved;
}

/**
 * The sent columns the saved record holds differently. Only columns the saved record carries are compared
 * (an answer that does not select a column says nothing about it), case-insensitively by name. A column
 * under its sent name is found directly; the saved record's names are lower-cased only when one is not
 * (this runs for every record a write reads back, and a write sends a few of the row's dozens of columns).
 */
export function rewrittenOnSave(sent: Readonly<Record<string, unknown>>, saved: Readonly<Record<string, unknown>>): string[] {
  let savedByName: Map<string, unknown> | undefined;
  const rewritten: string[] = [];
  for (const name of Object.keys(sent)) {
    if (name.includes('@') || name === 'attributes') continue;
    let value: unknown;
    if (Object.hasOwn(saved, name)) value = saved[name];
    else {
      savedByName ??= new Map(Object.entries(saved).map(([column, v]) => [column.toLowerCase(), v] as const));
      const key = name.toLowerCase();
      if (!savedByName.has(key)) continue;
      value = savedByName.get(key);
    }
    if (!sameSaved(sent[name], value)) rewritten.push(name);
  }
  return rewritten;
}

/**
 * The status columns as saved (`CrmWriteResult.savedStatus`), when the org's automation rewrote one of those
 * the write sent: the record's form of the status, kept with it (`SyncStatus.savedAs`) so that the next read
 * is not taken for a seller's edit of them. Undefined when the save kept them as sent. `rewritten`: the
 * caller's `rewrittenOnSave(sent, saved)`, when it has it already.
 */
export function savedStatusOf(sent: Readonly<Record<string, unknown>>, saved: Readonly<Record<string, unknown>>, statusColumns: readonly string[], rewritten: readonly string[] = rewrittenOnSave(sent, saved)): Record<string, unknown> | undefined {
  return rewritten.some((column) => statusColumns.includes(column)) ? heldColumns(saved, statusColumns) : undefined;
}
