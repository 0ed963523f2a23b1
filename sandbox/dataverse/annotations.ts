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

/** Adds the wanted lookup annotations to formatted rows, each just before the `_x_value` it describes. */
export function annotateLookups(store: DataverseStore, def: TableDef, rows: Row[], formatted: Row[], wanted: (term: string) => boolean): void {
  const lookups = [...def.columns.values()].filter((c) => c.targets && Object.keys(c.targets).length > 0);
  formatted.forEach((out, i) => {
    const row = rows[i]!;
    const notes = new Map<string, Row>();
    for (const col of lookups) {
      const wire = `_${col.logicalName}_value`;
      const id = row[wire];
      if (!(wire in out) || typeof id !== 'string') continue;
      const entries = Object.entries(col.targets!);
      const target = (row[`${wire}@target`] as string | undefined) ?? (entries.length === 1 ? entries[0]![1] : undefined);
      const nav = entries.find(([, t]) => t === target)?.[0];
      const related = target ? store.table(target) : undefined;
      const name = related?.rows.get(id)?.[related.def.primaryName];
      const note: Row = {};
      if (typeof name === 'string' && wanted(FORMATTED)) note[`${wire}@${FORMATTED}`] = name;
      if (nav && wanted(NAVIGATION)) note[`${wire}@${NAVIGATION}`] = nav;
      if (target && wanted(LOGICAL_NAME)) note[`${wire}@${LOGICAL_NAME}`] = target;
      if (Object.keys(note).length) notes.set(wire, note);
    }
    if (notes.size === 0) return;
    const ordered = Object.entries(out);
    for (const key of Object.keys(out)) delete out[key];
    for (const [key, value] of ordered) Object.assign(out, notes.get(key) ?? {}, { [key]: value });
  });
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
