/** Small value conversions between the API's JSON and the canonical model. */
import { daysInMonth } from '../../../core/model/calendar.js';

/**
 * Drops keys whose value is `undefined`, so that mapped objects compare and serialise cleanly. When there
 * are any, it returns a copy without them (the caller's object is left as it was): built key by key, it is
 * a plain object, where a `delete` would leave V8's slow dictionary mode (several times the memory of a
 * plain object: an engine holds thousands of referrals per page) and cost a second copy to undo.
 */
export function compact<T extends Record<string, unknown>>(object: T): T {
  const keys = Object.keys(object);
  if (!keys.some((key) => object[key] === undefined)) return object;
  const copy: Record<string, unknown> = {};
  for (const key of keys) if (object[key] !== undefined) copy[key] = object[key];
  return copy as T;
}

/** A decimal that the API may send as a number or, as in the PATCH samples, a string ("10000"). */
export function toNumber(value: number | string | null | undefined): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) throw new Error(`${JSON.stringify(value)} is not a number`);
  return n;
}

/**
 * The canonical close date is a UTC calendar date (`YYYY-MM-DD`); the API's `closingDateTime` is a UTC
 * instant (§1.11: "Closing date is UTC"). We write midnight UTC and read the instant's UTC date.
 */
export function dateToApi(date: string | undefined): string | undefined {
  return date === undefined ? undefined : `${date}T00:00:00Z`;
}

/**
 * An instant in ECMAScript's own date-time format, at UTC (`Z`), whose day is a day of its month: its UTC
 * date is its first ten characters. Every close date the connector writes has this form; reading its date
 * off the text is what `new Date` then `toISOString` answer for it, without the date arithmetic that made
 * this the costliest conversion of a referral read. A day past the month's end (V8 rolls 30 February over
 * to March), another offset, another layout: the `Date` path, as before.
 */
const UTC_INSTANT = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{3})?)?Z$/;

export function dateFromApi(instant: string | null | undefined): string | undefined {
  if (!instant) return undefined;
  const utc = UTC_INSTANT.exec(instant);
  if (utc && Number(utc[3]) <= daysInMonth(Number(utc[1]), Number(utc[2]))) return instant.slice(0, 10);
  const parsed = new Date(instant);
  if (Number.isNaN(parsed.getTime())) throw new Error(`${JSON.stringify(instant)} is not a date-time`);
  return parsed.toISOString().slice(0, 10);
}

export const orUndefined = <T>(value: T | null | undefined): T | undefined => (value === null ? undefined : value);

/** Whether the API gave a value: `null` (what the API sends for "none") and absent are both no value. */
export const given = <T>(value: T | null | undefined): value is T => value !== null && value !== undefined;
