/**
 * The connector's own status fields read back (core/engine/shown-status.ts), for every adapter: which of a
 * record's values to keep as `CrmDeal.shownStatus`, and whether they are what a status write leaves. A
 * seller's edit of them (a parked record set to "synced", the message cleared) then makes the engine write
 * the status again; they are never read into the deal. Pure.
 */
export type ColumnValues = Readonly<Record<string, unknown>>;

/** The values a record holds in `columns`, as read; a column the answer lacks is left out, so never compared. */
export function heldColumns(raw: ColumnValues, columns: readonly string[]): Record<string, unknown> {
  const held: Record<string, unknown> = {};
  for (const column of columns) if (column in raw) held[column] = raw[column];
  return held;
}

/** Empty and null are alike, and text is compared trimmed: a CRM may keep either for a field written empty. */
const normal = (value: unknown): unknown => (typeof value === 'string' ? value.trim() || null : value ?? null);

/** Epoch milliseconds of a datetime in ISO 8601 or Salesforce's `…+0000` form. */
const instant = (value: unknown): number => (typeof value === 'string' ? Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : Number.NaN);

function sameHeld(held: unknown, written: unknown, datetime: boolean, presence: boolean): boolean {
  const a = normal(held);
  const b = normal(written);
  if (a === null || b === null || presence) return (a === null) === (b === null);
  // A CRM keeps datetimes to the second (cut or rounded): within a second is the same time.
  if (datetime) return Math.abs(instant(a) - instant(b)) < 1000;
  return a === b;
}

/**
 * Whether the values a record holds show `written` (the field values a status write sends), field by field
 * where both name one: only the fields read back are compared. `presence`: fields compared only as set or
 * empty (a message the org's automation may have rewritten on save, where the saved form was not kept).
 */
export function showsWritten(held: ColumnValues, written: ColumnValues, datetimes: ReadonlySet<string>, presence: ReadonlySet<string> = NO_COLUMNS): boolean {
  // A loop, not `every` with an arrow: a closure made per call loses its optimized code at each full GC, and
  // the engine's 1% cycle compiled it again every cycle (bench/README.md, "Engine CPU per changed record").
  for (const column of Object.keys(held)) {
    if (column in written && !sameHeld(held[column], written[column], datetimes.has(column), presence.has(column))) return false;
  }
  return true;
}

const NO_COLUMNS: ReadonlySet<string> = new Set();
