/**
 * `Prefer: odata.include-annotations="…"` on a read: each lookup in the answer gets the annotations the
 * documentation shows ("Lookup property data" in query-data-web-api; compose-http-requests-handle-errors,
 * "Request annotations"):
 *   "_primarycontactid_value@OData.Community.Display.V1.FormattedValue": "Sam Smith",
 *   "_primarycontactid_value@Microsoft.Dynamics.CRM.associatednavigationproperty": "primarycontactid",
 *   "_primarycontactid_value@Microsoft.Dynamics.CRM.lookuplogicalname": "contact",
 * The formatted value of a lookup is the related row's primary name (a live answer shows
 * `_owningbusinessunit_value@…FormattedValue` holding the business unit's name). The preference names the
 * annotations wanted: `"*"`, or a comma-separated list whose items may end in `*`
 * (`"OData.Community.Display.V1.FormattedValue,Microsoft.Dynamics.CRM.*"`). Formatted values of other column
 * types (choice labels, localised numbers and dates) are not modelled: the sandbox answers none for them.
 */
import type { DataverseStore, Row } from './store.js';
import type { TableDef } from './schema.js';

const FORMATTED = 'OData.Community.Display.V1.FormattedValue';
const NAVIGATION = 'Microsoft.Dynamics.CRM.associatednavigationproperty';
const LOGICAL_NAME = 'Microsoft.Dynamics.CRM.lookuplogicalname';

/** The annotation terms a `Prefer` header asks for, as a test of one term; undefined when it asks for none. */
export function annotationsWanted(prefer: string | undefined): ((term: string) => boolean) | undefined {
  const match = /odata\.include-annotations\s*=\s*(?:"([^"]*)"|([^,\s]*))/i.exec(prefer ?? '');
  if (!match) return undefined;
  const asked = match[1] ?? match[2] ?? '';
  const patterns = asked.split(',').map((p) => p.trim()).filter(Boolean);
  return (term) => patterns.some((p) => p === '*' || p === term || (p.endsWith('*') && term.startsWith(p.slice(0, -1))));
}

/** The `odata.include-annotations=…` preference as asked, for `Preference-Applied` (the documented answers echo it). */
export function annotationsPreference(prefer: string | undefined): string {
  return /odata\.include-annotations\s*=\s*(?:"[^"]*"|[^,\s]*)/i.exec(prefer ?? '')?.[0] ?? '';
}

/** A lookup column as the annotations need it, worked out once per answer rather than once per row. */
interface Lookup {
  wire: string;
  /** The only target table, when the lookup has one. */
  single: string | undefined;
  /** Navigation property per target table (the first one naming it, as the column lists them). */
  navigation: Map<string, string>;
}

function lookupsOf(def: TableDef): Lookup[] {
  const lookups: Lookup[] = [];
  for (const col of def.columns.values()) {
    const entries = Object.entries(col.targets ?? {});
    if (entries.length === 0) continue;
    const navigation = new Map<string, string>();
    for (const [nav, target] of entries) if (!navigation.has(target)) navigation.set(target, nav);
    lookups.push({ wire: `_${col.logicalName}_value`, single: entries.length === 1 ? entries[0]![1] : undefined, navigation });
  }
  return lookups;
}

/**
 * Adds the wanted lookup annotations to formatted rows, each just before the `_x_value` it describes. An
 * annotated row is replaced in `formatted` by a new object with its keys in that order (rather than its keys
 * deleted and set again, which turns a V8 object into a slow dictionary for the JSON serialiser). The
 * lookup columns are read from the table per answer, not kept: setup and tests add columns at any time.
 */
export function annotateLookups(store: DataverseStore, def: TableDef, rows: Row[], formatted: Row[], wanted: (term: string) => boolean): void {
  const wants = { formatted: wanted(FORMATTED), navigation: wanted(NAVIGATION), logicalName: wanted(LOGICAL_NAME) };
  if (!wants.formatted && !wants.navigation && !wants.logicalName) return;
  const lookups = lookupsOf(def);
  for (let i = 0; i < formatted.length; i += 1) {
    const out = formatted[i]!;
    const row = rows[i]!;
    let notes: Map<string, Row> | undefined;
    for (const col of lookups) {
      const id = row[col.wire];
      if (!(col.wire in out) || typeof id !== 'string') continue;
      const target = (row[`${col.wire}@target`] as string | undefined) ?? col.single;
      const nav = target === undefined ? undefined : col.navigation.get(target);
      const related = target ? store.table(target) : undefined;
      const name = related?.rows.get(id)?.[related.def.primaryName];
      const note: Row = {};
      if (typeof name === 'string' && wants.formatted) note[`${col.wire}@${FORMATTED}`] = name;
      if (nav && wants.navigation) note[`${col.wire}@${NAVIGATION}`] = nav;
      if (target && wants.logicalName) note[`${col.wire}@${LOGICAL_NAME}`] = target;
      if (Object.keys(note).length) (notes ??= new Map()).set(col.wire, note);
    }
    if (!notes) continue;
    const rebuilt: Row = {};
    for (const key of Object.keys(out)) {
      const note = notes.get(key);
      if (note) Object.assign(rebuilt, note);
      rebuilt[key] = out[key];
    }
    formatted[i] = rebuilt;
  }
}

/**
 * `@Microsoft.Dynamics.CRM.totalrecordcount` and `…totalrecordcountlimitexceeded` when asked for (count-rows): the
 * count up to the limit and whether there were more; "If you don't include the $count=true query option, the
 * total @Microsoft.Dynamics.CRM.totalrecordcount value is -1".
 */
export function totalRecordCount(wanted: (term: string) => boolean, count: number | undefined, limit: number): Row {
  const out: Row = {};
  if (wanted('Microsoft.Dynamics.CRM.totalrecordcount')) out['@Microsoft.Dynamics.CRM.totalrecordcount'] = count === undefined ? -1 : Math.min(count, limit);
  if (wanted('Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded')) out['@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded'] = count !== undefined && count > limit;
  return out;
}
