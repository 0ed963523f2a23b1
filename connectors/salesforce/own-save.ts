/**
 * Whether the row a save's Composite call read back after the PATCH (checked-patches.ts) is the
 * connector's own save and nothing else. The reads before and after the PATCH are separate subrequests, not
 * one transaction (allOrNone or not, a read takes no lock), so a seller's save that commits between them is in
 * the 'after' row too. Taken as the connector's echo (write.ts `saved`, core/engine/echoes.ts), that edit was
 * never sent to Partner Center: a silent lost change. The 'after' row is the connector's own only when it
 * equals the 'before' row with the values sent applied, apart from the fields the save itself moves. Pure.
 */
import { sameContent } from './row-version.js';

/**
 * Fields every save moves by itself (Opportunity object reference: the audit fields, "System Fields").
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/system_fields.htm
 */
export const MOVED_BY_EVERY_SAVE: readonly string[] = ['SystemModstamp', 'LastModifiedDate', 'LastModifiedById', 'LastModifiedBy'];

/**
 * Opportunity fields Salesforce derives from a field sent: the stage sets Probability (its OpportunityStage's
 * DefaultProbability unless Probability is sent too), the forecast category, IsClosed and IsWon (OpportunityStage
 * reference); a stage of a Closed/Won type moves a future Close Date to today, in UTC (Salesforce Help,
 * "Opportunity Fields"); ExpectedRevenue is Amount × Probability and the fiscal period follows CloseDate
 * (Opportunity object reference; UNVERIFIED against a live org). A save sending the key may move these
 * without anyone else's edit.
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_opportunity.htm
 * https://developer.salesforce.com/docs/platform/object-reference/references/standard-objects/object-opportunitystage.html
 * https://help.salesforce.com/s/articleView?id=sales.opp_fields.htm
 */
export const DERIVED_ON_SAVE: Readonly<Record<string, readonly string[]>> = {
  StageName: ['Probability', 'ForecastCategory', 'ForecastCategoryName', 'IsClosed', 'IsWon', 'ExpectedRevenue', 'CloseDate', 'Fiscal', 'FiscalQuarter', 'FiscalYear'],
  Amount: ['ExpectedRevenue'],
  Probability: ['ExpectedRevenue'],
  CloseDate: ['Fiscal', 'FiscalQuarter', 'FiscalYear'],
};

/** A reference field sent moves the relationship the row reads through it (`OwnerId` → `Owner.Email`). */
function relationshipOf(field: string): string | undefined {
  if (/__c$/i.test(field)) return field.replace(/__c$/i, '__r');
  return /Id$/.test(field) && field.length > 2 ? field.slice(0, -2) : undefined;
}

// The two lists above in lower case, once: movedBySave runs for every record a save reads back.
const MOVED_BY_EVERY_SAVE_LOWER: readonly string[] = MOVED_BY_EVERY_SAVE.map((f) => f.toLowerCase());
const DERIVED_ON_SAVE_LOWER: ReadonlyMap<string, readonly string[]> = new Map(Object.entries(DERIVED_ON_SAVE).map(([k, v]) => [k.toLowerCase(), v.map((d) => d.toLowerCase())] as const));

/** The fields (lower case) a save of `sent` may move: the sent ones, what derives from them, the audit fields. */
function movedBySave(sent: Readonly<Record<string, unknown>>): Set<string> {
  const moved = new Set(MOVED_BY_EVERY_SAVE_LOWER);
  for (const field of Object.keys(sent)) {
    moved.add(field.toLowerCase());
    for (const d of DERIVED_ON_SAVE_LOWER.get(field.toLowerCase()) ?? []) moved.add(d);
    const relationship = relationshipOf(field);
    if (relationship) moved.add(relationship.toLowerCase());
  }
  return moved;
}

/** Two field values with the same content (a relationship's nested row without its `attributes`). */
function same(a: unknown, b: unknown): boolean {
  if (a === b || ((a === null || a === undefined) && (b === null || b === undefined))) return true;
  return typeof a === 'object' && typeof b === 'object' && sameContent(a, b);
}

/**
 * The fields of `after` that neither the save of `sent` nor the platform moved, yet differ from `before`:
 * another save committed between the two reads. Empty: the row is the connector's own save. Without a
 * 'before' row nothing can be told apart, so every field counts as changed (`['*']`). Whether a value sent
 * came back rewritten is save-rewrites.ts's question, not this one's.
 */
export function changedBesidesSave(before: Readonly<Record<string, unknown>> | undefined, sent: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>): string[] {
  if (!before) return ['*'];
  const moved = movedBySave(sent);
  // The two reads of one Composite call select the same fields: rows of one shape compare field by field,
  // without the maps by lower-case name that rows of different shapes need (this runs for every record saved).
  const names = Object.keys(after);
  if (sameNames(names, Object.keys(before))) return names.filter((n) => n !== 'attributes' && !moved.has(n.toLowerCase()) && !same(before[n], after[n]));
  return changedAcrossShapes(before, moved, after);
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

/** `changedBesidesSave` for rows whose fields differ (names compared without case, a field on one side only counts). */
function changedAcrossShapes(before: Readonly<Record<string, unknown>>, moved: ReadonlySet<string>, after: Readonly<Record<string, unknown>>): string[] {
  const beforeByName = new Map(Object.entries(before).map(([name, value]) => [name.toLowerCase(), value] as const));
  const names = new Set([...Object.keys(after), ...Object.keys(before)].filter((n) => n !== 'attributes'));
  const byLower = new Map([...names].map((n) => [n.toLowerCase(), n] as const));
  const afterByName = new Map(Object.entries(after).map(([name, value]) => [name.toLowerCase(), value] as const));
  return [...byLower].filter(([lower]) => !moved.has(lower) && !same(beforeByName.get(lower), afterByName.get(lower))).map(([, name]) => name);
}

/**
 * Whether someone other than the connector's user saved the row last (`by`: its `LastModifiedById`, which the
 * writer's read after selects, write.ts). A save after the PATCH that moved only fields the PATCH moves too (a
 * seller's Close Date on a deal whose stage the connector wrote: `DERIVED_ON_SAVE`) passes `changedBesidesSave`;
 * since one read serves two Composite calls (checked-patches.ts) that save may come a whole round trip after
 * the PATCH, when a read after in the same call would have shown the connector's own row and left the seller's
 * save to the next window. Unknown (no user, no value): false.
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/system_fields.htm
 */
export function lastSavedByAnother(by: unknown, userId: string | undefined): boolean {
  return typeof userId === 'string' && typeof by === 'string' && by.slice(0, 15) !== userId.slice(0, 15);
}
